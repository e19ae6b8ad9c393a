/**
 * Load test: N clients in N/2 rooms (two per room, like calls) exchange messages through the
 * server with the real client channel, and every message is checked: it must arrive exactly once,
 * in order, in its own room, from the roommate. Loopback only, bounded in count and time.
 *
 * `pnpm --filter @peerstatejs/signaling-server bench` starts the server in a child process (so
 * server and clients do not share one event loop) and prints a report. Environment:
 * `CLIENTS` (1000), `MESSAGES` (20 per client), `INTERVAL_MS` (50 between one client's
 * messages), `TIME_LIMIT_MS` (60000), `URL` (use a running server instead of starting one).
 */

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createByeMessage } from '@peerstatejs/core';
import { createWebSocketSignaling, type WebSocketSignaling } from '@peerstatejs/signaling';
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
  /** Each client's server, by client index: client-side round robin over instances. */
  readonly urlFor?: (index: number) => string;
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
  class Recorded extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
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
        WebSocket: Recorded,
        ...(options.token === undefined ? {} : { token: options.token }),
        // Loopback under load: a slow event loop is not a dead socket.
        heartbeat: { interval: 30_000, timeout: 30_000 },
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

/** Starts `dist/src/main.js` on a free port and resolves with its URL and a stop function. */
async function startServerProcess(): Promise<{ url: string; stop: () => Promise<void> }> {
  const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
  const child = fork(main, [], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      QUIET: '1',
      MAX_PEERS_PER_ROOM: '2',
      // Every client comes from 127.0.0.1.
      MAX_CONNECTIONS_PER_ADDRESS: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start in 10 s')), 10_000);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening on (ws:\/\/\S+)/.exec(chunk.toString());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) {
  const env = process.env;
  const server = env.URL ? { url: env.URL, stop: async () => {} } : await startServerProcess();
  try {
    const report = await runLoadTest({
      url: server.url,
      clients: Number(env.CLIENTS ?? 1000),
      messagesPerClient: Number(env.MESSAGES ?? 20),
      intervalMs: Number(env.INTERVAL_MS ?? 50),
      timeLimitMs: Number(env.TIME_LIMIT_MS ?? 60_000),
      ...(env.TOKEN ? { token: env.TOKEN } : {}),
    });
    console.log(JSON.stringify(report, null, 2));
    const ok =
      !report.timedOut &&
      report.lost === 0 &&
      report.duplicated === 0 &&
      report.crossed === 0 &&
      report.outOfOrder === 0;
    console.log(
      `${ok ? 'PASS' : 'FAIL'}: ${report.delivered}/${report.expected} messages, ` +
        `${report.messagesPerSecond} msg/s, p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, ` +
        `lost ${report.lost}, duplicated ${report.duplicated}, crossed rooms ${report.crossed}`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await server.stop();
  }
}
