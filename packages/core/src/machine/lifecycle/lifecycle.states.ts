/**
 * The peer's life outside `active`: `idle → starting`, and the ends, `closed` or `failed`.
 * @module
 */
import { assign } from 'xstate';
import { readPeerConnectionStates } from '../peerConnectionStates.js';
import { peerSetup } from '../setup.js';
import { creationFailed } from './shared.js';

export const idleState = peerSetup.createStateConfig({
  entry: { type: 'record', params: { region: 'peer', state: 'idle' } },
  always: { guard: 'autoStart', target: 'starting' },
  on: {
    START: 'starting',
    CLOSE: {
      target: 'closed',
      actions: assign({ closeReason: ({ event }) => event.reason ?? 'local' }),
    },
  },
});

export const startingState = peerSetup.createStateConfig({
  entry: [
    { type: 'record', params: { region: 'peer', state: 'starting' } },
    'createPeerConnection',
  ],
  on: {
    'peer.created': {
      target: 'active',
      actions: assign({
        pc: ({ event }) => event.pc,
        platform: ({ event }) => event.platform,
        pcStates: ({ event }) => readPeerConnectionStates(event.pc),
      }),
    },
    ...creationFailed,
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
  entry: [{ type: 'record', params: { region: 'peer', state: 'failed' } }],
  on: { CLOSE: 'closed', ...afterTheEnd },
});

export const closedState = peerSetup.createStateConfig({
  entry: [{ type: 'record', params: { region: 'peer', state: 'closed' } }, 'emitClosed'],
  on: afterTheEnd,
});
