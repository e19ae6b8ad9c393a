/**
 * One WebSocket at a time to the room server: opening it, noticing a half-open socket by its
 * silence (heartbeat), and reconnecting with backoff after a drop until the server refuses us
 * for good or the attempts run out.
 * @module
 */

import { WebSocketSignalingError } from '../errors.js';
import { CLOSE_CODES, type ClientFrame, FATAL_CLOSE_CODES } from './protocol.js';
import type {
  HeartbeatOptions,
  ReconnectOptions,
  WebSocketConstructorLike,
  WebSocketLike,
} from './websocketOptions.js';

export interface RoomSocketOptions {
  /** Tried in turn: each reconnection goes to the next (client-side round robin). */
  readonly urls: readonly string[];
  readonly WebSocket: WebSocketConstructorLike | undefined;
  readonly reconnect: ReconnectOptions;
  readonly heartbeat: HeartbeatOptions;
  readonly random: () => number;
}

/** What the channel does when the socket opens, hears a frame, waits to reconnect or fails. */
export interface RoomSocketEvents {
  /** `close()` was called or the channel failed: a drop is no reason to reconnect. */
  readonly isClosed: () => boolean;
  /** A new socket is open: time to join. */
  readonly opened: () => void;
  readonly frame: (data: unknown) => void;
  readonly reconnecting: () => void;
  /** Reconnecting cannot help: the channel closes with `error`. */
  readonly failed: (code: number, reason: string, error: WebSocketSignalingError) => void;
}

export class RoomSocket {
  readonly #options: RoomSocketOptions;
  readonly #events: RoomSocketEvents;
  #socket: WebSocketLike | null = null;
  #joined = false;
  /** Reconnections since the last successful join. */
  #attempt = 0;
  /** Connections opened so far: which of `urls` the next one uses. */
  #opened = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #silenceTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: RoomSocketOptions, events: RoomSocketEvents) {
    this.#options = options;
    this.#events = events;
  }

  /** The server accepted our `join` on the current socket. */
  get joined(): boolean {
    return this.#joined;
  }

  connect(): void {
    const Constructor =
      this.#options.WebSocket ??
      (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket ??
      undefined;
    if (typeof Constructor !== 'function') {
      this.#events.failed(
        CLOSE_CODES.INTERNAL_ERROR,
        'no WebSocket',
        new WebSocketSignalingError(
          'WS_REJECTED',
          'No WebSocket constructor here: pass `WebSocket` (e.g. from the ws package in Node 20)',
        ),
      );
      return;
    }
    const { urls } = this.#options;
    const url = urls[this.#opened % urls.length] as string;
    this.#opened += 1;
    let next: WebSocketLike;
    try {
      next = new Constructor(url);
    } catch (cause) {
      // An invalid URL throws a SyntaxError synchronously; retrying cannot fix it.
      this.#events.failed(
        CLOSE_CODES.INTERNAL_ERROR,
        'invalid url',
        new WebSocketSignalingError('WS_REJECTED', `Cannot open ${url}`, { cause }),
      );
      return;
    }
    this.#socket = next;
    this.#armSilenceTimer();
    next.onopen = () => this.#events.opened();
    next.onmessage = (event: { readonly data: unknown }) => {
      // A binary frame is ignored as not ours; any text frame proves the path works.
      if (typeof event.data === 'string') this.#armSilenceTimer();
      this.#events.frame(event.data);
    };
    next.onclose = (event: { readonly code: number; readonly reason: string }) => {
      this.#detach();
      this.#dropped(event.code, event.reason);
    };
    // Every error is followed by a close event, which does the work.
    next.onerror = () => {};
  }

  write(frame: ClientFrame): void {
    try {
      this.#socket?.send(JSON.stringify(frame));
    } catch {
      // A socket that throws on send is closing; its close event starts the reconnection, and
      // the outbox still holds every unacknowledged message.
    }
  }

  /** Joined: the reconnection count restarts. */
  markJoined(): void {
    this.#joined = true;
    this.#attempt = 0;
  }

  /** Pings the server every heartbeat interval with `frame()`, so that silence means trouble. */
  startPinging(frame: () => ClientFrame): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = setInterval(() => this.write(frame()), this.#options.heartbeat.interval);
  }

  /** For good: no more timers, the socket closes without waiting. */
  shutdown(reason: string): void {
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#silenceTimer);
    clearInterval(this.#pingTimer);
    this.#reconnectTimer = undefined;
    this.#silenceTimer = undefined;
    this.#pingTimer = undefined;
    const last = this.#socket;
    this.#detach();
    try {
      last?.close(CLOSE_CODES.NORMAL, reason.slice(0, 120));
    } catch {
      // Already closing.
    }
  }

  /** Any frame proves the path works; silence longer than a ping round means it does not. */
  #armSilenceTimer(): void {
    const { interval, timeout } = this.#options.heartbeat;
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = setTimeout(() => {
      const dead = this.#socket;
      this.#detach();
      // close() on a half-open socket may wait for a close frame that never comes: do not wait.
      try {
        dead?.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
      } catch {
        // Already closing.
      }
      this.#dropped(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
    }, interval + timeout);
  }

  #detach(): void {
    const socket = this.#socket;
    if (socket) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
    }
    this.#socket = null;
    this.#joined = false;
    clearTimeout(this.#silenceTimer);
    clearInterval(this.#pingTimer);
  }

  #dropped(code: number, reason: string): void {
    if (this.#events.isClosed()) return;
    if (FATAL_CLOSE_CODES.has(code)) {
      this.#events.failed(
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
    const { reconnect, random } = this.#options;
    if (this.#attempt >= reconnect.maxAttempts) {
      this.#events.failed(
        code,
        reason,
        new WebSocketSignalingError(
          'WS_RECONNECT_EXHAUSTED',
          `Gave up after ${this.#attempt} reconnection attempts (last close ${code})`,
          { closeCode: code },
        ),
      );
      return;
    }
    this.#attempt += 1;
    this.#events.reconnecting();
    const base = Math.min(
      reconnect.initialDelay * reconnect.factor ** (this.#attempt - 1),
      reconnect.maxDelay,
    );
    const delay = Math.max(0, base * (1 + reconnect.jitter * (2 * random() - 1)));
    this.#reconnectTimer = setTimeout(() => this.connect(), delay);
  }
}
