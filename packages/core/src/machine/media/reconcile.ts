/**
 * Makes a peer connection match the {@link MediaIntent}: all of it on a fresh connection (at a
 * rebuild), and the reuse of a spare sender when a track is added again. Nothing is read back
 * from an older connection, so nothing is doubled, lost or resurrected dead.
 * @module
 */
import { MediaError } from '../../errors.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import { createLocalDataChannel } from '../dataChannels.js';
import type { Report } from '../report.js';
import { addLocalTrack, addLocalTransceiver } from '../tracks.js';
import type { MediaIntent, TransceiverIntent } from '../types.js';
import { afterOnSender } from './senderQueue.js';

/** A muted send keeps its transceiver, trackless, so unmuting is a `replaceTrack`, not an offer. */
function addMutedTransceiver(pc: PeerConnectionLike, entry: TransceiverIntent, report: Report) {
  const track = entry.track as MediaStreamTrack;
  try {
    if (!pc.addTransceiver) throw new TypeError('this engine has no addTransceiver');
    const { sender } = pc.addTransceiver(entry.kind, {
      direction: 'sendrecv',
      ...entry.init,
      streams: [...entry.streams],
    });
    report({ type: 'peer.trackAdded', track, streams: entry.streams, sender, owned: entry.owned });
  } catch (cause) {
    report({
      type: 'peer.error',
      error: new MediaError('addTransceiver', `could not add a muted ${entry.kind} sender`, cause),
    });
  }
}

/** Puts the whole intent on a fresh connection, in the order the app asked for it. */
export function reconcileConnection(
  pc: PeerConnectionLike,
  intent: MediaIntent,
  polite: boolean,
  report: Report,
): void {
  for (const entry of intent.transceivers) {
    if (!entry.track) addLocalTransceiver(pc, entry.kind, entry.init ?? undefined, report);
    else if (entry.muted) addMutedTransceiver(pc, entry, report);
    else if (entry.init) addLocalTransceiver(pc, entry.track, entry.init, report, entry.owned);
    else addLocalTrack(pc, entry.track, entry.streams, entry.owned, report, polite);
  }
  for (const channel of intent.dataChannels) {
    if (!channel.closed) createLocalDataChannel(pc, channel.label, channel.options, report);
  }
}

/**
 * A spare sender of the track's kind (see `PeerContext.spareSenders`) that can take it. addTrack
 * would not: webrtc-pc reuses only a transceiver that never sent, so each toggle added an m-line.
 */
export function spareSenderFor(
  pc: PeerConnectionLike,
  spareSenders: readonly RTCRtpSender[],
  track: MediaStreamTrack,
): RTCRtpTransceiver | undefined {
  return pc
    .getTransceivers()
    .find(
      (transceiver) =>
        spareSenders.includes(transceiver.sender) &&
        transceiver.receiver.track.kind === track.kind &&
        transceiver.sender.track === null &&
        transceiver.currentDirection !== 'stopped' &&
        transceiver.direction !== 'stopped' &&
        typeof transceiver.sender.replaceTrack === 'function',
    );
}

/** Sends `track` on a spare transceiver: its direction renegotiates, as addTrack's would. */
export function sendOnSpareTransceiver(
  pc: PeerConnectionLike,
  transceiver: RTCRtpTransceiver,
  track: MediaStreamTrack,
  streams: readonly MediaStream[],
  owned: boolean,
  report: Report,
): Promise<void> {
  const { sender } = transceiver;
  return new Promise((settled) => {
    afterOnSender(pc, sender, track, () =>
      sender.replaceTrack(track).then(
        () => {
          sender.setStreams?.(...streams);
          // As addTrack does to a reused transceiver (webrtc-pc §4.4.2).
          transceiver.direction = transceiver.direction === 'inactive' ? 'sendonly' : 'sendrecv';
          report({ type: 'peer.trackAdded', track, streams, sender, owned });
          settled();
        },
        (cause: unknown) => {
          // A rebuild closed the connection meanwhile: the intent puts the track on the next.
          if (pc.signalingState !== 'closed')
            report({
              type: 'peer.error',
              error: new MediaError(
                'addTrack',
                `could not send ${track.kind} track ${track.id}`,
                cause,
              ),
            });
          settled();
        },
      ),
    );
  });
}
