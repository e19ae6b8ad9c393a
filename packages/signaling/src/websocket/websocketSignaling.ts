/**
 * Signaling through a room on a WebSocket server (the reference server is
 * `apps/signaling-server`): reconnects with backoff, keeps what is not acknowledged across drops
 * and sends it again in order, heartbeats to notice half-open sockets, and reports its state.
 * @module
 */

import type { SignalingChannel, SignalingMessage } from '@peerstatejs/core';
import { WebSocketSignalingError } from '../errors.js';
import {
  CLOSE_CODES,
  type ClientFrame,
  FATAL_CLOSE_CODES,
  ID_PATTERN,
  parseServerFrame,
  ROOM_PROTOCOL_VERSION,
  type ServerFrame,
  utf8Length,
} from './protocol.js';

/**
 * The part of the WebSocket API used here; the browser's, `ws`'s and msw's all satisfy it. The
 * handlers take `never` so that every implementation's own event types fit; the channel only
 * assigns handlers, which read `data` (message) and `code`/`reason` (close).
 */
export interface WebSocketLike {
  readonly readyState: number;
  /** Sends one text frame. */
  send(data: string): void;
  /** Closes the socket with an optional close code and reason. */
  close(code?: number, reason?: string): void;
  /** Called once the socket is open. */
  onopen: ((event: never) => void) | null;
  /** Called with each frame received (`event.data`). */
  onmessage: ((event: never) => void) | null;
  /** Called once the socket closed (`event.code`, `event.reason`). */
  onclose: ((event: never) => void) | null;
  /** Called on a socket error; `onclose` follows. */
  onerror: ((event: never) => void) | null;
}

/** A WebSocket constructor such as `globalThis.WebSocket` or `ws`'s `WebSocket`. */
export type WebSocketConstructorLike = new (url: string) => WebSocketLike;

/**
 * `connecting`: the first connection is being made. `open`: joined, messages flow.
 * `reconnecting`: the connection dropped; messages are queued until it is back.
 * `closed`: `close()` was called, or the server refused us for good (see `closeInfo`). Terminal.
 */
export type WebSocketSignalingState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** How reconnection waits: attempt `n` waits `min(initialDelay·factor^(n-1), maxDelay)` ± jitter. */
export interface ReconnectOptions {
  /** @defaultValue 250 */
  readonly initialDelay: number;
  /** @defaultValue 2 */
  readonly factor: number;
  /** @defaultValue 10000 */
  readonly maxDelay: number;
  /** Reconnections in a row before giving up (`closed` with `WS_RECONNECT_EXHAUSTED`). @defaultValue Infinity */
  readonly maxAttempts: number;
  /** Fraction of the delay randomised either way, so a restarted server is not hit all at once. @defaultValue 0.2 */
  readonly jitter: number;
}

/** How the channel notices a socket that is open on our side but dead on the way (half-open). */
export interface HeartbeatOptions {
  /** A `ping` is sent this often, in ms. @defaultValue 10000 */
  readonly interval: number;
  /** The socket is dropped when nothing arrived for `interval + timeout` ms. @defaultValue 5000 */
  readonly timeout: number;
}

/** Options of {@link createWebSocketSignaling}. */
export interface WebSocketSignalingOptions {
  /** The server, e.g. `ws://127.0.0.1:8787`. */
  readonly url: string | URL;
  /** The room to join (`[A-Za-z0-9_.:-]{1,64}`). */
  readonly room: string;
  /** This peer's id in the room. @defaultValue a random UUID */
  readonly peerId?: string;
  /** The shared token, when the server requires one. Sent in `join`, never in the URL. */
  readonly token?: string;
  /** Send only to this peer of the room; otherwise to every other peer. */
  readonly to?: string;
  /** @defaultValue globalThis.WebSocket, looked up at each connection */
  readonly WebSocket?: WebSocketConstructorLike;
  readonly reconnect?: Partial<ReconnectOptions>;
  readonly heartbeat?: Partial<HeartbeatOptions>;
  /** Largest frame sent or accepted, in UTF-8 bytes; keep it ≤ the server's. @defaultValue 65536 */
  readonly maxMessageBytes?: number;
  /** @defaultValue Math.random */
  readonly random?: () => number;
}

/** Why the channel closed. */
export interface WebSocketCloseInfo {
  readonly code: number;
  readonly reason: string;
  /** Set when the channel did not close by `close()`. */
  readonly error: WebSocketSignalingError | null;
}

/** Another peer entered or left the room. */
export interface PresenceEvent {
  readonly type: 'joined' | 'left';
  readonly peer: string;
}

/** A signaling channel over a WebSocket room. */
export interface WebSocketSignaling extends SignalingChannel {
  readonly peerId: string;
  readonly room: string;
  readonly state: WebSocketSignalingState;
  /** The other peers in the room, as last reported by the server. */
  readonly peers: readonly string[];
  /** Messages sent but not yet acknowledged by the server (queued while disconnected included). */
  readonly pending: number;
  /** Set once `state` is `closed`. */
  readonly closeInfo: WebSocketCloseInfo | null;
  /** Queues the message; it is sent once joined, and again after a reconnect until acknowledged. */
  send(message: SignalingMessage): void;
  /** Calls `listener` on every change of `state`; returns the unsubscribe function. */
  onStateChange(listener: (state: WebSocketSignalingState) => void): () => void;
  /** Calls `listener` when a peer joins or leaves the room; returns the unsubscribe function. */
  onPresence(listener: (event: PresenceEvent) => void): () => void;
  /** Non-fatal problems (a bad frame) and the fatal one that closed the channel. */
  onError(listener: (error: WebSocketSignalingError) => void): () => void;
  /** Leaves the room and closes the socket. Idempotent. */
  close(): void;
}

/** The defaults of {@link ReconnectOptions}. */
export const DEFAULT_RECONNECT: ReconnectOptions = Object.freeze({
  initialDelay: 250,
  factor: 2,
  maxDelay: 10_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  jitter: 0.2,
});

/** The defaults of {@link HeartbeatOptions}. */
export const DEFAULT_HEARTBEAT: HeartbeatOptions = Object.freeze({
  interval: 10_000,
  timeout: 5_000,
});

/** Default of `maxMessageBytes`, the same as the reference server's. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

interface Outgoing {
  seq: number;
  readonly data: unknown;
}

type Listener<T> = (value: T) => void;

/**
 * Creates the channel and starts connecting at once.
 *
 * @example
 * ```ts
 * const signaling = createWebSocketSignaling({ url: 'ws://127.0.0.1:8787', room: 'demo' });
 * signaling.onStateChange((state) => console.log('signaling', state));
 * const peer = createPeer({ signaling, polite: true });
 * ```
 */
export function createWebSocketSignaling(options: WebSocketSignalingOptions): WebSocketSignaling {
  const reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
  const heartbeat = { ...DEFAULT_HEARTBEAT, ...options.heartbeat };
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const random = options.random ?? Math.random;
  const url = String(options.url);
  const room = options.room;
  const peerId = options.peerId ?? randomId();
  const session = randomId();
  if (!ID_PATTERN.test(room)) throw new TypeError(`room must match ${ID_PATTERN}, got "${room}"`);
  if (!ID_PATTERN.test(peerId))
    throw new TypeError(`peerId must match ${ID_PATTERN}, got "${peerId}"`);
  if (options.to !== undefined && !ID_PATTERN.test(options.to))
    throw new TypeError(`to must match ${ID_PATTERN}, got "${options.to}"`);

  let state: WebSocketSignalingState = 'connecting';
  let closeInfo: WebSocketCloseInfo | null = null;
  let socket: WebSocketLike | null = null;
  let joined = false;
  /** Reconnections since the last successful join. */
  let attempt = 0;
  let peers: string[] = [];
  /** Numbered, unacknowledged outgoing messages, oldest first. */
  let outbox: Outgoing[] = [];
  let lastSeq = 0;
  /** The last server `seq` delivered to subscribers; anything at or below it is a duplicate. */
  let received = 0;
  let backlog: unknown[] = [];
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let silenceTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;

  const subscribers = new Set<{ readonly listener: Listener<unknown> }>();
  const stateListeners = new Set<Listener<WebSocketSignalingState>>();
  const presenceListeners = new Set<Listener<PresenceEvent>>();
  const errorListeners = new Set<Listener<WebSocketSignalingError>>();

  const notify = <T>(listeners: Set<Listener<T>>, value: T): void => {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (error) {
        reportListenerError(error);
      }
    }
  };
  const setState = (next: WebSocketSignalingState): void => {
    if (state === next) return;
    state = next;
    notify(stateListeners, next);
  };
  const reportError = (error: WebSocketSignalingError): void => notify(errorListeners, error);

  const write = (frame: ClientFrame): void => {
    try {
      socket?.send(JSON.stringify(frame));
    } catch {
      // A socket that throws on send is closing; its close event starts the reconnection, and
      // the outbox still holds every unacknowledged message.
    }
  };
  const writeSignal = (item: Outgoing): void =>
    write({
      t: 'signal',
      seq: item.seq,
      data: item.data,
      ...(options.to ? { to: options.to } : {}),
    });

  /** Delivers the backlog, oldest first, to the current subscribers; keeps it if there are none. */
  const drain = (): void => {
    while (backlog.length > 0 && subscribers.size > 0) {
      const data = backlog.shift();
      for (const entry of [...subscribers]) {
        if (!subscribers.has(entry)) continue;
        try {
          entry.listener(data);
        } catch (error) {
          reportListenerError(error);
        }
      }
    }
  };

  const clearTimers = (): void => {
    clearTimeout(reconnectTimer);
    clearTimeout(silenceTimer);
    clearInterval(pingTimer);
    reconnectTimer = undefined;
    silenceTimer = undefined;
    pingTimer = undefined;
  };

  /** Any frame proves the path works; silence longer than a ping round means it does not. */
  const armSilenceTimer = (): void => {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => {
      const dead = socket;
      detach();
      // close() on a half-open socket may wait for a close frame that never comes: do not wait.
      try {
        dead?.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
      } catch {
        // Already closing.
      }
      dropped(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
    }, heartbeat.interval + heartbeat.timeout);
  };

  const detach = (): void => {
    if (socket) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
    }
    socket = null;
    joined = false;
    clearTimeout(silenceTimer);
    clearInterval(pingTimer);
  };

  const connect = (): void => {
    const Constructor =
      options.WebSocket ??
      (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket ??
      undefined;
    if (typeof Constructor !== 'function') {
      finish(
        CLOSE_CODES.INTERNAL_ERROR,
        'no WebSocket',
        new WebSocketSignalingError(
          'WS_REJECTED',
          'No WebSocket constructor here: pass `WebSocket` (e.g. from the ws package in Node 20)',
        ),
      );
      return;
    }
    let next: WebSocketLike;
    try {
      next = new Constructor(url);
    } catch (cause) {
      // An invalid URL throws a SyntaxError synchronously; retrying cannot fix it.
      finish(
        CLOSE_CODES.INTERNAL_ERROR,
        'invalid url',
        new WebSocketSignalingError('WS_REJECTED', `Cannot open ${url}`, { cause }),
      );
      return;
    }
    socket = next;
    armSilenceTimer();
    next.onopen = () => {
      write({
        t: 'join',
        v: ROOM_PROTOCOL_VERSION,
        room,
        peer: peerId,
        session,
        received,
        ...(options.token === undefined ? {} : { token: options.token }),
      });
    };
    next.onmessage = (event: { readonly data: unknown }) => onFrame(event.data);
    next.onclose = (event: { readonly code: number; readonly reason: string }) => {
      detach();
      dropped(event.code, event.reason);
    };
    // Every error is followed by a close event, which does the work.
    next.onerror = () => {};
  };

  const onFrame = (data: unknown): void => {
    if (typeof data !== 'string') {
      reportError(new WebSocketSignalingError('WS_INVALID_FRAME', 'Ignored a binary frame'));
      return;
    }
    armSilenceTimer();
    const size = utf8Length(data);
    if (size > maxBytes) {
      reportError(
        new WebSocketSignalingError(
          'WS_MESSAGE_TOO_LARGE',
          `Ignored a ${size}-byte frame, over maxMessageBytes (${maxBytes})`,
        ),
      );
      return;
    }
    const parsed = parseServerFrame(data);
    if (!parsed.ok) {
      reportError(
        new WebSocketSignalingError('WS_INVALID_FRAME', `Ignored a frame: ${parsed.reason}`),
      );
      return;
    }
    handle(parsed.frame);
  };

  const handle = (frame: ServerFrame): void => {
    switch (frame.t) {
      case 'joined': {
        if (!frame.resumed) {
          // The server has no memory of us: numbering starts over on both sides, and everything
          // unacknowledged goes again under new numbers.
          received = 0;
          outbox = outbox.map((item, index) => ({ seq: index + 1, data: item.data }));
          lastSeq = outbox.length;
        } else {
          outbox = outbox.filter((item) => item.seq > frame.acked);
        }
        joined = true;
        attempt = 0;
        const before = new Set(peers);
        peers = frame.peers.filter((peer) => peer !== peerId);
        for (const peer of peers)
          if (!before.has(peer)) notify(presenceListeners, { type: 'joined', peer });
        for (const peer of before)
          if (!peers.includes(peer)) notify(presenceListeners, { type: 'left', peer });
        for (const item of outbox) writeSignal(item);
        clearInterval(pingTimer);
        pingTimer = setInterval(() => write({ t: 'ping', ack: received }), heartbeat.interval);
        setState('open');
        return;
      }
      case 'signal':
        if (frame.seq > received) {
          received = frame.seq;
          backlog.push(frame.data);
          drain();
        }
        // Acknowledged even when it is a duplicate: the server sent it again because our
        // previous acknowledgement was lost.
        write({ t: 'ack', seq: frame.seq });
        return;
      case 'ack':
        outbox = outbox.filter((item) => item.seq > frame.seq);
        return;
      case 'peer-joined':
        if (!peers.includes(frame.peer)) peers = [...peers, frame.peer];
        notify(presenceListeners, { type: 'joined', peer: frame.peer });
        return;
      case 'peer-left':
        peers = peers.filter((peer) => peer !== frame.peer);
        notify(presenceListeners, { type: 'left', peer: frame.peer });
        return;
      case 'error':
        reportError(
          new WebSocketSignalingError(
            'WS_SERVER_ERROR',
            `The server refused a frame: ${frame.code}: ${frame.message}`,
          ),
        );
        return;
      case 'pong':
        return;
    }
  };

  const dropped = (code: number, reason: string): void => {
    if (state === 'closed') return;
    if (FATAL_CLOSE_CODES.has(code)) {
      finish(
        code,
        reason,
        new WebSocketSignalingError(
          'WS_REJECTED',
          `The server closed the connection with ${code}${reason ? ` (${reason})` : ''}`,
          { closeCode: code },
        ),
      );
      return;
    }
    if (attempt >= reconnect.maxAttempts) {
      finish(
        code,
        reason,
        new WebSocketSignalingError(
          'WS_RECONNECT_EXHAUSTED',
          `Gave up after ${attempt} reconnection attempts (last close ${code})`,
          { closeCode: code },
        ),
      );
      return;
    }
    attempt += 1;
    setState('reconnecting');
    const base = Math.min(
      reconnect.initialDelay * reconnect.factor ** (attempt - 1),
      reconnect.maxDelay,
    );
    const delay = Math.max(0, base * (1 + reconnect.jitter * (2 * random() - 1)));
    reconnectTimer = setTimeout(connect, delay);
  };

  const finish = (code: number, reason: string, error: WebSocketSignalingError | null): void => {
    if (state === 'closed') return;
    clearTimers();
    const last = socket;
    detach();
    try {
      last?.close(CLOSE_CODES.NORMAL, reason.slice(0, 120));
    } catch {
      // Already closing.
    }
    closeInfo = { code, reason, error };
    subscribers.clear();
    backlog = [];
    outbox = [];
    if (error) reportError(error);
    setState('closed');
    stateListeners.clear();
    presenceListeners.clear();
    errorListeners.clear();
  };

  connect();

  return {
    peerId,
    room,
    get state() {
      return state;
    },
    get peers() {
      return peers;
    },
    get pending() {
      return outbox.length;
    },
    get closeInfo() {
      return closeInfo;
    },
    send(message: SignalingMessage): void {
      if (state === 'closed') {
        throw new WebSocketSignalingError(
          'WS_CLOSED',
          `The WebSocket signaling of room "${room}" is closed`,
          closeInfo?.error ? { cause: closeInfo.error } : {},
        );
      }
      const item: Outgoing = { seq: lastSeq + 1, data: message };
      // Measured as it will travel, so the server's limit can never close the socket on us.
      const size = utf8Length(
        JSON.stringify({
          t: 'signal',
          seq: item.seq,
          ...(options.to ? { to: options.to } : {}),
          data: message,
        }),
      );
      if (size > maxBytes) {
        throw new WebSocketSignalingError(
          'WS_MESSAGE_TOO_LARGE',
          `A ${size}-byte "${message.type}" message is over maxMessageBytes (${maxBytes})`,
        );
      }
      lastSeq = item.seq;
      outbox.push(item);
      if (joined) writeSignal(item);
    },
    subscribe(listener: (message: unknown) => void): () => void {
      if (state === 'closed') return () => {};
      const entry = { listener };
      subscribers.add(entry);
      if (backlog.length > 0) setTimeout(drain, 0);
      return () => {
        subscribers.delete(entry);
      };
    },
    onStateChange(listener) {
      if (state === 'closed') return () => {};
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    onPresence(listener) {
      if (state === 'closed') return () => {};
      presenceListeners.add(listener);
      return () => presenceListeners.delete(listener);
    },
    onError(listener) {
      if (state === 'closed') return () => {};
      errorListeners.add(listener);
      return () => errorListeners.delete(listener);
    },
    close(): void {
      if (state === 'closed') return;
      if (joined) write({ t: 'leave' });
      finish(CLOSE_CODES.NORMAL, 'closed', null);
    },
  };
}

function randomId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Like an event listener's exception: reported globally, without stopping the others. */
function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else
    setTimeout(() => {
      throw error;
    }, 0);
}
