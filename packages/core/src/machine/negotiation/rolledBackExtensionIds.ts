/**
 * Chromium refuses a remote offer that reuses the mids of an offer of ours it has just rolled
 * back with other header-extension ids: the rolled-back offer's ids stay "active" on those mids
 * ("RTP extension ID reassignment not supported (collision on active MID 1, id=3 …)"), and the
 * explicit rollback after it fails the same way. Repro: apps/e2e/test/engine.mjs
 * `12-engine-chromium-rollback-keeps-extension-ids`. Seen at start-up (#23, apps/e2e
 * `23-startup-glare-late-firefox-chromium-10x`, 2 of 10 calls): the polite Chromium's hold runs
 * out and it offers its camera (mids 0, 1); the late Firefox's data-channel offer rolls that back
 * and is answered; Chromium offers its camera again at once (mids 2, 3), and Firefox's camera
 * offer crosses it (mids 1, 2, Firefox's ids): refused, "collision on active MID 3". Nothing on
 * this connection gets past it (the ids are the engine's), and a fresh connection has no such
 * history: the polite peer rebuilds at once, without an error event (a rebuild both sides join;
 * the view shows `rebuilding` and `counters.rebuilds`; the call was whole again within 930 ms of
 * start). With no rebuild left it is reported as any refused description is.
 * @module
 */

/** The engine's refusal of a remote offer over the header-extension ids of a rolled-back offer. */
export function isRolledBackExtensionIdRefusal(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; depth++) {
    if (/RTP extension ID reassignment not supported/i.test(e.message)) return true;
    e = e.cause;
  }
  return false;
}
