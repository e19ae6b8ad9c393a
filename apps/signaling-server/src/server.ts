/**
 * The reference signaling server: rooms of peers relaying `@peerstatejs/signaling`'s WebSocket
 * protocol. This file holds the connections (HTTP, upgrade, limits, join, heartbeat, drain);
 * `rooms.ts` the delivery, `auth.ts` the tokens, `limits.ts` the rates and caps. See the README
 * for the protocol, limits and close codes.
 * @module
 */

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// The protocol alone: the package's main entry also holds the signaling session, which loads
// core and xstate (about 13 MB of RSS) that a server never runs.
import { CLOSE_CODES, type ClientFrame, parseClientFrame } from '@peerstatejs/signaling/protocol';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { createTokenVerifier } from './auth.js';
import { ClusterNode, type Relayed } from './clusterNode.js';
import { AddressLimiter, clientAddress, TokenBucket } from './limits.js';
import { Metrics } from './metrics.js';
import { DEFAULTS, type SignalingServer, type SignalingServerOptions } from './options.js';
import { type Link, Rooms, type Session } from './rooms.js';

export type { LogRecord, SignalingServer, SignalingServerOptions } from './options.js';

/** Starts the server; resolves once it listens. */
export async function startSignalingServer(
  options: SignalingServerOptions = {},
): Promise<SignalingServer> {
  const host = options.host ?? DEFAULTS.host;
  const maxBytes = options.maxMessageBytes ?? DEFAULTS.maxMessageBytes;
  const joinTimeout = options.joinTimeout ?? DEFAULTS.joinTimeout;
  const heartbeatInterval = options.heartbeatInterval ?? DEFAULTS.heartbeatInterval;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes;
  const signalRate = options.signalRate === undefined ? DEFAULTS.signalRate : options.signalRate;
  const byteRate = options.byteRate === undefined ? DEFAULTS.byteRate : options.byteRate;
  const now = options.now ?? Date.now;
  const allowed = options.allowedOrigins ? new Set(options.allowedOrigins) : null;
  const trustProxy = options.trustProxy ?? false;
  const emit = options.log;
  const log = (event: string, fields: Record<string, unknown> = {}): void =>
    emit?.({ event, ...fields });
  const verify = createTokenVerifier(options.tokens, now);
  const addresses = new AddressLimiter(
    options.maxConnectionsPerAddress ?? DEFAULTS.maxConnectionsPerAddress,
  );
  const metrics = new Metrics();
  const rooms = new Rooms({
    maxPeers: options.maxPeersPerRoom ?? DEFAULTS.maxPeersPerRoom,
    maxQueued: options.maxQueuedPerPeer ?? DEFAULTS.maxQueuedPerPeer,
    maxQueuedBytes: options.maxQueuedBytesPerPeer ?? DEFAULTS.maxQueuedBytesPerPeer,
    grace: options.resumeGracePeriod ?? DEFAULTS.resumeGracePeriod,
    metrics,
    log,
  });
  const alive = new WeakMap<WebSocket, boolean>();
  let draining = false;

  /** What a joined session's frame does, for our clients and for relayed ones alike. */
  const dispatch = (self: Session, link: Link, frame: ClientFrame): void => {
    switch (frame.t) {
      case 'join':
        link.refuse(CLOSE_CODES.POLICY_VIOLATION, 'already joined');
        return;
      case 'signal':
        // Draining: neither relayed nor acknowledged, so the sender keeps it for the next instance.
        if (!draining) rooms.signal(self, frame);
        return;
      case 'ack':
        rooms.acknowledge(self, frame.seq);
        return;
      case 'ping':
        rooms.acknowledge(self, frame.ack);
        link.write('{"t":"pong"}');
        return;
      case 'leave':
        self.link = null;
        rooms.remove(self);
        link.refuse(CLOSE_CODES.NORMAL, 'left');
        return;
    }
  };
  const node = options.redis
    ? new ClusterNode({
        redis: options.redis,
        instance: options.instanceId,
        lease: options.clusterLease ?? 3000,
        rooms,
        dispatch,
        draining: () => draining,
        log,
      })
    : null;
  await node?.start();

  const stats = () => ({ ...rooms.stats(), connections: wss.clients.size });
  const http: Server = createServer((request, response) => {
    if (request.url === '/health') {
      response.writeHead(draining ? 503 : 200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ ...stats(), draining }));
      return;
    }
    if (request.url === '/metrics') {
      response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      response.end(metrics.render(stats()));
      return;
    }
    response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
    response.end('This is a WebSocket signaling server: connect with ws://\n');
  });
  // ws enforces maxPayload itself and closes with 1009 before buffering an oversized frame.
  const wss = new WebSocketServer({ server: http, maxPayload: maxBytes });

  /** Sockets the server closed: the close code they report is the server's, echoed back. */
  const closedByServer = new WeakSet<WebSocket>();
  const refuse = (socket: WebSocket, code: number, reason: string): void => {
    if (socket.readyState !== socket.OPEN) return;
    closedByServer.add(socket);
    log('close', { code, reason });
    metrics.close(code);
    // Close reasons are limited to 123 bytes.
    socket.close(code, reason.slice(0, 120));
  };

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    // ws reports oversized frames (and other protocol errors) here, then closes the socket.
    socket.on('error', (error) => log('socket-error', { message: error.message }));
    const address = clientAddress(request, trustProxy);
    const origin = request.headers.origin;
    if (allowed && origin !== undefined && !allowed.has(origin)) {
      refuse(socket, CLOSE_CODES.POLICY_VIOLATION, 'origin not allowed');
      return;
    }
    if (draining) {
      refuse(socket, CLOSE_CODES.GOING_AWAY, 'server shutting down');
      return;
    }
    if (!addresses.acquire(address)) {
      refuse(socket, CLOSE_CODES.TOO_MANY_CONNECTIONS, 'too many connections from this address');
      return;
    }
    const signals = signalRate ? new TokenBucket(signalRate, now) : null;
    const bytes = byteRate ? new TokenBucket(byteRate, now) : null;
    let session: Session | null = null;
    let relayed: Relayed | null = null;
    let phase: 'new' | 'joining' | 'joined' = 'new';
    /** Frames that came while the join token was being checked. */
    const early: ClientFrame[] = [];
    // The timer runs before the loop reads sockets: a loop stalled past the timeout would refuse
    // a join waiting to be read (4003 is fatal to the client). The check phase comes after.
    const joinTimer = setTimeout(
      () =>
        setImmediate(() => {
          if (phase === 'new') refuse(socket, CLOSE_CODES.JOIN_REQUIRED, 'join required');
        }),
      joinTimeout,
    );

    const link: Link = {
      write(text) {
        if (socket.readyState !== socket.OPEN) return;
        socket.send(text);
        metrics.framesOut += 1;
        // What the client has not read piles up here (ws's queue and the socket's): past the
        // cap it is a slow consumer, closed before it costs more memory. It keeps its session.
        if (socket.bufferedAmount > maxBuffered) {
          refuse(socket, CLOSE_CODES.SLOW_CONSUMER, 'slow consumer');
          detach();
        }
      },
      refuse: (code, reason) => refuse(socket, code, reason),
    };
    /** The socket is gone (or going): the session waits for a resume. */
    const detach = (): void => {
      if (relayed) relayed.closed();
      else if (session?.link === link) rooms.disconnect(session);
    };

    const join = async (frame: Extract<ClientFrame, { t: 'join' }>): Promise<void> => {
      phase = 'joining';
      if (verify) {
        // A resume of a live session accepts an expired token: the session proves it joined.
        // In a cluster the session may live on another instance: Redis has it.
        const resuming =
          rooms.find(frame.room, frame.peer)?.id === frame.session ||
          (node !== null && (await node.hasSession(frame.room, frame.peer, frame.session)));
        const refusal = await verify(frame.token, frame, resuming);
        if (refusal) {
          refuse(socket, refusal.code, refusal.reason);
          return;
        }
      }
      if (socket.readyState !== socket.OPEN) return;
      if (draining) {
        refuse(socket, CLOSE_CODES.GOING_AWAY, 'server shutting down');
        return;
      }
      const owner = node ? await node.ownerOf(frame.room) : null;
      if (socket.readyState !== socket.OPEN) return;
      if (node && owner !== null) {
        relayed = node.relay(owner, link, frame);
        phase = 'joined';
        for (const next of early.splice(0)) handle(next);
        return;
      }
      session = rooms.join(link, frame);
      if (!session) return;
      phase = 'joined';
      for (const next of early.splice(0)) handle(next);
    };

    const handle = (frame: ClientFrame): void => {
      if (phase === 'joining') {
        early.push(frame);
        return;
      }
      if (phase === 'new') {
        if (frame.t !== 'join') {
          refuse(socket, CLOSE_CODES.JOIN_REQUIRED, 'join required');
          return;
        }
        clearTimeout(joinTimer);
        join(frame).catch((error: unknown) => {
          log('join-error', { message: String(error) });
          refuse(socket, CLOSE_CODES.INTERNAL_ERROR, 'join failed');
        });
        return;
      }
      if (relayed) {
        relayed.forward(frame);
        return;
      }
      // Replaced by a newer connection: its close is on the way.
      if (session === null || session.link !== link) return;
      dispatch(session, link, frame);
    };

    socket.on('message', (data: RawData, isBinary: boolean) => {
      alive.set(socket, true);
      if (socket.readyState !== socket.OPEN) return;
      const size = rawSize(data);
      metrics.framesIn += 1;
      metrics.bytesIn += size;
      if (bytes && !bytes.take(size)) {
        refuse(socket, CLOSE_CODES.RATE_LIMITED, 'byte rate limit');
        return;
      }
      if (isBinary) {
        refuse(socket, CLOSE_CODES.UNSUPPORTED_DATA, 'binary frames are not supported');
        return;
      }
      const parsed = parseClientFrame(rawToString(data));
      if (!parsed.ok) {
        refuse(socket, CLOSE_CODES.POLICY_VIOLATION, `invalid frame: ${parsed.reason}`);
        return;
      }
      // Acknowledgements and pings cost the server almost nothing; signals are what it relays.
      if (parsed.frame.t === 'signal' && signals && !signals.take()) {
        refuse(socket, CLOSE_CODES.RATE_LIMITED, 'signal rate limit');
        return;
      }
      handle(parsed.frame);
    });

    socket.on('close', (code: number) => {
      clearTimeout(joinTimer);
      addresses.release(address);
      // 1001 from a browser: its page went away (closed, crashed, navigated) without a leave
      // (no pagehide ran, or its frames were lost). That page cannot resume, so the others see
      // it leave now, not after the grace period. (A client of another instance keeps grace.)
      if (code === CLOSE_CODES.GOING_AWAY && !closedByServer.has(socket) && !relayed) {
        if (session?.link === link) {
          session.link = null;
          rooms.remove(session);
        }
        return;
      }
      detach();
    });
  });

  const heartbeat = setInterval(() => {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false) {
        // No pong since the last ping: half-open. terminate() fires 'close', which starts grace.
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, heartbeatInterval);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? DEFAULTS.port, host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log('listening', { url });
  let closing: Promise<void> | null = null;

  return {
    url,
    port,
    stats,
    close(timeout = 5000): Promise<void> {
      closing ??= (async () => {
        draining = true;
        clearInterval(heartbeat);
        log('draining', stats());
        const deadline = Date.now() + timeout;
        // What the peers were sent and not acknowledged, the senders would send again to the
        // next instance as new: wait for the acks, so that nothing arrives twice. Meanwhile
        // /health answers 503 (a load balancer stops routing here) and new sockets get 1001.
        await within(rooms.idle(), timeout / 2);
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        for (const socket of wss.clients)
          refuse(socket, CLOSE_CODES.GOING_AWAY, 'server shutting down');
        await within(allClosed(wss), deadline - Date.now());
        for (const socket of wss.clients) socket.terminate();
        await node?.stop();
        rooms.clear();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await closed;
        log('closed');
      })();
      return closing;
    },
  };
}

/** Resolves when `promise` does or `ms` have passed, whichever comes first. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
  });
  await Promise.race([promise, timeout]);
  clearTimeout(timer);
}

function allClosed(wss: WebSocketServer): Promise<void> {
  const pending = [...wss.clients].filter((socket) => socket.readyState !== socket.CLOSED);
  return Promise.all(
    pending.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))),
  ).then(() => {});
}

function rawSize(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
