/**
 * Pure reads and updates of the machine's context, shared by every region.
 * @module
 */
import type { PeerConnectionLike } from '../platform/types.js';
import { iceUfragsOf } from '../sdp/iceUfrags.js';
import { EMPTY_OUTBOX } from './data/outbox.js';
import { EMPTY_INTENT } from './media/intent.js';
import { resolvePeerOptions } from './options.js';
import { INITIAL_PEER_CONNECTION_STATES } from './peerConnectionStates.js';
import type { InboxItem, PeerContext, PeerCounters, PeerEvent, PeerOptions } from './types.js';

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
  staleAnswers: 0,
  iceRestarts: 0,
  rebuilds: 0,
  droppedWhileRebuilding: 0,
};

/** The negotiation state of a fresh peer connection: at start, and after every rebuild. */
export function freshNegotiation(pastRemoteUfrags: readonly string[]) {
  return {
    ignoreOffer: false,
    inbox: [],
    pendingRemoteDescription: null,
    bufferedCandidates: [],
    remoteDescriptionsApplied: 0,
    remoteUfrags: [],
    pastRemoteUfrags,
    lastRemoteAnswerId: null,
    lastLocalDescription: null,
    lastAnswer: null,
    offerResends: 0,
    refusedOffers: 0,
    iceRestartAttempts: 0,
    iceRestartStartedAt: null,
  } as const satisfies Partial<PeerContext>;
}

/**
 * The context a peer starts with.
 *
 * One object literal, spread (#22): V8 gives the spread copy of a literal a map it shares across
 * peers, and XState's copies of it (`Object.assign({}, context, patch)`, on every `assign`) stay
 * fast objects, ~1.9 KiB each in Node. The same fields built as `{ ...freshNegotiation([]),
 * options, … }` made new maps on every peer (~22 KiB per peer); the literal without the spread
 * made XState's copies dictionaries (~5.7 KiB each). The negotiation fields are
 * `freshNegotiation`'s, written out (a test holds them equal).
 */
export function initialContext(input: PeerOptions): PeerContext {
  const options = resolvePeerOptions(input);
  return { ...contextLiteral(options) };
}

function contextLiteral(options: PeerContext['options']): PeerContext {
  return {
    ignoreOffer: false,
    inbox: [],
    pendingRemoteDescription: null,
    bufferedCandidates: [],
    remoteDescriptionsApplied: 0,
    remoteUfrags: [],
    pastRemoteUfrags: [],
    lastRemoteAnswerId: null,
    lastLocalDescription: null,
    lastAnswer: null,
    offerResends: 0,
    refusedOffers: 0,
    iceRestartAttempts: 0,
    iceRestartStartedAt: null,
    options,
    // Uniqueness, not secrecy: ids are compared with ids this peer made, never trusted.
    instanceId: Math.random().toString(36).slice(2, 10),
    pc: null,
    platform: undefined,
    pcStates: INITIAL_PEER_CONNECTION_STATES,
    explicitRollback: options.rollback === 'explicit',
    localTracks: [],
    remoteTracks: [],
    dataChannels: [],
    lastIceRecoveryMs: null,
    epoch: 0,
    rebuildAttempts: 0,
    rebuildStartedAt: null,
    lastRebuildMs: null,
    deferredEvents: [],
    outbox: EMPTY_OUTBOX,
    intent: EMPTY_INTENT,
    peerMuted: [],
    lastError: null,
    counters: ZERO_COUNTERS,
    startedAt: options.now(),
    closeReason: null,
  };
}

export function count(context: PeerContext, key: keyof PeerCounters, by = 1): PeerCounters {
  return { ...context.counters, [key]: context.counters[key] + by };
}

/** The id of the next description this peer sends: unique per instance and epoch. */
export function nextDescriptionId(context: PeerContext): string {
  const { offersSent, answersSent } = context.counters;
  return `${context.instanceId}:${context.epoch}:${offersSent + answersSent}`;
}

/** The next inbox item when it is an answer (or pranswer). */
export function nextAnswer(context: PeerContext) {
  const item = nextItem(context);
  return item?.kind === 'description' && item.description.type !== 'offer' ? item : undefined;
}

/** The next inbox item when it is an offer. */
export function nextOffer(context: PeerContext) {
  const item = nextItem(context);
  return item?.kind === 'description' && item.description.type === 'offer' ? item : undefined;
}

/** The ICE generation of our local description, for the candidates we send. */
export function localUfrag(context: PeerContext): string | null {
  const sdp = context.pc?.localDescription?.sdp;
  return (sdp ? iceUfragsOf(sdp)[0] : undefined) ?? null;
}

export function nextItem(context: PeerContext): InboxItem | undefined {
  return context.inbox[0];
}

/**
 * Which ICE generation a remote candidate (or end of candidates) belongs to, by the ufrag its
 * message names: the current remote description's, an older one (`past`: drop it), or one whose
 * description has not arrived yet (`future`: keep it until it does). No ufrag counts as current.
 */
export function candidateGeneration(
  context: PeerContext,
  ufrag: string | null,
): 'current' | 'past' | 'future' {
  if (!ufrag || context.remoteUfrags.length === 0) return 'current';
  if (context.remoteUfrags.includes(ufrag)) return 'current';
  return context.pastRemoteUfrags.includes(ufrag) ? 'past' : 'future';
}

/** The epoch a `rebuild` message carries, or `null` for any other event. */
export function rebuildEpochOf(event: PeerEvent): number | null {
  return event.type === 'signal.message' && event.message.type === 'rebuild'
    ? event.message.epoch
    : null;
}

/** Events that leave `active` to rebuild the connection (media and channels are kept). */
export function leavesForRebuild(event: PeerEvent): boolean {
  return event.type === 'peer.rebuildNeeded' || rebuildEpochOf(event) !== null;
}

/** Whether this peer may still start a rebuild. */
export function rebuildLeft(context: PeerContext): boolean {
  return context.rebuildAttempts < context.options.rebuild.maxAttempts;
}

/** Stops the tracks the SDK captured (the app's own are the app's to stop). */
export function stopOwnedTracks(context: PeerContext): void {
  for (const { track, owned } of context.intent.transceivers) if (owned) track?.stop();
}

export function requirePc(context: PeerContext): PeerConnectionLike {
  if (!context.pc) throw new Error('peerstate: no peer connection in this state');
  return context.pc;
}
