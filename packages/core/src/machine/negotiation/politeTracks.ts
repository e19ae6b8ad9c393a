/**
 * Whether the polite peer sends a new track on a transceiver of its own (`addTransceiver`) instead
 * of `addTrack`, which would take over a transceiver already receiving that kind (JSEP 5.2.2's
 * reuse). Confined to the one case it is for:
 *
 * - Chromium cuts a remote track off from its decoder when an offer that took over its
 *   receiving transceiver is rolled back (the polite side of a glare): frames are decoded, the
 *   `<video>` never gets one. Repro: apps/e2e/test/engine.mjs
 *   `12-engine-chromium-rollback-cuts-remote-track`. So: only when there is a receiving
 *   transceiver to take over; otherwise `addTrack` creates a transceiver anyway, and one made
 *   before any offer can still be matched to the remote's first offer (no m-line of our own).
 * - Not against Firefox: a transceiver of our own that went out in an offer later rolled back
 *   keeps the header-extension ids that offer gave it (Chromium), and beside Firefox's ids in one
 *   BUNDLE group Chromium then refuses every offer of it ("A BUNDLE group contains a codec
 *   collision for header extension id=6"; repro: apps/e2e/test/engine.mjs
 *   `12-engine-chromium-rolled-back-mline-beside-firefox`; bounded by refusedOffers.ts).
 *   Taking over Firefox's m-line keeps Firefox's ids. Firefox's descriptions say who they are
 *   in their origin line; against Firefox, apps/e2e `12-cross-browser-rounds-*` passes.
 * - Mid-call (an exchange already completed), also where addTrack would create a transceiver:
 *   one addTrack created is matched to the remote's new m-line of its kind when a colliding
 *   offer of the remote is applied after ours was rolled back (JSEP 5.10), and Chromium's
 *   receiver of that rolled-back transceiver never unmutes: packets arrive, the track stays
 *   muted (seen in apps/bench's glare arm: the polite side never got the impolite's audio).
 *   A transceiver of our own is never matched; answerOnOfferedMlines.ts puts its track on the
 *   remote's new m-line instead, so glare still takes one exchange. Before the first exchange
 *   addTrack stays: its transceiver rides on the impolite peer's first offer with no offer of
 *   ours at all (firstOffer.ts), and no offer of ours has been rolled back.
 * @module
 */
import type { PeerConnectionLike } from '../../platform/types.js';

/** Firefox's SDP origin (`o=mozilla...THIS_IS_SDPARTA-<version> …`), RFC 8866 §5.2. */
const FIREFOX_ORIGIN = /^o=mozilla\.\.\.THIS_IS_SDPARTA/m;

export function sendsOnNewTransceiver(
  pc: PeerConnectionLike,
  kind: string,
  polite: boolean,
): boolean {
  if (!polite || typeof pc.addTransceiver !== 'function') return false;
  if (FIREFOX_ORIGIN.test(pc.remoteDescription?.sdp ?? '')) return false;
  if (pc.localDescription != null && pc.remoteDescription != null) return true;
  // What addTrack would reuse: same kind, never sent on, negotiated and not stopped
  // (webrtc-pc §5.1 addTrack, step 7).
  return pc
    .getTransceivers()
    .some(
      (transceiver) =>
        transceiver.receiver.track.kind === kind &&
        transceiver.sender.track === null &&
        (transceiver.direction === 'recvonly' || transceiver.direction === 'inactive') &&
        transceiver.currentDirection !== null &&
        transceiver.currentDirection !== 'stopped',
    );
}
