/**
 * Actions of a rebuild: the hand-over to a new connection, which gets the same intent (nothing is
 * read back from the old one), and the commands sent while there is none.
 * @module
 */

import { SignalingMessageError } from '../../errors.js';
import { peerSetupBase as base } from '../base.js';
import { asCommand, commandReporter, settledEvent } from '../commands.js';
import { count, freshNegotiation, rebuildEpochOf, requirePc, stopOwnedTracks } from '../context.js';
import { sendOrQueue } from '../data/outbox.actions.js';
import { nextIntent } from '../media/intent.js';
import { changeIntent } from '../media/media.actions.js';
import { reconcileConnection } from '../media/reconcile.js';
import { readPeerConnectionStates } from '../peerConnectionStates.js';
import { reporter } from '../report.js';

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
  /** The peer ends while rebuilding: the tracks it captured stop. */
  releaseMediaUnlessRebuilt: base.createAction(({ context, event }) => {
    if (event.type !== 'peer.created') stopOwnedTracks(context);
  }),
  /**
   * A command while no connection exists: media and channel commands change the intent (the new
   * connection gets it), `SEND_DATA` waits for its channel to open on it (or is refused: see
   * data/outbox.ts); the rest (`START`, `START_MEDIA`, `RESTART_ICE`) waits for `active`.
   */
  takeCommandWhileRebuilding: base.enqueueActions(({ context, event, self, enqueue }) => {
    const command = asCommand(event);
    if (!command) return;
    const { report } = commandReporter(self, command);
    // Queued for the channel the new connection brings back (data/outbox.ts), or refused.
    if (command.type === 'SEND_DATA') return sendOrQueue(context, command, self, enqueue, true);
    if (nextIntent(context.intent, command) === undefined) {
      return enqueue.assign({ deferredEvents: [...context.deferredEvents, command] });
    }
    if (changeIntent(context, command, enqueue, report)) {
      reporter(self)(settledEvent(command, null));
    }
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
      peerMuted: [],
      localTracks: [],
      dataChannels: [],
    };
  }),
  /** The same intent on the new connection: tracks, muted senders, transceivers, channels. */
  restoreMedia: base.createAction(({ context, self }) => {
    reconcileConnection(
      requirePc(context),
      context.intent,
      context.options.polite,
      reporter(self),
      context.options,
    );
  }),
  deferEvent: base.assign(({ context, event }) => ({
    deferredEvents: [...context.deferredEvents, event],
  })),
  // Each `assign` makes XState copy the context and rebuild the snapshot (#22: ~3–8 KiB each),
  // even when it assigns nothing: these two assign only when there is something to change
  // (nothing deferred, no rebuild to recover from: every ordinary connect).
  replayDeferredEvents: base.enqueueActions(({ context, enqueue }) => {
    if (context.deferredEvents.length === 0) return;
    enqueue.assign({ deferredEvents: [] });
    for (const event of context.deferredEvents) enqueue.raise(event);
  }),
  recordRebuildRecovery: base.enqueueActions(({ context, enqueue }) => {
    if (context.rebuildStartedAt === null) return;
    enqueue.assign({
      lastRebuildMs: context.options.now() - context.rebuildStartedAt,
      rebuildAttempts: 0,
      rebuildStartedAt: null,
    });
  }),
};
