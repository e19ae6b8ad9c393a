/**
 * Chromium refuses a remote offer that reuses the mids of an offer of ours it has just rolled
 * back with other header-extension ids: the rolled-back offer's ids stay "active" on those mids
 * ("RTP extension ID reassignment not supported (collision on active MID 1, id=3 …)"), and the
 * explicit rollback after it fails the same way. Repro: apps/e2e/test/engine.mjs
 * `12-engine-chromium-rollback-keeps-extension-ids`; seen at start-up when a Firefox impolite
 * page starts late and its offers cross the polite Chromium's first offer (#23, apps/e2e
 * `23-startup-glare-late-firefox-chromium-10x`). Nothing on this connection gets past it (the
 * ids are the engine's), and a fresh connection has no such history: the polite peer rebuilds
 * at once, without an error event (a rebuild both sides join; the view shows `rebuilding` and
 * `counters.rebuilds`). With no rebuild left it is reported as any refused description is.
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
