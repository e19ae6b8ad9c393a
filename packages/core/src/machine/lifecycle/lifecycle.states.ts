/**
 * The peer's life outside `active`: `idle → starting`, and the ends, `closed` or `failed`.
 * @module
 */
import { assign } from 'xstate';
import { readPeerConnectionStates } from '../peerConnectionStates.js';
import { peerSetup } from '../setup.js';
import { creationFailed } from './shared.js';

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
    ...creationFailed,
    ...keptForTheConnection,
  },
});

/** After the end: media captured too late is released, commands get `CLOSED`. */
const afterTheEnd = peerSetup.createStateConfig({
  on: {
    'peer.mediaReady': { actions: 'stopLateMedia' },
    '*': { guard: 'isCommand', actions: ['warnAfterClose', 'reportClosed'] },
  },
}).on;

export const failedState = peerSetup.createStateConfig({
  tags: ['failed'],
  // Commands kept for a connection that will never come settle now, with `CLOSED`.
  entry: [{ type: 'record', params: { region: 'peer', state: 'failed' } }, 'replayDeferredEvents'],
  on: { CLOSE: { target: 'closed', actions: 'settleCommand' }, ...afterTheEnd },
});

export const closedState = peerSetup.createStateConfig({
  tags: ['closed'],
  entry: [
    { type: 'record', params: { region: 'peer', state: 'closed' } },
    'emitClosed',
    'replayDeferredEvents',
  ],
  on: afterTheEnd,
});
