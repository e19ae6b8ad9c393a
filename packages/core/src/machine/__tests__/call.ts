/** Test fixture: two peer machines over in-memory signaling and a fake network. */
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { waitFor } from 'xstate';
import type { PeerStateError } from '../../errors.js';
import { createInMemorySignalingPair } from '../../signaling/inMemorySignaling.js';
import type { SignalingChannel, SignalingMessage } from '../../signaling/types.js';
import {
  createFakeNetwork,
  type FakeNetwork,
  type FakeNetworkOptions,
  type FakePeerConnection,
  type FakePeerConnectionOptions,
  liveFakeListenerCount,
  openFakePeerConnections,
  resetFakeRegistry,
} from '../../testing/index.js';
import {
  type CreatePeerOptions,
  createPeer,
  type PeerActor,
  type PeerSnapshot,
} from '../createPeer.js';
import type { PeerEmitted } from '../types.js';

export interface TestPeer {
  readonly actor: PeerActor;
  readonly errors: PeerStateError[];
  readonly emitted: PeerEmitted[];
  /** Every message this peer sent, in order. */
  readonly sent: SignalingMessage[];
  pc(): FakePeerConnection;
}

export interface TestCall {
  readonly a: TestPeer;
  readonly b: TestPeer;
  readonly network: FakeNetwork;
  /** The raw signaling ends, to inject messages as the remote would. */
  readonly toA: SignalingChannel;
  readonly toB: SignalingChannel;
}

export interface TestCallOptions {
  readonly network?: FakeNetworkOptions;
  readonly a?: Partial<CreatePeerOptions>;
  readonly b?: Partial<CreatePeerOptions>;
  readonly fakeA?: FakePeerConnectionOptions;
  readonly fakeB?: FakePeerConnectionOptions;
  /** Wrap a peer's outgoing channel (delay, reorder, drop…). */
  readonly wrapA?: (channel: SignalingChannel) => SignalingChannel;
  readonly wrapB?: (channel: SignalingChannel) => SignalingChannel;
  readonly start?: boolean;
}

const actors: PeerActor[] = [];
/** Captured before any test installs fake timers: lets pending promise work run between timers. */
const realSetImmediate = globalThis.setImmediate;
const settlePromises = () => new Promise<void>((resolve) => realSetImmediate(resolve));

// Every timed behaviour (grace periods, backoff, answer and rebuild timeouts) runs on fake timers:
// on real ones a loaded machine fired a 60 ms restart timer before a restart could finish and
// counted two restarts. The fakes and XState look `setTimeout` up at call time, so they follow.
beforeEach(() => {
  vi.useFakeTimers();
  resetFakeRegistry();
});

afterEach(() => {
  for (const actor of actors.splice(0)) actor.stop();
  vi.useRealTimers();
});

function recording(channel: SignalingChannel, sent: SignalingMessage[]): SignalingChannel {
  return {
    send: (message) => {
      sent.push(message);
      return channel.send(message);
    },
    subscribe: (listener) => channel.subscribe(listener),
  };
}

function testPeer(
  name: 'a' | 'b',
  channel: SignalingChannel,
  network: FakeNetwork,
  polite: boolean,
  options: Partial<CreatePeerOptions> | undefined,
  fake: FakePeerConnectionOptions | undefined,
  wrap: ((channel: SignalingChannel) => SignalingChannel) | undefined,
): TestPeer {
  const sent: SignalingMessage[] = [];
  const signaling = recording(wrap ? wrap(channel) : channel, sent);
  const actor = createPeer({
    signaling,
    polite,
    peerConnection: network.factory(name, fake),
    dev: false,
    id: name,
    ...options,
  });
  actors.push(actor);
  const errors: PeerStateError[] = [];
  const emitted: PeerEmitted[] = [];
  actor.on('*', (event) => {
    emitted.push(event);
    if (event.type === 'error') errors.push(event.error);
  });
  return {
    actor,
    errors,
    emitted,
    sent,
    pc: () => {
      const pc = actor.getSnapshot().context.pc;
      if (!pc) throw new Error(`peer ${name} has no peer connection`);
      return pc as FakePeerConnection;
    },
  };
}

/** Two peers: `a` impolite, `b` polite, started unless `start: false`. */
export function createTestCall(options: TestCallOptions = {}): TestCall {
  const network = createFakeNetwork(options.network);
  const [toA, toB] = createInMemorySignalingPair();
  // What `a` sends goes out on `toA`'s end and arrives at `b`, and vice versa.
  const a = testPeer('a', toA, network, false, options.a, options.fakeA, options.wrapA);
  const b = testPeer('b', toB, network, true, options.b, options.fakeB, options.wrapB);
  if (options.start !== false) {
    a.actor.start();
    b.actor.start();
  }
  return { a, b, network, toA, toB };
}

export const CONNECTED = { active: { connection: 'connected' } } as const;

export function isConnected(snapshot: PeerSnapshot): boolean {
  return snapshot.matches(CONNECTED);
}

/**
 * Waits until the peer's snapshot satisfies `predicate`, running the fake timers one at a time so
 * the test resumes in the task that made it true (as a real wait would); fails once `timeout` ms
 * of fake time have passed, or when nothing is left to run.
 */
export async function until(
  peer: Pick<TestPeer, 'actor'>,
  predicate: (snapshot: PeerSnapshot) => boolean,
  timeout = 2000,
): Promise<PeerSnapshot> {
  if (!vi.isFakeTimers()) return waitFor(peer.actor, predicate, { timeout });
  let matched: PeerSnapshot | undefined;
  const check = (snapshot: PeerSnapshot) => {
    if (matched === undefined && predicate(snapshot)) matched = snapshot;
  };
  const subscription = peer.actor.subscribe(check);
  const deadline = Date.now() + timeout;
  try {
    check(peer.actor.getSnapshot());
    while (matched === undefined && Date.now() <= deadline) {
      // Promise work (an engine's, getUserMedia's) settles before the clock moves on.
      await settlePromises();
      if (matched !== undefined || vi.getTimerCount() === 0) break;
      await vi.advanceTimersToNextTimerAsync();
    }
  } finally {
    subscription.unsubscribe();
  }
  if (matched === undefined || Date.now() > deadline) {
    throw new Error(`until: no matching snapshot within ${timeout} ms (fake time)`);
  }
  return matched;
}

export async function bothConnected(call: TestCall, timeout = 2000): Promise<void> {
  await Promise.all([until(call.a, isConnected, timeout), until(call.b, isConnected, timeout)]);
}

/** Both peers stable with nothing left to do. */
export async function bothSettled(call: TestCall, timeout = 2000): Promise<void> {
  const settled = (snapshot: PeerSnapshot) =>
    snapshot.matches({ active: { signaling: 'stable', renegotiation: 'idle' } }) &&
    snapshot.context.inbox.length === 0;
  await Promise.all([until(call.a, settled, timeout), until(call.b, settled, timeout)]);
  await tick(20);
  await Promise.all([until(call.a, settled, timeout), until(call.b, settled, timeout)]);
}

/** Lets `ms` of (fake, when installed) time pass, running every timer due meanwhile. */
export async function tick(ms = 0): Promise<void> {
  if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(ms);
  else await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Closes both peers and proves nothing outlives them. */
export async function closeAndExpectNoLeaks(call: TestCall): Promise<void> {
  for (const peer of [call.a, call.b]) {
    if (!peer.actor.getSnapshot().matches('closed')) peer.actor.send({ type: 'CLOSE' });
  }
  await tick(5);
  expect(openFakePeerConnections()).toEqual([]);
  expect(liveFakeListenerCount()).toBe(0);
}
