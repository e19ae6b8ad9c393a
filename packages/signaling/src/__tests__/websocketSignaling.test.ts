import { createByeMessage, createCandidateMessage, type SignalingMessage } from '@peerstatejs/core';
import { ws } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CLOSE_CODES,
  type ClientFrame,
  createWebSocketSignaling,
  parseClientFrame,
  type ServerFrame,
  type WebSocketSignaling,
  type WebSocketSignalingError,
  type WebSocketSignalingOptions,
  type WebSocketSignalingState,
} from '../index.js';

const URL_ = 'ws://signal.test/';
const link = ws.link(URL_);
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const open: WebSocketSignaling[] = [];
afterEach(() => {
  for (const channel of open.splice(0)) channel.close();
});

type MockClient = Parameters<
  Parameters<typeof link.addEventListener<'connection'>>[1]
>[0]['client'];

/** One mock connection: the frames it received, and how to answer. */
interface Connection {
  readonly index: number;
  readonly frames: ClientFrame[];
  readonly client: MockClient;
  send(frame: ServerFrame | string): void;
}

/**
 * Installs a scripted server. `onFrame` sees every parsed client frame of every connection;
 * by default `join` is answered with a fresh (not resumed) `joined`, `signal` with an `ack`.
 */
function mockServer(
  script: {
    onConnection?: (connection: Connection) => void;
    onFrame?: (connection: Connection, frame: ClientFrame) => boolean | undefined;
    autoAck?: boolean;
    joined?: (connection: Connection, join: Extract<ClientFrame, { t: 'join' }>) => ServerFrame;
  } = {},
) {
  const connections: Connection[] = [];
  server.use(
    link.addEventListener('connection', ({ client }) => {
      const connection: Connection = {
        index: connections.length,
        frames: [],
        client,
        send: (frame) => client.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
      };
      connections.push(connection);
      script.onConnection?.(connection);
      client.addEventListener('message', (event) => {
        const parsed = parseClientFrame(String(event.data));
        if (!parsed.ok) throw new Error(`client sent a bad frame: ${parsed.reason}`);
        const frame = parsed.frame;
        connection.frames.push(frame);
        if (script.onFrame?.(connection, frame) === true) return;
        if (frame.t === 'join') {
          connection.send(
            script.joined?.(connection, frame) ?? {
              t: 'joined',
              room: frame.room,
              peer: frame.peer,
              peers: [],
              resumed: false,
              acked: 0,
            },
          );
        } else if (frame.t === 'signal' && script.autoAck !== false) {
          connection.send({ t: 'ack', seq: frame.seq });
        } else if (frame.t === 'ping') {
          connection.send({ t: 'pong' });
        }
      });
    }),
  );
  return connections;
}

function channel(options: Partial<WebSocketSignalingOptions> = {}) {
  const created = createWebSocketSignaling({
    url: URL_,
    room: 'room-1',
    peerId: 'alice',
    reconnect: { initialDelay: 10, factor: 2, jitter: 0 },
    ...options,
  });
  open.push(created);
  const states: WebSocketSignalingState[] = [created.state];
  const errors: WebSocketSignalingError[] = [];
  const received: unknown[] = [];
  created.onStateChange((state) => states.push(state));
  created.onError((error) => errors.push(error));
  created.subscribe((message) => received.push(message));
  return { channel: created, states, errors, received };
}

// Backoff, heartbeats and reconnections run on fake timers: on real ones a loaded machine answered
// a 30 ms heartbeat late and a live connection was dropped. The mock socket's own deliveries are
// promise work and (fake) timers, both run by `until` and `sleep`.
const realSetImmediate = globalThis.setImmediate;
const settlePromises = () => new Promise<void>((resolve) => realSetImmediate(resolve));
beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs timers one at a time until `condition` holds; fails after `timeout` ms of fake time. */
async function until(condition: () => boolean, timeout = 2000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (let idle = 0; !condition(); ) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await settlePromises();
    if (condition()) return;
    if (vi.getTimerCount() > 0) {
      idle = 0;
      await vi.advanceTimersToNextTimerAsync();
    } else if (++idle > 100) {
      throw new Error('timed out waiting: nothing left to run');
    }
  }
}

/** Lets `ms` of fake time pass. */
const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const candidate = (n: number): SignalingMessage =>
  createCandidateMessage({
    candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${1000 + n} typ host`,
    sdpMid: '0',
  });
const signals = (connection: Connection) =>
  connection.frames.flatMap((frame) => (frame.t === 'signal' ? [frame] : []));

describe('createWebSocketSignaling', () => {
  it('joins the room with its token, reports connecting → open, and exchanges messages', async () => {
    const connections = mockServer({
      joined: (_, join) => ({
        t: 'joined',
        room: join.room,
        peer: join.peer,
        peers: ['bob'],
        resumed: false,
        acked: 0,
      }),
    });
    const { channel: alice, states, received } = channel({ token: 's3cret' });
    const presence: string[] = [];
    alice.onPresence((event) => presence.push(`${event.type}:${event.peer}`));
    expect(alice.state).toBe('connecting');
    await until(() => alice.state === 'open');
    expect(states).toEqual(['connecting', 'open']);
    expect(connections[0]?.frames[0]).toEqual({
      t: 'join',
      v: 1,
      room: 'room-1',
      peer: 'alice',
      session: expect.stringMatching(/^[0-9a-f-]{36}$/),
      instance: expect.stringMatching(/^[0-9a-f-]{36}$/),
      token: 's3cret',
      received: 0,
    });
    expect(alice.peers).toEqual(['bob']);
    expect(presence).toEqual(['joined:bob']);

    alice.send(candidate(1));
    alice.send(createByeMessage('done'));
    await until(() => signals(connections[0]!).length === 2);
    expect(signals(connections[0]!).map((frame) => [frame.seq, frame.data])).toEqual([
      [1, candidate(1)],
      [2, createByeMessage('done')],
    ]);
    await until(() => alice.pending === 0);

    connections[0]?.send({ t: 'signal', seq: 1, from: 'bob', data: candidate(7) });
    connections[0]?.send({ t: 'peer-left', peer: 'bob' });
    await until(() => received.length === 1 && presence.length === 2);
    expect(received).toEqual([candidate(7)]);
    expect(presence).toEqual(['joined:bob', 'left:bob']);
    await until(() => connections[0]!.frames.some((f) => f.t === 'ack' && f.seq === 1));
  });

  it('goes round robin over several server URLs, one per (re)connection', async () => {
    const connections = mockServer();
    const other = 'ws://signal-2.test/';
    const seen: string[] = [];
    server.use(
      ws.link(other).addEventListener('connection', ({ client }) => {
        seen.push(other);
        client.addEventListener('message', (event) => {
          const parsed = parseClientFrame(String(event.data));
          if (parsed.ok && parsed.frame.t === 'join')
            client.send(
              JSON.stringify({
                t: 'joined',
                room: 'room-1',
                peer: 'alice',
                peers: [],
                resumed: false,
                acked: 0,
              }),
            );
        });
        client.close(CLOSE_CODES.GOING_AWAY);
      }),
    );
    const { channel: alice } = channel({ url: [URL_, other] });
    await until(() => alice.state === 'open' && connections.length === 1);
    connections[0]?.client.close(CLOSE_CODES.GOING_AWAY);
    await until(() => seen.length === 1);
    await until(() => connections.length === 2 && alice.state === 'open');
    expect(seen).toEqual([other]);
  });

  it('reconnects with exponential backoff after drops and resumes from what it received', async () => {
    const times: number[] = [];
    const connections = mockServer({
      onConnection: (connection) => {
        times.push(Date.now());
        // The first three connections die at once, like a server that is restarting.
        if (connection.index < 3) connection.client.close(CLOSE_CODES.GOING_AWAY, 'restarting');
      },
    });
    const { channel: alice, states } = channel({
      reconnect: { initialDelay: 40, factor: 2, jitter: 0 },
    });
    await until(() => alice.state === 'open', 3000);
    expect(connections).toHaveLength(4);
    // 40, 80, 160 ms between attempts, exactly: the clock is fake.
    const gaps = times.slice(1).map((time, index) => time - (times[index] as number));
    expect(gaps).toEqual([40, 80, 160]);
    expect(states).toEqual(['connecting', 'reconnecting', 'open']);
  });

  it('queues messages across a drop and sends each unacknowledged one exactly once, in order', async () => {
    let acked = 0;
    const connections = mockServer({
      autoAck: false,
      // The server remembers what it acknowledged, like the reference server does.
      joined: (connection, join) => ({
        t: 'joined',
        room: join.room,
        peer: join.peer,
        peers: ['bob'],
        resumed: connection.index > 0,
        acked,
      }),
    });
    const { channel: alice, states } = channel();
    await until(() => alice.state === 'open');
    alice.send(candidate(1));
    alice.send(candidate(2));
    alice.send(candidate(3));
    await until(() => signals(connections[0]!).length === 3);
    // The server took 1 but its ack is lost with the connection; it says so when alice resumes.
    acked = 1;
    expect(alice.pending).toBe(3);
    connections[0]?.client.close(CLOSE_CODES.INTERNAL_ERROR, 'crash');
    await until(() => alice.state === 'reconnecting');
    alice.send(candidate(4));
    alice.send(candidate(5));
    expect(alice.pending).toBe(5);
    await until(
      () => signals(connections[1] ?? ({ frames: [] } as unknown as Connection)).length === 4,
    );
    expect(signals(connections[1]!).map((frame) => frame.seq)).toEqual([2, 3, 4, 5]);
    expect(signals(connections[1]!).map((frame) => frame.data)).toEqual(
      [2, 3, 4, 5].map(candidate),
    );
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    connections[1]?.send({ t: 'ack', seq: 5 });
    await until(() => alice.pending === 0);
  });

  it('holds signals while the room is empty and sends them, in order, once a peer joins', async () => {
    // The server relays to the peers present: an offer written into an empty room reached
    // nobody, and the call connected only on the machine's next resend, about 10 s later.
    const connections = mockServer();
    const { channel: alice } = channel();
    await until(() => alice.state === 'open');
    alice.send(candidate(1));
    alice.send(candidate(2));
    // Give the socket every chance to write what it should not.
    await vi.advanceTimersByTimeAsync(500);
    expect(signals(connections[0]!)).toHaveLength(0);
    expect(alice.pending).toBe(2);
    connections[0]?.send({ t: 'peer-joined', peer: 'bob' });
    await until(() => signals(connections[0]!).length === 2);
    expect(signals(connections[0]!).map((frame) => frame.data)).toEqual([
      candidate(1),
      candidate(2),
    ]);
    alice.send(candidate(3));
    await until(() => signals(connections[0]!).length === 3);
    await until(() => alice.pending === 0);
  });

  it('writes each signal once when more peers join a room that already had one', async () => {
    const connections = mockServer({
      autoAck: false,
      joined: (_connection, join) => ({
        t: 'joined',
        room: join.room,
        peer: join.peer,
        peers: ['bob'],
        resumed: false,
        acked: 0,
      }),
    });
    const { channel: alice } = channel();
    await until(() => alice.state === 'open');
    alice.send(candidate(1));
    await until(() => signals(connections[0]!).length === 1);
    // Unacknowledged still: a flush on this join would write it again.
    connections[0]?.send({ t: 'peer-joined', peer: 'carol' });
    await until(() => alice.peers.includes('carol'));
    await vi.advanceTimersByTimeAsync(500);
    expect(signals(connections[0]!)).toHaveLength(1);
    expect(alice.pending).toBe(1);
  });

  it('holds signals addressed to one peer until that peer is in the room', async () => {
    const connections = mockServer({
      joined: (_connection, join) => ({
        t: 'joined',
        room: join.room,
        peer: join.peer,
        peers: ['carol'],
        resumed: false,
        acked: 0,
      }),
    });
    const { channel: alice } = channel({ to: 'bob' });
    await until(() => alice.state === 'open');
    alice.send(candidate(1));
    await vi.advanceTimersByTimeAsync(500);
    expect(signals(connections[0]!)).toHaveLength(0);
    connections[0]?.send({ t: 'peer-joined', peer: 'bob' });
    await until(() => signals(connections[0]!).length === 1);
    expect(signals(connections[0]!)[0]).toMatchObject({ to: 'bob', data: candidate(1) });
  });

  it('drops duplicates the server sends again after a resume, and acknowledges them', async () => {
    const connections = mockServer({
      joined: (connection, join) => ({
        t: 'joined',
        room: join.room,
        peer: join.peer,
        peers: [],
        resumed: connection.index > 0,
        acked: 0,
      }),
    });
    const { channel: alice, received } = channel();
    await until(() => alice.state === 'open');
    connections[0]?.send({ t: 'signal', seq: 1, from: 'bob', data: candidate(1) });
    await until(() => received.length === 1);
    connections[0]?.client.close(CLOSE_CODES.GOING_AWAY);
    await until(() => connections.length === 2 && alice.state === 'open');
    expect(connections[1]?.frames[0]).toMatchObject({ t: 'join', received: 1 });
    // The server did not see the ack in time and sends 1 again, then 2.
    connections[1]?.send({ t: 'signal', seq: 1, from: 'bob', data: candidate(1) });
    connections[1]?.send({ t: 'signal', seq: 2, from: 'bob', data: candidate(2) });
    await until(() => connections[1]!.frames.filter((frame) => frame.t === 'ack').length === 2);
    expect(received).toEqual([candidate(1), candidate(2)]);
  });

  it('drops by instance and mid what a restarted server (new numbering) sends again', async () => {
    const connections = mockServer();
    const { channel: alice, received } = channel();
    await until(() => alice.state === 'open');
    const from = { from: 'bob', instance: 'bob-instance' };
    connections[0]?.send({ t: 'signal', seq: 1, ...from, mid: 1, data: candidate(1) });
    await until(() => received.length === 1);
    connections[0]?.client.close(CLOSE_CODES.GOING_AWAY);
    await until(() => connections.length === 2 && alice.state === 'open');
    // Not resumed: the new server numbers from 1, and bob sent mid 1 again (its ack was lost).
    connections[1]?.send({ t: 'signal', seq: 1, ...from, mid: 1, data: candidate(1) });
    connections[1]?.send({ t: 'signal', seq: 2, ...from, mid: 2, data: candidate(2) });
    // A reloaded bob is a new instance: its mid 1 is new.
    connections[1]?.send({
      t: 'signal',
      seq: 3,
      from: 'bob',
      instance: 'bob-2',
      mid: 1,
      data: candidate(3),
    });
    await until(() => connections[1]!.frames.filter((frame) => frame.t === 'ack').length === 3);
    expect(received).toEqual([candidate(1), candidate(2), candidate(3)]);
  });

  it('numbers its messages with a mid that survives a renumbering', async () => {
    const connections = mockServer({ autoAck: false });
    const { channel: alice } = channel();
    await until(() => alice.state === 'open');
    connections[0]?.send({ t: 'peer-joined', peer: 'bob' });
    alice.send(candidate(1));
    alice.send(candidate(2));
    await until(() => connections[0]!.frames.filter((frame) => frame.t === 'signal').length === 2);
    connections[0]?.send({ t: 'ack', seq: 1 });
    await until(() => alice.pending === 1);
    connections[0]?.client.close(CLOSE_CODES.GOING_AWAY);
    await until(() => connections.length === 2 && alice.state === 'open');
    connections[1]?.send({ t: 'peer-joined', peer: 'bob' });
    await until(() => connections[1]!.frames.some((frame) => frame.t === 'signal'));
    expect(connections[0]?.frames.filter((frame) => frame.t === 'signal')).toMatchObject([
      { seq: 1, mid: 1 },
      { seq: 2, mid: 2 },
    ]);
    expect(connections[1]?.frames.filter((frame) => frame.t === 'signal')).toMatchObject([
      { seq: 1, mid: 2 },
    ]);
  });

  it('reports what the server dropped for it as WS_MESSAGES_LOST, with the gap', async () => {
    const connections = mockServer({
      joined: (connection, join) => ({
        t: 'joined',
        room: join.room,
        peer: join.peer,
        peers: [],
        resumed: connection.index > 0,
        acked: 0,
        ...(connection.index > 0 ? { gap: { from: 2, to: 4 } } : {}),
      }),
    });
    const { channel: alice, errors, received } = channel();
    await until(() => alice.state === 'open');
    connections[0]?.send({ t: 'signal', seq: 1, from: 'bob', data: candidate(1) });
    await until(() => received.length === 1);
    connections[0]?.client.close(CLOSE_CODES.GOING_AWAY);
    await until(() => connections.length === 2 && alice.state === 'open');
    connections[1]?.send({ t: 'signal', seq: 5, from: 'bob', data: candidate(5) });
    await until(() => received.length === 2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'WS_MESSAGES_LOST', gap: { from: 2, to: 4 } });
    expect(errors[0]?.message).toMatch(/dropped 3 message/);
    expect(alice.state).toBe('open');
  });

  it('reports malformed, binary and oversized frames, ignores them and keeps going', async () => {
    const connections = mockServer();
    const { channel: alice, errors, received } = channel({ maxMessageBytes: 1024 });
    await until(() => alice.state === 'open');
    const connection = connections[0]!;
    connection.send('{not json');
    connection.send(JSON.stringify({ t: 'surprise' }));
    connection.send(JSON.stringify({ t: 'signal', seq: 'one', from: 'bob', data: 1 }));
    connection.client.send(new Uint8Array([1, 2, 3]));
    connection.send({ t: 'signal', seq: 1, from: 'bob', data: 'x'.repeat(2000) });
    connection.send({ t: 'error', code: 'unknown-peer', message: 'no peer "carol"' });
    connection.send({ t: 'signal', seq: 2, from: 'bob', data: candidate(9) });
    await until(() => received.length === 1);
    expect(received).toEqual([candidate(9)]);
    expect(errors.map((error) => error.code)).toEqual([
      'WS_INVALID_FRAME',
      'WS_INVALID_FRAME',
      'WS_INVALID_FRAME',
      'WS_INVALID_FRAME',
      'WS_MESSAGE_TOO_LARGE',
      'WS_SERVER_ERROR',
    ]);
    expect(errors[0]?.message).toMatch(/not JSON/);
    expect(errors[1]?.message).toMatch(/unknown frame type "surprise"/);
    expect(alice.state).toBe('open');
  });

  it('refuses to send a message over the size limit, synchronously, and queues nothing', async () => {
    mockServer();
    const { channel: alice } = channel({ maxMessageBytes: 512 });
    const huge = createByeMessage('é'.repeat(300)); // 600 bytes of UTF-8 in 300 characters
    expect(() => alice.send(huge)).toThrowError(
      expect.objectContaining({ code: 'WS_MESSAGE_TOO_LARGE' }),
    );
    expect(alice.pending).toBe(0);
  });

  it.each([
    [CLOSE_CODES.POLICY_VIOLATION, 'unauthorized'],
    [CLOSE_CODES.ROOM_FULL, 'room full'],
    [CLOSE_CODES.MESSAGE_TOO_BIG, 'too big'],
  ])('closes for good when the server closes with %i (%s)', async (code, reason) => {
    const connections = mockServer({
      onFrame: (connection, frame) => {
        if (frame.t === 'join') connection.client.close(code, reason);
        return true;
      },
    });
    const { channel: alice, states, errors } = channel();
    await until(() => alice.state === 'closed');
    await sleep(60); // several backoff periods: no reconnection may follow
    expect(connections).toHaveLength(1);
    expect(states).toEqual(['connecting', 'closed']);
    expect(alice.closeInfo).toMatchObject({ code, reason });
    expect(errors.map((error) => [error.code, error.closeCode])).toEqual([['WS_REJECTED', code]]);
    expect(() => alice.send(candidate(1))).toThrowError(
      expect.objectContaining({ code: 'WS_CLOSED' }),
    );
  });

  it('notices a half-open socket by its silence and reconnects; a live one stays', async () => {
    let answerPings = false;
    const connections = mockServer({
      // A dead path: the socket is "open" but nothing ever comes back.
      onFrame: (connection, frame) => frame.t === 'ping' && !answerPings && connection.index === 0,
    });
    const { channel: alice, states } = channel({ heartbeat: { interval: 30, timeout: 30 } });
    await until(() => alice.state === 'open');
    await until(() => connections.length === 2 && alice.state === 'open', 1000);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(connections[0]!.frames.filter((frame) => frame.t === 'ping').length).toBeGreaterThan(0);
    // The second connection answers its pings: it must survive many heartbeat periods.
    answerPings = true;
    await sleep(250);
    expect(connections).toHaveLength(2);
    expect(alice.state).toBe('open');
  });

  it('gives up after maxAttempts failed reconnections', async () => {
    const connections = mockServer({
      onConnection: (connection) => connection.client.close(CLOSE_CODES.INTERNAL_ERROR),
    });
    const { channel: alice, errors } = channel({
      reconnect: { initialDelay: 5, maxAttempts: 2, jitter: 0 },
    });
    await until(() => alice.state === 'closed');
    expect(connections).toHaveLength(3);
    expect(errors.map((error) => error.code)).toEqual(['WS_RECONNECT_EXHAUSTED']);
  });

  it('close() leaves the room, closes the socket and never reconnects', async () => {
    const connections = mockServer();
    const { channel: alice, states } = channel();
    await until(() => alice.state === 'open');
    alice.close();
    alice.close();
    await until(() => connections[0]!.frames.some((frame) => frame.t === 'leave'));
    await sleep(40);
    expect(connections).toHaveLength(1);
    expect(states).toEqual(['connecting', 'open', 'closed']);
    expect(alice.closeInfo).toEqual({ code: 1000, reason: 'closed', error: null });
  });

  it('validates its options', () => {
    expect(() => createWebSocketSignaling({ url: URL_, room: 'bad room' })).toThrow(TypeError);
    expect(() => createWebSocketSignaling({ url: URL_, room: 'r', peerId: '' })).toThrow(TypeError);
  });

  it('holds messages that arrive before anyone subscribes', async () => {
    const connections = mockServer();
    const alice = createWebSocketSignaling({ url: URL_, room: 'r', peerId: 'a' });
    open.push(alice);
    await until(() => alice.state === 'open');
    connections[0]?.send({ t: 'signal', seq: 1, from: 'bob', data: candidate(3) });
    await sleep(20);
    const received: unknown[] = [];
    alice.subscribe((message) => received.push(message));
    await until(() => received.length === 1);
    expect(received).toEqual([candidate(3)]);
  });
});
