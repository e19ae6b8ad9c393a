/**
 * The `connection` region: ICE/DTLS as the peer connection reports it (`new`, `connecting`,
 * `connected`, `disconnected`, `restartingIce`, `transportClosed`). When and by whom ICE is
 * restarted is in restartPolicy.ts.
 * @module
 */
import { assign, not } from 'xstate';
import { IceRestartError } from '../../errors.js';
import { createByeMessage } from '../../signaling/messages.js';
import { count, requirePc } from '../context.js';
import { peerSetup } from '../setup.js';

// The connection region handles every `pc.statesChanged` itself (a parallel state's own
// handler does not run for an event a region takes), so each transition stores the states.
const toFailedRestart = {
  guard: { type: 'connectionBecomes', params: { state: 'failed' } },
  target: 'restartingIce',
  actions: 'storePcStates',
} as const;
const toConnecting = {
  guard: { type: 'connectionBecomes', params: { state: 'connecting' } },
  target: 'connecting',
  actions: 'storePcStates',
} as const;
const toConnected = {
  guard: { type: 'connectionBecomes', params: { state: 'connected' } },
  target: 'connected',
  actions: 'storePcStates',
} as const;
const toDisconnected = {
  guard: { type: 'connectionBecomes', params: { state: 'disconnected' } },
  target: 'disconnected',
  actions: 'storePcStates',
} as const;
const storeOnly = { actions: 'storePcStates' } as const;
/** The DTLS transport died under a connected ICE path: no ICE restart can save it. */
const toRebuild = {
  guard: 'transportFailed',
  actions: { type: 'requestRebuild', params: { reason: 'transport-failed' } },
} as const;

/** Closed underneath the machine (here, or the remote's end): only a new connection helps. */
const toTransportClosed = {
  guard: 'connectionClosedUnderneath',
  target: 'transportClosed',
  actions: 'storePcStates',
} as const;

/** A manual `RESTART_ICE` starts a fresh series of attempts, restarting at once on either side. */
const manualIceRestart = {
  target: '#peer.active.connection.restartingIce.restarting',
  actions: ['resetIceRestart', 'settleCommand'],
} as const;

export const connectionRegion = peerSetup.createStateConfig({
  initial: 'new',
  invoke: {
    src: 'transportEvents',
    /** Input of the invoked actor, from the context. */
    input: ({ context }) => ({ pc: requirePc(context) }),
  },
  states: {
    new: {
      entry: { type: 'record', params: { region: 'connection', state: 'new' } },
      // Negotiated, yet ICE never started (no candidate at all): restart it.
      after: { connectTimeout: { guard: 'negotiated', target: 'restartingIce' } },
      on: {
        // Each completed exchange gives ICE a fresh connectTimeout to start.
        'peer.negotiated': { target: 'new', reenter: true },
        'pc.statesChanged': [toFailedRestart, toConnecting, toConnected, toDisconnected, storeOnly],
        RESTART_ICE: { actions: ['restartIce', 'settleCommand'] },
      },
    },
    connecting: {
      tags: ['connecting'],
      entry: { type: 'record', params: { region: 'connection', state: 'connecting' } },
      // Checks that never succeed (nor fail, on some engines): restart ICE.
      after: { connectTimeout: 'restartingIce' },
      on: {
        // No toRebuild here (nor in `new` and `disconnected`): without a connected ICE
        // path a dead transport shows as `failed` (restart ICE); restartingIce rebuilds
        // once ICE is back and the connection still is not.
        'pc.statesChanged': [toFailedRestart, toConnected, toDisconnected, storeOnly],
        RESTART_ICE: manualIceRestart,
      },
    },
    connected: {
      tags: ['connected'],
      entry: [
        { type: 'record', params: { region: 'connection', state: 'connected' } },
        'recordRebuildRecovery',
      ],
      on: {
        'pc.statesChanged': [
          toRebuild,
          toFailedRestart,
          toConnecting,
          toDisconnected,
          toTransportClosed,
          storeOnly,
        ],
        RESTART_ICE: manualIceRestart,
      },
    },
    disconnected: {
      tags: ['reconnecting'],
      entry: { type: 'record', params: { region: 'connection', state: 'disconnected' } },
      after: { disconnectedGracePeriod: 'restartingIce' },
      on: {
        'pc.statesChanged': [
          toFailedRestart,
          toConnecting,
          toConnected,
          toTransportClosed,
          storeOnly,
        ],
        RESTART_ICE: manualIceRestart,
      },
    },
    restartingIce: {
      tags: ['reconnecting'],
      entry: [
        { type: 'record', params: { region: 'connection', state: 'restartingIce' } },
        assign(({ context }) => ({
          iceRestartStartedAt: context.iceRestartStartedAt ?? context.options.now(),
        })),
      ],
      initial: 'choosing',
      states: {
        choosing: {
          always: [{ guard: 'isImpolite', target: 'restarting' }, { target: 'awaitingRemote' }],
        },
        // This peer restarts ICE: one offer per attempt.
        restarting: {
          entry: [
            assign(({ context }) => ({
              iceRestartAttempts: context.iceRestartAttempts + 1,
              counters: count(context, 'iceRestarts'),
            })),
            'restartIce',
          ],
          after: {
            iceRestartTimeout: [
              { guard: 'canRetryIceRestart', target: 'restarting', reenter: true },
              {
                // ICE restarts could not save this connection: a new one may.
                guard: 'canRebuild',
                actions: {
                  type: 'requestRebuild',
                  params: { reason: 'ice-restart-exhausted' },
                },
              },
              {
                target: '#peer.failed',
                actions: [
                  {
                    type: 'reportError',
                    /** Parameters of the action, from the event. */
                    params: ({ context }) => ({
                      error: new IceRestartError(context.iceRestartAttempts),
                    }),
                  },
                  { type: 'sendSignal', params: () => createByeMessage('ice-failed') },
                  assign({ closeReason: 'ice-failed' }),
                ],
              },
            ],
          },
        },
        // The polite peer answers the impolite one's restarts, and takes over after a silence.
        awaitingRemote: {
          after: { iceRestartTakeover: 'restarting' },
          on: {
            'peer.negotiated': {
              guard: not('negotiatedWhileConnected'),
              target: 'awaitingRemote',
              reenter: true,
            },
          },
        },
      },
      on: {
        'pc.statesChanged': [
          toRebuild,
          {
            guard: { type: 'connectionBecomes', params: { state: 'connected' } },
            target: 'connected',
            actions: ['storePcStates', 'recordIceRecovery'],
          },
          toTransportClosed,
          storeOnly,
        ],
        'peer.negotiated': {
          guard: 'negotiatedWhileConnected',
          target: 'connected',
          actions: 'recordIceRecovery',
        },
        RESTART_ICE: manualIceRestart,
      },
    },
    // The remote's bye, if this is a hang-up, is on its way; otherwise rebuild.
    transportClosed: {
      tags: ['reconnecting'],
      entry: { type: 'record', params: { region: 'connection', state: 'transportClosed' } },
      after: {
        remoteCloseByeGrace: [
          {
            guard: 'canRebuild',
            actions: { type: 'requestRebuild', params: { reason: 'connection-closed' } },
          },
          // No rebuild left: the ICE restarts run out and end the call, as for any dead path.
          { target: 'restartingIce' },
        ],
      },
      on: { 'pc.statesChanged': storeOnly, RESTART_ICE: { actions: 'settleCommand' } },
    },
  },
});
