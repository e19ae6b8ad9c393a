/**
 * Size limits applied while validating incoming signaling messages.
 * @module
 */

/** Size limits applied while validating. Lengths count UTF-16 code units, like `string.length`. */
export interface SignalingLimits {
  /** Longest accepted `description.sdp`. */
  readonly maxSdpLength: number;
  /** Longest accepted `candidate.candidate`. */
  readonly maxCandidateLength: number;
  /** Longest accepted `bye` reason. */
  readonly maxReasonLength: number;
  /**
   * Longest JSON text accepted when the message arrives as a string. Checked before parsing, so
   * a huge payload costs nothing. Raise it together with `maxSdpLength`: JSON escaping makes an
   * SDP up to twice as long (`\r\n` becomes `\\r\\n`).
   */
  readonly maxMessageLength: number;
}

/** The limits used for every field not given to {@link parseSignalingMessage}. */
export const DEFAULT_SIGNALING_LIMITS: SignalingLimits = Object.freeze({
  // Real offers with many transceivers and simulcast stay well under 64 KiB; 256 KiB leaves room
  // without letting a peer make us hold megabytes.
  maxSdpLength: 256 * 1024,
  maxCandidateLength: 1024,
  maxReasonLength: 1024,
  maxMessageLength: 1024 * 1024,
});

export function resolveLimits(limits: Partial<SignalingLimits> | undefined): SignalingLimits {
  const resolved: { -readonly [K in keyof SignalingLimits]: number } = {
    ...DEFAULT_SIGNALING_LIMITS,
  };
  for (const key of Object.keys(resolved) as (keyof SignalingLimits)[]) {
    const value = limits?.[key];
    // Callers from plain JavaScript may pass anything; a nonsensical limit falls back to the
    // default rather than silently accepting or rejecting everything.
    if (typeof value === 'number' && value >= 0) resolved[key] = value;
  }
  return resolved;
}
