/**
 * The reference signaling server: rooms of peers relaying `@peerstatejs/signaling`'s WebSocket
 * protocol. See the README for the protocol, limits and close codes.
 * @module
 */

import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CLOSE_CODES,
  type ClientFrame,
  parseClientFrame,
  type ServerFrame,
} from '@peerstatejs/signaling';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';

/** Options of {@link startSignalingServer}. */
export interface SignalingServerOptions {
  /** 0 picks a free port. @defaultValue 8787 */
  readonly port?: number;
  /** @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** @defaultValue 8 */
  readonly maxPeersPerRoom?: number;
  /** Larger frames close the socket with 1009. @defaultValue 65536 */
  readonly maxMessageBytes?: number;
  /**
   * Browser origins allowed to connect (`Origin` header, exact match). Unset: any origin.
   * Clients that send no `Origin` (not browsers) are always allowed: they could forge one anyway;
   * use `token` to keep them out.
   */
  readonly allowedOrigins?: readonly string[];
  /** When set, `join.token` must equal it (compared in constant time). */
  readonly token?: string;
  /** How long a dropped peer keeps its place, queue and numbering for a resume, in ms. @defaultValue 15000 */
  readonly resumeGracePeriod?: number;
  /** A connection must `join` within this many ms. @defaultValue 5000 */
  readonly joinTimeout?: number;
  /** Protocol-level pings; a socket that misses one is terminated, in ms. @defaultValue 30000 */
  readonly heartbeatInterval?: number;
  /** Messages held for one peer that has not acknowledged them; the oldest go beyond. @defaultValue 1024 */
  readonly maxQueuedPerPeer?: number;
  /** One line per notable event (joins, leaves, refusals). @defaultValue no logging */
  readonly log?: (line: string) => void;
}

/** A running server. */
export interface SignalingServer {
  /** `ws://host:port`. */
  readonly url: string;
  readonly port: number;
  /** Rooms and connected peers right now. */
  stats(): { rooms: number; peers: number; connections: number };
  /**
   * Graceful shutdown: stops accepting, closes every socket with 1001 (clients reconnect to the
   * next instance), waits up to `timeout` ms for them, then terminates the rest.
   */
  close(timeout?: number): Promise<void>;
}

interface Session {
  readonly room: string;
  readonly peer: string;
  readonly session: string;
  socket: WebSocket | null;
  /** Last client `seq` accepted: anything at or below is a duplicate. */
  received: number;
  /** Last server `seq` given to a frame for this peer. */
  sent: number;
  /** Frames for this peer not acknowledged yet, oldest first. */
  outbox: Extract<ServerFrame, { t: 'signal' }>[];
  grace: ReturnType<typeof setTimeout> | undefined;
}

/** Starts the server; resolves once it listens. */
export async function startSignalingServer(
  options: SignalingServerOptions = {},
): Promise<SignalingServer> {
  const host = options.host ?? '127.0.0.1';
  const maxPeers = options.maxPeersPerRoom ?? 8;
  const maxBytes = options.maxMessageBytes ?? 64 * 1024;
  const grace = options.resumeGracePeriod ?? 15_000;
  const joinTimeout = options.joinTimeout ?? 5_000;
  const heartbeatInterval = options.heartbeatInterval ?? 30_000;
  const maxQueued = options.maxQueuedPerPeer ?? 1024;
  const allowed = options.allowedOrigins ? new Set(options.allowedOrigins) : null;
  const log = options.log ?? (() => {});
  const expectedToken = options.token === undefined ? null : Buffer.from(options.token);

  const rooms = new Map<string, Map<string, Session>>();
  const alive = new WeakMap<WebSocket, boolean>();

  const http: Server = createServer((request, response) => {
    if (request.url === '/health') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(stats()));
      return;
    }
    response.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
    response.end('This is a WebSocket signaling server: connect with ws://\n');
  });
  // ws enforces maxPayload itself and closes with 1009 before buffering an oversized frame.
  const wss = new WebSocketServer({ server: http, maxPayload: maxBytes });

  const stats = () => {
    let peers = 0;
    for (const room of rooms.values())
      for (const session of room.values()) if (session.socket) peers += 1;
    return { rooms: rooms.size, peers, connections: wss.clients.size };
  };

  const send = (socket: WebSocket | null, frame: ServerFrame): void => {
    if (socket?.readyState === socket?.OPEN) socket?.send(JSON.stringify(frame));
  };
  const refuse = (socket: WebSocket, code: number, reason: string): void => {
    log(`close ${code} ${reason}`);
    // Close reasons are limited to 123 bytes.
    socket.close(code, reason.slice(0, 120));
  };
  const others = (session: Session): Session[] =>
    [...(rooms.get(session.room)?.values() ?? [])].filter((other) => other !== session);
  const announce = (session: Session, t: 'peer-joined' | 'peer-left'): void => {
    for (const other of others(session)) send(other.socket, { t, peer: session.peer });
  };
  const remove = (session: Session): void => {
    clearTimeout(session.grace);
    const room = rooms.get(session.room);
    if (room?.get(session.peer) !== session) return;
    room.delete(session.peer);
    if (room.size === 0) rooms.delete(session.room);
    announce(session, 'peer-left');
    log(`left ${session.room}/${session.peer}`);
  };
  const deliver = (target: Session, from: string, data: unknown): void => {
    target.sent += 1;
    const frame = { t: 'signal', seq: target.sent, from, data } as const;
    target.outbox.push(frame);
    // A peer that never acknowledges must not make us hold unbounded memory.
    if (target.outbox.length > maxQueued) target.outbox.shift();
    send(target.socket, frame);
  };
  const acknowledge = (session: Session, seq: number): void => {
    if (session.outbox.length > 0 && (session.outbox[0]?.seq ?? 0) <= seq) {
      session.outbox = session.outbox.filter((frame) => frame.seq > seq);
    }
  };

  const join = (socket: WebSocket, frame: Extract<ClientFrame, { t: 'join' }>): Session | null => {
    if (expectedToken !== null) {
      const given = Buffer.from(frame.token ?? '');
      if (given.length !== expectedToken.length || !timingSafeEqual(given, expectedToken)) {
        refuse(socket, CLOSE_CODES.POLICY_VIOLATION, 'unauthorized');
        return null;
      }
    }
    let room = rooms.get(frame.room);
    const existing = room?.get(frame.peer);
    if (existing && existing.session === frame.session) {
      // A resume: same peer, same channel instance, after a drop.
      clearTimeout(existing.grace);
      existing.grace = undefined;
      if (existing.socket && existing.socket !== socket) {
        refuse(existing.socket, CLOSE_CODES.REPLACED, 'replaced by a newer connection');
      }
      existing.socket = socket;
      acknowledge(existing, frame.received);
      send(socket, {
        t: 'joined',
        room: frame.room,
        peer: frame.peer,
        peers: others(existing).map((other) => other.peer),
        resumed: true,
        acked: existing.received,
      });
      for (const pending of existing.outbox) send(socket, pending);
      log(`resumed ${frame.room}/${frame.peer}`);
      return existing;
    }
    if (existing) {
      // The same id from a new channel instance (a reloaded page): the old one is gone.
      if (existing.socket)
        refuse(existing.socket, CLOSE_CODES.REPLACED, 'replaced by a new session');
      existing.socket = null;
      remove(existing);
      room = rooms.get(frame.room);
    }
    if (room && room.size >= maxPeers) {
      refuse(socket, CLOSE_CODES.ROOM_FULL, `room full (${maxPeers} peers)`);
      return null;
    }
    if (!room) {
      room = new Map();
      rooms.set(frame.room, room);
    }
    const session: Session = {
      room: frame.room,
      peer: frame.peer,
      session: frame.session,
      socket,
      received: 0,
      sent: 0,
      outbox: [],
      grace: undefined,
    };
    room.set(frame.peer, session);
    send(socket, {
      t: 'joined',
      room: frame.room,
      peer: frame.peer,
      peers: others(session).map((other) => other.peer),
      resumed: false,
      acked: 0,
    });
    announce(session, 'peer-joined');
    log(`joined ${frame.room}/${frame.peer}`);
    return session;
  };

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    // ws reports oversized frames (and other protocol errors) here, then closes the socket.
    socket.on('error', (error) => log(`socket error: ${error.message}`));
    const origin = request.headers.origin;
    if (allowed && origin !== undefined && !allowed.has(origin)) {
      refuse(socket, CLOSE_CODES.POLICY_VIOLATION, 'origin not allowed');
      return;
    }
    let session: Session | null = null;
    const joinTimer = setTimeout(
      () => refuse(socket, CLOSE_CODES.JOIN_REQUIRED, 'join required'),
      joinTimeout,
    );

    socket.on('message', (data: RawData, isBinary: boolean) => {
      alive.set(socket, true);
      if (isBinary) {
        refuse(socket, CLOSE_CODES.UNSUPPORTED_DATA, 'binary frames are not supported');
        return;
      }
      const parsed = parseClientFrame(rawToString(data));
      if (!parsed.ok) {
        refuse(socket, CLOSE_CODES.POLICY_VIOLATION, `invalid frame: ${parsed.reason}`);
        return;
      }
      const frame = parsed.frame;
      if (session === null || session.socket !== socket) {
        if (session !== null) return; // Replaced: its close is on the way.
        if (frame.t !== 'join') {
          refuse(socket, CLOSE_CODES.JOIN_REQUIRED, 'join required');
          return;
        }
        clearTimeout(joinTimer);
        session = join(socket, frame);
        return;
      }
      const self: Session = session;
      switch (frame.t) {
        case 'join':
          refuse(socket, CLOSE_CODES.POLICY_VIOLATION, 'already joined');
          return;
        case 'signal': {
          if (frame.seq > self.received) {
            const targets =
              frame.to === undefined
                ? others(self)
                : [rooms.get(self.room)?.get(frame.to)].filter(
                    (target): target is Session => target !== undefined && target !== self,
                  );
            if (frame.to !== undefined && targets.length === 0) {
              send(socket, {
                t: 'error',
                code: 'unknown-peer',
                message: `no peer "${frame.to}" in room "${self.room}"`,
              });
            }
            self.received = frame.seq;
            for (const target of targets) deliver(target, self.peer, frame.data);
          }
          // Duplicates too: the client sends again only because our ack was lost.
          send(socket, { t: 'ack', seq: frame.seq });
          return;
        }
        case 'ack':
          acknowledge(self, frame.seq);
          return;
        case 'ping':
          acknowledge(self, frame.ack);
          send(socket, { t: 'pong' });
          return;
        case 'leave':
          self.socket = null;
          remove(self);
          socket.close(CLOSE_CODES.NORMAL, 'left');
          return;
      }
    });

    socket.on('close', () => {
      clearTimeout(joinTimer);
      if (session === null || session.socket !== socket) return;
      const dropped = session;
      dropped.socket = null;
      dropped.grace = setTimeout(() => remove(dropped), grace);
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
    http.listen(options.port ?? 8787, host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | null = null;

  return {
    url,
    port,
    stats,
    close(timeout = 2000): Promise<void> {
      closing ??= (async () => {
        clearInterval(heartbeat);
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        for (const socket of wss.clients)
          socket.close(CLOSE_CODES.GOING_AWAY, 'server shutting down');
        const deadline = Date.now() + timeout;
        while (wss.clients.size > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        for (const socket of wss.clients) socket.terminate();
        for (const room of rooms.values())
          for (const session of room.values()) clearTimeout(session.grace);
        rooms.clear();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await closed;
      })();
      return closing;
    },
  };
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
