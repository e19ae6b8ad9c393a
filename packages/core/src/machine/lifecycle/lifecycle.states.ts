/**
 * The peer's life outside `active`: `idle → starting`, and the ends, `closed` or `failed`.
 * @module
 */
import { assign } from 'xstate';
import { readPeerConnectionStates } from '../peerConnectionStates.js';
import { peerSetup } from '../setup.js';
import { creationFailed, remoteLeft } from './shared.js';

/**
 * Commands sent before the peer connection exists (a child component's effect runs before its
 * provider starts the peer) wait for it, in order.
 */
const keptForTheConnection = peerSetup.createStateConfig({
  on: { '*': { guard: 'isCommand', actions: 'deferEvent' } },
}).on;

export const idleState = peerSetup.createStateConfig({
  tags: ['idle'],
  entry: { type: 'record', params: { region: 'peer', state: 'idle' } },
  always: { guard: 'autoStart', target: 'starting' },
  on: {
    START: { target: 'starting', actions: 'settleCommand' },
    CLOSE: {
      target: 'closed',
      actions: [assign({ closeReason: ({ event }) => event.reason ?? 'local' }), 'settleCommand'],
    },
    REMOTE_LEFT: remoteLeft,
    ...keptForTheConnection,
  },
});

export const startingState = peerSetup.createStateConfig({
  tags: ['starting'],
  entry: [
    { type: 'record', params: { region: 'peer', state: 'starting' } },
    'createPeerConnection',
  ],
  on: {
    'peer.created': {
      target: 'active',
      actions: [
        assign({
          pc: ({ event }) => event.pc,
          platform: ({ event }) => event.platform,
          pcStates: ({ event }) => readPeerConnectionStates(event.pc),
        }),
        'replayDeferredEvents',
      ],
    },
    // Before the keeping: an async configuration may still be fetched, and no connection must follow.
    REMOTE_LEFT: remoteLeft,
    ...creationFailed,
    ...keptForTheConnection,
  },
});

/**
 * The ends are final states: the actor is `done` (`toPromise(actor)` settles) and processes
 * nothing more. Commands kept for a connection that will never come settle on entry, with
 * `PEER_CLOSED`; commands sent later are answered by `createPeer`'s actor (see `PeerActor`).
 */
export const failedState = peerSetup.createStateConfig({
  type: 'final',
  tags: ['failed'],
  entry: [
    { type: 'record', params: { region: 'peer', state: 'failed' } },
    'refuseDeferredEvents',
    'refuseQueuedSends',
  ],
});

export const closedState = peerSetup.createStateConfig({
  type: 'final',
  tags: ['closed'],
  entry: [
    { type: 'record', params: { region: 'peer', state: 'closed' } },
    'emitClosed',
    'refuseDeferredEvents',
    'refuseQueuedSends',
  ],
});
