/**
 * The rebuild handshake: both peers agree on a new connection epoch over signaling (a `rebuild`
 * message), then each creates a new peer connection and sends the same media on it.
 * @module
 */
import { assign } from 'xstate';
import { RebuildError } from '../../errors.js';
import { createByeMessage } from '../../signaling/messages.js';
import { count, rebuildEpochOf } from '../context.js';
import {
  creationFailed,
  errorReports,
  hangUp,
  listenToSignaling,
  remoteBye,
  remoteLeft,
} from '../lifecycle/shared.js';
import { peerSetup } from '../setup.js';

export const rebuildingState = peerSetup.createStateConfig({
  tags: ['reconnecting'],
  entry: { type: 'record', params: { region: 'peer', state: 'rebuilding' } },
  // Owned media was kept for the new connection; if none comes, it ends here.
  exit: ['sayByeOnClose', 'releaseMediaUnlessRebuilt'],
  initial: 'awaitingRemote',
  on: {
    CLOSE: hangUp,
    REMOTE_LEFT: remoteLeft,
    // Commands (and media captured meanwhile) change the intent the new connection gets.
    'peer.mediaReady': { actions: 'addOwnedTracks' },
    'peer.trackRecaptured': { actions: 'mediaControl' },
    'peer.screenShareEnded': { actions: 'mediaControl' },
    'peer.outboxExpired': { actions: 'expireOutbox' },
    '*': { guard: 'isCommand', actions: 'takeCommandWhileRebuilding' },
  },
  states: {
    awaitingRemote: {
      entry: { type: 'record', params: { region: 'rebuild', state: 'awaitingRemote' } },
      invoke: listenToSignaling,
      after: {
        rebuildTimeout: {
          target: '#peer.failed',
          actions: [
            {
              type: 'reportError',
              /** Parameters of the action, from the context. */
              params: ({ context }) => ({
                error: new RebuildError(context.epoch, context.options.rebuild.timeout),
              }),
            },
            { type: 'sendSignal', params: () => createByeMessage('rebuild-failed') },
            assign({ closeReason: 'rebuild-failed' }),
          ],
        },
      },
      on: {
        'signal.message': [
          remoteBye,
          { guard: 'isRebuildOutOfReach', actions: 'refuseRebuildEpoch' },
          {
            guard: 'joinsRebuild',
            target: 'creating',
            actions: assign({
              epoch: ({ context, event }) => Math.max(context.epoch, rebuildEpochOf(event) ?? 0),
            }),
          },
          {
            // The old connection's descriptions and candidates, sent before the remote
            // heard of the rebuild: they mean nothing to the new one.
            actions: assign({
              counters: ({ context }) => count(context, 'droppedWhileRebuilding'),
            }),
          },
        ],
        ...errorReports,
      },
    },
    creating: {
      entry: [
        { type: 'record', params: { region: 'rebuild', state: 'creating' } },
        'createPeerConnection',
      ],
      on: {
        'peer.created': {
          target: '#peer.active',
          actions: ['adoptNewPeerConnection', 'restoreMedia', 'replayDeferredEvents'],
        },
        ...creationFailed,
      },
    },
  },
});
