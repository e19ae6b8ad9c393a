/**
 * The first half of the machine's setup: its types, actors, delays and guards. The actions,
 * written per concern against this base, are added by `setup.ts`.
 * @module
 */
import { or, stateIn } from 'xstate';
import type { PeerConnectionLike } from '../platform/types.js';
import { peerConnectionEvents } from './actors/peerConnectionEvents.js';
import { signalingListener } from './actors/signalingListener.js';
import { asCommand } from './commands.js';
import {
  candidateGeneration,
  nextAnswer,
  nextItem,
  nextOffer,
  rebuildEpochOf,
  rebuildLeft,
} from './context.js';
import { GATHERING_STALL_MS } from './ice/gathering.js';
import {
  iceRestartDelay,
  iceRestartTakeover,
  REMOTE_CLOSE_BYE_GRACE,
} from './ice/restartPolicy.js';
import { connectionClosedUnderneath, dtlsTransportsOf, transportEvents } from './ice/transports.js';
import { mediaCapture } from './media/capture.js';
import {
  FIRST_OFFER_HOLD_MS,
  HOLD_AFTER_ANSWER_MS,
  REBUILD_FIRST_OFFER_HOLD_MS,
} from './negotiation/firstOffer.js';
import { isCandidateOfIgnoredOffer } from './negotiation/ignoredOfferCandidates.js';
import { refusedOffersExhausted } from './negotiation/refusedOffers.js';
import type { PeerContext, PeerEmitted, PeerEvent, PeerOptions } from './types.js';
import { setup } from './xstateSetup.js';

/**
 * How many times an unanswered offer is sent again before `NEGOTIATION_TIMEOUT`; later resends
 * wait `answerTimeout * 2^(MAX_OFFER_RESENDS + 1)` each.
 */
const MAX_OFFER_RESENDS = 2;

/**
 * Chromium's (and the fake's) refusal of a description whose m-lines are not in the order the
 * two sides negotiated before (JSEP 5.10: m-sections never move): the sides disagree for good.
 */
function isMlineOrderError(error: unknown): boolean {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return cause instanceof Error && /order of m-lines/i.test(cause.message);
}

/**
 * Whether the DTLS transport of a connection that reports `failed` while ICE is connected is
 * really dead. Engines with `RTCDtlsTransport` say so directly (and a `failed` read between an
 * ICE and a connection state event is not mistaken for it); without it, the states decide.
 */
function dtlsTransportFailed(pc: PeerConnectionLike): boolean {
  const transports = dtlsTransportsOf(pc);
  return transports.length === 0 || transports.some((transport) => transport.state === 'failed');
}

export const peerSetupBase = setup({
  types: {} as {
    context: PeerContext;
    events: PeerEvent;
    input: PeerOptions;
    emitted: PeerEmitted;
  },
  actors: {
    mediaCapture,
    peerConnectionEvents,
    transportEvents,
    signalingListener,
  },
  delays: {
    disconnectedGracePeriod: ({ context }) => context.options.iceRestart.disconnectedGracePeriod,
    connectTimeout: ({ context }) => context.options.iceRestart.connectTimeout,
    // Doubles with each resend: a remote that is only slow gets more time each round.
    answerTimeout: ({ context }) =>
      context.options.answerTimeout * 2 ** Math.min(context.offerResends, MAX_OFFER_RESENDS + 1),
    offerRetryDelay: ({ context }) => context.options.iceRestart.initialDelay,
    firstOfferHold: ({ context }) =>
      context.epoch > 0 ? REBUILD_FIRST_OFFER_HOLD_MS : FIRST_OFFER_HOLD_MS,
    holdAfterAnswer: HOLD_AFTER_ANSWER_MS,
    gatheringStallTimeout: GATHERING_STALL_MS,
    iceRestartTimeout: ({ context }) =>
      iceRestartDelay(context.options.iceRestart, context.iceRestartAttempts),
    iceRestartTakeover: ({ context }) => iceRestartTakeover(context.options.iceRestart),
    remoteCloseByeGrace: REMOTE_CLOSE_BYE_GRACE,
    rebuildTimeout: ({ context }) => context.options.rebuild.timeout,
  },
  guards: {
    autoStart: ({ context }) => context.options.autoStart,
    isBye: ({ event }) => event.type === 'signal.message' && event.message.type === 'bye',
    isCommand: ({ event }) => asCommand(event) !== null,
    renegotiationPending: stateIn({ active: { renegotiation: 'pending' } }),
    /**
     * A description operation runs on the engine (setLocalDescription or setRemoteDescription,
     * rollbacks included): Firefox 153 loses a data channel created meanwhile
     * (data/dataChannel.actions.ts).
     */
    describing: or([
      stateIn({ active: { signaling: 'makingOffer' } }),
      stateIn({ active: { signaling: 'settingRemoteDescription' } }),
      stateIn({ active: { signaling: 'answering' } }),
      stateIn({ active: { signaling: 'rollingBack' } }),
    ]),
    refusedOffersExhausted: ({ context }) => refusedOffersExhausted(context),
    nextIsEarlyCandidate: ({ context }) => {
      const item = nextItem(context);
      if (item?.kind !== 'candidate') return false;
      return (
        context.pc?.remoteDescription == null ||
        candidateGeneration(context, item.ufrag) === 'future'
      );
    },
    nextIsStaleCandidate: ({ context }) => {
      const item = nextItem(context);
      return (
        item?.kind === 'candidate' &&
        (candidateGeneration(context, item.ufrag) === 'past' ||
          isCandidateOfIgnoredOffer(context, item.candidate, item.ufrag))
      );
    },
    // Repeats are recognised by id, never by SDP text: two offers (an ICE restart, a re-offer)
    // may carry the same m-lines, and an answer is the answer to one of them only.
    nextIsRepeatedOffer: ({ context }) => {
      const offer = nextOffer(context);
      return offer !== undefined && offer.id === context.lastAnswer?.offerId;
    },
    nextIsRepeatedAnswer: ({ context }) => nextAnswer(context)?.id === context.lastRemoteAnswerId,
    /** In `haveLocalOffer`: an answer to anything but the pending offer (late, reordered). */
    nextIsAnswerToOtherOffer: ({ context }) => {
      const answer = nextAnswer(context);
      return answer !== undefined && answer.inReplyTo !== context.lastLocalDescription?.id;
    },
    /** In `stable`: an answer to an offer of ours (its id has our prefix), none pending: late. */
    nextIsAnswerToOwnOffer: ({ context }) =>
      nextAnswer(context)?.inReplyTo?.startsWith(`${context.instanceId}:`) === true,
    canResendOffer: ({ context }) => context.offerResends < MAX_OFFER_RESENDS,
    nextIsCandidate: ({ context }) => nextItem(context)?.kind === 'candidate',
    /**
     * While answering (the remote description is set): a remote candidate the inbox would apply
     * at once, nothing queued before it, of that description's ICE generation.
     */
    isCurrentCandidateMessage: ({ context, event }) => {
      if (event.type !== 'signal.message' || event.message.type !== 'candidate') return false;
      const { candidate, ufrag } = event.message;
      return (
        context.inbox.length === 0 &&
        candidateGeneration(context, ufrag) === 'current' &&
        !isCandidateOfIgnoredOffer(context, candidate, ufrag)
      );
    },
    /** The local description lists a gathered candidate (JSEP 5.7.1: engines add each one). */
    hasLocalCandidate: ({ context }) =>
      /\na=candidate:/.test(context.pc?.localDescription?.sdp ?? ''),

    nextIsOffer: ({ context }) => nextOffer(context) !== undefined,
    nextIsAnswer: ({ context }) => nextAnswer(context) !== undefined,
    isImpolite: ({ context }) => !context.options.polite,
    /**
     * In `makingOffer`: the next item is a new remote offer (`nextIsOffer`, not
     * `nextIsRepeatedOffer`), we are the polite peer, and the engine rolls back implicitly (as
     * far as we know): the answer is chained behind our offer.
     */
    canAnswerBehindOwnOffer: ({ context }) => {
      const offer = nextOffer(context);
      return (
        context.options.polite &&
        context.options.rollback === 'auto' &&
        !context.explicitRollback &&
        offer !== undefined &&
        offer.id !== context.lastAnswer?.offerId
      );
    },
    refusedForDesync: ({ event }) => isMlineOrderError((event as { error?: unknown }).error),
    /** A `rebuild` more than one epoch ahead: no peer skips an epoch, so it is bogus. */
    isRebuildOutOfReach: ({ context, event }) => (rebuildEpochOf(event) ?? 0) > context.epoch + 1,
    appliedOffer: ({ context }) => context.pendingRemoteDescription?.description.type === 'offer',
    /** A candidate of a connection epoch the pair has left: it means nothing to this one. */
    isFromPastEpoch: ({ context, event }) =>
      event.type === 'signal.message' &&
      event.message.type === 'candidate' &&
      event.message.epoch < context.epoch,
    pcInHaveLocalOffer: ({ context }) =>
      context.pc?.signalingState === 'have-local-offer' ||
      context.pc?.signalingState === 'have-remote-pranswer',
    pcInHaveRemoteOffer: ({ context }) => context.pc?.signalingState === 'have-remote-offer',
    pcNotStable: ({ context }) =>
      context.pc != null &&
      context.pc.signalingState !== 'stable' &&
      context.pc.signalingState !== 'closed',
    // A change, not a repeat: signaling-state events also carry `connected`, and must not count
    // as a recovery while a restart is still being negotiated.
    connectionBecomes: ({ context, event }, params: { state: RTCPeerConnectionState }) =>
      event.type === 'pc.statesChanged' &&
      event.states.connection === params.state &&
      context.pcStates.connection !== params.state,
    negotiatedWhileConnected: ({ event }) =>
      event.type === 'peer.negotiated' && event.connection === 'connected',
    canRetryIceRestart: ({ context }) =>
      context.iceRestartAttempts < context.options.iceRestart.maxAttempts,
    /** Both descriptions are set: ICE has everything it needs to connect. */
    negotiated: ({ context }) =>
      context.pc?.localDescription != null && context.pc.remoteDescription != null,
    canRebuild: ({ context }) => rebuildLeft(context),
    transportFailed: ({ context, event }) =>
      event.type === 'pc.statesChanged' &&
      event.states.connection === 'failed' &&
      (event.states.iceConnection === 'connected' || event.states.iceConnection === 'completed') &&
      rebuildLeft(context) &&
      context.pc !== null &&
      dtlsTransportFailed(context.pc),
    /** Closed behind the machine's back, here or at the remote's end; see ice/transports.ts. */
    connectionClosedUnderneath: ({ context, event }) =>
      event.type === 'pc.statesChanged' &&
      context.pc !== null &&
      connectionClosedUnderneath(context.pc),
    /** A `rebuild` to an epoch this peer has not reached: the remote started a rebuild. */
    isRebuildAhead: ({ context, event }) => (rebuildEpochOf(event) ?? 0) > context.epoch,
    /** Any other `rebuild`: a repeat, or the answer to one already joined. */
    isRebuild: ({ event }) => rebuildEpochOf(event) !== null,
    /** While waiting: the remote joined the rebuild (or started the same one at the same time). */
    joinsRebuild: ({ context, event }) => (rebuildEpochOf(event) ?? 0) >= context.epoch,
  },
});
