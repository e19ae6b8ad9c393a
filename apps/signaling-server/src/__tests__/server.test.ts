import { createPeer, type PeerStateError } from '@peerstatejs/core';
import { createFakePeerPair } from '@peerstatejs/core/testing';
import {
  CLOSE_CODES,
  createWebSocketSignaling,
  type WebSocketSignaling,
} from '@peerstatejs/signaling';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { runLoadTest } from '../../bench/loadTest.js';
import { join, joined, raw, sleep, start, until } from './rawClient.js';

const channels: WebSocketSignaling[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.close();
});

describe('signaling server', () => {
  it('relays only within a room and tells peers who joins and leaves', async () => {
    const server = await start();
    const alice = await joined(server, 'r1', 'alice');
    const bob = await joined(server, 'r1', 'bob');
    const eve = await joined(server, 'r2', 'eve');
    expect(bob.frames[0]).toEqual({
      t: 'joined',
      room: 'r1',
      peer: 'bob',
      peers: ['alice'],
      resumed: false,
      acked: 0,
    });
    await alice.next((frame) => frame.t === 'peer-joined' && frame.peer === 'bob');

    alice.send({ t: 'signal', seq: 1, data: { hello: 'bob' } });
    expect(await bob.next((frame) => frame.t === 'signal')).toEqual({
      t: 'signal',
      seq: 1,
      from: 'alice',
      data: { hello: 'bob' },
    });
    // Acknowledged to the sender only once the recipient has it.
    await sleep(30);
    expect(alice.frames.some((frame) => frame.t === 'ack')).toBe(false);
    bob.send({ t: 'ack', seq: 1 });
    await alice.next((frame) => frame.t === 'ack' && frame.seq === 1);
    // A duplicate (same seq) is acknowledged again but not relayed again.
    alice.send({ t: 'signal', seq: 1, data: { hello: 'bob' } });
    alice.send({ t: 'signal', seq: 2, to: 'carol', data: 'x' });
    await alice.next((frame) => frame.t === 'error');
    await sleep(30);
    expect(bob.frames.filter((frame) => frame.t === 'signal')).toHaveLength(1);
    expect(eve.frames.filter((frame) => frame.t !== 'joined')).toEqual([]);

    bob.send({ t: 'leave' });
    expect(await bob.closed).toEqual({ code: 1000, reason: 'left' });
    await alice.next((frame) => frame.t === 'peer-left' && frame.peer === 'bob');
    expect(server.stats()).toMatchObject({ rooms: 2, peers: 2 });
  });

  it('keeps a room to its maximum number of peers (4000)', async () => {
    const server = await start({ maxPeersPerRoom: 2 });
    await joined(server, 'r', 'a');
    await joined(server, 'r', 'b');
    const third = await raw(server);
    third.send(join('r', 'c'));
    expect(await third.closed).toEqual({
      code: CLOSE_CODES.ROOM_FULL,
      reason: 'room full (2 peers)',
    });
  });

  it.each([
    ['non-JSON', '{oops', CLOSE_CODES.POLICY_VIOLATION, /invalid frame: not JSON/],
    [
      'unknown type',
      { t: 'teleport' },
      CLOSE_CODES.POLICY_VIOLATION,
      /unknown frame type "teleport"/,
    ],
    [
      'a malformed join',
      { t: 'join', v: 1, room: 'a b', peer: 'p' },
      CLOSE_CODES.POLICY_VIOLATION,
      /room/,
    ],
    [
      'a signal before join',
      { t: 'signal', seq: 1, data: 1 },
      CLOSE_CODES.JOIN_REQUIRED,
      /join required/,
    ],
    ['a binary frame', Buffer.from([1, 2, 3]), CLOSE_CODES.UNSUPPORTED_DATA, /binary/],
    ['an oversized frame', 'x'.repeat(2048), CLOSE_CODES.MESSAGE_TOO_BIG, /.*/],
  ])('closes on %s with a clear code', async (_, frame, code, reason) => {
    const server = await start({ maxMessageBytes: 1024 });
    const client = await raw(server);
    client.send(frame);
    const closed = await client.closed;
    expect(closed.code).toBe(code);
    expect(closed.reason).toMatch(reason);
  });

  it('checks the origin allow-list (1008)', async () => {
    const server = await start({ allowedOrigins: ['https://app.test'] });
    const foreign = await raw(server, { Origin: 'https://evil.test' });
    expect(await foreign.closed).toEqual({ code: 1008, reason: 'origin not allowed' });
    const good = await raw(server, { Origin: 'https://app.test' });
    good.send(join('r', 'a'));
    expect(await good.next((frame) => frame.t === 'joined')).toMatchObject({ resumed: false });
  });

  it('closes a connection that never joins (4003)', async () => {
    const server = await start({ joinTimeout: 30 });
    const idle = await raw(server);
    expect(await idle.closed).toEqual({ code: CLOSE_CODES.JOIN_REQUIRED, reason: 'join required' });
  });

  it('does not refuse a join that arrived in time but was read late (a stalled event loop)', async () => {
    const JOIN_TIMEOUT = 200;
    const server = await start({ joinTimeout: JOIN_TIMEOUT });
    // The claim needs a join sent before the server's timer can fire. That timer starts with the
    // connection, so after `connecting`; a loaded machine can take longer than the timeout to
    // open the socket (seen in CI under two CPU hogs: 4003), and such an attempt proves nothing.
    for (let attempt = 0; attempt < 5; attempt++) {
      const connecting = performance.now();
      const late = await raw(server);
      late.send(join('r', `late-${attempt}`));
      if (performance.now() - connecting >= JOIN_TIMEOUT) {
        late.socket.close();
        continue;
      }
      // The join is on its way; this process (the server's too) stalls past the timeout.
      const stallUntil = Date.now() + JOIN_TIMEOUT + 150;
      while (Date.now() < stallUntil) {}
      expect(
        await Promise.race([late.next((frame) => frame.t === 'joined'), late.closed]),
      ).toMatchObject({ t: 'joined' });
      return;
    }
    throw new Error(`no attempt of 5 sent its join within ${JOIN_TIMEOUT} ms of connecting`);
  });

  it('resumes a dropped session: queued messages are delivered once, nobody sees a leave', async () => {
    const server = await start();
    const alice = await joined(server, 'r', 'alice');
    const bob = await joined(server, 'r', 'bob');
    bob.socket.terminate();
    await sleep(20);
    alice.send({ t: 'signal', seq: 1, data: 'while you were away' });
    const back = await raw(server);
    back.send(join('r', 'bob', { received: 0 }));
    expect(await back.next((frame) => frame.t === 'joined')).toMatchObject({
      resumed: true,
      peers: ['alice'],
    });
    expect(await back.next((frame) => frame.t === 'signal')).toMatchObject({
      seq: 1,
      data: 'while you were away',
    });
    // Stored for a peer that can resume is not delivered: the ack waits for bob's.
    expect(alice.frames.some((frame) => frame.t === 'ack')).toBe(false);
    back.send({ t: 'ack', seq: 1 });
    await alice.next((frame) => frame.t === 'ack' && frame.seq === 1);
    expect(alice.frames.some((frame) => frame.t === 'peer-left')).toBe(false);

    // A new session under the same id is a new peer: the old one is gone for the others.
    const reloaded = await raw(server);
    reloaded.send(join('r', 'bob', { session: 'fresh' }));
    expect(await back.closed).toMatchObject({ code: CLOSE_CODES.REPLACED });
    expect(await reloaded.next((frame) => frame.t === 'joined')).toMatchObject({ resumed: false });
    await alice.next((frame) => frame.t === 'peer-left');
  });

  it('forgets a dropped peer after the grace period', async () => {
    const server = await start({ resumeGracePeriod: 30 });
    const alice = await joined(server, 'r', 'alice');
    const bob = await joined(server, 'r', 'bob');
    bob.socket.terminate();
    expect(await alice.next((frame) => frame.t === 'peer-left')).toEqual({
      t: 'peer-left',
      peer: 'bob',
    });
  });

  it('shuts down gracefully: 1001 to everyone, and the port is free again', async () => {
    const server = await start();
    const client = await joined(server, 'r', 'a');
    await server.close();
    expect(await client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    const again = await start({ port: server.port });
    expect(again.port).toBe(server.port);
  });

  it('answers HTTP with a health check and 426 elsewhere', async () => {
    const server = await start();
    const base = server.url.replace('ws:', 'http:');
    expect(await (await fetch(`${base}/health`)).json()).toEqual({
      rooms: 0,
      peers: 0,
      connections: 0,
      draining: false,
    });
    expect((await fetch(base)).status).toBe(426);
  });
});

describe('the WebSocket channel against the server', () => {
  it('survives a server restart on the same port: queued messages arrive once, in order', async () => {
    const first = await start();
    const options = {
      url: first.url,
      room: 'call',
      WebSocket,
      reconnect: { initialDelay: 20, jitter: 0 },
    } as const;
    const alice = createWebSocketSignaling({ ...options, peerId: 'alice' });
    const bob = createWebSocketSignaling({ ...options, peerId: 'bob' });
    channels.push(alice, bob);
    const received: unknown[] = [];
    bob.subscribe((message) => received.push(message));
    await until(() => alice.state === 'open' && bob.state === 'open' && alice.peers.length === 1);

    const bye = (n: number) => ({ v: 2, type: 'bye', reason: String(n) }) as const;
    alice.send(bye(1));
    await until(() => received.length === 1);
    await first.close();
    await until(() => alice.state === 'reconnecting');
    alice.send(bye(2));
    alice.send(bye(3));
    await start({ port: first.port });
    await until(() => received.length === 3);
    await sleep(50);
    expect(received).toEqual([bye(1), bye(2), bye(3)]);
    expect(alice.pending).toBe(0);
  });

  it('carries a whole negotiation: two peers connect and exchange data', async () => {
    const server = await start();
    const { a, b } = createFakePeerPair();
    const alice = createWebSocketSignaling({
      url: server.url,
      room: 'call',
      peerId: 'alice',
      WebSocket,
    });
    const bob = createWebSocketSignaling({
      url: server.url,
      room: 'call',
      peerId: 'bob',
      WebSocket,
    });
    channels.push(alice, bob);
    const caller = createPeer({ signaling: alice, polite: false, peerConnection: () => a });
    const callee = createPeer({ signaling: bob, polite: true, peerConnection: () => b });
    const errors: PeerStateError[] = [];
    const data: unknown[] = [];
    caller.on('error', ({ error }) => errors.push(error));
    callee.on('error', ({ error }) => errors.push(error));
    callee.on('data', ({ data: payload }) => data.push(payload));
    caller.start();
    callee.start();
    caller.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(() =>
      caller.getSnapshot().context.dataChannels.some((channel) => channel.readyState === 'open'),
    );
    caller.send({ type: 'SEND_DATA', label: 'chat', data: 'hi over ws' });
    await until(() => data.length === 1);
    expect(data).toEqual(['hi over ws']);
    expect(errors).toEqual([]);
    caller.send({ type: 'CLOSE' });
    await until(
      () => callee.getSnapshot().status === 'done' || callee.getSnapshot().matches('closed'),
    );
  });

  it('load smoke: 40 clients in 20 rooms, nothing lost, duplicated or crossed', async () => {
    const server = await start({ maxPeersPerRoom: 2 });
    const report = await runLoadTest({
      url: server.url,
      clients: 40,
      messagesPerClient: 10,
      intervalMs: 5,
      // Real sockets on a machine that may be busy: a budget, well inside the test's 30 s.
      timeLimitMs: 25_000,
    });
    expect(report).toMatchObject({
      expected: 400,
      delivered: 400,
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
      crossed: 0,
      timedOut: false,
    });
  });
});
