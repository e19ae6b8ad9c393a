/**
 * Errors of `@peerstatejs/signaling`. Every one is a `PeerStateError` from `@peerstatejs/core` (so
 * `instanceof PeerStateError` holds and the machine reports it unchanged as the `cause` of its
 * `SIGNALING_TRANSPORT_FAILED` error) with a code of its own.
 *
 * | code | class | raised when |
 * | --- | --- | --- |
 * | `WHIP_HTTP_ERROR` | {@link WhipHttpError} | the endpoint answered 4xx/5xx, or another status than the one the step expects |
 * | `WHIP_MISSING_LOCATION` | {@link WhipProtocolError} | a 201 without a `Location` header |
 * | `WHIP_CONTENT_TYPE` | {@link WhipProtocolError} | the answer is not `application/sdp` (or a restart answer not `application/trickle-ice-sdpfrag`) |
 * | `WHIP_NETWORK_ERROR` | {@link WhipNetworkError} | `fetch` itself failed: refused, reset, DNS, CORS, timeout |
 * | `WHIP_UNSUPPORTED` | {@link WhipProtocolError} | the machine asked for something WHIP/WHEP cannot carry (an answer, a renegotiation) |
 * | `WS_MESSAGE_TOO_LARGE` | {@link WebSocketSignalingError} | a message to send, or a frame received, is over `maxMessageBytes` |
 * | `WS_INVALID_FRAME` | {@link WebSocketSignalingError} | the server sent a frame that is not JSON or not part of the protocol |
 * | `WS_REJECTED` | {@link WebSocketSignalingError} | the server closed with a code that retrying cannot fix (policy, room full, …) |
 * | `WS_RECONNECT_EXHAUSTED` | {@link WebSocketSignalingError} | `reconnect.maxAttempts` reconnections in a row failed |
 * | `WS_SERVER_ERROR` | {@link WebSocketSignalingError} | the server refused one frame (an `error` frame) without closing |
 * | `WS_MESSAGES_LOST` | {@link WebSocketSignalingError} | on a resume the server reported messages it had to drop for us (`gap`): renegotiate rather than wait |
 * | `WS_CLOSED` | {@link WebSocketSignalingError} | `send` after `close()` or after a rejection |
 * | `ROOM_FULL` | {@link RoomFullError} | a room joined already holds `maxParticipants` (see `createRoom`) |
 * @module
 */

import { type PeerErrorCode, PeerStateError } from '@peerstatejs/core';

/** The codes of the errors raised by the WHIP and WHEP channels. */
export type WhipErrorCode =
  | 'WHIP_HTTP_ERROR'
  | 'WHIP_MISSING_LOCATION'
  | 'WHIP_CONTENT_TYPE'
  | 'WHIP_NETWORK_ERROR'
  | 'WHIP_UNSUPPORTED';

/** The codes of the errors raised by the WebSocket channel. */
export type WebSocketErrorCode =
  | 'WS_MESSAGE_TOO_LARGE'
  | 'WS_INVALID_FRAME'
  | 'WS_REJECTED'
  | 'WS_RECONNECT_EXHAUSTED'
  | 'WS_SERVER_ERROR'
  | 'WS_MESSAGES_LOST'
  | 'WS_CLOSED';

/** The codes of the errors raised by a room. */
export type RoomErrorCode = 'ROOM_FULL';

/** Every code this package adds to core's `PeerErrorCode`. */
export type SignalingErrorCode = WhipErrorCode | WebSocketErrorCode | RoomErrorCode;

/**
 * `PeerStateError` with this package's codes. Core types `code` as its own closed union, so the
 * base class is re-typed once here (the runtime class, prototype chain and `instanceof` are
 * core's own). Once core makes `PeerStateError` generic over its code this cast goes away.
 */
const SignalingErrorBase = PeerStateError as unknown as new (
  code: SignalingErrorCode,
  message: string,
  options?: { cause?: unknown },
) => Omit<PeerStateError, 'code'> & { readonly code: SignalingErrorCode };

/** Base class of every error of this package. */
export class SignalingError<
  Code extends SignalingErrorCode = SignalingErrorCode,
> extends SignalingErrorBase {
  declare readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Which protocol a WHIP/WHEP error came from. */
export type HttpSignalingProtocol = 'whip' | 'whep';

/** Which HTTP exchange of a WHIP/WHEP session failed. */
export type WhipStep = 'offer' | 'trickle' | 'iceRestart' | 'delete';

/** The endpoint answered with an error status, or with a status the step does not expect. */
export class WhipHttpError extends SignalingError<'WHIP_HTTP_ERROR'> {
  readonly protocol: HttpSignalingProtocol;
  readonly step: WhipStep;
  readonly status: number;
  readonly statusText: string;
  /** The response body (truncated to 1 KiB), often the server's explanation. */
  readonly body: string;
  /** `Retry-After` in seconds when the server sent one (typically with 503). */
  readonly retryAfter: number | null;

  constructor(
    protocol: HttpSignalingProtocol,
    step: WhipStep,
    response: { status: number; statusText: string; body: string; retryAfter: number | null },
  ) {
    super(
      'WHIP_HTTP_ERROR',
      `${protocol.toUpperCase()} ${step}: the endpoint answered ${response.status}` +
        `${response.statusText ? ` ${response.statusText}` : ''}` +
        `${response.body ? `: ${response.body.slice(0, 200)}` : ''}`,
    );
    this.protocol = protocol;
    this.step = step;
    this.status = response.status;
    this.statusText = response.statusText;
    this.body = response.body;
    this.retryAfter = response.retryAfter;
  }
}

/** A successful response that breaks the protocol, or a request the protocol cannot express. */
export class WhipProtocolError extends SignalingError<
  'WHIP_MISSING_LOCATION' | 'WHIP_CONTENT_TYPE' | 'WHIP_UNSUPPORTED'
> {
  readonly protocol: HttpSignalingProtocol;
  readonly step: WhipStep;

  constructor(
    code: 'WHIP_MISSING_LOCATION' | 'WHIP_CONTENT_TYPE' | 'WHIP_UNSUPPORTED',
    protocol: HttpSignalingProtocol,
    step: WhipStep,
    detail: string,
  ) {
    super(code, `${protocol.toUpperCase()} ${step}: ${detail}`);
    this.protocol = protocol;
    this.step = step;
  }
}

/** `fetch` rejected: the endpoint was unreachable, the request timed out or was blocked. */
export class WhipNetworkError extends SignalingError<'WHIP_NETWORK_ERROR'> {
  readonly protocol: HttpSignalingProtocol;
  readonly step: WhipStep;

  constructor(protocol: HttpSignalingProtocol, step: WhipStep, cause: unknown) {
    super(
      'WHIP_NETWORK_ERROR',
      `${protocol.toUpperCase()} ${step}: the request failed: ${describe(cause)}`,
      { cause },
    );
    this.protocol = protocol;
    this.step = step;
  }
}

/**
 * An error of the WebSocket channel. `closeCode` is set for `WS_REJECTED`; `gap` (the server
 * `seq`s that will never arrive, inclusive) for `WS_MESSAGES_LOST`.
 */
export class WebSocketSignalingError extends SignalingError<WebSocketErrorCode> {
  readonly closeCode: number | null;
  readonly gap: { readonly from: number; readonly to: number } | null;

  constructor(
    code: WebSocketErrorCode,
    message: string,
    options: {
      closeCode?: number;
      gap?: { readonly from: number; readonly to: number };
      cause?: unknown;
    } = {},
  ) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.closeCode = options.closeCode ?? null;
    this.gap = options.gap ?? null;
  }
}

/** Whether `error` is one of this package's errors (optionally with the given code). */
export function isSignalingError<Code extends SignalingErrorCode>(
  error: unknown,
  code?: Code,
): error is SignalingError<Code> {
  return (
    error instanceof PeerStateError &&
    (code === undefined
      ? isOwnCode((error as { code: string }).code)
      : (error as { code: string }).code === code)
  );
}

const OWN_CODES: ReadonlySet<string> = new Set<SignalingErrorCode>([
  'WHIP_HTTP_ERROR',
  'WHIP_MISSING_LOCATION',
  'WHIP_CONTENT_TYPE',
  'WHIP_NETWORK_ERROR',
  'WHIP_UNSUPPORTED',
  'WS_MESSAGE_TOO_LARGE',
  'WS_INVALID_FRAME',
  'WS_REJECTED',
  'WS_RECONNECT_EXHAUSTED',
  'WS_SERVER_ERROR',
  'WS_MESSAGES_LOST',
  'WS_CLOSED',
]);

function isOwnCode(code: string): boolean {
  return OWN_CODES.has(code);
}

/** Core's codes and ours: what `error.code` can be on anything the peer reports. */
export type AnyPeerErrorCode = PeerErrorCode | SignalingErrorCode;

function describe(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}

/**
 * The room already held `maxParticipants` when this peer joined: a full mesh beyond that costs
 * every participant more upload than it has (see the rooms guide); this peer left the room.
 */
export class RoomFullError extends SignalingError<'ROOM_FULL'> {
  readonly room: string;
  readonly maxParticipants: number;
  /** How many peers the room held, this one included. */
  readonly participants: number;

  constructor(room: string, maxParticipants: number, participants: number) {
    super(
      'ROOM_FULL',
      `Room "${room}" holds ${participants} peers with this one, over its maxParticipants (${maxParticipants}): use a media server (SFU) for larger calls`,
    );
    this.room = room;
    this.maxParticipants = maxParticipants;
    this.participants = participants;
  }
}
