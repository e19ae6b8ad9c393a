/**
 * The offer/answer exchange, one step at a time, and the renegotiation the engine asks for.
 * Perfect negotiation (W3C WebRTC §10.7): the impolite peer ignores a colliding offer, the
 * polite one yields to it.
 * @module
 */
import { and, assign, raise } from 'xstate';
import { createDescriptionMessage } from '../../signaling/messages.js';
import type { DescriptionPayload } from '../../signaling/types.js';
import { count, requirePc } from '../context.js';
import { readPeerConnectionStates } from '../peerConnectionStates.js';
import { negotiationError } from '../report.js';
import { peerSetup } from '../setup.js';

/** Takes the next inbox item, when the machine is idle, in arrival order. */
function drainInbox(state: 'stable' | 'haveLocalOffer') {
  const common = [
    // Before any remote description, or of an ICE generation whose description has not arrived.
    { guard: 'nextIsEarlyCandidate', actions: 'bufferNextCandidate' },
    // Of an ICE generation the remote has left behind.
    { guard: 'nextIsStaleCandidate', actions: 'discardNextCandidate' },
    { guard: 'nextIsCandidate', actions: ['applyNextCandidate', 'dequeue'] },
    // A copy of the last answer applied (a duplicate on the wire, or a resend): nothing to do.
    { guard: 'nextIsRepeatedAnswer', actions: 'discardNextDescription' },
  ] as const;
  if (state === 'stable') {
    return [
      ...common,
      // The remote sent its last offer again: our answer was lost, send it again.
      { guard: 'nextIsRepeatedOffer', actions: 'answerRepeatedOffer' },
      { guard: 'nextIsOffer', target: 'settingRemoteDescription', actions: 'takeNextDescription' },
      // An answer without an offer of ours (a duplicate, or one for an offer we rolled back).
      { guard: 'nextIsAnswer', actions: 'rejectUnexpectedAnswer' },
    ] as const;
  }
  return [
    ...common,
    // An old offer arriving again while ours is pending: it was answered long ago.
    { guard: 'nextIsRepeatedOffer', actions: 'discardNextDescription' },
    // Perfect negotiation: the impolite peer ignores a colliding offer, the polite one yields.
    { guard: and(['nextIsOffer', 'isImpolite']), actions: 'ignoreNextOffer' },
    { guard: 'nextIsOffer', target: 'settingRemoteDescription', actions: 'takeNextDescription' },
    { guard: 'nextIsAnswer', target: 'settingRemoteDescription', actions: 'takeNextDescription' },
  ] as const;
}

/** The `signaling` region: `stable`, `makingOffer`, `haveLocalOffer`, `settingRemoteDescription`, `answering`, `rollingBack`. */
export const signalingRegion = peerSetup.createStateConfig({
  initial: 'stable',
  states: {
    stable: {
      entry: { type: 'record', params: { region: 'signaling', state: 'stable' } },
      always: [...drainInbox('stable'), { guard: 'renegotiationPending', target: 'makingOffer' }],
    },
    makingOffer: {
      entry: [
        { type: 'record', params: { region: 'signaling', state: 'makingOffer' } },
        raise({ type: 'peer.offerStarted' }),
        assign({ offerResends: 0 }),
      ],
      invoke: {
        src: 'makeOffer',
        /** Input of the invoked actor, from the context. */
        input: ({ context }) => ({ pc: requirePc(context) }),
        onDone: {
          target: 'haveLocalOffer',
          actions: [
            assign({ lastLocalDescription: ({ event }) => event.output }),
            {
              type: 'sendSignal',
              /** Parameters of the action, from the event. */
              params: ({ event }) => createDescriptionMessage(event.output),
            },
            assign({ counters: ({ context }) => count(context, 'offersSent') }),
          ],
        },
        onError: [
          {
            guard: 'pcInHaveLocalOffer',
            target: 'haveLocalOffer',
            actions: {
              type: 'reportError',
              /** Parameters of the action, from the event. */
              params: negotiationError('setLocalDescription'),
            },
          },
          {
            target: 'stable',
            actions: [
              { type: 'reportError', params: negotiationError('setLocalDescription') },
              // Engines fire negotiationneeded once per need: without a retry, a failed
              // offer would leave the change unnegotiated for good.
              raise({ type: 'peer.offerFailed' }),
            ],
          },
        ],
      },
    },
    haveLocalOffer: {
      entry: { type: 'record', params: { region: 'signaling', state: 'haveLocalOffer' } },
      always: drainInbox('haveLocalOffer'),
      // An offer that is never answered would block every later negotiation. The remote
      // may have applied it and lost only its answer, so send the same offer again
      // (it answers a repeat with its last answer); after that, take it back and start over.
      after: {
        answerTimeout: [
          {
            guard: 'canResendOffer',
            target: 'haveLocalOffer',
            reenter: true,
            actions: 'resendOffer',
          },
          {
            target: 'rollingBack',
            actions: raise({ type: 'pc.negotiationNeeded' }),
          },
        ],
      },
    },
    settingRemoteDescription: {
      entry: {
        type: 'record',
        params: { region: 'signaling', state: 'settingRemoteDescription' },
      },
      invoke: {
        src: 'applyRemoteDescription',
        /** Input of the invoked actor, from the context. */
        input: ({ context }) => ({
          pc: requirePc(context),
          description: context.pendingRemoteDescription as DescriptionPayload,
          rollback: context.options.rollback,
          explicitRollbackLearnt: context.explicitRollback,
        }),
        onDone: [
          {
            guard: 'appliedOffer',
            target: 'answering',
            actions: [
              'rememberRemoteDescription',
              'flushBufferedCandidates',
              assign(({ context, event }) => ({
                explicitRollback: context.explicitRollback || event.output.explicitRollback,
                counters: event.output.rolledBack ? count(context, 'rollbacks') : context.counters,
              })),
            ],
          },
          {
            guard: 'pcInHaveLocalOffer',
            target: 'haveLocalOffer',
            actions: ['rememberRemoteDescription', 'flushBufferedCandidates'],
          },
          {
            target: 'stable',
            actions: [
              'rememberRemoteDescription',
              'flushBufferedCandidates',
              assign({ pendingRemoteDescription: null }),
              raise(({ context }) => ({
                type: 'peer.negotiated' as const,
                connection: readPeerConnectionStates(requirePc(context)).connection,
              })),
            ],
          },
        ],
        onError: [
          {
            // A refused answer leaves our offer dangling: roll it back to stable.
            guard: 'pcInHaveLocalOffer',
            target: 'rollingBack',
            actions: [
              { type: 'reportError', params: negotiationError('setRemoteDescription') },
              assign({ pendingRemoteDescription: null }),
            ],
          },
          {
            guard: 'pcInHaveRemoteOffer',
            target: 'rollingBack',
            actions: [
              { type: 'reportError', params: negotiationError('setRemoteDescription') },
              assign({ pendingRemoteDescription: null }),
            ],
          },
          {
            target: 'stable',
            actions: [
              { type: 'reportError', params: negotiationError('setRemoteDescription') },
              assign({ pendingRemoteDescription: null }),
            ],
          },
        ],
      },
    },
    answering: {
      entry: { type: 'record', params: { region: 'signaling', state: 'answering' } },
      invoke: {
        src: 'makeAnswer',
        /** Input of the invoked actor, from the context. */
        input: ({ context }) => ({ pc: requirePc(context) }),
        onDone: {
          target: 'stable',
          actions: [
            {
              type: 'sendSignal',
              /** Parameters of the action, from the event. */
              params: ({ event }) => createDescriptionMessage(event.output),
            },
            assign(({ context, event }) => ({
              pendingRemoteDescription: null,
              lastLocalDescription: event.output,
              counters: count(context, 'answersSent'),
            })),
            raise(({ context }) => ({
              type: 'peer.negotiated' as const,
              connection: readPeerConnectionStates(requirePc(context)).connection,
            })),
          ],
        },
        onError: {
          target: 'rollingBack',
          actions: [
            { type: 'reportError', params: negotiationError('setLocalDescription') },
            assign({ pendingRemoteDescription: null }),
          ],
        },
      },
    },
    rollingBack: {
      entry: { type: 'record', params: { region: 'signaling', state: 'rollingBack' } },
      invoke: {
        src: 'makeRollback',
        /** Input of the invoked actor, from the context. */
        input: ({ context }) => ({ pc: requirePc(context) }),
        onDone: 'stable',
        onError: [
          {
            // The engine is stuck outside stable: only a new connection gets out.
            guard: and(['canRebuild', 'pcNotStable']),
            actions: [
              { type: 'reportError', params: negotiationError('rollback') },
              { type: 'requestRebuild', params: { reason: 'negotiation-stuck' } },
            ],
          },
          {
            target: 'stable',
            actions: { type: 'reportError', params: negotiationError('rollback') },
          },
        ],
      },
    },
  },
});

/** `idle`, or `pending` when the engine asked for an offer while one was under way; `retrying` after a failed offer. */
export const renegotiationRegion = peerSetup.createStateConfig({
  initial: 'idle',
  states: {
    idle: {
      on: { 'pc.negotiationNeeded': 'pending', 'peer.offerFailed': 'retrying' },
    },
    pending: {
      entry: { type: 'record', params: { region: 'renegotiation', state: 'pending' } },
      on: { 'peer.offerStarted': 'idle' },
    },
    retrying: {
      entry: { type: 'record', params: { region: 'renegotiation', state: 'retrying' } },
      after: { offerRetryDelay: 'pending' },
      on: { 'pc.negotiationNeeded': 'pending' },
    },
  },
});
