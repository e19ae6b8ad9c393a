/**
 * Issue 11, cases 1–3 against a real libwebrtc (`@roamhq/wrtc`), in a child process of its own:
 * libwebrtc may crash while Node exits, which must not take the test runner with it. The parent
 * (`lateAnswers.real.test.ts`) bundles this file, forks it with the case's name and asserts on the
 * outcome it sends back. Only the public API is used (the main and the legacy entries).
 */
import wrtc from '@roamhq/wrtc';
import {
  createPeer,
  type PeerActor,
  type PeerStateError,
  peerView,
  type SignalingChannel,
  type SignalingMessage,
} from '../../index.js';
import { legacyPeerConnection } from '../../platform/legacy/index.js';

/** What the parent asserts on. */
export interface RealEngineOutcome {
  readonly name: string;
  /** The wait that ran out, if one did (the outcome is what held at that point). */
  readonly timedOut: string | null;
  readonly connected: readonly [boolean, boolean];
  readonly signaling: readonly [string, string];
  readonly errors: readonly string[];
  readonly counters: readonly [Record<string, number>, Record<string, number>];
  /** Offers each peer put on the wire (resends included). */
  readonly wireOffers: readonly [number, number];
  /** ms from a's first offer on the wire to the first answer a received. */
  readonly firstAnswerAfter: number | null;
  /** `a=ice-ufrag` of a's remote / b's local description, and of b's remote / a's local. */
  readonly ufrags: Readonly<
    Record<'aRemote' | 'bLocal' | 'bRemote' | 'aLocal' | 'firstAnswer', string | null>
  >;
  readonly remoteTracksOfA: number;
  readonly echoed: boolean;
}

/** Long enough for a loaded 2-core machine to answer an offer well within it. */
const ANSWER_TIMEOUT = 1000;
/** Every wait is for an event; this bounds it on a loaded machine. */
const WAIT_LIMIT = 30_000;

type Delivery = readonly number[] | 'hold';
type Plan = (message: SignalingMessage) => Delivery;

const isAnswer = (message: SignalingMessage) =>
  message.type === 'description' && message.description.type === 'answer';
const isOffer = (message: SignalingMessage) =>
  message.type === 'description' && message.description.type === 'offer';
const ufragOf = (sdp: string | undefined) => sdp?.match(/a=ice-ufrag:(\S+)/)?.[1] ?? null;

/** Something in the scenario changed: waiters check their conditions again. */
const pokes = new Set<() => void>();
const poke = () => {
  for (const check of [...pokes]) check();
};

class TimedOut extends Error {}

function until(what: string, condition: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pokes.delete(check);
      reject(new TimedOut(what));
    }, WAIT_LIMIT);
    const check = () => {
      if (!condition()) return;
      clearTimeout(timer);
      pokes.delete(check);
      resolve();
    };
    pokes.add(check);
    check();
  });
}

/** One direction of the wire: a JSON copy of each message, delivered as the plan says. */
function createWire(plan: Plan) {
  const listeners = new Set<(message: unknown) => void>();
  const sent: SignalingMessage[] = [];
  const held: unknown[] = [];
  const deliver = (message: unknown) => {
    for (const listener of [...listeners]) listener(message);
    poke();
  };
  const sender: SignalingChannel['send'] = (message) => {
    sent.push(message);
    const delivery = plan(message);
    const copy = JSON.parse(JSON.stringify(message)) as unknown;
    if (delivery === 'hold') held.push(copy);
    else for (const delay of delivery) setTimeout(() => deliver(copy), delay);
    poke();
  };
  return {
    sent,
    held,
    send: sender,
    inject: (message: unknown) => setTimeout(() => deliver(message), 0),
    release: () => {
      for (const message of held.splice(0)) setTimeout(() => deliver(message), 0);
    },
    subscribe: (listener: (message: unknown) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const scope = {
  RTCPeerConnection: wrtc.RTCPeerConnection,
  RTCSessionDescription: wrtc.RTCSessionDescription,
  RTCIceCandidate: wrtc.RTCIceCandidate,
};

/** a (impolite) and b (polite), started; b's messages to a go through `planB`. */
function createCall(planB: Plan) {
  const wireAB = createWire(() => [0]);
  const wireBA = createWire(planB);
  const errors: string[] = [];
  const echoes: unknown[] = [];
  let firstOfferAt: number | null = null;
  let firstAnswerAfter: number | null = null;
  const make = (name: 'a' | 'b', out: typeof wireAB, incoming: typeof wireAB): PeerActor => {
    const signaling: SignalingChannel = {
      send: (message) => {
        if (name === 'a' && firstOfferAt === null && isOffer(message)) firstOfferAt = Date.now();
        out.send(message);
      },
      subscribe: (listener) =>
        incoming.subscribe((message) => {
          const m = message as SignalingMessage;
          if (name === 'a' && firstAnswerAfter === null && firstOfferAt !== null && isAnswer(m)) {
            firstAnswerAfter = Date.now() - firstOfferAt;
          }
          listener(message as SignalingMessage);
        }),
    };
    const peer = createPeer({
      signaling,
      polite: name === 'b',
      // libwebrtc in Node lacks the parameterless setLocalDescription(): the main entry refuses
      // such an engine with UNSUPPORTED, the legacy entry's adapter shims it.
      peerConnection: legacyPeerConnection({ scope }),
      dev: false,
      answerTimeout: ANSWER_TIMEOUT,
    });
    peer.on('error', ({ error }: { error: PeerStateError }) => {
      errors.push(`${name}: ${error.code} ${error.message}`);
      poke();
    });
    peer.subscribe(() => poke());
    return peer;
  };
  const a = make('a', wireAB, wireBA);
  const b = make('b', wireBA, wireAB);
  b.on('data', ({ data }) =>
    b.send({ type: 'SEND_DATA', label: 'chat', data: `echo:${String(data)}` }),
  );
  a.on('data', ({ data }) => {
    echoes.push(data);
    poke();
  });
  a.start();
  b.start();
  return {
    a,
    b,
    wireAB,
    wireBA,
    errors,
    echoes,
    firstAnswerAfter: () => firstAnswerAfter,
  };
}

type Call = ReturnType<typeof createCall>;

const pcOf = (peer: PeerActor) => peer.getSnapshot().context.pc;
const stable = (peer: PeerActor) => pcOf(peer)?.signalingState === 'stable';
const connected = (peer: PeerActor) => peerView(peer.getSnapshot()).phase === 'connected';
const chatOpen = (peer: PeerActor) =>
  peerView(peer.getSnapshot()).dataChannels.some(
    (channel) => channel.label === 'chat' && channel.readyState === 'open',
  );
const settledPair = (call: Call) =>
  connected(call.a) && connected(call.b) && stable(call.a) && stable(call.b);
const failedOut = (call: Call) => call.errors.length > 0;

async function roundTrip(call: Call): Promise<void> {
  await until('the chat channel to open', () => chatOpen(call.a) || failedOut(call));
  const ping = `ping-${call.echoes.length}`;
  call.a.send({ type: 'SEND_DATA', label: 'chat', data: ping });
  await until('the echo', () => call.echoes.includes(`echo:${ping}`) || failedOut(call));
}

const tracks: { stop(): void }[] = [];
function addTrack(peer: PeerActor, kind: 'audio' | 'video'): void {
  const source =
    kind === 'audio'
      ? new wrtc.nonstandard.RTCAudioSource()
      : new wrtc.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  tracks.push(track);
  const stream = new wrtc.MediaStream([track]);
  peer.send({
    type: 'ADD_TRACK',
    track: track as unknown as MediaStreamTrack,
    streams: [stream as unknown as MediaStream],
  });
}

const CASES: Record<string, (started: (call: Call) => void) => Promise<void>> = {
  /** Case 1: a's answers arrive 3.5 answerTimeouts late (a transport replaying its outbox). */
  async lateAnswer(started) {
    let held = true;
    const call = createCall((message) =>
      held && isAnswer(message) ? [3.5 * ANSWER_TIMEOUT] : [0],
    );
    started(call);
    addTrack(call.a, 'audio');
    addTrack(call.a, 'video');
    call.a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until('the first (late) answer', () => call.firstAnswerAfter() !== null);
    held = false;
    await until('both connected and stable', () => settledPair(call) || failedOut(call));
    await roundTrip(call);
    // The pair still negotiates: a track from b goes through.
    addTrack(call.b, 'video');
    await until(
      "b's track at a",
      () =>
        (call.a.getSnapshot().context.remoteTracks.length > 0 && settledPair(call)) ||
        failedOut(call),
    );
  },
  /** Case 2: b's first answer is lost, then b (polite) adds a track. */
  async lostAnswer(started) {
    let dropped = false;
    const call = createCall((message) => {
      if (!dropped && isAnswer(message)) {
        dropped = true;
        return [];
      }
      return [0];
    });
    started(call);
    call.a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until("b's first answer, lost", () => dropped);
    addTrack(call.b, 'audio');
    await until(
      "both stable, connected, b's track at a",
      () =>
        (settledPair(call) && call.a.getSnapshot().context.remoteTracks.length > 0) ||
        failedOut(call),
    );
    await roundTrip(call);
  },
  /** Case 3: a stale answer (to the first offer) while an ICE-restart re-offer waits. */
  async staleAnswer(started) {
    let hold = false;
    const call = createCall((message) => (hold && isAnswer(message) ? 'hold' : [0]));
    started(call);
    call.a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until('connected', () => (settledPair(call) && chatOpen(call.a)) || failedOut(call));
    const restarted = () =>
      ufragOf(pcOf(call.a)?.remoteDescription?.sdp) ===
      ufragOf(pcOf(call.b)?.localDescription?.sdp);
    call.a.send({ type: 'RESTART_ICE' });
    await until(
      'the first restart',
      () =>
        (settledPair(call) && restarted() && call.wireBA.sent.filter(isAnswer).length >= 2) ||
        failedOut(call),
    );
    // The second restart: the same m-lines again, b's answer held back on the wire…
    hold = true;
    call.a.send({ type: 'RESTART_ICE' });
    await until(
      "a's re-offer answered by b, the answer held",
      () =>
        (pcOf(call.a)?.signalingState === 'have-local-offer' && call.wireBA.held.length > 0) ||
        failedOut(call),
    );
    // …while the answer to the very first offer arrives again (replayed, reordered).
    const staleBefore = call.a.getSnapshot().context.counters.staleAnswers ?? 0;
    call.wireBA.inject(JSON.parse(JSON.stringify(call.wireBA.sent.find(isAnswer))));
    await until(
      'the stale answer taken (dropped, or applied by code without answer ids)',
      () =>
        (call.a.getSnapshot().context.counters.staleAnswers ?? 0) > staleBefore ||
        stable(call.a) ||
        failedOut(call),
    );
    hold = false;
    call.wireBA.release();
    await until(
      'both settled, each believing the ufrag the other uses',
      () => (settledPair(call) && restarted()) || failedOut(call),
    );
    await roundTrip(call);
  },
};

function outcome(name: string, call: Call, timedOut: string | null): RealEngineOutcome {
  const counters = (peer: PeerActor) =>
    ({ ...peer.getSnapshot().context.counters }) as Record<string, number>;
  const firstAnswer = call.wireBA.sent.find(isAnswer);
  return {
    name,
    timedOut,
    connected: [connected(call.a), connected(call.b)],
    signaling: [pcOf(call.a)?.signalingState ?? 'none', pcOf(call.b)?.signalingState ?? 'none'],
    errors: call.errors,
    counters: [counters(call.a), counters(call.b)],
    wireOffers: [call.wireAB.sent.filter(isOffer).length, call.wireBA.sent.filter(isOffer).length],
    firstAnswerAfter: call.firstAnswerAfter(),
    ufrags: {
      aRemote: ufragOf(pcOf(call.a)?.remoteDescription?.sdp),
      bLocal: ufragOf(pcOf(call.b)?.localDescription?.sdp),
      bRemote: ufragOf(pcOf(call.b)?.remoteDescription?.sdp),
      aLocal: ufragOf(pcOf(call.a)?.localDescription?.sdp),
      firstAnswer: ufragOf(
        firstAnswer?.type === 'description' ? firstAnswer.description.sdp : undefined,
      ),
    },
    remoteTracksOfA: call.a.getSnapshot().context.remoteTracks.length,
    echoed: call.echoes.length > 0,
  };
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const scenario = CASES[name];
  if (!scenario) throw new Error(`unknown case "${name}"`);
  let call: Call | null = null;
  let timedOut: string | null = null;
  try {
    await scenario((created) => {
      call = created;
    });
  } catch (error) {
    if (!(error instanceof TimedOut)) throw error;
    timedOut = error.message;
  }
  if (!call) throw new Error('the case created no call');
  const result = outcome(name, call, timedOut);
  const { a, b } = call as Call;
  a.send({ type: 'CLOSE' });
  b.send({ type: 'CLOSE' });
  for (const track of tracks) track.stop();
  process.send?.(result, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.send?.({ crashed: String(error instanceof Error ? error.stack : error) }, () =>
    process.exit(1),
  );
});
