/**
 * Every error the SDK reports is a {@link PeerStateError} with a stable {@link PeerErrorCode}.
 * Codes never change meaning between versions; match on `error.code`, not on the message.
 *
 * | code | class | raised when |
 * | --- | --- | --- |
 * | `UNSUPPORTED` | {@link UnsupportedError} | no peer connection constructor exists in the scope, or only one that needs `@peerstatejs/core/legacy`; or a media control (`SET_MUTED`, …) was sent to a peer without `mediaControls` from `@peerstatejs/core/media-controls` |
 * | `PEER_CONNECTION_FAILED` | {@link PeerConnectionError} | the constructor threw (e.g. an invalid ICE server URL) |
 * | `INVALID_SIGNALING_MESSAGE` | {@link SignalingMessageError} | an incoming message failed validation |
 * | `SIGNALING_TRANSPORT_FAILED` | {@link SignalingTransportError} | the signaling channel threw on `send` or `subscribe` |
 * | `NEGOTIATION_FAILED` | {@link NegotiationError} | creating or applying a description failed |
 * | `NEGOTIATION_TIMEOUT` | {@link NegotiationTimeoutError} | an offer, sent again a bounded number of times, was never answered |
 * | `ICE_CANDIDATE_FAILED` | {@link IceCandidateError} | a remote candidate was rejected (outside an ignored offer) |
 * | `ICE_RESTART_EXHAUSTED` | {@link IceRestartError} | ICE did not recover within the allowed attempts (and no rebuild was left) |
 * | `REBUILD_FAILED` | {@link RebuildError} | the remote peer did not join a rebuild of the connection in time |
 * | `MEDIA_FAILED` | {@link MediaError} | a track operation or `getUserMedia` failed |
 * | `DATA_CHANNEL_FAILED` | {@link DataChannelError} | a data channel could not be created or used |
 * | `PEER_CLOSED` | {@link ClosedError} | an event was sent after the peer was closed |
 *
 * @module
 */

/** The stable codes of every error the SDK reports. */
export type PeerErrorCode =
  | 'UNSUPPORTED'
  | 'PEER_CONNECTION_FAILED'
  | 'INVALID_SIGNALING_MESSAGE'
  | 'SIGNALING_TRANSPORT_FAILED'
  | 'NEGOTIATION_FAILED'
  | 'NEGOTIATION_TIMEOUT'
  | 'ICE_CANDIDATE_FAILED'
  | 'ICE_RESTART_EXHAUSTED'
  | 'REBUILD_FAILED'
  | 'MEDIA_FAILED'
  | 'DATA_CHANNEL_FAILED'
  | 'PEER_CLOSED';

/** Base class of every error the SDK reports. */
export class PeerStateError extends Error {
  /** Stable machine-readable code. */
  declare readonly code: PeerErrorCode;

  constructor(code: PeerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    // Spelled out for the SDK's classes (a field each): minifiers rename classes, and
    // `new.target.name` would read "o" in a production bundle. A subclass of an app's keeps its own.
    this.name = new.target === PeerStateError ? 'PeerStateError' : new.target.name;
    this.code = code;
  }
}

/**
 * No `RTCPeerConnection` (nor a vendor-prefixed one) exists where the SDK looked, or the one found
 * predates the promise or track API and no adapter from `@peerstatejs/core/legacy` was passed. Also
 * the answer to a media control (`SET_MUTED`, `SWITCH_DEVICE`, screen share, sender settings)
 * sent to a peer created without `mediaControls` (from `@peerstatejs/core/media-controls`):
 * `lookedFor` is then `['mediaControls']`.
 */
export class UnsupportedError extends PeerStateError {
  override readonly name = 'UnsupportedError';
  /** The global names that were looked for, in order (or the option, `mediaControls`). */
  declare readonly lookedFor: readonly string[];

  /** `message` replaces the default one when a constructor exists but cannot be used as is. */
  constructor(lookedFor: readonly string[], message?: string) {
    super(
      'UNSUPPORTED',
      message ??
        `WebRTC is not available here: none of ${lookedFor.join(', ')} exists. ` +
          'Run in a browser, or pass `peerConnection` (for example a fake from @peerstatejs/core/testing).',
    );
    this.lookedFor = lookedFor;
  }
}

/** The peer connection could not be created, usually because of its configuration. */
export class PeerConnectionError extends PeerStateError {
  override readonly name = 'PeerConnectionError';
  constructor(cause: unknown) {
    super(
      'PEER_CONNECTION_FAILED',
      `Creating the peer connection failed: ${describeError(cause)}`,
      {
        cause,
      },
    );
  }
}

/** One problem found while validating a signaling message. */
export interface SignalingIssue {
  /** Dotted path to the offending field, `''` for the message itself. */
  readonly path: string;
  /** What was expected there. */
  readonly message: string;
}

/** An incoming signaling message was malformed; it was ignored and nothing else changed. */
export class SignalingMessageError extends PeerStateError {
  override readonly name = 'SignalingMessageError';
  declare readonly issues: readonly SignalingIssue[];
  /** The raw value received, for logging. Large strings are truncated. */
  declare readonly received: unknown;

  constructor(issues: readonly SignalingIssue[], received: unknown) {
    const first = issues[0];
    super(
      'INVALID_SIGNALING_MESSAGE',
      `Invalid signaling message${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}`,
    );
    this.issues = issues;
    this.received = received;
  }
}

/** The signaling channel threw or rejected in `send`, or threw in `subscribe`. */
export class SignalingTransportError extends PeerStateError {
  override readonly name = 'SignalingTransportError';
  declare readonly operation: 'send' | 'subscribe';
  /** The type of the message that could not be sent (`send` only). */
  declare readonly messageType: SignalingMessageType | null;

  constructor(
    operation: 'send' | 'subscribe',
    messageType: SignalingMessageType | null,
    cause: unknown,
  ) {
    super(
      'SIGNALING_TRANSPORT_FAILED',
      operation === 'send'
        ? `Sending a "${messageType}" signaling message failed: ${describeError(cause)}`
        : `Subscribing to the signaling channel failed: ${describeError(cause)}`,
      { cause },
    );
    this.operation = operation;
    this.messageType = messageType;
  }
}

/** The `type` of a signaling message. */
export type SignalingMessageType = 'description' | 'candidate' | 'bye' | 'rebuild' | 'muted';

/** Which step of the offer/answer exchange failed. */
export type NegotiationStep =
  | 'createOffer'
  | 'createAnswer'
  | 'setLocalDescription'
  | 'setRemoteDescription'
  | 'rollback';

/** Creating or applying a session description failed. The machine returns to a consistent state. */
export class NegotiationError extends PeerStateError {
  override readonly name = 'NegotiationError';
  declare readonly step: NegotiationStep;

  constructor(step: NegotiationStep, cause: unknown) {
    super('NEGOTIATION_FAILED', `${step} failed: ${describeError(cause)}`, { cause });
    this.step = step;
  }
}

/**
 * An offer was sent, then sent again with backoff, and never answered. The offer stays pending
 * (an answer that arrives later is still applied) and the peer stays usable.
 */
export class NegotiationTimeoutError extends PeerStateError {
  override readonly name = 'NegotiationTimeoutError';
  /** How many times the offer was sent in all. */
  declare readonly attempts: number;

  constructor(attempts: number) {
    super(
      'NEGOTIATION_TIMEOUT',
      `the remote peer did not answer our offer (sent ${attempts} times); it stays pending`,
    );
    this.attempts = attempts;
  }
}

/** A remote ICE candidate was rejected by the peer connection. */
export class IceCandidateError extends PeerStateError {
  override readonly name = 'IceCandidateError';
  declare readonly candidate: RTCIceCandidateInit | null;

  constructor(candidate: RTCIceCandidateInit | null, cause: unknown) {
    super('ICE_CANDIDATE_FAILED', `addIceCandidate failed: ${describeError(cause)}`, { cause });
    this.candidate = candidate;
  }
}

/** ICE did not come back within the configured number of restarts. */
export class IceRestartError extends PeerStateError {
  override readonly name = 'IceRestartError';
  declare readonly attempts: number;

  constructor(attempts: number) {
    super(
      'ICE_RESTART_EXHAUSTED',
      `ICE did not recover after ${attempts} restart attempt${attempts === 1 ? '' : 's'}`,
    );
    this.attempts = attempts;
  }
}

/**
 * The peer asked the remote to rebuild the connection (a new peer connection on both sides) and
 * the remote did not answer within `rebuild.timeout`: it runs an SDK without rebuilds, it closed,
 * or signaling is down. The peer enters `failed` and sends bye.
 */
export class RebuildError extends PeerStateError {
  override readonly name = 'RebuildError';
  /** The connection generation that was asked for. */
  declare readonly epoch: number;
  /** How long the peer waited, in ms. */
  declare readonly waitedMs: number;

  constructor(epoch: number, waitedMs: number) {
    super(
      'REBUILD_FAILED',
      `the remote peer did not join rebuild ${epoch} of the connection within ${waitedMs} ms`,
    );
    this.epoch = epoch;
    this.waitedMs = waitedMs;
  }
}

/** Which media operation failed. */
export type MediaOperation =
  | 'addTrack'
  | 'addTransceiver'
  | 'removeTrack'
  | 'replaceTrack'
  | 'getUserMedia'
  // The media controls (guide 14).
  | 'mute'
  | 'switchDevice'
  | 'getDisplayMedia'
  | 'setParameters'
  | 'setCodecPreferences'
  | 'setSinkId'
  | 'enumerateDevices';

/** A track operation failed, or the track it named is not known to this peer. */
export class MediaError extends PeerStateError {
  override readonly name = 'MediaError';
  declare readonly operation: MediaOperation;

  constructor(operation: MediaOperation, detail: string, cause?: unknown) {
    super('MEDIA_FAILED', `${operation}: ${detail}`, { cause });
    this.operation = operation;
  }
}

/** A data channel could not be created, or a message could not be sent on it. */
export class DataChannelError extends PeerStateError {
  override readonly name = 'DataChannelError';
  declare readonly label: string;

  constructor(label: string, detail: string, cause?: unknown) {
    super('DATA_CHANNEL_FAILED', `data channel "${label}": ${detail}`, { cause });
    this.label = label;
  }
}

/** An event arrived after the peer was closed; it was ignored. */
export class ClosedError extends PeerStateError {
  override readonly name = 'ClosedError';
  declare readonly eventType: string;

  constructor(eventType: string) {
    super('PEER_CLOSED', `"${eventType}" was sent after the peer was closed; it was ignored`);
    this.eventType = eventType;
  }
}

/** `true` for a `DOMException` (or look-alike) with the given name. */
export function isDomError(error: unknown, name: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    (error as { name: unknown }).name === name
  );
}

/**
 * A cause (or anything thrown) in a few words, never throwing: for error messages and the
 * validators' issues. Long texts are cut, so a huge SDP in an engine's message stays out.
 */
export function describeError(cause: unknown): string {
  try {
    return truncate(
      cause instanceof Error
        ? `${cause.name}: ${cause.message}`
        : String(
            typeof cause === 'object' && cause !== null && 'message' in cause
              ? (cause as { message: unknown }).message
              : cause,
          ),
      200,
    );
  } catch {
    return 'an unprintable error';
  }
}

/** `text`, cut to `length` characters with the full length named. */
export function truncate(text: string, length: number): string {
  if (text.length <= length) return text;
  // V8 may represent a slice as a view into the original string, which would keep a huge SDP
  // alive for as long as the error is. A JSON round trip yields an independent copy.
  const head = JSON.parse(JSON.stringify(text.slice(0, length))) as string;
  return `${head}… [${text.length} characters]`;
}
