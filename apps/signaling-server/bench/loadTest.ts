/**
 * Load test: N clients in N/2 rooms (two per room, like calls) exchange messages through the
 * server with the real client channel, and every message is checked: it must arrive exactly once,
 * in order, in its own room, from the roommate. Loopback only, bounded in count and time.
 *
 * The command (`pnpm --filter @peerstatejs/signaling-server bench`) is `run.ts`.
 */

import { createByeMessage } from '@peerstatejs/core';
import {
  createWebSocketSignaling,
  type ServerFrame,
  type WebSocketSignaling,
} from '@peerstatejs/signaling';
import { WebSocket } from 'ws';

/** Options of {@link runLoadTest}. */
export interface LoadTestOptions {
  readonly url: string;
  /** Even: two per room. */
  readonly clients: number;
  readonly messagesPerClient: number;
  readonly intervalMs: number;
  readonly timeLimitMs: number;
  readonly token?: string;
  /** Called once, when half the messages arrived: a restart or a kill goes here. */
  readonly midway?: (run: MidwayTools) => Promise<void>;
  /** Each client's servers, by client index: client-side round robin over instances. */
  readonly urlFor?: (index: number) => string | readonly string[];
}

/** What a {@link LoadTestOptions.midway} step can reach. */
export interface MidwayTools {
  /** Every client socket opened so far, oldest first. */
  readonly sockets: readonly WebSocket[];
  /** Messages delivered so far (first copies only). */
  delivered(): number;
  waitFor(condition: () => boolean): Promise<boolean>;
}

/** What {@link runLoadTest} measured. */
export interface LoadTestReport {
  readonly clients: number;
  readonly rooms: number;
  readonly expected: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  /** Messages that arrived in another room than they were sent in, or from a stranger. */
  readonly crossed: number;
  /** Rejoins the server answered `resumed: true` (it still had, or restored, the session). */
  readonly resumes: number;
  /** Rejoins answered `resumed: false`: the server had forgotten the session. */
  readonly freshJoins: number;
  /**
   * Frames the server sent again under a new `seq` though the client had them (the channel drops
   * them by `mid`): what a server that forgot its numbering repeats. Seen on the wire.
   */
  readonly redelivered: number;
  /** Close codes of the channels that closed for good before the end (none, normally). */
  readonly closedEarly: readonly number[];
  readonly connectMs: number;
  readonly exchangeMs: number;
  readonly messagesPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly timedOut: boolean;
}

interface Payload {
  readonly room: string;
  readonly from: string;
  readonly n: number;
  readonly at: number;
}

/** Runs the load against a server at `url`. */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestReport> {
  const rooms = Math.floor(options.clients / 2);
  const deadline = Date.now() + options.timeLimitMs;
  const channels: { channel: WebSocketSignaling; room: string; peer: string; mate: string }[] = [];
  const sockets: WebSocket[] = [];
  let resumes = 0;
  let freshJoins = 0;
  let redelivered = 0;
  /** One channel's sockets, watched on the wire: joins, and each sender's `mid`s seen. */
  const recorded = () => {
    let joins = 0;
    let lastSeq = 0;
    const seen = new Set<string>();
    return class Recorded extends WebSocket {
      constructor(url: string) {
        super(url);
        sockets.push(this);
        this.on('message', (data) => {
          const frame = JSON.parse(String(data)) as ServerFrame;
          if (frame.t === 'joined') {
            joins += 1;
            if (frame.resumed) resumes += 1;
            else lastSeq = 0;
            if (!frame.resumed && joins > 1) freshJoins += 1;
          } else if (frame.t === 'signal' && frame.seq > lastSeq) {
            lastSeq = frame.seq;
            const id = `${frame.instance}/${frame.mid}`;
            if (seen.has(id)) redelivered += 1;
            seen.add(id);
          }
        });
      }
    };
  };
  const latencies: number[] = [];
  const lastSeen = new Map<string, number>();
  let delivered = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  let crossed = 0;

  const started = Date.now();
  for (let index = 0; index < rooms; index += 1) {
    const room = `room-${index}`;
    for (const [peer, mate] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      const channel = createWebSocketSignaling({
        url: options.urlFor?.(channels.length) ?? options.url,
        room,
        peerId: peer,
        WebSocket: recorded(),
        ...(options.token === undefined ? {} : { token: options.token }),
        // Loopback under load: a slow event loop is not a dead socket, yet a socket that lost
        // its way (e.g. relayed to a dead instance) must not sit silent for long. A false alarm
        // costs a reconnection and a resume, nothing else.
        heartbeat: { interval: 5_000, timeout: 15_000 },
      });
      const key = `${room}/${peer}`;
      channel.subscribe((raw) => {
        const reason = (raw as { reason?: unknown }).reason;
        const payload = JSON.parse(typeof reason === 'string' ? reason : 'null') as Payload | null;
        if (payload === null || payload.room !== room || payload.from !== mate) {
          crossed += 1;
          return;
        }
        latencies.push(Date.now() - payload.at);
        const previous = lastSeen.get(key) ?? 0;
        if (payload.n <= previous) duplicated += 1;
        else {
          if (payload.n !== previous + 1) outOfOrder += 1;
          lastSeen.set(key, payload.n);
          delivered += 1;
        }
      });
      channels.push({ channel, room, peer, mate });
    }
  }
  await waitFor(() => channels.every(({ channel }) => channel.state === 'open'), deadline);
  const connectMs = Date.now() - started;

  const exchangeStarted = Date.now();
  const expected = channels.length * options.messagesPerClient;
  const midway = options.midway
    ? waitFor(() => delivered >= expected / 2, deadline).then(() =>
        options.midway?.({
          sockets,
          delivered: () => delivered,
          waitFor: (condition) => waitFor(condition, deadline),
        }),
      )
    : Promise.resolve();
  await Promise.all(
    channels.map(async ({ channel, room, peer }, index) => {
      // Spread the clients over one interval so the load is steady, not a burst per tick.
      await sleep((index / channels.length) * options.intervalMs);
      for (let n = 1; n <= options.messagesPerClient && Date.now() < deadline; n += 1) {
        const payload: Payload = { room, from: peer, n, at: Date.now() };
        channel.send(createByeMessage(JSON.stringify(payload)));
        await sleep(options.intervalMs);
      }
    }),
  );
  await midway;
  const timedOut = !(await waitFor(() => delivered + duplicated + crossed >= expected, deadline));
  // A short grace so late duplicates would still be counted.
  await sleep(100);
  const exchangeMs = Date.now() - exchangeStarted;
  const closedEarly = channels.flatMap(({ channel }) =>
    channel.state === 'closed' ? [channel.closeInfo?.code ?? 0] : [],
  );
  for (const { channel } of channels) channel.close();

  latencies.sort((left, right) => left - right);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    clients: channels.length,
    rooms,
    expected,
    delivered,
    lost: expected - delivered,
    duplicated,
    outOfOrder,
    crossed,
    resumes,
    freshJoins,
    redelivered,
    closedEarly,
    connectMs,
    exchangeMs,
    messagesPerSecond: Math.round((delivered / exchangeMs) * 1000),
    latencyMs: { p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? 0 },
    timedOut,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, deadline: number): Promise<boolean> {
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}
