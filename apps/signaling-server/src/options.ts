/**
 * The server's options, their defaults, and what a running server offers.
 * @module
 */

import type { TokenVerification } from './auth.js';
import type { RateLimit } from './limits.js';

/** One structured log record: `event` names what happened; the rest depends on it. */
export interface LogRecord {
  readonly event: string;
  readonly [field: string]: unknown;
}

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
   * tokens keep them out.
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * How join tokens (JWTs naming `room` and the peer id as `sub`, see `createSignalingToken`) are
   * checked. Unset: no token is needed and anyone can join any room as any peer id, taking it
   * over: for development only.
   */
  readonly tokens?: TokenVerification;
  /** How long a dropped peer keeps its place, queue and numbering for a resume, in ms. @defaultValue 15000 */
  readonly resumeGracePeriod?: number;
  /** A connection must `join` within this many ms. @defaultValue 5000 */
  readonly joinTimeout?: number;
  /** Protocol-level pings; a socket that misses one is terminated, in ms. @defaultValue 30000 */
  readonly heartbeatInterval?: number;
  /**
   * Signals held for one peer that has not acknowledged them, by count and by bytes; beyond,
   * the oldest go and the peer is told of the gap when it resumes. @defaultValue 1024, 1 MiB
   */
  readonly maxQueuedPerPeer?: number;
  readonly maxQueuedBytesPerPeer?: number;
  /**
   * Bytes a connection's socket may have waiting to be sent (`bufferedAmount`); beyond, the
   * client is too slow and is closed with 4004 (it resumes when it reads again). @defaultValue 1 MiB
   */
  readonly maxBufferedBytes?: number;
  /** `signal` frames per connection. `null`: unlimited. @defaultValue 50/s, burst 200 */
  readonly signalRate?: RateLimit | null;
  /** Bytes received per connection. `null`: unlimited. @defaultValue 256 KiB/s, burst 1 MiB */
  readonly byteRate?: RateLimit | null;
  /** Open connections per client address; 0: unlimited. @defaultValue 64 */
  readonly maxConnectionsPerAddress?: number;
  /** Take the client address from `X-Forwarded-For` (behind a reverse proxy). @defaultValue false */
  readonly trustProxy?: boolean;
  /** Time for the rate limits, in ms. @defaultValue Date.now (tests inject a clock) */
  readonly now?: () => number;
  /**
   * `redis://host:port`: run as one of several instances sharing rooms through this Redis (each
   * room owned by one instance, clients on the others relayed to it). Unset: one process.
   */
  readonly redis?: string;
  /** This instance's name in the cluster. @defaultValue a random UUID */
  readonly instanceId?: string;
  /** How long a dead instance keeps its rooms, in ms. @defaultValue 3000 */
  readonly clusterLease?: number;
  /** One record per notable event (joins, leaves, refusals, closes). @defaultValue no logging */
  readonly log?: (record: LogRecord) => void;
}

/** A running server. */
export interface SignalingServer {
  /** `ws://host:port`. */
  readonly url: string;
  readonly port: number;
  /** Rooms and connected peers right now. */
  stats(): { rooms: number; peers: number; connections: number };
  /**
   * Graceful drain: stops accepting connections and signals (their senders keep them and send
   * them again to the next instance), waits for the peers to acknowledge what they were sent,
   * then closes every socket with 1001 (clients reconnect) and terminates what is left after
   * `timeout` ms in all.
   */
  close(timeout?: number): Promise<void>;
}

export const DEFAULTS = Object.freeze({
  port: 8787,
  host: '127.0.0.1',
  maxPeersPerRoom: 8,
  maxMessageBytes: 64 * 1024,
  resumeGracePeriod: 15_000,
  joinTimeout: 5_000,
  heartbeatInterval: 30_000,
  maxQueuedPerPeer: 1024,
  maxQueuedBytesPerPeer: 1024 * 1024,
  maxBufferedBytes: 1024 * 1024,
  signalRate: { rate: 50, burst: 200 } as RateLimit,
  byteRate: { rate: 256 * 1024, burst: 1024 * 1024 } as RateLimit,
  maxConnectionsPerAddress: 64,
});
