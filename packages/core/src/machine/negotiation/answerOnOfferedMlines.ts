/**
 * The answer sends our new tracks on the remote offer's new m-lines (#12, glare in one exchange).
 *
 * Mid-call the polite peer sends a new track on a transceiver of its own (politeTracks.ts): one
 * addTrack made would be matched to the remote offer's new m-line of its kind (JSEP 5.10) after
 * our colliding offer was rolled back, and Chromium's receiver of such a transceiver never
 * unmutes (apps/bench glare arm; the same engine fact as apps/e2e/test/engine.mjs
 * `12-engine-chromium-rollback-cuts-remote-track`). A transceiver of our own is never matched, so
 * the remote offer creates a fresh receiving one; before answering, the track moves onto it
 * (its streams and direction, then `replaceTrack`). The answer then carries both directions: no
 * second exchange before the media flows both ways. The transceiver of our own is left without
 * a track, `recvonly`, a spare the next track of its kind goes on (media/spareSenders.ts): it
 * has no m-line yet, so the engine asks for one more offer (webrtc-pc §4.7.3). It is not
 * stopped: Chromium never drops a stopped transceiver that had no m-line and fires
 * `negotiationneeded` after every exchange for good (seen in the apps/bench glare arm, an offer
 * every few ms).
 *
 * That offer only gives the spare an m-line, so it waits ({@link holdsFollowUpOffer}) until
 * media arrives on the m-line our track moved onto (its remote track unmutes: the remote applied
 * our answer and sends), at most {@link FOLLOW_UP_HOLD_MS}. Made at once, its
 * `setLocalDescription` and the remote's answer to it ran while the first packets were due and
 * put the media back by the time of an exchange (apps/bench glare arm: ~4 ms in Chromium, both
 * peers in one page; #12's goal is glare ≤ 1.2 × a clean renegotiation to media flowing).
 * @module
 */
import type { PeerConnectionLike } from '../../platform/types.js';
import { markSpare } from '../media/spareSenders.js';
import type { LocalTrack, MediaIntent } from '../types.js';

/** A track now sent on the remote offer's m-line: `sender` replaces the one it had. */
export interface MovedTrack {
  readonly track: MediaStreamTrack;
  readonly streams: readonly MediaStream[];
  readonly sender: RTCRtpSender;
  readonly owned: boolean;
}

/** The longest the spare's own offer waits for the media of the exchange that moved it. */
export const FOLLOW_UP_HOLD_MS = 1_000;

/** Per connection (and gone with it): our transceivers a move left spare, and where the track went. */
const movedFrom = new WeakMap<
  PeerConnectionLike,
  { readonly spare: RTCRtpTransceiver; readonly target: RTCRtpTransceiver }[]
>();

/**
 * Whether the engine's request for an offer can wait: a transceiver a move left spare still has
 * no m-line and nothing to send, and no media has arrived yet on the m-line its track went to.
 * Anything else that needs the offer (the spare taken for a new track, a second request) ends
 * the wait (negotiation/signaling.states.ts `holdingFollowUp`).
 */
export function holdsFollowUpOffer(pc: PeerConnectionLike | null): boolean {
  const moves = pc ? movedFrom.get(pc) : undefined;
  if (!moves) return false;
  return moves.some(
    ({ spare, target }) =>
      spare.mid === null &&
      // Not taken for a new track, which makes it send (media/reconcile.ts). Not its sender's
      // track: the move's `replaceTrack(null)` may still be under way when the engine asks.
      spare.direction === 'recvonly' &&
      target.receiver.track.muted &&
      target.receiver.track.readyState === 'live' &&
      target.currentDirection !== 'stopped' &&
      // With ICE down no media comes, and an ICE restart's offer must not wait for it.
      (pc?.iceConnectionState === 'connected' || pc?.iceConnectionState === 'completed'),
  );
}

const kindOf = (transceiver: RTCRtpTransceiver) => transceiver.receiver.track.kind;

/** Ours, never in a description applied: no m-line, sending a track, no simulcast to keep. */
function unplaced(transceiver: RTCRtpTransceiver): boolean {
  const { sender, direction } = transceiver;
  if (transceiver.mid !== null || sender.track === null) return false;
  if (direction !== 'sendrecv' && direction !== 'sendonly') return false;
  // Encodings set at addTransceiver (simulcast) cannot be moved onto another sender.
  return (sender.getParameters?.().encodings?.length ?? 0) <= 1;
}

/** Created by the remote offer just applied: an m-line, never negotiated, nothing sent on it. */
function offeredToUs(transceiver: RTCRtpTransceiver): boolean {
  return (
    transceiver.mid !== null &&
    transceiver.currentDirection === null &&
    transceiver.direction === 'recvonly' &&
    transceiver.sender.track === null
  );
}

/**
 * Moves each unplaced track of ours onto an offered m-line of its kind (in order), before the
 * answer is made: the answer's directions and msids are set at once, which is all the answer
 * needs. The tracks themselves move with `replace()`, which the caller runs once the answer's
 * `setLocalDescription` is called: ahead of it, their `replaceTrack`s made the engine do that
 * work first (apps/bench `--trace=glare`, Chromium: the answer took ~0.5 ms longer; Chromium does
 * not chain replaceTrack behind it, the spec does, webrtc-pc §5.2). Either way the sender has
 * its track before the answer is sent back. `moved` is what moved, for `localTracks`;
 * `replace()` rejects only with the connection (replaceTrack refuses a closed one; the kinds
 * match).
 */
export function sendOnOfferedMlines(
  pc: PeerConnectionLike,
  localTracks: readonly LocalTrack[],
  intent: MediaIntent,
): { readonly moved: MovedTrack[]; readonly replace: () => Promise<unknown> } {
  const transceivers = pc.getTransceivers();
  const free = transceivers.filter(offeredToUs);
  const moved: MovedTrack[] = [];
  const replaced: [RTCRtpSender, MediaStreamTrack | null][] = [];
  for (const own of transceivers.filter(unplaced)) {
    const local = localTracks.find((entry) => entry.sender === own.sender);
    // Only a track the app added with ADD_TRACK: an ADD_TRANSCEIVER's transceiver is the app's.
    if (!intent.transceivers.some((e) => e.track === local?.track && e.init === null)) continue;
    const index = free.findIndex((t) => kindOf(t) === kindOf(own));
    const target = free[index];
    const track = own.sender.track;
    if (!local || !target || !track || typeof target.sender.replaceTrack !== 'function') continue;
    free.splice(index, 1);
    target.sender.setStreams?.(...local.streams);
    target.direction = own.direction;
    own.direction = 'recvonly';
    replaced.push([target.sender, track], [own.sender, null]);
    markSpare(pc, own.sender);
    movedFrom.set(pc, [...(movedFrom.get(pc) ?? []), { spare: own, target }]);
    moved.push({
      track: local.track,
      streams: local.streams,
      sender: target.sender,
      owned: local.owned,
    });
  }
  return { moved, replace: () => Promise.all(replaced.map(([s, t]) => s.replaceTrack(t))) };
}
