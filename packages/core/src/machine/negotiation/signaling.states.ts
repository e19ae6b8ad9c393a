/**
 * The offer/answer exchange, one step at a time. Perfect negotiation (W3C WebRTC §10.7): the
 * impolite peer ignores a colliding offer, the polite one yields to it. The renegotiation the
 * engine asks for is renegotiation.states.ts.
 * @module
 */
import { and, assign, enqueueActions, not, or, raise } from 'xstate';
import { NegotiationTimeoutError } from '../../errors.js';
import {
  applyRemoteDescription,
  makeAnswer,
  makeOffer,
  makeRollback,
} from '../actors/negotiation.js';
import { count, requirePc } from '../context.js';
import { readPeerConnectionStates } from '../peerConnectionStates.js';
import { errorOfEvent } from '../report.js';
import { peerSetup } from '../setup.js';
import { isRolledBackExtensionIdRefusal } from './rolledBackExtensionIds.js';

export { renegotiationRegion } from './renegotiation.states.js';

/** Takes the next inbox item, when the machine is idle, in arrival order. */
function drainInbox(state: 'stable' | 'haveLocalOffer') {
  const common = [
    // Before any remote description, or of an ICE generation whose description has not arrived.
    { guard: 'nextIsEarlyCandidate', actions: 'bufferNextCandidate' },
    // Of an ICE generation the remote has left behind, or of an ignored offer whose ufrag the
    // remote's answer kept (Firefox) for an m-line that answer does not have.
    { guard: 'nextIsStaleCandidate', actions: 'discardNextCandidate' },
    { guard: 'nextIsCandidate', actions: 'applyNextCandidate' },
    // A copy of the last answer applied (a duplicate on the wire, or a resend): nothing to do.
    { guard: 'nextIsRepeatedAnswer', actions: 'discardNextDescription' },
    // The remote sent the last offer it made again: our answer was lost (or is late). Send the
    // same answer again, whatever our own state, without touching the peer connection.
    { guard: 'nextIsRepeatedOffer', actions: 'answerRepeatedOffer' },
  ] as const;
  if (state === 'stable') {
    return [
      ...common,
      { guard: 'nextIsOffer', target: 'settingRemoteDescription', actions: 'takeNextDescription' },
      // A late answer to an offer of ours already answered (or reordered): dropped, counted.
      { guard: 'nextIsAnswerToOwnOffer', actions: 'discardStaleAnswer' },
      // An answer to no offer of ours at all.
      { guard: 'nextIsAnswer', actions: 'rejectUnexpectedAnswer' },
    ] as const;
  }
  return [
    ...common,
    // Perfect negotiation: the impolite peer ignores a colliding offer, the polite one yields.
    { guard: and(['nextIsOffer', 'isImpolite']), actions: 'ignoreNextOffer' },
    { guard: 'nextIsOffer', target: 'settingRemoteDescription', actions: 'takeNextDescription' },
    // Only the answer to the pending offer, by id: an answer to an older offer may carry the
    // same m-lines (an ICE-restart re-offer) and the engine would take it, with the wrong ufrag.
    { guard: 'nextIsAnswerToOtherOffer', actions: 'discardStaleAnswer' },
    { guard: 'nextIsAnswer', target: 'settingRemoteDescription', actions: 'takeNextDescription' },
  ] as const;
}

/** The `signaling` region: `stable`, `makingOffer`, `haveLocalOffer`, `settingRemoteDescription`, `answering`, `rollingBack`. */
export const signalingRegion = peerSetup.createStateConfig({
  initial: 'stable',
  on: {
    // Our offer, set before the remote offer chained behind it rolled it back: sent all the
    // same, as the impolite peer expects: it ignores it, and the candidates of its ICE generation.
    'pc.offerBehind': {
      actions: enqueueActions(({ event, enqueue }) => {
        if (event.error) enqueue({ type: 'reportError', params: { error: event.error } });
        else if (event.output?.type === 'offer') enqueue('sendLocalDescription');
      }),
    },
  },
  states: {
    stable: {
      entry: [
        { type: 'record', params: { region: 'signaling', state: 'stable' } },
        // Kept while a description operation ran (data/dataChannel.actions.ts).
        'createKeptDataChannels',
      ],
      always: [
        ...drainInbox('stable'),
        // negotiation/refusedOffers.ts: an offer refused MAX_REFUSED_OFFERS times is not made again.
        {
          guard: and(['renegotiationPending', not('refusedOffersExhausted')]),
          target: 'makingOffer',
        },
      ],
    },
    makingOffer: {
      entry: [
        { type: 'record', params: { region: 'signaling', state: 'makingOffer' } },
        raise({ type: 'peer.offerStarted' }),
        // Not an `assign` when it is 0 already (every first offer): each copies the context (#22).
        enqueueActions(({ context, enqueue }) => {
          if (context.offerResends !== 0) enqueue.assign({ offerResends: 0 });
        }),
        { type: 'negotiate', params: { run: makeOffer } },
      ],
      // Perfect negotiation (W3C webrtc-pc §10.7): the polite peer applies a colliding offer at
      // once, not after its own offer is set; the engine chains it behind (actors/negotiation.ts
      // `yieldBehindOwnOffer`), and our offer's result comes back as `pc.offerBehind`.
      always: {
        guard: 'canAnswerBehindOwnOffer',
        target: 'settingRemoteDescription',
        actions: 'takeNextDescription',
      },
      // The step's result (actors/negotiation.ts).
      on: {
        'pc.stepDone': {
          target: 'haveLocalOffer',
          actions: 'sendLocalDescription',
        },
        'pc.stepFailed': [
          {
            // The engine holds our offer although the call failed: it is pending, so send it.
            guard: 'pcInHaveLocalOffer',
            target: 'haveLocalOffer',
            actions: [{ type: 'reportError', params: errorOfEvent }, 'sendLocalDescription'],
          },
          {
            target: 'stable',
            actions: [
              { type: 'reportError', params: errorOfEvent },
              'countRefusedLocalOffer',
              // Engines fire negotiationneeded once per need: without a retry, a failed
              // offer would leave the change unnegotiated for good.
              raise({ type: 'peer.offerFailed' }),
            ],
          },
        ],
      },
    },
    haveLocalOffer: {
      entry: [
        { type: 'record', params: { region: 'signaling', state: 'haveLocalOffer' } },
        'createKeptDataChannels',
      ],
      always: drainInbox('haveLocalOffer'),
      initial: 'awaitingAnswer',
      states: {
        // JSEP never lets us roll back an offer the remote may have applied: a late answer is
        // still the answer to it. So an unanswered offer is sent again, the same one, with
        // backoff (the remote answers a repeat with the answer it sent); then it is reported.
        awaitingAnswer: {
          after: {
            answerTimeout: [
              {
                guard: 'canResendOffer',
                target: 'awaitingAnswer',
                reenter: true,
                actions: 'resendOffer',
              },
              {
                target: 'unanswered',
                actions: {
                  type: 'reportError',
                  /** The offer was sent this many times. */
                  params: ({ context }) => ({
                    error: new NegotiationTimeoutError(context.offerResends + 1),
                  }),
                },
              },
            ],
          },
        },
        // Reported, still pending: an answer that arrives now is applied, a remote offer still
        // collides. The same offer keeps going out at the longest interval, so a wire that
        // comes back (or an offer that was lost, never applied) still completes the exchange.
        unanswered: {
          entry: { type: 'record', params: { region: 'signaling', state: 'unanswered' } },
          after: {
            answerTimeout: { target: 'unanswered', reenter: true, actions: 'resendOffer' },
          },
        },
      },
    },
    settingRemoteDescription: {
      entry: [
        { type: 'record', params: { region: 'signaling', state: 'settingRemoteDescription' } },
        { type: 'negotiate', params: { run: applyRemoteDescription } },
      ],
      on: {
        'pc.stepDone': [
          {
            guard: 'appliedOffer',
            target: 'answering',
            actions: [
              'rememberRemoteDescription',
              'flushBufferedCandidates',
              // Only when something changed: an assign copies the context even when it
              // assigns what is there (#22), and most offers are applied without a rollback.
              enqueueActions(({ context, event, enqueue }) => {
                const { explicitRollback, rolledBack } = event.output;
                if (!rolledBack && (context.explicitRollback || !explicitRollback)) return;
                enqueue.assign({
                  explicitRollback: context.explicitRollback || !!explicitRollback,
                  counters: rolledBack ? count(context, 'rollbacks') : context.counters,
                });
              }),
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
              // Firefox forgets a data channel created while our offer was being made.
              'offerDataChannelLeftOut',
            ],
          },
        ],
        'pc.stepFailed': [
          {
            // The engine refused a description because the two sides disagree on what was
            // negotiated ("the order of m-lines … doesn't match"), or because Chromium keeps the
            // header-extension ids of our rolled-back offer (negotiation/rolledBackExtensionIds.ts):
            // no rollback gets past either; a new connection, which both sides rebuild, does.
            // The second is an engine bug the rebuild hides: no error event for it.
            guard: and([
              'canRebuild',
              or([
                'refusedForDesync',
                ({ event }) => isRolledBackExtensionIdRefusal((event as { error?: unknown }).error),
              ]),
            ]),
            actions: [
              enqueueActions(({ event, enqueue }) => {
                if (isRolledBackExtensionIdRefusal(event.error)) return;
                enqueue({ type: 'reportError', params: { error: event.error } });
              }),
              assign({ pendingRemoteDescription: null }),
              { type: 'requestRebuild', params: { reason: 'negotiation-stuck' } },
            ],
          },
          {
            // A refused answer leaves our offer dangling: roll it back to stable.
            guard: 'pcInHaveLocalOffer',
            target: 'rollingBack',
            actions: [
              { type: 'reportError', params: errorOfEvent },
              assign({ pendingRemoteDescription: null }),
              'countRefusedExchange',
            ],
          },
          {
            guard: 'pcInHaveRemoteOffer',
            target: 'rollingBack',
            actions: [
              { type: 'reportError', params: errorOfEvent },
              assign({ pendingRemoteDescription: null }),
              'countRefusedExchange',
            ],
          },
          {
            target: 'stable',
            actions: [
              { type: 'reportError', params: errorOfEvent },
              assign({ pendingRemoteDescription: null }),
              'countRefusedExchange',
            ],
          },
        ],
      },
    },
    answering: {
      entry: [
        { type: 'record', params: { region: 'signaling', state: 'answering' } },
        { type: 'negotiate', params: { run: makeAnswer } },
      ],
      on: {
        'pc.stepDone': {
          target: 'stable',
          actions: [
            'sendLocalDescription',
            // negotiation/answerOnOfferedMlines.ts: a moved track is sent by another sender.
            enqueueActions(({ event, enqueue }) => {
              for (const moved of event.output.moved ?? [])
                enqueue.raise({ type: 'peer.trackAdded', ...moved });
            }),
            raise(({ context }) => ({
              type: 'peer.negotiated' as const,
              connection: readPeerConnectionStates(requirePc(context)).connection,
            })),
          ],
        },
        'pc.stepFailed': {
          target: 'rollingBack',
          actions: [
            { type: 'reportError', params: errorOfEvent },
            assign({ pendingRemoteDescription: null }),
          ],
        },
      },
    },
    rollingBack: {
      entry: [
        { type: 'record', params: { region: 'signaling', state: 'rollingBack' } },
        { type: 'negotiate', params: { run: makeRollback } },
      ],
      on: {
        'pc.stepDone': 'stable',
        'pc.stepFailed': [
          {
            // The engine is stuck outside stable: only a new connection gets out.
            guard: and(['canRebuild', 'pcNotStable']),
            actions: [
              { type: 'reportError', params: errorOfEvent },
              { type: 'requestRebuild', params: { reason: 'negotiation-stuck' } },
            ],
          },
          {
            // Our offer is still in the engine: keep waiting for its answer (and resending it).
            guard: 'pcInHaveLocalOffer',
            target: 'haveLocalOffer',
            actions: { type: 'reportError', params: errorOfEvent },
          },
          {
            target: 'stable',
            actions: { type: 'reportError', params: errorOfEvent },
          },
        ],
      },
    },
  },
});
