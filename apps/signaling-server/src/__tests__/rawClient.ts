/**
 * Test helpers: a bare protocol client (to speak, and break, the protocol frame by frame), servers
 * that are closed after each test, and an event wait with a budget for a loaded 2-core machine.
 */
import type { ServerFrame } from '@peerstatejs/signaling';
import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import {
  type SignalingServer,
  type SignalingServerOptions,
  startSignalingServer,
} from '../server.js';

const servers: SignalingServer[] = [];
const sockets: WebSocket[] = [];
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(servers.splice(0).map((server) => server.close(500)));
});

/** Runs `cleanup` after the current test, before its sockets and servers go. */
export function onCleanup(cleanup: () => void | Promise<void>): void {
  cleanups.push(cleanup);
}

export async function start(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  const server = await startSignalingServer({ port: 0, ...options });
  servers.push(server);
  return server;
}

export interface RawClient {
  readonly socket: WebSocket;
  readonly frames: ServerFrame[];
  readonly closed: Promise<{ code: number; reason: string }>;
  send(frame: object | string | Buffer): void;
  next(predicate: (frame: ServerFrame) => boolean): Promise<ServerFrame>;
}

export async function raw(
  server: { readonly url: string },
  headers: Record<string, string> = {},
): Promise<RawClient> {
  const socket = new WebSocket(server.url, { headers });
  sockets.push(socket);
  const frames: ServerFrame[] = [];
  const waiting: {
    predicate: (frame: ServerFrame) => boolean;
    resolve: (frame: ServerFrame) => void;
  }[] = [];
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    frames.push(frame);
    for (const waiter of [...waiting]) {
      if (waiter.predicate(frame)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    closed,
    send: (frame) =>
      socket.send(
        typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame),
      ),
    next: (predicate) => {
      const found = frames.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiting.push({ predicate, resolve }));
    },
  };
}

export const join = (room: string, peer: string, extra: object = {}) => ({
  t: 'join',
  v: 1,
  room,
  peer,
  session: `${peer}-session`,
  received: 0,
  ...extra,
});

export async function joined(
  server: { readonly url: string },
  room: string,
  peer: string,
  extra: object = {},
): Promise<RawClient> {
  const client = await raw(server);
  client.send(join(room, peer, extra));
  await client.next((frame) => frame.t === 'joined');
  return client;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A wait for a condition with a budget for a loaded 2-core machine; it returns as soon as it holds. */
export async function until(condition: () => boolean, timeout = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeout) throw new Error('timed out waiting');
    await sleep(5);
  }
}

/**
 * Joins as a client does after its instance died: again while refused with 1001 (the instance it
 * reached still relays to the dead or draining owner until that one's lease is gone), within a
 * budget for a loaded 2-core machine.
 */
export async function rejoined(
  server: { readonly url: string },
  room: string,
  peer: string,
  extra: object = {},
  timeout = 20_000,
): Promise<RawClient> {
  const started = Date.now();
  for (;;) {
    const client = await raw(server);
    client.send(join(room, peer, extra));
    const outcome = await Promise.race([
      client.next((frame) => frame.t === 'joined').then(() => 'joined' as const),
      client.closed,
    ]);
    if (outcome === 'joined') return client;
    if (outcome.code !== 1001 || Date.now() - started > timeout)
      throw new Error(`join refused: ${outcome.code} ${outcome.reason}`);
    // As a client's reconnection backoff would, without hammering the server.
    await sleep(25);
  }
}
