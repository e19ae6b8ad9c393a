import {
  createWebSocketSignaling,
  type WebSocketSignaling,
  type WebSocketSignalingError,
} from '@peerstatejs/signaling';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { runLoadTest } from '../../bench/loadTest.js';
import type { SignalingServer } from '../server.js';
import { type ChildServer, startChildServer } from './childProcess.js';
import { join, joined, onCleanup, raw, start, until } from './rawClient.js';

const channels: WebSocketSignaling[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.close();
});

describe('no silent loss', () => {
  it('tells a resuming peer what was dropped for it (gap), and acks the sender only as far as settled', async () => {
    const server = await start({ maxQueuedPerPeer: 3 });
    const alice = await joined(server, 'r', 'alice');
    const bob = await joined(server, 'r', 'bob');
    bob.socket.terminate();
    await bob.closed;
    for (let seq = 1; seq <= 5; seq += 1) alice.send({ t: 'signal', seq, data: seq });
    // 1 and 2 were dropped (bob will hear of it); 3–5 wait for bob.
    expect(await alice.next((frame) => frame.t === 'ack')).toEqual({ t: 'ack', seq: 2 });

    const back = await raw(server);
    back.send(join('r', 'bob'));
    expect(await back.next((frame) => frame.t === 'joined')).toMatchObject({
      resumed: true,
      gap: { from: 1, to: 2 },
    });
    await until(() => back.frames.filter((frame) => frame.t === 'signal').length === 3);
    expect(back.frames.filter((frame) => frame.t === 'signal').map((frame) => frame.seq)).toEqual([
      3, 4, 5,
    ]);
    expect(alice.frames.filter((frame) => frame.t === 'ack')).toHaveLength(1);
    back.send({ t: 'ack', seq: 5 });
    await alice.next((frame) => frame.t === 'ack' && frame.seq === 5);

    // A resume that has everything hears of no gap.
    back.socket.terminate();
    const again = await raw(server);
    again.send(join('r', 'bob', { received: 5 }));
    const rejoined = await again.next((frame) => frame.t === 'joined');
    expect(rejoined).toMatchObject({ resumed: true });
    expect(rejoined).not.toHaveProperty('gap');
  });

  it('a broadcast to nobody that overflows the parking is reported to its sender before its ack', async () => {
    // A raw client broadcasting alone, as a client does whose signals crossed its peer's leave:
    // they wait for the room's next peer, at most maxQueuedPerPeer of them.
    const server = await start({ maxQueuedPerPeer: 2 });
    const alice = await joined(server, 'r', 'alice');
    for (let seq = 1; seq <= 3; seq += 1) alice.send({ t: 'signal', seq, data: seq });
    expect(await alice.next((frame) => frame.t === 'error')).toEqual({
      t: 'error',
      code: 'dropped',
      message: 'signal 1 dropped: over 2 broadcasts wait for a peer to join',
    });
    expect(await alice.next((frame) => frame.t === 'ack')).toEqual({ t: 'ack', seq: 1 });
    const errorAt = alice.frames.findIndex((frame) => frame.t === 'error');
    expect(errorAt).toBeLessThan(alice.frames.findIndex((frame) => frame.t === 'ack'));

    // The next peer gets the two that were kept, in order; alice's ack follows once it has them.
    const carol = await joined(server, 'r', 'carol');
    await until(() => carol.frames.filter((frame) => frame.t === 'signal').length === 2);
    expect(carol.frames.filter((frame) => frame.t === 'signal').map((frame) => frame.data)).toEqual(
      [2, 3],
    );
    carol.send({ t: 'ack', seq: 2 });
    expect(await alice.next((frame) => frame.t === 'ack' && frame.seq === 3)).toEqual({
      t: 'ack',
      seq: 3,
    });
  });

  it('the client surfaces a gap as WS_MESSAGES_LOST and delivers what did arrive', async () => {
    const server = await start({ maxQueuedPerPeer: 2 });
    let blocked = false;
    const sockets: WebSocket[] = [];
    // Bob's reconnections go nowhere while `blocked`: a real outage, no sleeps.
    class Gated extends WebSocket {
      constructor(url: string) {
        super(blocked ? 'ws://127.0.0.1:1' : url);
        sockets.push(this);
      }
    }
    const options = { url: server.url, room: 'r', reconnect: { initialDelay: 10, maxDelay: 50 } };
    const alice = createWebSocketSignaling({ ...options, peerId: 'alice', WebSocket });
    const bob = createWebSocketSignaling({ ...options, peerId: 'bob', WebSocket: Gated });
    channels.push(alice, bob);
    const received: unknown[] = [];
    const errors: WebSocketSignalingError[] = [];
    bob.subscribe((message) => received.push(message));
    bob.onError((error) => errors.push(error));
    await until(() => alice.state === 'open' && bob.state === 'open' && alice.peers.length === 1);

    blocked = true;
    sockets.at(-1)?.terminate();
    await until(() => bob.state === 'reconnecting');
    const bye = (n: number) => ({ v: 2, type: 'bye', reason: String(n) }) as const;
    for (let n = 1; n <= 4; n += 1) alice.send(bye(n));
    // Settled for alice: 1–2 dropped for bob (he will be told), 3–4 still held for him.
    await until(() => alice.pending === 2);
    blocked = false;
    await until(() => received.length === 2 && errors.length === 1);
    expect(received).toEqual([bye(3), bye(4)]);
    expect(errors[0]).toMatchObject({ code: 'WS_MESSAGES_LOST', gap: { from: 1, to: 2 } });
    await until(() => alice.pending === 0);
  });

  it('a graceful restart under load loses nothing and delivers everything once, in order', async () => {
    let server: SignalingServer = await start({ maxPeersPerRoom: 2 });
    const port = server.port;
    let restarted = false;
    const report = await runLoadTest({
      url: server.url,
      clients: 40,
      messagesPerClient: 30,
      intervalMs: 10,
      timeLimitMs: 90_000,
      midway: async () => {
        await server.close();
        server = await start({ port, maxPeersPerRoom: 2 });
        restarted = true;
      },
    });
    expect(report).toMatchObject({
      expected: 1200,
      delivered: 1200,
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
      crossed: 0,
      timedOut: false,
      closedEarly: [],
    });
    expect(restarted).toBe(true);
  }, 120_000);

  it('a killed and restarted server (SIGKILL, no drain) loses nothing and duplicates nothing, also what it held for dropped peers', async () => {
    const options = { maxPeersPerRoom: 2 };
    let server: ChildServer = await startChildServer(options);
    onCleanup(() => server.kill());
    const port = server.port;
    let restarted = false;
    const report = await runLoadTest({
      url: server.url,
      clients: 40,
      messagesPerClient: 30,
      intervalMs: 10,
      timeLimitMs: 90_000,
      midway: async (run) => {
        // A third of the clients drop; what their mates send meanwhile waits in the server's
        // outboxes (it must not be acknowledged: the server is about to die with it).
        for (const socket of run.sockets.filter((_, index) => index % 3 === 0)) socket.terminate();
        const now = run.delivered();
        await run.waitFor(() => run.delivered() >= now + 100);
        await server.kill();
        server = await startChildServer({ ...options, port });
        restarted = true;
      },
    });
    expect(report).toMatchObject({
      expected: 1200,
      delivered: 1200,
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
      crossed: 0,
      timedOut: false,
      closedEarly: [],
    });
    expect(restarted).toBe(true);
  }, 120_000);
});
