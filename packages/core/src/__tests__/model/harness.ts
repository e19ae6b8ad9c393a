/**
 * A two-peer call for model, property and fuzz tests, run under vitest's fake timers so that a
 * whole call (timeouts and ICE restarts included) takes milliseconds and replays exactly:
 * - a signaling wire whose every message can be delayed, duplicated, reordered or dropped;
 * - peer connections whose engine operations can be made to fail on demand;
 * - invariants checked on every snapshot of both peers;
 * - leak accounting (peer connections, listeners, timers) after close.
 */
import { vi } from 'vitest';
import { createActor, type InspectionEvent } from 'xstate';
import { PeerStateError } from '../../errors.js';
import { answerAfterTheEnd, type PeerActor, type PeerSnapshot } from '../../machine/createPeer.js';
import { peerMachine } from '../../machine/peerMachine.js';
import type { PeerOptions } from '../../machine/types.js';
import type { PeerConnectionFactory } from '../../platform/types.js';
import type { SignalingChannel, SignalingMessage } from '../../signaling/types.js';
import {
  createFakeMediaDevices,
  createFakeNetwork,
  type FakeNetwork,
  type FakePeerConnection,
  type FakePeerConnectionOptions,
  liveFakeListenerCount,
  openFakePeerConnections,
  resetFakeRegistry,
} from '../../testing/index.js';

/** How many upcoming engine operations of each kind reject (decremented as they do). */
export interface EngineFaults {
  /** `setLocalDescription()` that would create an offer. */
  offer: number;
  /** `setLocalDescription()` that would create an answer. */
  answer: number;
  /** `setLocalDescription({ type: 'rollback' })`. */
  rollback: number;
  /** `setRemoteDescription(...)`. */
  remote: number;
  /** Creating a peer connection (the constructor throws, e.g. Chromium's 500-connection limit). */
  create: number;
  /** `setLocalDescription()` of an offer that takes effect, then rejects anyway. */
  offerApplied: number;
  /** `setRemoteDescription(...)` refused as Chromium refuses m-lines out of negotiated order. */
  desync: number;
}

export function noFaults(): EngineFaults {
  return { offer: 0, answer: 0, rollback: 0, remote: 0, create: 0, offerApplied: 0, desync: 0 };
}

function injected(what: string): Error {
  return new DOMException(`injected failure: ${what}`, 'OperationError');
}

/** The engine refuses operations while `faults` says so, as a browser refusing an SDP would. */
export function faultyFactory(
  factory: (configuration?: RTCConfiguration) => FakePeerConnection,
  faults: EngineFaults,
  created: FakePeerConnection[],
): PeerConnectionFactory {
  return (configuration) => {
    if (faults.create > 0) {
      faults.create -= 1;
      throw new DOMException(
        'injected failure: Cannot create so many PeerConnections',
        'UnknownError',
      );
    }
    const pc = factory(configuration);
    created.push(pc);
    const setLocal = pc.setLocalDescription.bind(pc);
    const setRemote = pc.setRemoteDescription.bind(pc);
    pc.setLocalDescription = (description) => {
      const kind =
        description?.type === 'rollback'
          ? 'rollback'
          : pc.signalingState === 'have-remote-offer'
            ? 'answer'
            : 'offer';
      if (faults[kind] > 0) {
        faults[kind] -= 1;
        return Promise.reject(injected(`setLocalDescription (${kind})`));
      }
      if (kind === 'offer' && faults.offerApplied > 0) {
        faults.offerApplied -= 1;
        return setLocal(description).then(() =>
          Promise.reject(injected('after setLocalDescription')),
        );
      }
      return setLocal(description);
    };
    pc.setRemoteDescription = (description) => {
      if (faults.remote > 0) {
        faults.remote -= 1;
        return Promise.reject(injected('setRemoteDescription'));
      }
      if (faults.desync > 0) {
        faults.desync -= 1;
        return Promise.reject(
          new DOMException(
            "Failed to set remote offer sdp: The order of m-lines in subsequent offer doesn't match order from previous offer/answer.",
            'InvalidAccessError',
          ),
        );
      }
      return setRemote(description);
    };
    return pc;
  };
}

/** When each message sent on a wire arrives: a list of delays (ms), `[]` drops it. */
export type DeliveryPlan = (message: SignalingMessage, seq: number) => readonly number[];

export const reliable: DeliveryPlan = () => [1];

/** One direction of the signaling wire. */
export class Wire {
  readonly sent: SignalingMessage[] = [];
  delivered = 0;
  dropped = 0;
  duplicated = 0;
  #listeners = new Set<(message: unknown) => void>();
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #lastAt = 0;
  #plan: DeliveryPlan;
  #ordered: boolean;

  constructor(plan: DeliveryPlan, ordered: boolean) {
    this.#plan = plan;
    this.#ordered = ordered;
  }

  setPlan(plan: DeliveryPlan, ordered = this.#ordered): void {
    this.#plan = plan;
    this.#ordered = ordered;
  }

  send(message: SignalingMessage): void {
    const seq = this.sent.length;
    this.sent.push(message);
    // A JSON round trip, as on a real wire: the receiver shares nothing with the sender.
    const text = JSON.stringify(message);
    const delays = this.#plan(message, seq);
    if (delays.length === 0) this.dropped += 1;
    if (delays.length > 1) this.duplicated += delays.length - 1;
    for (const delay of delays) {
      let at = Date.now() + delay;
      // FIFO: a later message never overtakes an earlier one.
      if (this.#ordered) at = Math.max(at, this.#lastAt);
      this.#lastAt = Math.max(this.#lastAt, at);
      this.#schedule(at - Date.now(), () => {
        this.delivered += 1;
        this.#emit(JSON.parse(text));
      });
    }
  }

  /** Delivers anything (not necessarily JSON, not necessarily valid) as the remote would. */
  inject(raw: unknown, delay = 0): void {
    this.#schedule(delay, () => this.#emit(raw));
  }

  subscribe(listener: (message: unknown) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  get pending(): number {
    return this.#timers.size;
  }

  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#listeners.clear();
  }

  #schedule(delay: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, delay);
    this.#timers.add(timer);
  }

  #emit(message: unknown): void {
    for (const listener of [...this.#listeners]) listener(message);
  }
}

export interface ModelPeer {
  readonly name: 'a' | 'b';
  readonly actor: PeerActor;
  readonly errors: PeerStateError[];
  /** Non-PeerStateError values emitted as errors, or errors escaping the actor. */
  readonly escaped: unknown[];
  /** Invariant violations seen on any snapshot. */
  readonly violations: string[];
  readonly faults: EngineFaults;
  /** Every peer connection this peer created. */
  readonly created: FakePeerConnection[];
  /** What this peer sends (its outgoing wire). */
  readonly out: Wire;
  pc(): FakePeerConnection;
  snapshot(): PeerSnapshot;
}

export interface ModelCall {
  readonly a: ModelPeer;
  readonly b: ModelPeer;
  readonly network: FakeNetwork;
  /** Unhandled promise rejections seen while the call ran. */
  readonly unhandled: unknown[];
  /** Runs timers (and the promises they settle) for `ms` of fake time. */
  advance(ms: number): Promise<void>;
  /** Advances until both peers are at rest (or `limit` ms passed); returns whether they are. */
  settle(limit?: number): Promise<boolean>;
  /** Closes both peers, then checks nothing outlives them; returns the leaks found. */
  closeAndCheckLeaks(): Promise<string[]>;
  dispose(): void;
}

export interface ModelCallOptions {
  readonly a?: Partial<PeerOptions>;
  readonly b?: Partial<PeerOptions>;
  readonly fakeA?: FakePeerConnectionOptions;
  readonly fakeB?: FakePeerConnectionOptions;
  readonly planA?: DeliveryPlan;
  readonly planB?: DeliveryPlan;
  /** FIFO wires (default `true`). */
  readonly ordered?: boolean;
  readonly latencyMs?: number;
  readonly inspect?: (event: InspectionEvent) => void;
  readonly start?: boolean;
  /** Replace the peer-connection factory (after fault injection is wired). */
  readonly factoryA?: PeerConnectionFactory;
  readonly factoryB?: PeerConnectionFactory;
  /** The machine to run (default `peerMachine`; regressions.test.ts passes broken `.provide()`d ones). */
  readonly machine?: typeof peerMachine;
}

/** Timing small enough for fast runs, large enough to tell leaked timers from wire traffic. */
export const FAST_TIMING = {
  answerTimeout: 300,
  iceRestart: {
    disconnectedGracePeriod: 100,
    connectTimeout: 600,
    initialDelay: 120,
    factor: 2,
    maxDelay: 400,
    maxAttempts: 3,
  },
  rebuild: { maxAttempts: 2, timeout: 400 },
} as const satisfies Partial<PeerOptions>;

const SIGNALING_IN_TRANSIT = new Set(['makingOffer', 'settingRemoteDescription', 'answering']);

/** Invariants that must hold on every snapshot of a peer. */
export function checkInvariants(snapshot: PeerSnapshot): string[] {
  const problems: string[] = [];
  const { context } = snapshot;
  const pc = context.pc;
  if (snapshot.status === 'error') problems.push(`actor errored: ${String(snapshot.error)}`);
  if (
    (snapshot.matches('closed') || snapshot.matches('failed')) &&
    pc &&
    pc.signalingState !== 'closed'
  ) {
    problems.push('terminal state with an open peer connection');
  }
  if (snapshot.matches('active') && pc === null) problems.push('active without a peer connection');
  if (
    snapshot.matches({ active: { signaling: 'haveLocalOffer' } }) &&
    pc &&
    pc.signalingState !== 'closed' &&
    pc.signalingState !== 'have-local-offer' &&
    pc.signalingState !== 'have-remote-pranswer'
  ) {
    problems.push(`haveLocalOffer while the engine is ${pc.signalingState}`);
  }
  if (
    snapshot.matches({ active: { signaling: 'answering' } }) &&
    context.bufferedCandidates.some(({ candidate }) =>
      context.remoteUfrags.includes(candidate?.usernameFragment ?? ''),
    )
  ) {
    // Candidates of a later ICE generation may wait; those of the applied one must not.
    problems.push('answering with candidates of the applied description still buffered');
  }
  const c = context.counters;
  if (c.candidatesApplied + c.candidatesDiscarded > c.candidatesReceived) {
    problems.push(
      `more candidates applied/discarded (${c.candidatesApplied}+${c.candidatesDiscarded}) than received (${c.candidatesReceived})`,
    );
  }
  if (context.iceRestartAttempts > context.options.iceRestart.maxAttempts) {
    problems.push(`iceRestartAttempts ${context.iceRestartAttempts} > maxAttempts`);
  }
  if (context.rebuildAttempts > context.options.rebuild.maxAttempts) {
    problems.push(`rebuildAttempts ${context.rebuildAttempts} > maxAttempts`);
  }
  if (snapshot.matches('rebuilding') && pc && pc.signalingState !== 'closed') {
    problems.push('rebuilding while the old peer connection is still open');
  }
  for (const [key, value] of Object.entries(c)) {
    if (!Number.isInteger(value) || value < 0) problems.push(`counter ${key} = ${value}`);
  }
  return problems;
}

/** Nothing left to do: terminal, or stable with an empty inbox and no renegotiation due. */
export function atRest(snapshot: PeerSnapshot): boolean {
  if (snapshot.status !== 'active') return true;
  if (snapshot.matches('closed') || snapshot.matches('failed')) return true;
  if (!snapshot.matches('active')) return false;
  return (
    snapshot.matches({ active: { signaling: 'stable', renegotiation: 'idle' } }) &&
    snapshot.context.inbox.length === 0
  );
}

export function signalingState(snapshot: PeerSnapshot): string | null {
  const value = snapshot.value;
  if (typeof value === 'string') return null;
  const active = (value as { active?: { signaling?: string } }).active;
  return active?.signaling ?? null;
}

export function isInTransit(snapshot: PeerSnapshot): boolean {
  const state = signalingState(snapshot);
  return state !== null && SIGNALING_IN_TRANSIT.has(state);
}

let unhandledSink: unknown[] | null = null;
let unhandledHooked = false;
function hookUnhandled(): void {
  if (unhandledHooked) return;
  unhandledHooked = true;
  process.on('unhandledRejection', (reason) => {
    // Vitest reports them too; the sink lets a property count them as a failed run.
    unhandledSink?.push(reason);
  });
}

/**
 * Builds a call. Expects `vi.useFakeTimers()` to be active. `a` is impolite, `b` polite.
 */
export function createModelCall(options: ModelCallOptions = {}): ModelCall {
  hookUnhandled();
  resetFakeRegistry();
  const unhandled: unknown[] = [];
  unhandledSink = unhandled;
  const latencyMs = options.latencyMs ?? 1;
  const network = createFakeNetwork({ latencyMs });
  const ordered = options.ordered ?? true;
  const wireAB = new Wire(options.planA ?? reliable, ordered);
  const wireBA = new Wire(options.planB ?? reliable, ordered);

  const makePeer = (
    name: 'a' | 'b',
    out: Wire,
    incoming: Wire,
    peerOptions: Partial<PeerOptions> | undefined,
    fake: FakePeerConnectionOptions | undefined,
    override: PeerConnectionFactory | undefined,
  ): ModelPeer => {
    const faults = noFaults();
    const created: FakePeerConnection[] = [];
    const signaling: SignalingChannel = {
      send: (message) => out.send(message),
      subscribe: (listener) => incoming.subscribe(listener),
    };
    const actor: PeerActor = answerAfterTheEnd(
      createActor(options.machine ?? peerMachine, {
        id: name,
        input: {
          signaling,
          polite: name === 'b',
          peerConnection: override ?? faultyFactory(network.factory(name, fake), faults, created),
          mediaDevices: createFakeMediaDevices(),
          dev: false,
          ...FAST_TIMING,
          ...peerOptions,
        },
        ...(options.inspect ? { inspect: options.inspect } : {}),
      }),
    );
    const errors: PeerStateError[] = [];
    const escaped: unknown[] = [];
    const violations: string[] = [];
    actor.on('error', ({ error }) => {
      if (error instanceof PeerStateError) errors.push(error);
      else escaped.push(error);
    });
    actor.subscribe({
      next: (snapshot) => {
        for (const problem of checkInvariants(snapshot)) {
          violations.push(`${name} in ${JSON.stringify(snapshot.value)}: ${problem}`);
        }
      },
      error: (error) => escaped.push(error),
    });
    return {
      name,
      actor,
      errors,
      escaped,
      violations,
      faults,
      created,
      out,
      pc: () => {
        const pc = actor.getSnapshot().context.pc;
        if (!pc) throw new Error(`peer ${name} has no peer connection`);
        return pc as FakePeerConnection;
      },
      snapshot: () => actor.getSnapshot(),
    };
  };

  const a = makePeer('a', wireAB, wireBA, options.a, options.fakeA, options.factoryA);
  const b = makePeer('b', wireBA, wireAB, options.b, options.fakeB, options.factoryB);
  if (options.start !== false) {
    a.actor.start();
    b.actor.start();
  }

  const advance = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
  };

  const settle = async (limit = 3000) => {
    const step = 10;
    let quiet = 0;
    for (let elapsed = 0; elapsed < limit; elapsed += step) {
      await advance(step);
      const rest =
        atRest(a.snapshot()) &&
        atRest(b.snapshot()) &&
        wireAB.pending === 0 &&
        wireBA.pending === 0;
      quiet = rest ? quiet + step : 0;
      // Quiet for a while: the engines' own tasks (negotiationneeded, ICE) have run too.
      if (quiet >= 60) return true;
    }
    return false;
  };

  const closeAndCheckLeaks = async () => {
    for (const peer of [a, b]) {
      const snapshot = peer.snapshot();
      if (snapshot.status === 'active' && !snapshot.matches('closed')) {
        peer.actor.send({ type: 'CLOSE' });
      }
    }
    // Let the bye and the engines' last tasks run; far shorter than any machine timeout, so a
    // timer the machine forgot would still be pending below.
    await advance(40 + 2 * latencyMs);
    const leaks: string[] = [];
    const open = openFakePeerConnections();
    if (open.length) leaks.push(`${open.length} peer connection(s) left open`);
    const listeners = liveFakeListenerCount();
    if (listeners) leaks.push(`${listeners} listener(s) left on fakes`);
    for (const [name, wire] of [
      ['a→b', wireAB],
      ['b→a', wireBA],
    ] as const) {
      if (wire.listenerCount)
        leaks.push(`${wire.listenerCount} signaling subscription(s) on ${name}`);
    }
    // The wire's own deliveries still in flight are not the machine's.
    const timers = vi.getTimerCount() - wireAB.pending - wireBA.pending;
    if (timers) leaks.push(`${timers} timer(s) still pending`);
    return leaks;
  };

  const dispose = () => {
    a.actor.stop();
    b.actor.stop();
    wireAB.dispose();
    wireBA.dispose();
    vi.clearAllTimers();
    if (unhandledSink === unhandled) unhandledSink = null;
  };

  return { a, b, network, unhandled, advance, settle, closeAndCheckLeaks, dispose };
}

/** Labels of this peer's open channels, by origin, sorted. */
export function openChannels(peer: ModelPeer, origin: 'local' | 'remote'): string[] {
  return peer
    .snapshot()
    .context.dataChannels.filter((c) => c.origin === origin && c.channel.readyState === 'open')
    .map((c) => c.label)
    .sort();
}

/** Kinds of the tracks this peer sends, sorted. */
export function sentKinds(peer: ModelPeer): string[] {
  return peer
    .snapshot()
    .context.localTracks.map((t) => t.track.kind)
    .sort();
}

/** Kinds of the remote tracks this peer currently receives (in a stream, not ended), sorted. */
export function receivedKinds(peer: ModelPeer): string[] {
  return peer
    .snapshot()
    .context.remoteTracks.filter((t) => !t.ended && t.streams.length > 0)
    .map((t) => t.track.kind)
    .sort();
}

export function isConnected(peer: ModelPeer): boolean {
  return peer.snapshot().matches({ active: { connection: 'connected' } });
}
