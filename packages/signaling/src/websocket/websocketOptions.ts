/**
 * The public shape of the WebSocket room channel: what it needs of a WebSocket, its options and
 * their defaults, its states and the events it reports.
 * @module
 */

import type { SignalingChannel, SignalingMessage } from '@peerstatejs/core';
import type { WebSocketSignalingError } from '../errors.js';

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
  /**
   * The server, e.g. `ws://127.0.0.1:8787`, or several instances sharing rooms (over Redis):
   * the first connection goes to the first, each reconnection to the next one in turn.
   */
  readonly url: string | URL | readonly (string | URL)[];
  /** The room to join (`[A-Za-z0-9_.:-]{1,64}`). */
  readonly room: string;
  /** This peer's id in the room. @defaultValue a random UUID */
  readonly peerId?: string;
  /**
   * The join token, when the server requires one: a JWT from your app server naming this room
   * and peer id (`createSignalingToken` of `@peerstatejs/signaling-server`). Sent in `join`, never
   * in the URL. A resume within the server's grace period accepts it expired; a new session
   * needs a valid one (else the channel closes with 4011).
   */
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

/** What the room tells about a message besides its content. */
export interface IncomingSignalMeta {
  /** The sender's peer id in the room (the server's `from`, never the sender's own claim). */
  readonly from: string;
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
  /**
   * Queues the message; it is sent once joined and someone who can receive it is in the room (any
   * other peer, or `to`), and again after a reconnect until acknowledged.
   */
  send(message: SignalingMessage): void;
  /**
   * Receives every message of the room's other peers, with its sender: one channel can tell its
   * remotes apart. Messages that arrive before the first subscriber wait for it.
   */
  subscribe(listener: (message: unknown, meta: IncomingSignalMeta) => void): () => void;
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
