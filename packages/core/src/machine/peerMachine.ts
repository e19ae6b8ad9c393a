import { and, assign, emit, enqueueActions, raise, sendTo, setup, stateIn } from 'xstate';
import {
  ClosedError,
  IceRestartError,
  NegotiationError,
  type NegotiationStep,
  PeerConnectionError,
  PeerStateError,
  RebuildError,
  SignalingTransportError,
} from '../errors.js';
import { detectPeerConnection } from '../platform/detectPeerConnection.js';
import type { PeerConnectionLike } from '../platform/types.js';
import { iceUfragsOf } from '../sdp/iceUfrags.js';
import {
  createByeMessage,
  createCandidateMessage,
  createDescriptionMessage,
  createRebuildMessage,
} from '../signaling/parseSignalingMessage.js';
import type {
  CandidatePayload,
  DescriptionPayload,
  SignalingChannel,
  SignalingMessage,
} from '../signaling/types.js';
import {
  applyRemoteDescription,
  makeAnswer,
  makeOffer,
  makeRollback,
} from './actors/negotiation.js';
import { peerConnectionEvents } from './actors/peerConnectionEvents.js';
import { signalingListener } from './actors/signalingListener.js';
import { createLocalDataChannel, sendOnDataChannel, upsertDataChannel } from './dataChannels.js';
import { applyRemoteCandidate, iceRestartDelay, restartIce } from './ice.js';
import { resolvePeerOptions } from './options.js';
import {
  INITIAL_PEER_CONNECTION_STATES,
  readPeerConnectionStates,
} from './peerConnectionStates.js';
import {
  addLocalTrack,
  addLocalTransceiver,
  captureMedia,
  refreshRemoteTrack,
  removeLocalTrack,
  replaceLocalTrack,
  upsertRemoteTrack,
} from './tracks.js';
import type {
  BufferedCandidate,
  InboxItem,
  PeerCommand,
  PeerContext,
  PeerCounters,
  PeerEmitted,
  PeerEvent,
  PeerInternalEvent,
  PeerOptions,
  RebuildReason,
  TransitionRecord,
} from './types.js';

/** How many state entries `context.timeline` keeps. */
export const TIMELINE_LIMIT = 200;

const COMMAND_TYPES: ReadonlySet<string> = new Set<PeerCommand['type']>([
  'START',
  'ADD_TRACK',
  'ADD_TRANSCEIVER',
  'REMOVE_TRACK',
  'REPLACE_TRACK',
  'START_MEDIA',
  'CREATE_DATA_CHANNEL',
  'SEND_DATA',
  'RESTART_ICE',
  'CLOSE',
]);

const ZERO_COUNTERS: PeerCounters = {
  offersSent: 0,
  answersSent: 0,
  offersIgnored: 0,
  rollbacks: 0,
  candidatesSent: 0,
  candidatesReceived: 0,
  candidatesBuffered: 0,
  candidatesApplied: 0,
  candidatesDiscarded: 0,
  invalidMessages: 0,
  duplicatesIgnored: 0,
  iceRestarts: 0,
  rebuilds: 0,
  droppedWhileRebuilding: 0,
};

function count(context: PeerContext, key: keyof PeerCounters, by = 1): PeerCounters {
  return { ...context.counters, [key]: context.counters[key] + by };
}

function asPeerError(error: unknown, fallback: (cause: unknown) => PeerStateError): PeerStateError {
  return error instanceof PeerStateError ? error : fallback(error);
}

function nextItem(context: PeerContext): InboxItem | undefined {
  return context.inbox[0];
}

/** How many times an unanswered offer is sent again before it is rolled back. */
const MAX_OFFER_RESENDS = 2;

/**
 * Which ICE generation a remote candidate belongs to, by its ufrag: the current remote
 * description's, an older one (`past`: drop it), or one whose description has not arrived yet
 * (`future`: keep it until it does). Candidates without a ufrag count as current.
 */
function candidateGeneration(
  context: PeerContext,
  candidate: CandidatePayload | null,
): 'current' | 'past' | 'future' {
  const ufrag = candidate?.usernameFragment;
  if (!ufrag || context.remoteUfrags.length === 0) return 'current';
  if (context.remoteUfrags.includes(ufrag)) return 'current';
  return context.pastRemoteUfrags.includes(ufrag) ? 'past' : 'future';
}

/** The epoch a `rebuild` message carries, or `null` for any other event. */
function rebuildEpochOf(event: PeerEvent): number | null {
  return event.type === 'signal.message' && event.message.type === 'rebuild'
    ? event.message.epoch
    : null;
}

/** Events that leave `active` to rebuild the connection (media and channels are kept). */
function leavesForRebuild(event: PeerEvent): boolean {
  return event.type === 'peer.rebuildNeeded' || rebuildEpochOf(event) !== null;
}

/**
 * Whether the DTLS transport of a connection that reports `failed` while ICE is connected is
 * really dead. Engines with `RTCDtlsTransport` say so directly (and a `failed` read between an
 * ICE and a connection state event is not mistaken for it); without it, the states decide.
 */
function dtlsTransportFailed(pc: PeerConnectionLike): boolean {
  const transports = [
    ...pc.getSenders().map((sender) => sender.transport),
    ...pc.getReceivers().map((receiver) => receiver.transport),
    (pc as { sctp?: RTCSctpTransport | null }).sctp?.transport,
  ].filter((transport): transport is RTCDtlsTransport => transport != null);
  return transports.length === 0 || transports.some((transport) => transport.state === 'failed');
}

/** The options that recreate a local data channel like the one given. */
function dataChannelInitOf(channel: RTCDataChannel): RTCDataChannelInit {
  return {
    ordered: channel.ordered,
    ...(channel.maxPacketLifeTime === null ? {} : { maxPacketLifeTime: channel.maxPacketLifeTime }),
    ...(channel.maxRetransmits === null ? {} : { maxRetransmits: channel.maxRetransmits }),
    protocol: channel.protocol,
    ...(channel.negotiated && channel.id !== null ? { negotiated: true, id: channel.id } : {}),
  };
}

/** Whether this peer may still start a rebuild. */
function rebuildLeft(context: PeerContext): boolean {
  return context.rebuildAttempts < context.options.rebuild.maxAttempts;
}

function stopOwnedTracks(context: PeerContext): void {
  for (const { track, owned } of context.localTracks) if (owned) track.stop();
}

function requirePc(context: PeerContext): PeerConnectionLike {
  if (!context.pc) throw new Error('peerstate: no peer connection in this state');
  return context.pc;
}

type Report = (event: PeerInternalEvent) => void;

function reporter(self: {
  send: (event: PeerEvent) => void;
  getSnapshot: () => { status: string };
}): Report {
  // Async work (a candidate, replaceTrack, getUserMedia) may settle after the actor stopped.
  return (event) => {
    if (self.getSnapshot().status === 'active') self.send(event);
  };
}

/** Sends one message; a throw or a rejection becomes a typed error event. */
function sendSignalMessage(signaling: SignalingChannel, message: SignalingMessage, report: Report) {
  const fail = (cause: unknown) =>
    report({ type: 'peer.error', error: new SignalingTransportError('send', message.type, cause) });
  try {
    const result = signaling.send(message);
    if (result && typeof result.then === 'function') result.then(undefined, fail);
  } catch (cause) {
    fail(cause);
  }
}

function invalidStateError(message: string): Error {
  const DomException = (globalThis as { DOMException?: typeof DOMException }).DOMException;
  if (DomException) return new DomException(message, 'InvalidStateError');
  return Object.assign(new Error(message), { name: 'InvalidStateError' });
}

function negotiationError(step: NegotiationStep) {
  return ({ event }: { event: { error: unknown } }) => ({
    error: asPeerError(event.error, (cause) => new NegotiationError(step, cause)),
  });
}

/** Action params: the error an event carries. */
function errorOfEvent({ event }: { event: { error: PeerStateError } }) {
  return { error: event.error };
}

/** Action params: the bye a `CLOSE` sends. */
function byeOfClose({ event }: { event: { reason?: string } }) {
  return createByeMessage(event.reason);
}

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

/** `CLOSE` while a connection exists (or is being rebuilt): bye, then `closed`. */
const hangUp = {
  target: '#peer.closed',
  actions: [
    {
      type: 'sendSignal',
      /** The bye to send. */
      params: byeOfClose,
    },
    'stopTracksIfAsked',
    'rememberCloseReason',
  ],
} as const;

/** A manual `RESTART_ICE` starts a fresh series of attempts. */
const manualIceRestart = {
  target: 'restartingIce',
  reenter: true,
  actions: 'resetIceRestart',
} as const;

/**
 * The peer machine. Top level: `idle → starting → active → closed`, or `failed`.
 * `active` runs four regions side by side:
 * - `signaling`: the offer/answer exchange, one step at a time (`stable`, `makingOffer`,
 *   `haveLocalOffer`, `settingRemoteDescription`, `answering`, `rollingBack`);
 * - `connection`: ICE/DTLS as the peer connection reports it (`new`, `connecting`, `connected`,
 *   `disconnected`, `restartingIce`);
 * - `renegotiation`: `idle` or `pending` when the engine asked for an offer while one was under way.
 *
 * Create actors with {@link createPeer} (or `createActor(peerMachine, { input })`).
 */
export const peerMachine = setup({
  types: {} as {
    context: PeerContext;
    events: PeerEvent;
    input: PeerOptions;
    emitted: PeerEmitted;
  },
  actors: {
    peerConnectionEvents,
    signalingListener,
    makeOffer,
    makeAnswer,
    makeRollback,
    applyRemoteDescription,
  },
  delays: {
    disconnectedGracePeriod: ({ context }) => context.options.iceRestart.disconnectedGracePeriod,
    connectTimeout: ({ context }) => context.options.iceRestart.connectTimeout,
    answerTimeout: ({ context }) => context.options.answerTimeout,
    offerRetryDelay: ({ context }) => context.options.iceRestart.initialDelay,
    iceRestartTimeout: ({ context }) =>
      iceRestartDelay(context.options.iceRestart, context.iceRestartAttempts),
    rebuildTimeout: ({ context }) => context.options.rebuild.timeout,
  },
  guards: {
    autoStart: ({ context }) => context.options.autoStart,
    isBye: ({ event }) => event.type === 'signal.message' && event.message.type === 'bye',
    isCommand: ({ event }) => COMMAND_TYPES.has(event.type),
    renegotiationPending: stateIn({ active: { renegotiation: 'pending' } }),
    nextIsEarlyCandidate: ({ context }) => {
      const item = nextItem(context);
      if (item?.kind !== 'candidate') return false;
      return (
        context.pc?.remoteDescription == null ||
        candidateGeneration(context, item.candidate) === 'future'
      );
    },
    nextIsStaleCandidate: ({ context }) => {
      const item = nextItem(context);
      return item?.kind === 'candidate' && candidateGeneration(context, item.candidate) === 'past';
    },
    nextIsRepeatedOffer: ({ context }) => {
      const item = nextItem(context);
      return (
        item?.kind === 'description' &&
        item.description.type === 'offer' &&
        item.description.sdp === context.lastRemoteOfferSdp
      );
    },
    nextIsRepeatedAnswer: ({ context }) => {
      const item = nextItem(context);
      return (
        item?.kind === 'description' &&
        item.description.type !== 'offer' &&
        item.description.sdp === context.lastRemoteAnswerSdp
      );
    },
    canResendOffer: ({ context }) => context.offerResends < MAX_OFFER_RESENDS,
    nextIsCandidate: ({ context }) => nextItem(context)?.kind === 'candidate',
    nextIsOffer: ({ context }) => {
      const item = nextItem(context);
      return item?.kind === 'description' && item.description.type === 'offer';
    },
    nextIsAnswer: ({ context }) => {
      const item = nextItem(context);
      return item?.kind === 'description' && item.description.type !== 'offer';
    },
    isImpolite: ({ context }) => !context.options.polite,
    appliedOffer: ({ context }) => context.pendingRemoteDescription?.type === 'offer',
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
    /** A `rebuild` to an epoch this peer has not reached: the remote started a rebuild. */
    isRebuildAhead: ({ context, event }) => (rebuildEpochOf(event) ?? 0) > context.epoch,
    /** Any other `rebuild`: a repeat, or the answer to one already joined. */
    isRebuild: ({ event }) => rebuildEpochOf(event) !== null,
    /** While waiting: the remote joined the rebuild (or started the same one at the same time). */
    joinsRebuild: ({ context, event }) => (rebuildEpochOf(event) ?? 0) >= context.epoch,
  },
  actions: {
    record: assign(({ context }, params: { region: string; state: string }) => {
      const entry: TransitionRecord = { ...params, at: context.options.now() };
      const timeline = [...context.timeline, entry];
      return {
        timeline: timeline.length > TIMELINE_LIMIT ? timeline.slice(-TIMELINE_LIMIT) : timeline,
      };
    }),
    reportError: enqueueActions(({ enqueue }, params: { error: PeerStateError }) => {
      enqueue.assign({ lastError: params.error });
      enqueue.emit({ type: 'error', error: params.error });
    }),
    createPeerConnection: ({ context, self }) => {
      const { options } = context;
      try {
        if (options.peerConnection) {
          self.send({
            type: 'peer.created',
            pc: options.peerConnection(options.configuration),
            platform: { name: 'custom', api: 'promise', streamApi: false },
          });
          return;
        }
        const detected = detectPeerConnection(options.scope);
        self.send({
          type: 'peer.created',
          pc: detected.create(options.configuration),
          platform: { name: detected.name, api: detected.api, streamApi: detected.streamApi },
        });
      } catch (cause) {
        self.send({
          type: 'peer.error',
          error: asPeerError(cause, (error) => new PeerConnectionError(error)),
        });
      }
    },
    sendSignal: ({ context, self }, message: SignalingMessage) =>
      sendSignalMessage(context.options.signaling, message, reporter(self)),
    dequeue: assign(({ context }) => ({ inbox: context.inbox.slice(1) })),
    bufferNextCandidate: assign(({ context }) => {
      const item = nextItem(context);
      if (item?.kind !== 'candidate') return {};
      return {
        inbox: context.inbox.slice(1),
        bufferedCandidates: [
          ...context.bufferedCandidates,
          { candidate: item.candidate, descriptionsApplied: context.remoteDescriptionsApplied },
        ],
        counters: count(context, 'candidatesBuffered'),
      };
    }),
    ignoreNextOffer: assign(({ context }) => {
      const item = nextItem(context);
      // The ignored offer's ICE generation will never be applied: its candidates, buffered
      // already or still to come, are dropped.
      const ignored =
        item?.kind === 'description'
          ? iceUfragsOf(item.description.sdp).filter(
              (ufrag) =>
                !context.remoteUfrags.includes(ufrag) && !context.pastRemoteUfrags.includes(ufrag),
            )
          : [];
      const kept = context.bufferedCandidates.filter(
        ({ candidate }) => !ignored.includes(candidate?.usernameFragment ?? ''),
      );
      const counters = count(context, 'offersIgnored');
      return {
        inbox: context.inbox.slice(1),
        ignoreOffer: true,
        pastRemoteUfrags: [...context.pastRemoteUfrags, ...ignored],
        bufferedCandidates: kept,
        counters: {
          ...counters,
          candidatesDiscarded:
            counters.candidatesDiscarded + context.bufferedCandidates.length - kept.length,
        },
      };
    }),
    takeNextDescription: assign(({ context }) => {
      const item = nextItem(context);
      return {
        inbox: context.inbox.slice(1),
        ignoreOffer: false,
        pendingRemoteDescription: item?.kind === 'description' ? item.description : null,
      };
    }),
    rejectUnexpectedAnswer: enqueueActions(({ context, enqueue }) => {
      const item = nextItem(context);
      enqueue.assign({ inbox: context.inbox.slice(1) });
      if (item?.kind !== 'description') return;
      const error = new NegotiationError(
        'setRemoteDescription',
        invalidStateError(
          `received an ${item.description.type} while no offer of ours was pending (signaling state stable)`,
        ),
      );
      enqueue.assign({ lastError: error });
      enqueue.emit({ type: 'error', error });
    }),
    resetIceRestart: assign({ iceRestartAttempts: 0, iceRestartStartedAt: null }),
    recordIceRecovery: assign(({ context }) => ({
      lastIceRecoveryMs:
        context.iceRestartStartedAt === null
          ? context.lastIceRecoveryMs
          : context.options.now() - context.iceRestartStartedAt,
      iceRestartAttempts: 0,
      iceRestartStartedAt: null,
    })),
    reportClosed: emit(({ event }) => ({
      type: 'error' as const,
      error: new ClosedError(event.type),
    })),
    applyNextCandidate: ({ context, self }) => {
      const item = nextItem(context);
      if (item?.kind !== 'candidate') return;
      applyRemoteCandidate(requirePc(context), item.candidate, context.ignoreOffer, reporter(self));
    },
    storePcStates: assign({
      pcStates: ({ context, event }) =>
        event.type === 'pc.statesChanged' ? event.states : context.pcStates,
    }),
    discardNextCandidate: assign(({ context }) => ({
      inbox: context.inbox.slice(1),
      counters: count(context, 'candidatesDiscarded'),
    })),
    discardNextDescription: assign(({ context }) => ({
      inbox: context.inbox.slice(1),
      counters: count(context, 'duplicatesIgnored'),
    })),
    answerRepeatedOffer: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({
        inbox: context.inbox.slice(1),
        counters: count(context, 'duplicatesIgnored'),
      });
      // The exact text sent before (the engine's localDescription has gained candidates since).
      const answer = context.lastLocalDescription;
      if (answer?.type === 'answer') {
        const message = createDescriptionMessage(answer);
        enqueue(({ self }) =>
          sendSignalMessage(context.options.signaling, message, reporter(self)),
        );
      }
    }),
    resendOffer: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ offerResends: context.offerResends + 1 });
      const offer = context.lastLocalDescription;
      if (offer?.type === 'offer') {
        const message = createDescriptionMessage(offer);
        enqueue(({ self }) =>
          sendSignalMessage(context.options.signaling, message, reporter(self)),
        );
      }
    }),
    rememberRemoteDescription: assign(({ context }) => {
      const applied = context.pendingRemoteDescription;
      const sdp = context.pc?.remoteDescription?.sdp ?? '';
      const current = sdp ? iceUfragsOf(sdp) : [];
      const past = [
        ...context.pastRemoteUfrags,
        ...context.remoteUfrags.filter(
          (ufrag) => !current.includes(ufrag) && !context.pastRemoteUfrags.includes(ufrag),
        ),
      ];
      return {
        remoteDescriptionsApplied: context.remoteDescriptionsApplied + 1,
        remoteUfrags: current,
        pastRemoteUfrags: past,
        lastRemoteOfferSdp: applied?.type === 'offer' ? applied.sdp : context.lastRemoteOfferSdp,
        lastRemoteAnswerSdp:
          // Only a final answer: the answer that follows a pranswer may carry the same SDP.
          applied?.type === 'answer' ? applied.sdp : context.lastRemoteAnswerSdp,
      };
    }),
    flushBufferedCandidates: enqueueActions(({ context, enqueue, self }) => {
      const pc = requirePc(context);
      const keep: BufferedCandidate[] = [];
      let discarded = 0;
      for (const entry of context.bufferedCandidates) {
        const generation = candidateGeneration(context, entry.candidate);
        // A candidate may overtake its description, but not by two: one that still matches
        // nothing after a later description was applied belonged to an abandoned offer.
        const overtaken = context.remoteDescriptionsApplied - entry.descriptionsApplied > 1;
        if (generation === 'future' && !overtaken) keep.push(entry);
        else if (generation !== 'current') discarded++;
        else applyRemoteCandidate(pc, entry.candidate, context.ignoreOffer, reporter(self));
      }
      enqueue.assign({
        bufferedCandidates: keep,
        counters: count(context, 'candidatesDiscarded', discarded),
      });
    }),
    restartIce: ({ context, self }) => restartIce(requirePc(context), reporter(self)),
    addTrack: ({ context, event, self }) => {
      if (event.type !== 'ADD_TRACK') return;
      addLocalTrack(
        requirePc(context),
        event.track,
        event.streams ?? [],
        false,
        reporter(self),
        context.options.polite,
      );
    },
    addTransceiver: ({ context, event, self }) => {
      if (event.type !== 'ADD_TRANSCEIVER') return;
      addLocalTransceiver(requirePc(context), event.trackOrKind, event.init, reporter(self));
    },
    addOwnedTracks: ({ context, event, self }) => {
      if (event.type !== 'peer.mediaReady') return;
      for (const track of event.stream.getTracks()) {
        addLocalTrack(
          requirePc(context),
          track,
          [event.stream],
          true,
          reporter(self),
          context.options.polite,
        );
      }
    },
    removeTrack: ({ context, event, self }) => {
      if (event.type !== 'REMOVE_TRACK') return;
      removeLocalTrack(requirePc(context), context.localTracks, event.track, reporter(self));
    },
    replaceTrack: ({ context, event, self }) => {
      if (event.type !== 'REPLACE_TRACK') return;
      replaceLocalTrack(
        requirePc(context),
        context.localTracks,
        event.track,
        event.withTrack,
        reporter(self),
      );
    },
    startMedia: ({ context, event, self }) => {
      if (event.type !== 'START_MEDIA') return;
      captureMedia(
        context.options.mediaDevices,
        event.constraints ?? { audio: true, video: true },
        reporter(self),
      );
    },
    stopLateMedia: ({ event }) => {
      // Media that arrives after close was captured for us alone: release the devices.
      if (event.type !== 'peer.mediaReady') return;
      for (const track of event.stream.getTracks()) track.stop();
    },
    createDataChannel: ({ context, event, self }) => {
      if (event.type !== 'CREATE_DATA_CHANNEL') return;
      createLocalDataChannel(requirePc(context), event.label, event.options, reporter(self));
    },
    sendData: ({ context, event, self }) => {
      if (event.type !== 'SEND_DATA') return;
      sendOnDataChannel(context.dataChannels, event.label, event.data, reporter(self));
    },
    stopTracksIfAsked: ({ context, event }) => {
      if (event.type !== 'CLOSE' || !event.stopTracks) return;
      for (const { track } of context.localTracks) track.stop();
    },
    releasePeerConnection: ({ context, event }) => {
      // A rebuild keeps the tracks for the next connection; anything else ends them.
      if (!leavesForRebuild(event)) stopOwnedTracks(context);
      for (const { channel } of context.dataChannels) {
        if (channel.readyState !== 'closed') channel.close();
      }
      context.pc?.close();
    },
    rememberTransceiversForRebuild: assign(({ context, event }) => {
      if (!leavesForRebuild(event) || !context.pc) return {};
      // Receive-only transceivers (ADD_TRANSCEIVER with a kind) are not in `localTracks`.
      const transceivers = context.pc
        .getTransceivers()
        .filter(
          (transceiver) =>
            transceiver.sender.track === null &&
            transceiver.direction === 'recvonly' &&
            !(transceiver as { stopped?: boolean }).stopped,
        );
      return {
        transceiversToRestore: transceivers.map((transceiver) => ({
          kind: transceiver.receiver.track.kind as 'audio' | 'video',
          direction: transceiver.direction,
        })),
      };
    }),
    requestRebuild: raise((_, params: { reason: Exclude<RebuildReason, 'remote'> }) => ({
      type: 'peer.rebuildNeeded' as const,
      reason: params.reason,
    })),
    rememberCloseReason: assign({
      closeReason: ({ event }) => (event.type === 'CLOSE' ? (event.reason ?? 'local') : 'local'),
    }),
    stopOwnedTracksUnlessRebuilt: ({ context, event }) => {
      if (event.type !== 'peer.created') stopOwnedTracks(context);
    },
    startRebuild: enqueueActions(
      ({ context, enqueue }, params: { reason: RebuildReason; epoch: number }) => {
        enqueue.assign({
          epoch: params.epoch,
          rebuildAttempts: context.rebuildAttempts + (params.reason === 'remote' ? 0 : 1),
          rebuildStartedAt: context.rebuildStartedAt ?? context.options.now(),
          counters: count(context, 'rebuilds'),
        });
        enqueue.emit({ type: 'rebuilding', reason: params.reason, epoch: params.epoch });
        // The request (or, from the remote's side, the answer): the same message either way.
        const message = createRebuildMessage(params.epoch);
        enqueue(({ self }) =>
          sendSignalMessage(context.options.signaling, message, reporter(self)),
        );
      },
    ),
    adoptNewPeerConnection: assign(({ context, event }) => {
      if (event.type !== 'peer.created') return {};
      return {
        pc: event.pc,
        platform: event.platform,
        pcStates: readPeerConnectionStates(event.pc),
        ignoreOffer: false,
        inbox: [],
        pendingRemoteDescription: null,
        bufferedCandidates: [],
        remoteDescriptionsApplied: 0,
        remoteUfrags: [],
        // Candidates of the old connection may still be on the wire: they are dropped.
        pastRemoteUfrags: [...context.pastRemoteUfrags, ...context.remoteUfrags],
        lastRemoteOfferSdp: null,
        lastRemoteAnswerSdp: null,
        lastLocalDescription: null,
        offerResends: 0,
        iceRestartAttempts: 0,
        iceRestartStartedAt: null,
        remoteTracks: [],
      };
    }),
    /** Sends the same media and opens the same local channels on the new connection. */
    restoreMedia: enqueueActions(({ context, enqueue, self }) => {
      const pc = requirePc(context);
      const report = reporter(self);
      const tracks = context.localTracks.filter((entry) => entry.sending && !entry.ended);
      // Every local channel is opened again, once per label (the dead transport has closed
      // them all, so their state cannot tell which ones the app still wanted).
      const channels = [
        ...new Map(
          context.dataChannels
            .filter((entry) => entry.origin === 'local')
            .map((entry) => [entry.label, entry] as const),
        ).values(),
      ];
      enqueue.assign({ localTracks: [], dataChannels: [], transceiversToRestore: [] });
      for (const entry of tracks) {
        addLocalTrack(pc, entry.track, entry.streams, entry.owned, report, context.options.polite);
      }
      for (const { kind, direction } of context.transceiversToRestore) {
        addLocalTransceiver(pc, kind, { direction }, report);
      }
      for (const { channel } of channels) {
        createLocalDataChannel(pc, channel.label, dataChannelInitOf(channel), report);
      }
    }),
    deferEvent: assign(({ context, event }) => ({
      deferredEvents: [...context.deferredEvents, event],
    })),
    replayDeferredEvents: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ deferredEvents: [] });
      for (const event of context.deferredEvents) enqueue.raise(event);
    }),
    recordRebuildRecovery: assign(({ context }) =>
      context.rebuildStartedAt === null
        ? {}
        : {
            lastRebuildMs: context.options.now() - context.rebuildStartedAt,
            rebuildAttempts: 0,
            rebuildStartedAt: null,
          },
    ),
    warnAfterClose: ({ context, event }) => {
      if (context.options.dev) {
        console.warn(
          `[peerstate] "${event.type}" was sent to a peer that is ${context.closeReason ? `closed (${context.closeReason})` : 'closed'}; it was ignored.`,
        );
      }
    },
  },
}).createMachine({
  id: 'peer',
  /** The initial context, from the input. */
  context: ({ input }) => {
    const options = resolvePeerOptions(input);
    return {
      options,
      pc: null,
      platform: undefined,
      pcStates: INITIAL_PEER_CONNECTION_STATES,
      ignoreOffer: false,
      inbox: [],
      pendingRemoteDescription: null,
      bufferedCandidates: [],
      remoteDescriptionsApplied: 0,
      remoteUfrags: [],
      pastRemoteUfrags: [],
      lastRemoteOfferSdp: null,
      lastRemoteAnswerSdp: null,
      lastLocalDescription: null,
      offerResends: 0,
      explicitRollback: options.rollback === 'explicit',
      localTracks: [],
      remoteTracks: [],
      dataChannels: [],
      iceRestartAttempts: 0,
      iceRestartStartedAt: null,
      lastIceRecoveryMs: null,
      epoch: 0,
      rebuildAttempts: 0,
      rebuildStartedAt: null,
      lastRebuildMs: null,
      deferredEvents: [],
      transceiversToRestore: [],
      lastError: null,
      counters: ZERO_COUNTERS,
      startedAt: options.now(),
      timeline: [],
      closeReason: null,
    };
  },
  initial: 'idle',
  states: {
    idle: {
      entry: { type: 'record', params: { region: 'peer', state: 'idle' } },
      always: { guard: 'autoStart', target: 'starting' },
      on: {
        START: 'starting',
        CLOSE: {
          target: 'closed',
          actions: assign({ closeReason: ({ event }) => event.reason ?? 'local' }),
        },
      },
    },
    starting: {
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
        'peer.error': {
          target: 'failed',
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
    },
    active: {
      type: 'parallel',
      entry: { type: 'record', params: { region: 'peer', state: 'active' } },
      exit: ['rememberTransceiversForRebuild', 'releasePeerConnection'],
      invoke: [
        {
          id: 'peerConnectionEvents',
          src: 'peerConnectionEvents',
          /** Input of the invoked actor, from the context. */
          input: ({ context }) => ({ pc: requirePc(context) }),
        },
        {
          id: 'signalingListener',
          src: 'signalingListener',
          /** Input of the invoked actor, from the context. */
          input: ({ context }) => ({
            signaling: context.options.signaling,
            limits: context.options.signalingLimits,
          }),
        },
      ],
      on: {
        CLOSE: hangUp,
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
          {
            guard: 'isBye',
            target: 'closed',
            actions: assign({ closeReason: 'remote' }),
          },
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
            actions: assign(({ context, event }) => {
              const { message } = event;
              if (message.type === 'description') {
                return {
                  inbox: [
                    ...context.inbox,
                    { kind: 'description' as const, description: message.description },
                  ],
                };
              }
              if (message.type === 'candidate') {
                return {
                  inbox: [
                    ...context.inbox,
                    { kind: 'candidate' as const, candidate: message.candidate },
                  ],
                  counters: count(context, 'candidatesReceived'),
                };
              }
              return {};
            }),
          },
        ],
        'signal.invalid': {
          actions: [
            {
              type: 'reportError',
              /** The error the event carries. */
              params: errorOfEvent,
            },
            assign({ counters: ({ context }) => count(context, 'invalidMessages') }),
          ],
        },
        'peer.error': {
          actions: {
            type: 'reportError',
            /** The error the event carries. */
            params: errorOfEvent,
          },
        },
        'pc.iceCandidate': {
          actions: [
            {
              type: 'sendSignal',
              /** Parameters of the action, from the event. */
              params: ({ event }) => createCandidateMessage(event.candidate),
            },
            assign({ counters: ({ context }) => count(context, 'candidatesSent') }),
          ],
        },
        'pc.track': {
          actions: [
            assign({
              remoteTracks: ({ context, event }) =>
                upsertRemoteTrack(context.remoteTracks, event.track, event.streams, event.mid),
            }),
            emit(({ event }) => ({
              type: 'track' as const,
              track: event.track,
              streams: event.streams,
            })),
          ],
        },
        'pc.trackChanged': {
          actions: assign({
            remoteTracks: ({ context, event }) =>
              context.remoteTracks.map((entry) =>
                entry.track === event.track ? refreshRemoteTrack(entry) : entry,
              ),
            localTracks: ({ context, event }) =>
              context.localTracks.map((entry) =>
                entry.track === event.track
                  ? { ...entry, ended: entry.track.readyState === 'ended' }
                  : entry,
              ),
          }),
        },
        'pc.dataChannel': {
          actions: [
            assign({
              dataChannels: ({ context, event }) =>
                upsertDataChannel(context.dataChannels, event.channel, 'remote'),
            }),
            emit(({ event }) => ({ type: 'dataChannel' as const, channel: event.channel })),
          ],
        },
        'pc.dataChannelChanged': {
          actions: assign({
            dataChannels: ({ context, event }) =>
              upsertDataChannel(context.dataChannels, event.channel, 'local'),
          }),
        },
        'pc.dataChannelMessage': {
          actions: emit(({ event }) => ({
            type: 'data' as const,
            label: event.channel.label,
            data: event.data,
            channel: event.channel,
          })),
        },
        ADD_TRACK: { actions: 'addTrack' },
        ADD_TRANSCEIVER: { actions: 'addTransceiver' },
        START_MEDIA: { actions: 'startMedia' },
        'peer.mediaReady': { actions: 'addOwnedTracks' },
        'peer.trackAdded': {
          actions: [
            assign({
              localTracks: ({ context, event }) => [
                // The engine may reuse a sender (a track replaced by null, then a new addTrack).
                ...context.localTracks.filter(
                  (entry) => entry.track !== event.track && entry.sender !== event.sender,
                ),
                {
                  track: event.track,
                  streams: event.streams,
                  sender: event.sender,
                  sending: true,
                  owned: event.owned,
                  ended: event.track.readyState === 'ended',
                },
              ],
            }),
            sendTo('peerConnectionEvents', ({ event }) => ({
              type: 'watchLocalTrack' as const,
              track: event.track,
              owned: event.owned,
            })),
          ],
        },
        REMOVE_TRACK: { actions: 'removeTrack' },
        'peer.trackRemoved': {
          actions: assign({
            localTracks: ({ context, event }) =>
              context.localTracks.filter((entry) => entry.track !== event.track),
          }),
        },
        REPLACE_TRACK: { actions: 'replaceTrack' },
        'peer.trackReplaced': {
          actions: [
            assign({
              localTracks: ({ context, event }) =>
                context.localTracks.map((entry) => {
                  if (entry.track !== event.track) return entry;
                  // Keep the old track as the handle when nothing replaces it, so the app can
                  // put it back with another REPLACE_TRACK.
                  return event.withTrack
                    ? {
                        ...entry,
                        track: event.withTrack,
                        sending: true,
                        owned: false,
                        ended: event.withTrack.readyState === 'ended',
                      }
                    : { ...entry, sending: false };
                }),
            }),
            sendTo('peerConnectionEvents', ({ event }) => ({
              type: 'watchLocalTrack' as const,
              track: event.withTrack ?? event.track,
              owned: false,
            })),
          ],
        },
        CREATE_DATA_CHANNEL: { actions: 'createDataChannel' },
        'peer.dataChannelCreated': {
          actions: [
            assign({
              dataChannels: ({ context, event }) =>
                upsertDataChannel(context.dataChannels, event.channel, 'local'),
            }),
            sendTo('peerConnectionEvents', ({ event }) => ({
              type: 'watchDataChannel' as const,
              channel: event.channel,
            })),
          ],
        },
        SEND_DATA: { actions: 'sendData' },
        'peer.candidateApplied': {
          actions: assign({ counters: ({ context }) => count(context, 'candidatesApplied') }),
        },
        'peer.candidateDiscarded': {
          actions: assign({ counters: ({ context }) => count(context, 'candidatesDiscarded') }),
        },
      },
      states: {
        signaling: {
          initial: 'stable',
          states: {
            stable: {
              entry: { type: 'record', params: { region: 'signaling', state: 'stable' } },
              always: [
                ...drainInbox('stable'),
                { guard: 'renegotiationPending', target: 'makingOffer' },
              ],
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
                        counters: event.output.rolledBack
                          ? count(context, 'rollbacks')
                          : context.counters,
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
        },
        connection: {
          initial: 'new',
          states: {
            new: {
              entry: { type: 'record', params: { region: 'connection', state: 'new' } },
              // Negotiated, yet ICE never started (no candidate at all): restart it.
              after: { connectTimeout: { guard: 'negotiated', target: 'restartingIce' } },
              on: {
                // Each completed exchange gives ICE a fresh connectTimeout to start.
                'peer.negotiated': { target: 'new', reenter: true },
                'pc.statesChanged': [
                  toFailedRestart,
                  toConnecting,
                  toConnected,
                  toDisconnected,
                  storeOnly,
                ],
                RESTART_ICE: { actions: 'restartIce' },
              },
            },
            connecting: {
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
                  storeOnly,
                ],
                RESTART_ICE: manualIceRestart,
              },
            },
            disconnected: {
              entry: { type: 'record', params: { region: 'connection', state: 'disconnected' } },
              after: { disconnectedGracePeriod: 'restartingIce' },
              on: {
                'pc.statesChanged': [toFailedRestart, toConnecting, toConnected, storeOnly],
                RESTART_ICE: manualIceRestart,
              },
            },
            restartingIce: {
              entry: [
                { type: 'record', params: { region: 'connection', state: 'restartingIce' } },
                assign(({ context }) => ({
                  iceRestartAttempts: context.iceRestartAttempts + 1,
                  iceRestartStartedAt: context.iceRestartStartedAt ?? context.options.now(),
                  counters: count(context, 'iceRestarts'),
                })),
                'restartIce',
              ],
              after: {
                iceRestartTimeout: [
                  { guard: 'canRetryIceRestart', target: 'restartingIce', reenter: true },
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
              on: {
                'pc.statesChanged': [
                  toRebuild,
                  {
                    guard: { type: 'connectionBecomes', params: { state: 'connected' } },
                    target: 'connected',
                    actions: ['storePcStates', 'recordIceRecovery'],
                  },
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
          },
        },
        renegotiation: {
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
        },
      },
    },
    rebuilding: {
      entry: { type: 'record', params: { region: 'peer', state: 'rebuilding' } },
      // Owned media was kept for the new connection; if none comes, it ends here.
      exit: 'stopOwnedTracksUnlessRebuilt',
      initial: 'awaitingRemote',
      on: {
        CLOSE: hangUp,
        // Commands (and media captured meanwhile) wait for the new connection.
        'peer.mediaReady': { actions: 'deferEvent' },
        '*': { guard: 'isCommand', actions: 'deferEvent' },
      },
      states: {
        awaitingRemote: {
          entry: { type: 'record', params: { region: 'rebuild', state: 'awaitingRemote' } },
          invoke: {
            src: 'signalingListener',
            /** Input of the invoked actor, from the context. */
            input: ({ context }) => ({
              signaling: context.options.signaling,
              limits: context.options.signalingLimits,
            }),
          },
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
              {
                guard: 'isBye',
                target: '#peer.closed',
                actions: assign({ closeReason: 'remote' }),
              },
              {
                guard: 'joinsRebuild',
                target: 'creating',
                actions: assign({
                  epoch: ({ context, event }) =>
                    Math.max(context.epoch, rebuildEpochOf(event) ?? 0),
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
            'signal.invalid': {
              actions: [
                { type: 'reportError', params: errorOfEvent },
                assign({ counters: ({ context }) => count(context, 'invalidMessages') }),
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
            'peer.error': {
              target: '#peer.failed',
              actions: [
                { type: 'reportError', params: errorOfEvent },
                assign({ closeReason: ({ event }) => event.error.code.toLowerCase() }),
              ],
            },
          },
        },
      },
    },
    failed: {
      entry: [{ type: 'record', params: { region: 'peer', state: 'failed' } }],
      on: {
        CLOSE: 'closed',
        'peer.mediaReady': { actions: 'stopLateMedia' },
        '*': { guard: 'isCommand', actions: ['warnAfterClose', 'reportClosed'] },
      },
    },
    closed: {
      entry: [
        { type: 'record', params: { region: 'peer', state: 'closed' } },
        emit(({ context }) => ({
          type: 'closed' as const,
          reason: context.closeReason ?? 'local',
        })),
      ],
      on: {
        'peer.mediaReady': { actions: 'stopLateMedia' },
        '*': { guard: 'isCommand', actions: ['warnAfterClose', 'reportClosed'] },
      },
    },
  },
});
