/**
 * SDK scenarios, run in Chromium by `run.mjs`. Imports the SDK only through its public entries
 * (the source files, so no build is needed). Every scenario returns a JSON-serialisable result;
 * the assertions live in the runner, in Node.
 */
import { waitFor } from 'xstate';
import { type CreatePeerOptions, createInMemorySignalingPair, createPeer } from '../src/index.ts';
import { legacyPeerConnection } from '../src/platform/legacy/index.ts';
import {
  describe,
  now,
  poll,
  record,
  registerScenarios,
  type ScenarioOptions,
  type SerializedError,
  serializeError,
  sleep,
} from './harness.ts';

declare global {
  interface Window {
    /** Set by the `legacy-callback` prelude: native calls made in the callback form. */
    __callbackCalls?: number;
  }
}

type Peer = ReturnType<typeof createPeer>;
type PeerSnapshot = ReturnType<Peer['getSnapshot']>;

interface Probe {
  readonly name: string;
  readonly peer: Peer;
  /** `error` events the peer emitted. */
  readonly errors: SerializedError[];
  /** `data` events the peer emitted. */
  readonly messages: { label: string; data: unknown }[];
  /** Milliseconds from scenario start to the first `active.connection.connected` snapshot. */
  connectedMs: number | undefined;
}

const probes: Probe[] = [];

const isConnected = (s: PeerSnapshot) => s.matches({ active: { connection: 'connected' } });

/** Subscribes to everything a peer does and writes it to the event log. */
function instrument(name: string, peer: Peer, startedAt: number): Probe {
  const probe: Probe = { name, peer, errors: [], messages: [], connectedMs: undefined };
  probes.push(probe);
  let lastValue = '';
  let lastContext = '';
  const onSnapshot = (snapshot: PeerSnapshot) => {
    const value = JSON.stringify(snapshot.value);
    if (value !== lastValue) {
      lastValue = value;
      record(name, 'state', `${value} (${snapshot.status})`);
    }
    const context = JSON.stringify(describe(snapshot.context, 3));
    if (context !== lastContext) {
      lastContext = context;
      record(name, 'context', context);
    }
    if (probe.connectedMs === undefined && isConnected(snapshot)) {
      probe.connectedMs = Math.round(now() - startedAt);
      record(name, 'connected', `${probe.connectedMs} ms after start`);
    }
  };
  peer.subscribe({
    next: onSnapshot,
    error: (error: unknown) => record(name, 'actor-error', JSON.stringify(serializeError(error))),
    complete: () => record(name, 'complete'),
  });
  peer.on('*', (event: { type: string }) => {
    record(name, `emit:${event.type}`, JSON.stringify(describe(event, 2)));
  });
  peer.on('error', (event: { error: unknown }) => {
    probe.errors.push(serializeError(event.error));
  });
  peer.on('data', (event: { label: string; data: unknown }) => {
    probe.messages.push({
      label: event.label,
      data: typeof event.data === 'string' ? event.data : describe(event.data),
    });
  });
  return probe;
}

/** `waitFor` with a message that says who, what and where the machine was instead. */
async function waitUntil(
  probe: Probe,
  what: string,
  predicate: (snapshot: PeerSnapshot) => boolean,
  timeout: number,
): Promise<PeerSnapshot> {
  try {
    return await waitFor(probe.peer, predicate, { timeout });
  } catch (error) {
    const snapshot = probe.peer.getSnapshot();
    throw new Error(
      `peer ${probe.name}: ${String((error as Error).message ?? error)} while waiting for ${what}; ` +
        `state ${JSON.stringify(snapshot.value)}, status ${snapshot.status}, ` +
        `errors ${JSON.stringify(probe.errors.map((e) => e.code ?? e.message))}`,
    );
  }
}

type PeerConnectionOption = Pick<CreatePeerOptions, 'peerConnection'>;

function createPair(startedAt: number, options: PeerConnectionOption = {}) {
  const [signalingA, signalingB] = createInMemorySignalingPair();
  const a = instrument(
    'a',
    createPeer({ signaling: signalingA, polite: false, ...options }),
    startedAt,
  );
  const b = instrument(
    'b',
    createPeer({ signaling: signalingB, polite: true, ...options }),
    startedAt,
  );
  return { a, b };
}

function channelOpen(label: string) {
  return (s: PeerSnapshot) =>
    s.context.dataChannels.some((c) => c.label === label && c.readyState === 'open');
}

function liveChannelStates(probe: Probe) {
  return probe.peer
    .getSnapshot()
    .context.dataChannels.map(
      (c) => `${c.label}:${c.origin}:${c.readyState}/${c.channel.readyState}`,
    );
}

async function closeBoth(a: Probe, b: Probe, timeoutMs: number) {
  a.peer.send({ type: 'CLOSE' });
  await waitUntil(a, 'closed after CLOSE', (s) => s.matches('closed'), timeoutMs);
  const bAfterRemoteClose = JSON.stringify(b.peer.getSnapshot().value);
  if (!b.peer.getSnapshot().matches('closed')) b.peer.send({ type: 'CLOSE' });
  await waitUntil(b, 'closed after CLOSE', (s) => s.matches('closed'), timeoutMs);
  return {
    a: a.peer.getSnapshot().matches('closed'),
    b: b.peer.getSnapshot().matches('closed'),
    bAfterRemoteClose,
  };
}

/** Connect two peers over in-memory signaling and exchange one message each way on `chat`. */
async function dataChannelFlow({ timeoutMs }: ScenarioOptions, options: PeerConnectionOption = {}) {
  const startedAt = now();
  const { a, b } = createPair(startedAt, options);
  a.peer.start();
  b.peer.start();
  a.peer.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });

  const [snapA, snapB] = await Promise.all([
    waitUntil(a, 'active.connection.connected', isConnected, timeoutMs),
    waitUntil(b, 'active.connection.connected', isConnected, timeoutMs),
  ]);
  const platform = { a: snapA.context.platform?.name, b: snapB.context.platform?.name };

  for (const probe of [a, b]) {
    try {
      await waitUntil(probe, 'dataChannels chat open', channelOpen('chat'), timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}; channels ${liveChannelStates(probe)}`);
    }
  }

  const sent = { a: 'hello from a — ünïcödé ✓ 🚀', b: 'reply from b — ✓ 🛰️' };
  a.peer.send({ type: 'SEND_DATA', label: 'chat', data: sent.a });
  await poll(() => b.messages.length > 0, timeoutMs, 'b to receive a data event');
  b.peer.send({ type: 'SEND_DATA', label: 'chat', data: sent.b });
  await poll(() => a.messages.length > 0, timeoutMs, 'a to receive a data event');
  await sleep(50); // let duplicates, if any, arrive so the runner can see them

  const channels = {
    a: a.peer
      .getSnapshot()
      .context.dataChannels.map(({ label, origin, readyState }) => ({ label, origin, readyState })),
    b: b.peer
      .getSnapshot()
      .context.dataChannels.map(({ label, origin, readyState }) => ({ label, origin, readyState })),
  };
  const received = { a: [...a.messages], b: [...b.messages] };
  const closed = await closeBoth(a, b, timeoutMs);
  return {
    pre: window.__pre,
    callbackCalls: window.__callbackCalls,
    platform,
    connectedMs: { a: a.connectedMs, b: b.connectedMs },
    channels,
    sent,
    received,
    closed,
    errors: { a: a.errors, b: b.errors },
  };
}

/**
 * The same flow through `@peerstatejs/core/legacy`, told that Chromium only speaks the callback
 * API (it still has the callback overloads), so the adapter drives a real engine.
 */
function legacyCallbackFlow(options: ScenarioOptions) {
  return dataChannelFlow(options, {
    peerConnection: legacyPeerConnection({ api: 'legacy-callback' }),
  });
}

/** Peer A sends fake camera + microphone; B must receive both and the video must play. */
async function media({ timeoutMs }: ScenarioOptions) {
  const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  record('fixture', 'getUserMedia', JSON.stringify(describe(local.getTracks())));
  const startedAt = now();
  const { a, b } = createPair(startedAt);
  a.peer.start();
  b.peer.start();
  for (const track of local.getTracks()) {
    a.peer.send({ type: 'ADD_TRACK', track, streams: [local] });
  }

  await waitUntil(a, 'active.connection.connected', isConnected, timeoutMs);
  await waitUntil(b, 'active.connection.connected', isConnected, timeoutMs);
  const snapB = await waitUntil(
    b,
    'context.remoteTracks.length >= 2',
    (s) => s.context.remoteTracks.length >= 2,
    timeoutMs,
  );
  await sleep(50);
  const remoteTracks = b.peer.getSnapshot().context.remoteTracks.map((t) => ({
    kind: t.track.kind,
    id: t.track.id,
    readyState: t.track.readyState,
    streamIds: t.streams.map((s) => s.id),
    muted: t.muted,
    ended: t.ended,
  }));

  const videoEntry = snapB.context.remoteTracks.find((t) => t.track.kind === 'video');
  if (!videoEntry) throw new Error('no remote video track on b');
  const stream = videoEntry.streams[0] ?? new MediaStream([videoEntry.track]);
  const video = document.getElementById('remote') as HTMLVideoElement;
  video.srcObject = stream;
  const playError = await video.play().then(
    () => undefined,
    (error: unknown) => String(error),
  );
  await poll(() => video.videoWidth > 0, timeoutMs, 'remote <video> videoWidth > 0');
  const firstTime = video.currentTime;
  await poll(
    () => video.currentTime > firstTime + 0.2,
    timeoutMs,
    'remote <video> currentTime to advance',
  );
  const playback = {
    playError,
    videoWidth: video.videoWidth,
    videoHeight: video.videoHeight,
    firstTime,
    laterTime: video.currentTime,
    streamTrackKinds: stream
      .getTracks()
      .map((t) => t.kind)
      .sort(),
  };

  const closed = await closeBoth(a, b, timeoutMs);
  for (const track of local.getTracks()) track.stop();
  return {
    local: {
      streamId: local.id,
      kinds: local
        .getTracks()
        .map((t) => t.kind)
        .sort(),
    },
    connectedMs: { a: a.connectedMs, b: b.connectedMs },
    remoteTracks,
    playback,
    closed,
    errors: { a: a.errors, b: b.errors },
  };
}

/** No constructor at all: the peer must emit `error` with code UNSUPPORTED and end in `failed`. */
async function unsupported({ timeoutMs }: ScenarioOptions) {
  const startedAt = now();
  let probe: Probe;
  try {
    const [signaling] = createInMemorySignalingPair();
    probe = instrument('a', createPeer({ signaling, polite: false }), startedAt);
    probe.peer.start();
  } catch (error) {
    return { pre: window.__pre, threw: serializeError(error) };
  }
  const reached = await poll(
    () => probe.errors.length > 0 && probe.peer.getSnapshot().matches('failed'),
    Math.min(timeoutMs, 3_000),
    'error event and failed state',
  ).then(
    () => true,
    () => false,
  );
  await sleep(50); // collect any further errors
  const snapshot = probe.peer.getSnapshot();
  return {
    pre: window.__pre,
    reached,
    errors: probe.errors,
    value: snapshot.value,
    status: snapshot.status,
    failed: snapshot.matches('failed'),
    platform: snapshot.context.platform?.name ?? null,
  };
}

registerScenarios(
  {
    rtcpeerconnection: dataChannelFlow,
    'webkit-prefixed': dataChannelFlow,
    'legacy-callback': legacyCallbackFlow,
    media,
    unsupported,
  },
  () =>
    probes.map((probe) => {
      const snapshot = probe.peer.getSnapshot();
      return {
        name: probe.name,
        value: snapshot.value,
        status: snapshot.status,
        error: snapshot.status === 'error' ? describe(snapshot.error) : undefined,
        context: describe(snapshot.context, 3),
        errors: probe.errors,
        messages: probe.messages,
        connectedMs: probe.connectedMs,
      };
    }),
);
