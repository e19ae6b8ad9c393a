/**
 * Actions of a rebuild: what the old connection leaves to the new one, and the hand-over.
 * @module
 */

import { SignalingMessageError } from '../../errors.js';
import { peerSetupBase as base } from '../base.js';
import {
  count,
  freshNegotiation,
  leavesForRebuild,
  rebuildEpochOf,
  requirePc,
  stopOwnedTracks,
} from '../context.js';
import { createLocalDataChannel } from '../dataChannels.js';
import { readPeerConnectionStates } from '../peerConnectionStates.js';
import { reporter } from '../report.js';
import { addLocalTrack, addLocalTransceiver } from '../tracks.js';

/** The options that recreate a local data channel like the one given. */
function dataChannelInitOf(channel: RTCDataChannel): RTCDataChannelInit {
  return {
    ordered: channel.ordered,
    ...(channel.maxPacketLifeTime === null ? {} : { maxPacketLifeTime: channel.maxPacketLifeTime }),
    ...(channel.maxRetransmits === null ? {} : { maxRetransmits: channel.maxRetransmits }),
    protocol: channel.protocol,
    ...(channel.negotiated && channel.id !== null ? { negotiated: true, id: channel.id } : {}),
  };
}

export const rebuildActions = {
  /** A `rebuild` to an epoch no peer can have reached: reported, and nothing else changes. */
  refuseRebuildEpoch: base.enqueueActions(({ context, event, enqueue }) => {
    const epoch = rebuildEpochOf(event);
    if (epoch === null || event.type !== 'signal.message') return;
    const error = new SignalingMessageError(
      [
        {
          path: 'epoch',
          message: `epoch ${epoch} is more than one ahead of this peer's epoch ${context.epoch}`,
        },
      ],
      event.message,
    );
    enqueue.assign({ lastError: error, counters: count(context, 'invalidMessages') });
    enqueue.emit({ type: 'error', error });
  }),
  rememberTransceiversForRebuild: base.assign(({ context, event }) => {
    if (!leavesForRebuild(event) || !context.pc) return {};
    // Receive-only transceivers (ADD_TRANSCEIVER with a kind) are not in `localTracks`.
    const transceivers = context.pc
      .getTransceivers()
      .filter(
        (transceiver) =>
          transceiver.sender.track === null &&
          transceiver.direction === 'recvonly' &&
          !(transceiver as { stopped?: boolean }).stopped,
      );
    return {
      transceiversToRestore: transceivers.map((transceiver) => ({
        kind: transceiver.receiver.track.kind as 'audio' | 'video',
        direction: transceiver.direction,
      })),
    };
  }),
  stopOwnedTracksUnlessRebuilt: base.createAction(({ context, event }) => {
    if (event.type !== 'peer.created') stopOwnedTracks(context);
  }),
  adoptNewPeerConnection: base.assign(({ context, event }) => {
    if (event.type !== 'peer.created') return {};
    return {
      // Candidates of the old connection may still be on the wire: they are dropped.
      ...freshNegotiation([...context.pastRemoteUfrags, ...context.remoteUfrags]),
      pc: event.pc,
      platform: event.platform,
      pcStates: readPeerConnectionStates(event.pc),
      remoteTracks: [],
    };
  }),
  /** Sends the same media and opens the same local channels on the new connection. */
  restoreMedia: base.enqueueActions(({ context, enqueue, self }) => {
    const pc = requirePc(context);
    const report = reporter(self);
    const tracks = context.localTracks.filter((entry) => entry.sending && !entry.ended);
    // Every local channel is opened again, once per label (the dead transport has closed
    // them all, so their state cannot tell which ones the app still wanted).
    const channels = [
      ...new Map(
        context.dataChannels
          .filter((entry) => entry.origin === 'local')
          .map((entry) => [entry.label, entry] as const),
      ).values(),
    ];
    enqueue.assign({ localTracks: [], dataChannels: [], transceiversToRestore: [] });
    for (const entry of tracks) {
      addLocalTrack(pc, entry.track, entry.streams, entry.owned, report, context.options.polite);
    }
    for (const { kind, direction } of context.transceiversToRestore) {
      addLocalTransceiver(pc, kind, { direction }, report);
    }
    for (const { channel } of channels) {
      createLocalDataChannel(pc, channel.label, dataChannelInitOf(channel), report);
    }
  }),
  deferEvent: base.assign(({ context, event }) => ({
    deferredEvents: [...context.deferredEvents, event],
  })),
  replayDeferredEvents: base.enqueueActions(({ context, enqueue }) => {
    enqueue.assign({ deferredEvents: [] });
    for (const event of context.deferredEvents) enqueue.raise(event);
  }),
  recordRebuildRecovery: base.assign(({ context }) =>
    context.rebuildStartedAt === null
      ? {}
      : {
          lastRebuildMs: context.options.now() - context.rebuildStartedAt,
          rebuildAttempts: 0,
          rebuildStartedAt: null,
        },
  ),
};
