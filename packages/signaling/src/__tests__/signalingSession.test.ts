/**
 * The signaling session over a mock room (msw's `ws.link`): its lifecycle (nothing connects
 * before `start()`), presence (the peer is created when the remote is there, ended with
 * `remote-left` when it goes, replaced when it comes back) and roles (from the two ids).
 */
import {
  createFakeMediaDevices,
  createFakeNetwork,
  type FakeNetwork,
} from '@peerstatejs/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createSignalingSession,
  createWebSocketSignaling,
  isPolite,
  type SignalingSession,
  type SignalingSessionOptions,
  type SignalingSessionSnapshot,
} from '../index.js';
import { installMockRoom } from './mockRoom.js';
import { untilSnapshot } from './untilSnapshot.js';

const URL_ = 'ws://room.test/';
// Real timers and sockets: every wait is for an event, each bounded by `until` (15 s, sized
// for a loaded 2-core machine running the other packages' suites beside this one). A test of
// seven steps took over the package's 30 s test timeout in CI under two CPU hogs although no
// step reached the 5 s bound it had then: a test's bound is the sum of its steps' bounds.
vi.setConfig({ testTimeout: 120_000 });

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const sessions: SignalingSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.stop();
});

function session(
  peerId: string,
  network: FakeNetwork,
  side: 'a' | 'b',
  options: Partial<SignalingSessionOptions> = {},
): SignalingSession {
  const created = createSignalingSession({
    url: URL_,
    room: 'room-1',
    peerId,
    reconnect: { initialDelay: 10, jitter: 0 },
    leaveOnPageHide: false,
    // Media gives the call something to negotiate, as the camera does in an app.
    media: { audio: true },
    peer: {
      peerConnection: network.factory(side),
      mediaDevices: createFakeMediaDevices(),
      dev: false,
    },
    ...options,
  });
  sessions.push(created);
  return created;
}

/** Resolves once the session's snapshot satisfies `predicate` (checked on every change). */
function until(
  target: SignalingSession,
  predicate: (snapshot: SignalingSessionSnapshot) => boolean,
  timeout = 15_000,
): Promise<SignalingSessionSnapshot> {
  return untilSnapshot(target, predicate, timeout, () => JSON.stringify(summary(target)));
}

const summary = (target: SignalingSession) => {
  const { state, peers, remote, polite, view } = target.getSnapshot();
  return { state, peers, remote, polite, phase: view?.phase, closeReason: view?.closeReason };
};
const connected = (snapshot: SignalingSessionSnapshot) => snapshot.view?.phase === 'connected';

describe('signaling session: lifecycle', () => {
  it('connects on start(), not on creation; stop() leaves and goes back to idle; start() joins again', async () => {
    const room = installMockRoom(server, URL_);
    const alice = session('alice', createFakeNetwork(), 'a');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(room.connections()).toBe(0);
    expect(alice.getSnapshot()).toMatchObject({ state: 'idle', peerId: 'alice', peer: null });

    alice.start();
    alice.start();
    await until(alice, (s) => s.state === 'open');
    expect(room.connections()).toBe(1);
    expect(room.members()).toEqual(['alice']);

    alice.stop();
    expect(alice.getSnapshot().state).toBe('idle');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(room.frames.map(({ frame }) => frame.t)).toEqual(['join', 'leave']);
    expect(room.members()).toEqual([]);
    alice.stop();

    alice.start();
    await until(alice, (s) => s.state === 'open');
    expect(room.connections()).toBe(2);
  });

  it('refuses a bad room or peer id at creation with a TypeError', () => {
    expect(() => createSignalingSession({ url: URL_, room: 'no spaces' })).toThrow(TypeError);
    expect(() => createSignalingSession({ url: URL_, room: 'r', peerId: '' })).toThrow(TypeError);
  });
});

describe('signaling session: presence', () => {
  it('creates no peer while alone; connects once the remote joins, with opposite roles', async () => {
    const room = installMockRoom(server, URL_);
    const network = createFakeNetwork();
    const alice = session('alice', network, 'a');
    alice.start();
    await until(alice, (s) => s.state === 'open');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alice.getSnapshot()).toMatchObject({ peers: [], remote: null, peer: null });
    // Nothing was offered into the empty room.
    expect(room.frames.filter(({ frame }) => frame.t === 'signal')).toEqual([]);

    const bob = session('bob', network, 'b');
    bob.start();
    const [a, b] = await Promise.all([until(alice, connected), until(bob, connected)]);
    expect([a.remote, a.polite, b.remote, b.polite]).toEqual(['bob', true, 'alice', false]);
  });

  it('the remote gone past its grace period ends the peer at once with remote-left; a remote that joins again gets a new call', async () => {
    const room = installMockRoom(server, URL_);
    const network = createFakeNetwork();
    const alice = session('alice', network, 'a');
    const bob = session('bob', network, 'b');
    alice.start();
    bob.start();
    await Promise.all([until(alice, connected), until(bob, connected)]);
    const first = alice.getSnapshot().peer;

    // A socket drop within the grace period changes nothing: the call stays.
    room.drop('bob');
    await until(bob, (s) => s.state === 'reconnecting');
    await until(bob, (s) => s.state === 'open');
    expect(alice.getSnapshot()).toMatchObject({ remote: 'bob', peer: first });
    expect(alice.getSnapshot().view?.phase).toBe('connected');

    // Then the grace period ends for a socket that did not come back.
    bob.stop();
    const gone = await until(alice, (s) => s.view?.isClosed === true && s.peers.length === 0);
    expect(gone).toMatchObject({ remote: null, polite: null, peer: first, peers: [] });
    // bob's stop sent a bye, then left: whichever alice's peer took first ended it.
    expect(['remote', 'remote-left']).toContain(gone.view?.closeReason);

    const carol = session('carol', network, 'b');
    carol.start();
    const again = await until(alice, (s) => s.remote === 'carol' && connected(s));
    expect(again.peer).not.toBe(first);
    expect(again.polite).toBe(true);

    room.drop('carol');
    carol.stop();
    room.expire('carol');
    const left = await until(alice, (s) => s.view?.isClosed === true && s.remote === null);
    expect(left.view?.closeReason).toBe('remote-left');
  });

  it('a third peer is listed but not called, and its messages never reach the peer', async () => {
    const room = installMockRoom(server, URL_);
    const network = createFakeNetwork();
    const alice = session('alice', network, 'a');
    const bob = session('bob', network, 'b');
    alice.start();
    bob.start();
    await Promise.all([until(alice, connected), until(bob, connected)]);
    room.inject('mallory', { v: 2, type: 'bye' });
    const third = createWebSocketSignaling({ url: URL_, room: 'room-1', peerId: 'zed' });
    await until(alice, (s) => s.peers.includes('zed'));
    third.send({ v: 2, type: 'bye' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alice.getSnapshot()).toMatchObject({ remote: 'bob', peers: ['bob', 'zed'] });
    expect(alice.getSnapshot().view?.phase).toBe('connected');
    third.close();
  });

  it('the WebSocket transport keeps the sender of each message (from)', async () => {
    const room = installMockRoom(server, URL_);
    const channel = createWebSocketSignaling({ url: URL_, room: 'room-1', peerId: 'alice' });
    const received: [unknown, string][] = [];
    channel.subscribe((message, meta) => received.push([message, meta.from]));
    await new Promise<void>((resolve) => channel.onStateChange((s) => s === 'open' && resolve()));
    room.inject('bob', { hello: 1 });
    room.inject('carol', { hello: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([
      [{ hello: 1 }, 'bob'],
      [{ hello: 2 }, 'carol'],
    ]);
    channel.close();
  });
});

describe('signaling session: roles', () => {
  it('never collide: over 50 joins with random ids, each pair has exactly one polite peer', async () => {
    installMockRoom(server, URL_);
    const pairs: [boolean | null, boolean | null][] = [];
    for (let join = 0; join < 50; join += 1) {
      const network = createFakeNetwork();
      const first = session(`p-${crypto.randomUUID()}`, network, 'a', { room: `r-${join}` });
      const second = session(`p-${crypto.randomUUID()}`, network, 'b', { room: `r-${join}` });
      first.start();
      second.start();
      const [a, b] = await Promise.all([
        until(first, (s) => s.polite !== null),
        until(second, (s) => s.polite !== null),
      ]);
      pairs.push([a.polite, b.polite]);
      first.stop();
      second.stop();
    }
    expect(pairs).toHaveLength(50);
    for (const [a, b] of pairs) expect(a).toBe(!b);
  });

  it('isPolite is symmetric and refuses one id for both peers', () => {
    expect([isPolite('a', 'b'), isPolite('b', 'a')]).toEqual([true, false]);
    expect(() => isPolite('same', 'same')).toThrow(TypeError);
  });
});
