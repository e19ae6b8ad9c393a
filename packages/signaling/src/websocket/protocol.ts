/**
 * The WebSocket room protocol shared by `createWebSocketSignaling` and the reference server
 * (`apps/signaling-server`). Every frame is a JSON text frame with a `t` (type) field; core's
 * signaling messages travel opaque inside `signal` frames, so the server never needs to know the
 * core's schema (and peers still validate everything they receive).
 *
 * Delivery is exactly-once across reconnects: each side numbers the `signal` frames it sends
 * (`seq`, from 1), the receiver acknowledges cumulatively, and the sender keeps what is not
 * acknowledged and sends it again after a reconnect; the receiver drops what it already has.
 * The server acknowledges a client `signal` (cumulatively) only once every recipient has
 * acknowledged it, left the room for good, or been told in a `gap` that it was dropped: an ack
 * never stands for a frame held only in memory that a restart would lose.
 * @module
 */

/** Protocol version, sent in `join`. */
export const ROOM_PROTOCOL_VERSION = 1;

/** Close codes used by the server (and, for 4002, by the client locally). */
export const CLOSE_CODES = Object.freeze({
  /** Normal close (`leave`, `close()`). */
  NORMAL: 1000,
  /** The server is shutting down; reconnect. */
  GOING_AWAY: 1001,
  /** A binary frame: the protocol is JSON text only. */
  UNSUPPORTED_DATA: 1003,
  /** Policy: not JSON, unknown type, malformed frame, origin not allowed, bad token. */
  POLICY_VIOLATION: 1008,
  /** A frame over the server's size limit. */
  MESSAGE_TOO_BIG: 1009,
  /** The server failed; reconnect. */
  INTERNAL_ERROR: 1011,
  /** The room already has its maximum number of peers. */
  ROOM_FULL: 4000,
  /** Another connection joined with the same peer id and took over the session. */
  REPLACED: 4001,
  /** Client side only: no frame from the server within the heartbeat timeout (a half-open socket). */
  HEARTBEAT_TIMEOUT: 4002,
  /** The first frame was not `join`, or did not arrive within the join timeout. */
  JOIN_REQUIRED: 4003,
  /**
   * The client read too slowly: more than the server's send-buffer cap waited for it. The session
   * stays resumable; the client reconnects and gets what it lacks (or a `gap`).
   */
  SLOW_CONSUMER: 4004,
  /** Over the server's per-connection frame or byte rate. */
  RATE_LIMITED: 4005,
  /** Over the server's limit of open connections from one address; retried with backoff. */
  TOO_MANY_CONNECTIONS: 4006,
  /** The join token is missing, forged, malformed, or names another room or peer. */
  TOKEN_INVALID: 4010,
  /** The join token has expired (a resume of a live session still accepts it). */
  TOKEN_EXPIRED: 4011,
});

/** Close codes after which reconnecting with the same settings cannot succeed. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.UNSUPPORTED_DATA,
  CLOSE_CODES.POLICY_VIOLATION,
  CLOSE_CODES.MESSAGE_TOO_BIG,
  CLOSE_CODES.ROOM_FULL,
  CLOSE_CODES.REPLACED,
  CLOSE_CODES.JOIN_REQUIRED,
  CLOSE_CODES.RATE_LIMITED,
  CLOSE_CODES.TOKEN_INVALID,
  CLOSE_CODES.TOKEN_EXPIRED,
]);

/**
 * Server `seq`s, inclusive, that the server had to drop before the receiver acknowledged them
 * (its outbox was over the limit): they will never arrive, so the receiver must not wait for them.
 */
export interface SignalGap {
  readonly from: number;
  readonly to: number;
}

/** Client → server. */
export type ClientFrame =
  /**
   * First frame on every connection. `received` is the last server `seq` the client has (0 on
   * a fresh session): the server sends again everything after it.
   */
  | {
      readonly t: 'join';
      readonly v: typeof ROOM_PROTOCOL_VERSION;
      readonly room: string;
      readonly peer: string;
      /**
       * Random per channel instance. The server resumes a session only for the same `session`;
       * the same peer id with a new one (a reloaded page) is a new peer that replaces the old.
       */
      readonly session: string;
      readonly token?: string;
      readonly received: number;
      /**
       * Random per channel instance like `session`, but public: the server passes it on with
       * each signal so that receivers can drop what they already have by `mid`, even across a
       * server that restarted and forgot every `seq`. Not a secret (`session` is).
       */
      readonly instance?: string;
    }
  /**
   * A message for the other peers of the room (or only `to`). `mid` numbers the channel
   * instance's messages from 1 and, unlike `seq`, never starts over.
   */
  | {
      readonly t: 'signal';
      readonly seq: number;
      readonly mid?: number;
      readonly to?: string;
      readonly data: unknown;
    }
  /** Cumulative acknowledgement of server `signal` frames. */
  | { readonly t: 'ack'; readonly seq: number }
  /** Heartbeat; the server answers `pong`. Carries an acknowledgement too. */
  | { readonly t: 'ping'; readonly ack: number }
  /** Leave the room for good (no resumption). */
  | { readonly t: 'leave' };

/** Server → client. */
export type ServerFrame =
  /**
   * Answer to `join`. `resumed` is false when the server has no session for this peer (first
   * join, expired, or server restarted): both sides then number from 1 again. `acked` is the last
   * client `seq` the server has. `gap`, on a resume only: what the server dropped for us.
   */
  | {
      readonly t: 'joined';
      readonly room: string;
      readonly peer: string;
      readonly peers: readonly string[];
      readonly resumed: boolean;
      readonly acked: number;
      readonly gap?: SignalGap;
    }
  | { readonly t: 'peer-joined'; readonly peer: string }
  | { readonly t: 'peer-left'; readonly peer: string }
  /** `instance` and `mid`: the sender's, when it sent them (see the client `join` and `signal`). */
  | {
      readonly t: 'signal';
      readonly seq: number;
      readonly from: string;
      readonly data: unknown;
      readonly instance?: string;
      readonly mid?: number;
    }
  | { readonly t: 'ack'; readonly seq: number }
  | { readonly t: 'pong' }
  /** A non-fatal problem with one frame (e.g. `to` names no peer of the room). */
  | { readonly t: 'error'; readonly code: string; readonly message: string };

/** Room names and peer ids: 1–64 characters of `[A-Za-z0-9_.:-]`. */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The result of parsing a frame. */
export type ParseFrameResult<F> =
  | { readonly ok: true; readonly frame: F }
  | { readonly ok: false; readonly reason: string };

/** Validates a client frame (the server's side). Never throws. */
export function parseClientFrame(text: string): ParseFrameResult<ClientFrame> {
  const value = parseJsonObject(text);
  if (typeof value === 'string') return { ok: false, reason: value };
  switch (value.t) {
    case 'join': {
      if (value.v !== ROOM_PROTOCOL_VERSION)
        return fail(`unsupported protocol version ${String(value.v)}`);
      if (!isId(value.room)) return fail('join.room must match [A-Za-z0-9_.:-]{1,64}');
      if (!isId(value.peer)) return fail('join.peer must match [A-Za-z0-9_.:-]{1,64}');
      if (!isId(value.session)) return fail('join.session must match [A-Za-z0-9_.:-]{1,64}');
      if (value.token !== undefined && typeof value.token !== 'string')
        return fail('join.token must be a string');
      if (!isCount(value.received)) return fail('join.received must be an integer ≥ 0');
      if (value.instance !== undefined && !isId(value.instance))
        return fail('join.instance must match [A-Za-z0-9_.:-]{1,64}');
      return {
        ok: true,
        frame: {
          t: 'join',
          v: ROOM_PROTOCOL_VERSION,
          room: value.room,
          peer: value.peer,
          session: value.session,
          received: value.received,
          ...(typeof value.token === 'string' ? { token: value.token } : {}),
          ...(isId(value.instance) ? { instance: value.instance } : {}),
        },
      };
    }
    case 'signal':
      if (!isSeq(value.seq)) return fail('signal.seq must be an integer ≥ 1');
      if (value.mid !== undefined && !isSeq(value.mid))
        return fail('signal.mid must be an integer ≥ 1');
      if (value.to !== undefined && !isId(value.to)) return fail('signal.to must be a peer id');
      if (!('data' in value)) return fail('signal.data is missing');
      return {
        ok: true,
        frame: {
          t: 'signal',
          seq: value.seq,
          data: value.data,
          ...(isSeq(value.mid) ? { mid: value.mid } : {}),
          ...(typeof value.to === 'string' ? { to: value.to } : {}),
        },
      };
    case 'ack':
      if (!isCount(value.seq)) return fail('ack.seq must be an integer ≥ 0');
      return { ok: true, frame: { t: 'ack', seq: value.seq } };
    case 'ping':
      if (!isCount(value.ack)) return fail('ping.ack must be an integer ≥ 0');
      return { ok: true, frame: { t: 'ping', ack: value.ack } };
    case 'leave':
      return { ok: true, frame: { t: 'leave' } };
    default:
      return fail(`unknown frame type ${describeType(value.t)}`);
  }
}

/** Validates a server frame (the client's side). Never throws. */
export function parseServerFrame(text: string): ParseFrameResult<ServerFrame> {
  const value = parseJsonObject(text);
  if (typeof value === 'string') return { ok: false, reason: value };
  switch (value.t) {
    case 'joined':
      if (!isId(value.room) || !isId(value.peer)) return fail('joined.room/peer must be ids');
      if (!Array.isArray(value.peers) || !value.peers.every(isId))
        return fail('joined.peers must be a list of peer ids');
      if (typeof value.resumed !== 'boolean') return fail('joined.resumed must be a boolean');
      if (!isCount(value.acked)) return fail('joined.acked must be an integer ≥ 0');
      if (value.gap !== undefined && !isGap(value.gap))
        return fail('joined.gap must be { from, to } with 1 ≤ from ≤ to');
      return {
        ok: true,
        frame: {
          t: 'joined',
          room: value.room,
          peer: value.peer,
          peers: [...(value.peers as string[])],
          resumed: value.resumed,
          acked: value.acked,
          ...(isGap(value.gap) ? { gap: { from: value.gap.from, to: value.gap.to } } : {}),
        },
      };
    case 'peer-joined':
    case 'peer-left':
      if (!isId(value.peer)) return fail(`${value.t}.peer must be a peer id`);
      return { ok: true, frame: { t: value.t, peer: value.peer } };
    case 'signal':
      if (!isSeq(value.seq)) return fail('signal.seq must be an integer ≥ 1');
      if (!isId(value.from)) return fail('signal.from must be a peer id');
      if (!('data' in value)) return fail('signal.data is missing');
      if (
        (value.mid !== undefined || value.instance !== undefined) &&
        !(isSeq(value.mid) && isId(value.instance))
      )
        return fail('signal.mid and signal.instance go together: an integer ≥ 1 and an id');
      return {
        ok: true,
        frame: {
          t: 'signal',
          seq: value.seq,
          from: value.from,
          data: value.data,
          ...(isSeq(value.mid) && isId(value.instance)
            ? { instance: value.instance, mid: value.mid }
            : {}),
        },
      };
    case 'ack':
      if (!isCount(value.seq)) return fail('ack.seq must be an integer ≥ 0');
      return { ok: true, frame: { t: 'ack', seq: value.seq } };
    case 'pong':
      return { ok: true, frame: { t: 'pong' } };
    case 'error':
      if (typeof value.code !== 'string' || typeof value.message !== 'string')
        return fail('error.code and error.message must be strings');
      return { ok: true, frame: { t: 'error', code: value.code, message: value.message } };
    default:
      return fail(`unknown frame type ${describeType(value.t)}`);
  }
}

/** UTF-8 size of a string, without allocating a buffer (works in browsers and Node). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      // A surrogate pair is one 4-byte code point.
      bytes += 4;
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}

function parseJsonObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a JSON object';
  }
  return value as Record<string, unknown>;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isSeq(value: unknown): value is number {
  return isCount(value) && value >= 1;
}

function isGap(value: unknown): value is SignalGap {
  if (typeof value !== 'object' || value === null) return false;
  const { from, to } = value as Record<string, unknown>;
  return isSeq(from) && isSeq(to) && from <= to;
}

function describeType(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
}
