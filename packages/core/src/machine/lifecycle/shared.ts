/**
 * Transitions shared by the states that hold (or are replacing) a peer connection, written once.
 * @module
 */
import { assign } from 'xstate';
import { count } from '../context.js';
import { errorOfEvent } from '../report.js';
import { peerSetup } from '../setup.js';
import type { PeerContext } from '../types.js';

/**
 * `CLOSE` while a connection exists (or is being rebuilt): `closed`. The bye goes out in the
 * exit of the state left (`sayByeOnClose`), before the connection is closed.
 */
export const hangUp = {
  target: '#peer.closed',
  actions: ['stopTracksIfAsked', 'rememberCloseReason', 'settleCommand'],
} as const;

/** The remote hung up. */
export const remoteBye = {
  guard: 'isBye',
  target: '#peer.closed',
  actions: peerSetup.assign({ closeReason: 'remote' }),
} as const;

/** The session saw the remote leave the room: `closed`, and no bye (see `REMOTE_LEFT`). */
export const remoteLeft = {
  target: '#peer.closed',
  actions: [peerSetup.assign({ closeReason: 'remote-left' }), 'settleCommand'],
} as const;

/** Messages from the remote, validated, as `signal.message` / `signal.invalid`. */
export const listenToSignaling = {
  id: 'signalingListener',
  src: 'signalingListener',
  /** Input of the invoked actor, from the context. */
  input: ({ context }: { context: PeerContext }) => ({
    signaling: context.options.signaling,
    limits: context.options.signalingLimits,
  }),
} as const;

/** Creating the peer connection failed: nothing can run without one. */
export const creationFailed = peerSetup.createStateConfig({
  on: {
    'peer.error': {
      target: '#peer.failed',
      actions: [
        {
          type: 'reportError',
          /** The error the event carries. */
          params: errorOfEvent,
        },
        assign({ closeReason: ({ event }) => event.error.code.toLowerCase() }),
      ],
    },
  },
}).on;

/** Invalid messages and failed async work: typed error events; the peer carries on. */
export const errorReports = peerSetup.createStateConfig({
  on: {
    'signal.invalid': {
      actions: [
        {
          type: 'reportError',
          /** The error the event carries. */
          params: errorOfEvent,
        },
        peerSetup.assign({ counters: ({ context }) => count(context, 'invalidMessages') }),
      ],
    },
    'peer.error': {
      actions: {
        type: 'reportError',
        /** The error the event carries. */
        params: errorOfEvent,
      },
    },
  },
}).on;
