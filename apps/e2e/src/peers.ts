/**
 * The fixture app: peers created and driven through `@peerstatejs/core`'s public API only, the way
 * an application would. The runner calls these functions through `window.e2e` (see `fixture.ts`).
 */
import {
  createInMemorySignalingPair,
  createPeer,
  type IceRestartOptions,
  type PeerActor,
  type PeerConnectionLike,
  type PeerSnapshot,
  peerTimeline,
  type SignalingChannel,
  type SignalingMessage,
} from '@peerstatejs/core';
import { legacyPeerConnection } from '@peerstatejs/core/legacy';
import { mediaControls } from '@peerstatejs/core/media-controls';
import { describe, record, type SerializedError, serializeError } from './log.js';
import { recordingOf } from './recording.js';
import { createWebSocketSignaling, messageKind, type WebSocketSignaling } from './wsSignaling.js';

export type SignalingSpec =
  | { readonly kind: 'ws'; readonly url: string; readonly room: string }
  | { readonly kind: 'memory'; readonly pair: string; readonly latency?: number };

export interface PeerSpec {
  readonly name: string;
  readonly polite: boolean;
  readonly signaling: SignalingSpec;
  readonly configuration?: RTCConfiguration;
  readonly iceRestart?: Partial<IceRestartOptions>;
  /** Chromium ↔ Firefox: offer and answer VP8 only on this side (other codecs crash the pairing). */
  readonly vp8Only?: boolean;
  /** Create the peer connection with `legacyPeerConnection()` from `@peerstatejs/core/legacy`. */
  readonly legacy?: boolean;
  /** Log every snapshot (off in long loops). */
  readonly verbose?: boolean;
}

/** What a condition-wait can wait for; declarative, since it crosses the runner/page boundary. */
export type Condition =
  | { readonly connection: string }
  | { readonly connectionIn: readonly string[] }
  | { readonly pcConnectionIn: readonly RTCPeerConnectionState[] }
  | { readonly closed: true }
  | { readonly channelOpen: string }
  | { readonly liveRemoteTracks: number }
  | { readonly iceRestartsAtLeast: number }
  | { readonly renegotiationIdle: true }
  | { readonly stableWith: { readonly offersSentAtLeast: number } };

export interface Peer {
  readonly name: string;
  readonly actor: PeerActor;
  readonly createdAt: number;
  readonly errors: SerializedError[];
  readonly messages: { readonly label: string; readonly data: string; readonly at: number }[];
  /** Signaling messages this peer sent, by type. */
  readonly sent: Record<string, number>;
  readonly signaling: SignalingChannel & { close(): void };
  readonly ws: WebSocketSignaling | undefined;
  readonly localStreams: MediaStream[];
  connectedAt: number | undefined;
  /** Set by the `data` handler of the bulk scenario instead of `messages`. */
  onData: ((data: unknown) => void) | undefined;
}

export const peers = new Map<string, Peer>();
const memoryPairs = new Map<string, ReturnType<typeof createInMemorySignalingPair>>();

export function getPeer(name: string): Peer {
  const peer = peers.get(name);
  if (!peer) throw new Error(`no peer "${name}" in this page (has ${[...peers.keys()]})`);
  return peer;
}

function memoryChannel(pair: string, latency: number | undefined) {
  const existing = memoryPairs.get(pair);
  if (existing) {
    memoryPairs.delete(pair);
    return existing[1];
  }
  const created = createInMemorySignalingPair(latency === undefined ? {} : { latency });
  memoryPairs.set(pair, created);
  return created[0];
}

/** Wraps a channel to count what the peer sends (scenario 4 proves no description was sent). */
function counting(
  inner: SignalingChannel & { close(): void },
  sent: Record<string, number>,
): SignalingChannel & { close(): void } {
  return {
    send(message: SignalingMessage) {
      const kind = messageKind(message);
      sent[kind] = (sent[kind] ?? 0) + 1;
      return inner.send(message);
    },
    subscribe: (listener) => inner.subscribe(listener),
    close: () => inner.close(),
  };
}

/**
 * A factory that restricts video to VP8 before every offer and answer. Chromium ↔ Firefox crashed
 * here with H264/AV1; codec preferences must be on the transceiver before the description is made.
 */
function vp8OnlyFactory(configuration: RTCConfiguration): PeerConnectionLike {
  const pc = new RTCPeerConnection(configuration);
  const codecs = (RTCRtpReceiver.getCapabilities('video')?.codecs ?? []).filter(
    (codec) => codec.mimeType.toLowerCase() === 'video/vp8',
  );
  const setLocalDescription = pc.setLocalDescription.bind(pc);
  pc.setLocalDescription = (description?: RTCLocalSessionDescriptionInit) => {
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.receiver.track.kind !== 'video' || transceiver.currentDirection === 'stopped')
        continue;
      transceiver.setCodecPreferences(codecs);
    }
    return setLocalDescription(description);
  };
  return pc as unknown as PeerConnectionLike;
}

export function createFixturePeer(spec: PeerSpec): void {
  if (peers.has(spec.name)) throw new Error(`peer "${spec.name}" exists`);
  const sent: Record<string, number> = {};
  let ws: WebSocketSignaling | undefined;
  let channel: SignalingChannel & { close(): void };
  if (spec.signaling.kind === 'ws') {
    ws = createWebSocketSignaling({
      url: spec.signaling.url,
      room: spec.signaling.room,
      peer: spec.name,
    });
    channel = ws;
  } else {
    channel = counting(memoryChannel(spec.signaling.pair, spec.signaling.latency), sent);
  }
  // A recorded peer (`startRecording`): its channel tapped, its machine inspected.
  const recording = recordingOf(spec.name);
  if (recording) {
    const inner = channel;
    channel = { ...recording.tap(inner), close: () => inner.close() };
  }
  const actor = createPeer({
    ...(recording ? { inspect: recording.inspect } : {}),
    signaling: channel,
    polite: spec.polite,
    id: spec.name,
    // The opt-in media controls: the scenarios drive SET_MUTED, screen share and sender settings.
    mediaControls,
    ...(spec.configuration ? { configuration: spec.configuration } : {}),
    ...(spec.iceRestart ? { iceRestart: spec.iceRestart } : {}),
    ...(spec.vp8Only ? { peerConnection: vp8OnlyFactory } : {}),
    ...(spec.legacy ? { peerConnection: legacyPeerConnection() } : {}),
  });
  const peer: Peer = {
    name: spec.name,
    actor,
    createdAt: Date.now(),
    errors: [],
    messages: [],
    sent: ws ? ws.sent : sent,
    signaling: channel,
    ws,
    localStreams: [],
    connectedAt: undefined,
    onData: undefined,
  };
  peers.set(spec.name, peer);
  recording?.attach(actor);
  instrument(peer, spec.verbose ?? true);
  actor.start();
}

function instrument(peer: Peer, verbose: boolean): void {
  let lastValue = '';
  peer.actor.subscribe({
    next(snapshot) {
      const value = JSON.stringify(snapshot.value);
      if (value !== lastValue) {
        lastValue = value;
        record(peer.name, 'state', `${value} pc=${JSON.stringify(snapshot.context.pcStates)}`);
      }
      if (peer.connectedAt === undefined && isConnected(snapshot)) {
        peer.connectedAt = Date.now();
        record(peer.name, 'connected', `${peer.connectedAt - peer.createdAt} ms after create`);
      }
    },
    error: (error: unknown) =>
      record(peer.name, 'actor-error', JSON.stringify(serializeError(error)), true),
  });
  peer.actor.on('error', ({ error }) => {
    peer.errors.push(serializeError(error));
    record(peer.name, 'emit:error', JSON.stringify(serializeError(error)), true);
  });
  peer.actor.on('data', ({ label, data }) => {
    if (peer.onData) {
      peer.onData(data);
      return;
    }
    const text = typeof data === 'string' ? data : JSON.stringify(describe(data));
    peer.messages.push({ label, data: text, at: Date.now() });
    if (verbose) record(peer.name, 'emit:data', `${label}: ${text.slice(0, 80)}`);
  });
  if (!verbose) return;
  for (const type of ['track', 'dataChannel', 'closed'] as const) {
    peer.actor.on(type, (event) =>
      record(peer.name, `emit:${type}`, JSON.stringify(describe(event, 2))),
    );
  }
}

export const isConnected = (s: PeerSnapshot): boolean =>
  s.matches({ active: { connection: 'connected' } });

function connectionRegion(s: PeerSnapshot): string {
  const value = s.value;
  if (typeof value === 'string') return value;
  const connection = (value as { active?: { connection?: string | object } }).active?.connection;
  // `restartingIce` has substates (who restarts): `{ restartingIce: 'awaitingRemote' }`.
  if (typeof connection === 'object') return Object.keys(connection)[0] ?? '';
  return connection ?? JSON.stringify(value);
}

export function matches(s: PeerSnapshot, condition: Condition): boolean {
  if ('connection' in condition) return connectionRegion(s) === condition.connection;
  if ('connectionIn' in condition) return condition.connectionIn.includes(connectionRegion(s));
  if ('pcConnectionIn' in condition)
    return condition.pcConnectionIn.includes(s.context.pcStates.connection);
  if ('closed' in condition) return s.matches('closed');
  if ('channelOpen' in condition)
    return s.context.dataChannels.some(
      (c) => c.label === condition.channelOpen && c.readyState === 'open',
    );
  if ('liveRemoteTracks' in condition)
    return (
      s.context.remoteTracks.filter((t) => !t.ended && t.track.readyState === 'live').length >=
      condition.liveRemoteTracks
    );
  if ('renegotiationIdle' in condition) return s.matches({ active: { renegotiation: 'idle' } });
  if ('iceRestartsAtLeast' in condition)
    return s.context.counters.iceRestarts >= condition.iceRestartsAtLeast;
  return (
    s.matches({ active: { signaling: 'stable' } }) &&
    s.context.counters.offersSent >= condition.stableWith.offersSentAtLeast
  );
}

/** Resolves with `Date.now()` when the condition first holds (checked on every snapshot). */
export function until(peer: Peer, condition: Condition, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    if (matches(peer.actor.getSnapshot(), condition)) {
      resolve(Date.now());
      return;
    }
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      const s = peer.actor.getSnapshot();
      reject(
        new Error(
          `peer ${peer.name}: no ${JSON.stringify(condition)} within ${timeoutMs} ms; ` +
            `state ${JSON.stringify(s.value)}, pc ${JSON.stringify(s.context.pcStates)}, ` +
            `errors ${JSON.stringify(peer.errors.map((e) => e.code ?? e.message))}`,
        ),
      );
    }, timeoutMs);
    const subscription = peer.actor.subscribe((s) => {
      if (!matches(s, condition)) return;
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve(Date.now());
    });
  });
}

export function summary(peer: Peer) {
  const s = peer.actor.getSnapshot();
  const c = s.context;
  return {
    name: peer.name,
    value: s.value,
    status: s.status,
    platform: c.platform ?? null,
    pcStates: c.pcStates,
    counters: c.counters,
    sent: { ...peer.sent },
    ws: peer.ws?.status() ?? null,
    connectedMs: peer.connectedAt === undefined ? null : peer.connectedAt - peer.createdAt,
    lastIceRecoveryMs: c.lastIceRecoveryMs,
    epoch: c.epoch,
    lastRebuildMs: c.lastRebuildMs,
    closeReason: c.closeReason,
    localTracks: c.localTracks.map((t) => ({
      kind: t.track.kind,
      id: t.track.id,
      sending: t.sending,
      ended: t.ended,
    })),
    remoteTracks: c.remoteTracks.map((t) => ({
      kind: t.track.kind,
      id: t.track.id,
      readyState: t.track.readyState,
      muted: t.muted,
      trackMuted: t.track.muted,
      ended: t.ended,
      streamIds: t.streams.map((stream) => stream.id),
    })),
    dataChannels: c.dataChannels.map((d) => ({
      label: d.label,
      origin: d.origin,
      readyState: d.readyState,
    })),
    errors: peer.errors,
    messages: peer.messages.length,
    timeline: peerTimeline(peer.actor).slice(-60),
  };
}

/** A plain dump of `getStats()`, for traces and for the candidate-pair and RTP checks. */
export async function statsOf(peer: Peer): Promise<Record<string, unknown>[]> {
  const pc = peer.actor.getSnapshot().context.pc;
  if (!pc || pc.connectionState === 'closed') return [];
  const report = await pc.getStats();
  const out: Record<string, unknown>[] = [];
  report.forEach((value: unknown) => {
    out.push({ ...(value as Record<string, unknown>) });
  });
  return out;
}
