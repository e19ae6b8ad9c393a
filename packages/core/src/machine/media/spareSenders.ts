/**
 * Spare senders: transceivers the SDK stopped sending on, reused before adding one.
 * @module
 */
import type { PeerConnectionLike } from '../../platform/types.js';

/**
 * Per connection (and gone with it), the senders `REMOVE_TRACK` left without a track: the next
 * track of their kind goes on one, so toggling a track adds no m-line. addTrack would not reuse
 * them: webrtc-pc reuses only a transceiver that never sent.
 */
const spares = new WeakMap<PeerConnectionLike, Set<RTCRtpSender>>();

export function markSpare(pc: PeerConnectionLike, sender: RTCRtpSender): void {
  spares.set(pc, (spares.get(pc) ?? new Set()).add(sender));
}

/** Takes a spare sender's transceiver for `track`, if one is left. */
export function takeSpareFor(
  pc: PeerConnectionLike,
  track: MediaStreamTrack,
): RTCRtpTransceiver | undefined {
  const spare = pc
    .getTransceivers()
    .find(
      ({ sender, receiver, currentDirection }) =>
        spares.get(pc)?.has(sender) &&
        receiver.track.kind === track.kind &&
        !sender.track &&
        currentDirection !== 'stopped' &&
        typeof sender.replaceTrack === 'function',
    );
  if (spare) spares.get(pc)?.delete(spare.sender);
  return spare;
}
