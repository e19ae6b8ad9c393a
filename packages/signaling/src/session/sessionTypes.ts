/**
 * The public shape of a signaling session: its options, the snapshot a UI reads, and the object.
 * @module
 */

import type { CreatePeerOptions, PeerActor, PeerView } from '@peerstatejs/core';
import type { WebSocketSignalingError } from '../errors.js';
import type {
  WebSocketSignaling,
  WebSocketSignalingOptions,
  WebSocketSignalingState,
} from '../websocket/websocketOptions.js';

/** Options of {@link createSignalingSession}. */
export interface SignalingSessionOptions extends Omit<WebSocketSignalingOptions, 'to'> {
  /**
   * The options of each peer the session creates (all but `signaling` and `polite`, which the
   * session decides). `configuration` may be a function, called for each new peer connection
   * and before each ICE restart: the place to fetch short-lived TURN credentials.
   */
  readonly peer?: Omit<CreatePeerOptions, 'signaling' | 'polite'>;
  /**
   * Captured with `getUserMedia` and sent by each peer the session creates (`START_MEDIA`); the
   * peer owns those tracks and stops them when it ends. `undefined`: the app adds media itself.
   */
  readonly media?: MediaStreamConstraints;
  /**
   * Hang up and leave the room when the page goes away (`pagehide`, a closed tab or a reload), so
   * the remote sees it at once instead of after the server's grace period. @defaultValue true
   */
  readonly leaveOnPageHide?: boolean;
  /** Makes the transport; tests pass one over a mock server. @defaultValue createWebSocketSignaling */
  readonly createTransport?: (options: WebSocketSignalingOptions) => WebSocketSignaling;
}

/**
 * `idle`: not started (or stopped); nothing is connected. The others are the transport's
 * states: `connecting`, `open`, `reconnecting`, and `closed` when the server refused us for good
 * (see `error`).
 */
export type SignalingSessionState = 'idle' | WebSocketSignalingState;

/** What a UI reads from a session: plain values, a new object on every change. */
export interface SignalingSessionSnapshot {
  readonly state: SignalingSessionState;
  /** This peer's id in the room. */
  readonly peerId: string;
  readonly room: string;
  /** The other peers in the room, as the server last reported them. */
  readonly peers: readonly string[];
  /**
   * The remote this session is in a call with (the first other peer of the room), `null` while
   * the room holds nobody else. A third peer is listed in `peers` but not called.
   */
  readonly remote: string | null;
  /** This peer's role towards `remote` (see `isPolite`), `null` without a remote. */
  readonly polite: boolean | null;
  /**
   * The peer of the current call: created when a remote is in the room, ended when it leaves
   * (`closeReason` `remote-left`) or hangs up (`remote`), replaced by a new one when a remote
   * joins again. It stays here, ended, until then, so a UI can show why the call ended.
   */
  readonly peer: PeerActor | null;
  /** `peerView` of `peer`'s latest snapshot. */
  readonly view: PeerView | null;
  /** The transport's last error (a refused join closes the session's transport). */
  readonly error: WebSocketSignalingError | null;
}

/** A room and the call in it. Connects on `start()`, never on creation. */
export interface SignalingSession {
  readonly peerId: string;
  readonly room: string;
  /** Joins the room. Idempotent while started; after `stop()` it joins again. */
  start(): void;
  /** Hangs up (bye), leaves the room and closes the socket; back to `idle`. Idempotent. */
  stop(): void;
  getSnapshot(): SignalingSessionSnapshot;
  /**
   * Calls `listener` after every change of the snapshot; returns the unsubscribe function. The
   * shape `useSyncExternalStore` takes.
   */
  subscribe(listener: () => void): () => void;
}
