/**
 * `active`: a peer connection exists. Three regions run side by side (`signaling`,
 * `connection`, `renegotiation`); the remote's messages are routed here.
 * @module
 */
import { and, assign, stateIn } from 'xstate';
import { createCandidateMessage } from '../../signaling/messages.js';
import { count, localUfrag, rebuildEpochOf, requirePc } from '../context.js';
import { connectionRegion } from '../ice/connection.states.js';
import { gatheringRegion } from '../ice/gathering.states.js';
import {
  errorReports,
  hangUp,
  listenToSignaling,
  remoteBye,
  remoteLeft,
} from '../lifecycle/shared.js';
import { mediaHandlers } from '../media/media.handlers.js';
import { muteRegion } from '../media/mute.states.js';
import { isMutedMessage } from '../media/peerMuted.js';
import { renegotiationRegion, signalingRegion } from '../negotiation/signaling.states.js';
import { peerSetup } from '../setup.js';

/** A remote description or candidate, into the inbox (negotiation/inbox.actions.ts). */
const queueMessage = peerSetup.assign(({ context, event }) => {
  if (event.type !== 'signal.message') return {};
  const { message } = event;
  if (message.type === 'description') {
    return { inbox: [...context.inbox, { kind: 'description' as const, ...message }] };
  }
  if (message.type === 'candidate') {
    return {
      inbox: [
        ...context.inbox,
        { kind: 'candidate' as const, candidate: message.candidate, ufrag: message.ufrag },
      ],
      counters: count(context, 'candidatesReceived'),
    };
  }
  return {};
});

export const activeState = peerSetup.createStateConfig({
  type: 'parallel',
  entry: { type: 'record', params: { region: 'peer', state: 'active' } },
  // The bye first: releasePeerConnection closes the connection the remote would see die.
  exit: ['sayByeOnClose', 'releasePeerConnection'],
  invoke: [
    {
      id: 'peerConnectionEvents',
      src: 'peerConnectionEvents',
      /** Input of the invoked actor, from the context. */
      input: ({ context }) => ({ pc: requirePc(context) }),
    },
    listenToSignaling,
  ],
  on: {
    CLOSE: hangUp,
    REMOTE_LEFT: remoteLeft,
    // Already started.
    START: { actions: 'settleCommand' },
    'peer.rebuildNeeded': {
      target: 'rebuilding',
      actions: [
        {
          type: 'startRebuild',
          /** This peer starts the rebuild: the next epoch. */
          params: ({ context, event }) => ({ reason: event.reason, epoch: context.epoch + 1 }),
        },
      ],
    },
    'signal.message': [
      remoteBye,
      { guard: 'isRebuildOutOfReach', actions: 'refuseRebuildEpoch' },
      {
        // The remote started a rebuild: join it at once (no need to wait, its old
        // connection's messages were all sent before this one).
        guard: 'isRebuildAhead',
        target: 'rebuilding.creating',
        actions: [
          {
            type: 'startRebuild',
            /** The remote's epoch. */
            params: ({ event }) => ({ reason: 'remote', epoch: rebuildEpochOf(event) ?? 0 }),
          },
        ],
      },
      {
        guard: 'isRebuild',
        actions: assign({ counters: ({ context }) => count(context, 'duplicatesIgnored') }),
      },
      {
        guard: 'isFromPastEpoch',
        actions: assign({
          counters: ({ context }) => ({
            ...count(context, 'candidatesDiscarded'),
            candidatesReceived: context.counters.candidatesReceived + 1,
          }),
        }),
      },
      // What the remote muted (guide 14).
      {
        /** The remote's `muted` message. */
        guard: ({ event }) => isMutedMessage(event),
        actions: 'takePeerMuted',
      },
      // A candidate for the remote description just applied, while our answer is being made:
      // applied at once (the engine chains it after the answer; W3C webrtc-pc §4.4.1.6 needs
      // only the remote description). Queued, it waited for the answer, and ICE with it (#22).
      {
        guard: and([stateIn({ active: { signaling: 'answering' } }), 'isCurrentCandidateMessage']),
        actions: [queueMessage, 'applyNextCandidate'],
      },
      { actions: queueMessage },
    ],
    ...errorReports,
    ...mediaHandlers,
    'pc.iceCandidate': {
      actions: [
        {
          type: 'sendSignal',
          /** Parameters of the action, from the event. */
          params: ({ context, event }) =>
            createCandidateMessage(event.candidate, {
              ufrag: event.candidate?.usernameFragment || localUfrag(context),
              epoch: context.epoch,
            }),
        },
        assign({ counters: ({ context }) => count(context, 'candidatesSent') }),
      ],
    },
    // Counted as applied when handed over (ice.ts): refused on purpose, it is discarded instead.
    'peer.candidateDiscarded': {
      actions: assign({
        counters: ({ context }) => ({
          ...count(context, 'candidatesDiscarded'),
          candidatesApplied: context.counters.candidatesApplied - 1,
        }),
      }),
    },
  },
  states: {
    signaling: signalingRegion,
    connection: connectionRegion,
    renegotiation: renegotiationRegion,
    gathering: gatheringRegion,
    mute: muteRegion,
  },
});
