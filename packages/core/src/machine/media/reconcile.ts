/**
 * Makes a peer connection match the {@link MediaIntent}: all of it on a fresh connection (at a
 * rebuild), and a spare sender reused when a track is added again. Nothing is read back from an
 * older connection, so nothing is doubled, lost or resurrected dead.
 * @module
 */
import { MediaError } from '../../errors.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import { createLocalDataChannel } from '../dataChannels.js';
import type { Report } from '../report.js';
import { addLocalTrack, addLocalTransceiver } from '../tracks.js';
import type { MediaIntent } from '../types.js';
import type { MediaControls } from './controls.js';
import { afterOnSender } from './senderQueue.js';

/** Puts the whole intent on a fresh connection, in the order the app asked for it. */
export function reconcileConnection(
  pc: PeerConnectionLike,
  intent: MediaIntent,
  polite: boolean,
  report: Report,
  {
    scope = globalThis,
    mediaControls,
  }: { scope?: object; mediaControls?: MediaControls | undefined } = {},
): void {
  for (const entry of intent.transceivers) {
    const { kind, track, streams, muted, owned, init } = entry;
    // The settings the media controls kept for this sender (setParameters), once it exists.
    const added = mediaControls ? mediaControls.senderReport(entry, report) : report;
    if (track && !muted && !init) addLocalTrack(pc, track, streams, owned, added, polite);
    // A muted send keeps a trackless sender: unmuting is a replaceTrack, not an offer.
    else if (track) {
      const sendInit = { direction: 'sendrecv' as const, ...init, streams: [...streams] };
      addLocalTransceiver(pc, muted ? kind : track, sendInit, added, owned, track);
    } else addLocalTransceiver(pc, kind, init ?? undefined, report);
  }
  // Before the first offer of the connection is made (negotiationneeded is queued as a task).
  mediaControls?.restore(pc, intent, scope, report);
  for (const { label, options, closed } of intent.dataChannels) {
    if (!closed) createLocalDataChannel(pc, label, options, report);
  }
}

/** Sends `track` on a spare transceiver; its direction renegotiates, as addTrack's would. */
export function sendOnSpareTransceiver(
  pc: PeerConnectionLike,
  transceiver: RTCRtpTransceiver,
  track: MediaStreamTrack,
  streams: readonly MediaStream[],
  owned: boolean,
  report: Report,
): Promise<void> {
  const { sender } = transceiver;
  return afterOnSender(pc, sender, track, () =>
    sender.replaceTrack(track).then(
      () => {
        sender.setStreams?.(...streams);
        transceiver.direction = transceiver.direction === 'inactive' ? 'sendonly' : 'sendrecv';
        report({ type: 'peer.trackAdded', track, streams, sender, owned });
      },
      (cause: unknown) => {
        // A rebuild closed the connection meanwhile: the intent puts the track on the next.
        if (pc.signalingState !== 'closed') {
          report({
            type: 'peer.error',
            error: new MediaError('addTrack', 'could not send', cause),
          });
        }
      },
    ),
  );
}
