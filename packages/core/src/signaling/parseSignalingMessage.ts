/**
 * Validation of incoming signaling messages, and builders for outgoing ones.
 *
 * Whatever arrives on a signaling channel is untrusted: it may come from another SDK version, a
 * buggy server, or an attacker. {@link parseSignalingMessage} therefore reads only own properties,
 * never throws, reports every problem it finds, and returns a fresh frozen copy that shares
 * nothing with the input.
 * @module
 */

import { type SignalingIssue, SignalingMessageError } from '../errors.js';
import {
  type ByeMessage,
  type CandidateMessage,
  type CandidatePayload,
  type DescriptionMessage,
  type DescriptionPayload,
  type RebuildMessage,
  SIGNALING_VERSION,
  type SignalingMessage,
} from './types.js';

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

/** The result of {@link parseSignalingMessage}. */
export type ParseSignalingMessageResult =
  | { readonly ok: true; readonly message: SignalingMessage }
  | { readonly ok: false; readonly error: SignalingMessageError };

const MESSAGE_TYPES = '"description", "candidate", "bye" or "rebuild"';
const DESCRIPTION_TYPES = '"offer", "answer" or "pranswer"';
/** WebIDL converts `sdpMLineIndex` to an `unsigned short`, so larger values would wrap around. */
const MAX_MLINE_INDEX = 0xffff;

/**
 * Validates an incoming signaling message.
 *
 * Accepts the message as an object or as JSON text. Never throws, whatever the input: cyclic
 * objects, throwing getters, proxies, bigints and symbols all become issues. Unknown extra fields
 * are ignored; missing optional candidate fields become `null`.
 *
 * @example
 * ```ts
 * channel.subscribe((raw) => {
 *   const result = parseSignalingMessage(raw);
 *   if (!result.ok) return console.warn(result.error.issues);
 *   handle(result.message);
 * });
 * ```
 */
export function parseSignalingMessage(
  raw: unknown,
  limits?: Partial<SignalingLimits>,
): ParseSignalingMessageResult {
  const resolved = resolveLimits(limits);
  const issues: SignalingIssue[] = [];
  let message: SignalingMessage | undefined;
  try {
    let value = raw;
    let acceptable = true;
    if (typeof raw === 'string') {
      const parsed = parseJson(raw, resolved, issues);
      acceptable = parsed.ok;
      value = parsed.value;
    }
    if (acceptable) message = validateMessage(value, resolved, issues);
  } catch (error) {
    // Every read above is guarded; this is the last line of defence for exotic objects (a
    // revoked proxy makes even `Array.isArray` throw) so the caller never sees an exception.
    issues.push({ path: '', message: `could not be read: ${describeError(error)}` });
  }
  if (message !== undefined && issues.length === 0) return { ok: true, message };
  return { ok: false, error: new SignalingMessageError(issues, snapshot(raw)) };
}

/** Builds the message for a local description (`pc.localDescription` or `createOffer()` output). */
export function createDescriptionMessage(
  description: Readonly<RTCSessionDescriptionInit>,
): DescriptionMessage {
  const { type, sdp } = description;
  if (type !== 'offer' && type !== 'answer' && type !== 'pranswer') {
    throw new TypeError(`A "${String(type)}" description is never sent to the remote peer`);
  }
  if (typeof sdp !== 'string') throw new TypeError('The description has no sdp');
  return Object.freeze({
    v: SIGNALING_VERSION,
    type: 'description',
    description: Object.freeze({ type, sdp }),
  });
}

/**
 * Builds the message for a local candidate, from an `RTCIceCandidate`, its `toJSON()` output, or
 * an `RTCIceCandidateInit`. Missing fields become `null` (and a missing `candidate` the empty
 * string), so the result always has the wire shape. `null` announces the end of candidates.
 */
export function createCandidateMessage(
  candidate: Readonly<RTCIceCandidateInit> | null,
): CandidateMessage {
  if (candidate === null) {
    return Object.freeze({ v: SIGNALING_VERSION, type: 'candidate', candidate: null });
  }
  // Plain property reads (not own-property reads) on purpose: RTCIceCandidate exposes its fields
  // as getters on the prototype.
  const payload: CandidatePayload = Object.freeze({
    candidate: candidate.candidate ?? '',
    sdpMid: candidate.sdpMid ?? null,
    sdpMLineIndex: candidate.sdpMLineIndex ?? null,
    usernameFragment: candidate.usernameFragment ?? null,
  });
  return Object.freeze({ v: SIGNALING_VERSION, type: 'candidate', candidate: payload });
}

/** Builds the hang-up message. */
export function createByeMessage(reason?: string): ByeMessage {
  return Object.freeze(
    reason === undefined
      ? { v: SIGNALING_VERSION, type: 'bye' }
      : { v: SIGNALING_VERSION, type: 'bye', reason },
  );
}

/** Builds the message that asks the remote peer to rebuild too (or answers that request). */
export function createRebuildMessage(epoch: number): RebuildMessage {
  return Object.freeze({ v: SIGNALING_VERSION, type: 'rebuild', epoch });
}

// ---------------------------------------------------------------------------------------------
// Validation

function resolveLimits(limits: Partial<SignalingLimits> | undefined): SignalingLimits {
  const pick = (key: keyof SignalingLimits): number => {
    const value = limits?.[key];
    // Callers from plain JavaScript may pass anything; a nonsensical limit falls back to the
    // default rather than silently accepting or rejecting everything.
    return typeof value === 'number' && value >= 0 ? value : DEFAULT_SIGNALING_LIMITS[key];
  };
  return {
    maxSdpLength: pick('maxSdpLength'),
    maxCandidateLength: pick('maxCandidateLength'),
    maxReasonLength: pick('maxReasonLength'),
    maxMessageLength: pick('maxMessageLength'),
  };
}

function parseJson(
  text: string,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): { ok: boolean; value: unknown } {
  if (text.length > limits.maxMessageLength) {
    issues.push({
      path: '',
      message: `JSON text is ${text.length} characters, over the limit of ${limits.maxMessageLength}`,
    });
    return { ok: false, value: undefined };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    issues.push({ path: '', message: `invalid JSON: ${describeError(error)}` });
    return { ok: false, value: undefined };
  }
}

function validateMessage(
  value: unknown,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): SignalingMessage | undefined {
  if (!isRecord(value)) {
    issues.push({ path: '', message: `expected a message object, got ${describeValue(value)}` });
    return undefined;
  }
  const v = readOwn(value, 'v', '', issues);
  if (v.ok) {
    if (typeof v.value === 'number') {
      if (v.value !== SIGNALING_VERSION) {
        issues.push({
          path: 'v',
          message: `unsupported version ${v.value} (this SDK speaks ${SIGNALING_VERSION})`,
        });
        // A message from another schema version cannot be judged by this version's rules;
        // listing its "mistakes" would only bury the real problem.
        return undefined;
      }
    } else {
      issues.push({
        path: 'v',
        message: `expected the schema version ${SIGNALING_VERSION}, got ${describeValue(v.value)}`,
      });
    }
  }

  const type = readOwn(value, 'type', '', issues);
  if (!type.ok) return undefined;
  switch (type.value) {
    case 'description':
      return validateDescription(value, limits, issues);
    case 'candidate':
      return validateCandidate(value, limits, issues);
    case 'bye':
      return validateBye(value, limits, issues);
    case 'rebuild':
      return validateRebuild(value, issues);
    default:
      issues.push({
        path: 'type',
        message:
          typeof type.value === 'string'
            ? `unknown message type ${quote(type.value)}; expected ${MESSAGE_TYPES}`
            : `expected ${MESSAGE_TYPES}, got ${describeValue(type.value)}`,
      });
      return undefined;
  }
}

function validateDescription(
  value: object,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): DescriptionMessage | undefined {
  const field = readOwn(value, 'description', '', issues);
  if (!field.ok) return undefined;
  if (!isRecord(field.value)) {
    issues.push({
      path: 'description',
      message: `expected an object with type and sdp, got ${describeValue(field.value)}`,
    });
    return undefined;
  }
  const description = field.value;

  const type = readOwn(description, 'type', 'description', issues);
  let sdpType: DescriptionPayload['type'] | undefined;
  if (type.ok) {
    if (type.value === 'offer' || type.value === 'answer' || type.value === 'pranswer') {
      sdpType = type.value;
    } else {
      issues.push({
        path: 'description.type',
        message:
          type.value === 'rollback'
            ? 'a rollback is local to a peer and is never sent'
            : `expected ${DESCRIPTION_TYPES}, got ${describeValue(type.value)}`,
      });
    }
  }

  const sdp = readOwn(description, 'sdp', 'description', issues);
  let sdpText: string | undefined;
  if (sdp.ok) {
    if (typeof sdp.value !== 'string') {
      issues.push({
        path: 'description.sdp',
        message: `expected an SDP string, got ${describeValue(sdp.value)}`,
      });
    } else if (sdp.value.length === 0) {
      issues.push({ path: 'description.sdp', message: 'must not be empty' });
    } else if (sdp.value.length > limits.maxSdpLength) {
      issues.push({
        path: 'description.sdp',
        message: `is ${sdp.value.length} characters, over the limit of ${limits.maxSdpLength}`,
      });
    } else if (!sdp.value.startsWith('v=0')) {
      issues.push({ path: 'description.sdp', message: 'must start with "v=0"' });
    } else {
      sdpText = sdp.value;
    }
  }

  if (sdpType === undefined || sdpText === undefined) return undefined;
  return Object.freeze({
    v: SIGNALING_VERSION,
    type: 'description',
    description: Object.freeze({ type: sdpType, sdp: sdpText }),
  });
}

function validateCandidate(
  value: object,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): CandidateMessage | undefined {
  const field = readOwn(value, 'candidate', '', issues);
  if (!field.ok) return undefined;
  if (field.value === null) {
    return Object.freeze({ v: SIGNALING_VERSION, type: 'candidate', candidate: null });
  }
  if (!isRecord(field.value)) {
    issues.push({
      path: 'candidate',
      message: `expected a candidate object, or null for the end of candidates, got ${describeValue(field.value)}`,
    });
    return undefined;
  }
  const init = field.value;
  const before = issues.length;

  const candidate = readOwn(init, 'candidate', 'candidate', issues);
  let candidateText: string | undefined;
  if (candidate.ok) {
    const text = candidate.value;
    if (typeof text !== 'string') {
      issues.push({
        path: 'candidate.candidate',
        message: `expected a candidate string (empty for the end of a section's candidates), got ${describeValue(text)}`,
      });
    } else if (text.length > limits.maxCandidateLength) {
      issues.push({
        path: 'candidate.candidate',
        message: `is ${text.length} characters, over the limit of ${limits.maxCandidateLength}`,
      });
    } else if (text !== '' && !text.startsWith('candidate:')) {
      issues.push({
        path: 'candidate.candidate',
        message: 'must start with "candidate:" (or be empty for the end of candidates)',
      });
    } else {
      candidateText = text;
    }
  }

  const sdpMid = readNullable(init, 'sdpMid', issues, (mid) =>
    typeof mid === 'string' ? undefined : 'a string or null',
  );
  const sdpMLineIndex = readNullable(init, 'sdpMLineIndex', issues, (index) =>
    typeof index === 'number' && Number.isInteger(index) && index >= 0 && index <= MAX_MLINE_INDEX
      ? undefined
      : `an integer from 0 to ${MAX_MLINE_INDEX}, or null`,
  );
  const usernameFragment = readNullable(init, 'usernameFragment', issues, (ufrag) =>
    typeof ufrag === 'string' ? undefined : 'a string or null',
  );

  if (
    candidateText !== undefined &&
    candidateText !== '' &&
    sdpMid.ok &&
    sdpMid.value === null &&
    sdpMLineIndex.ok &&
    sdpMLineIndex.value === null
  ) {
    // addIceCandidate rejects this with a TypeError: the candidate would belong to no section.
    issues.push({
      path: 'candidate',
      message: 'sdpMid and sdpMLineIndex cannot both be null for a non-empty candidate',
    });
  }

  if (
    issues.length !== before ||
    candidateText === undefined ||
    !sdpMid.ok ||
    !sdpMLineIndex.ok ||
    !usernameFragment.ok
  ) {
    return undefined;
  }
  return Object.freeze({
    v: SIGNALING_VERSION,
    type: 'candidate',
    candidate: Object.freeze({
      candidate: candidateText,
      sdpMid: sdpMid.value as string | null,
      sdpMLineIndex: sdpMLineIndex.value as number | null,
      usernameFragment: usernameFragment.value as string | null,
    }),
  });
}

function validateBye(
  value: object,
  limits: SignalingLimits,
  issues: SignalingIssue[],
): ByeMessage | undefined {
  const reason = readOwn(value, 'reason', '', issues);
  if (!reason.ok) return undefined;
  if (reason.value === undefined) return Object.freeze({ v: SIGNALING_VERSION, type: 'bye' });
  if (typeof reason.value !== 'string') {
    issues.push({
      path: 'reason',
      message: `expected a string or no reason, got ${describeValue(reason.value)}`,
    });
    return undefined;
  }
  if (reason.value.length > limits.maxReasonLength) {
    issues.push({
      path: 'reason',
      message: `is ${reason.value.length} characters, over the limit of ${limits.maxReasonLength}`,
    });
    return undefined;
  }
  return Object.freeze({ v: SIGNALING_VERSION, type: 'bye', reason: reason.value });
}

function validateRebuild(value: object, issues: SignalingIssue[]): RebuildMessage | undefined {
  const epoch = readOwn(value, 'epoch', '', issues);
  if (!epoch.ok) return undefined;
  if (typeof epoch.value !== 'number' || !Number.isSafeInteger(epoch.value) || epoch.value < 1) {
    issues.push({
      path: 'epoch',
      message: `expected a positive integer, got ${describeValue(epoch.value)}`,
    });
    return undefined;
  }
  return createRebuildMessage(epoch.value);
}

type Read = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/**
 * Reads an own property, calling an own getter if there is one. Inherited properties are ignored
 * so a polluted `Object.prototype` cannot supply fields. A throwing getter or proxy trap becomes
 * an issue. An absent property reads as `undefined`, as it would after a JSON round trip.
 */
function readOwn(target: object, key: string, parentPath: string, issues: SignalingIssue[]): Read {
  try {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor === undefined) return { ok: true, value: undefined };
    if ('value' in descriptor) return { ok: true, value: descriptor.value };
    return { ok: true, value: descriptor.get?.call(target) };
  } catch (error) {
    issues.push({
      path: parentPath === '' ? key : `${parentPath}.${key}`,
      message: `could not be read: ${describeError(error)}`,
    });
    return { ok: false };
  }
}

/** Reads an optional `candidate.*` field that defaults to `null`; `check` names what was expected. */
function readNullable(
  target: object,
  key: string,
  issues: SignalingIssue[],
  check: (value: unknown) => string | undefined,
): Read {
  const read = readOwn(target, key, 'candidate', issues);
  if (!read.ok) return read;
  if (read.value === undefined || read.value === null) return { ok: true, value: null };
  const expected = check(read.value);
  if (expected === undefined) return read;
  issues.push({
    path: `candidate.${key}`,
    message: `expected ${expected}, got ${describeValue(read.value)}`,
  });
  return { ok: false };
}

function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Describing untrusted values without ever throwing

function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'nothing';
    case 'string':
      return `the string ${quote(value)}`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return 'a bigint';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : 'an object';
  }
}

function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${truncate(error.message, 200)}`;
    return truncate(String(error), 200);
  } catch {
    return 'an unprintable error';
  }
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

const SNAPSHOT_STRING_LENGTH = 200;
const SNAPSHOT_ENTRIES = 32;
const SNAPSHOT_DEPTH = 4;
/** Bounds the whole copy: depth and breadth limits alone still allow 32⁴ entries. */
const SNAPSHOT_NODES = 256;

function truncate(text: string, length: number): string {
  if (text.length <= length) return text;
  // V8 may represent a slice as a view into the original string, which would keep a huge SDP
  // alive for as long as the error is. A JSON round trip yields an independent copy.
  const head = JSON.parse(JSON.stringify(text.slice(0, length))) as string;
  return `${head}… [${text.length} characters]`;
}

/**
 * A loggable copy of the received value: long strings truncated, size bounded, cycles and
 * getters named instead of followed (a getter may throw or have side effects).
 */
function snapshot(value: unknown): unknown {
  const state = { nodes: 0, ancestors: new WeakSet<object>() };
  return copyForLog(value, 0, state);
}

function copyForLog(
  value: unknown,
  depth: number,
  state: { nodes: number; readonly ancestors: WeakSet<object> },
): unknown {
  try {
    if (typeof value === 'string') return truncate(value, SNAPSHOT_STRING_LENGTH);
    if (typeof value === 'function') return '[Function]';
    if (typeof value !== 'object' || value === null) return value;
    if (state.ancestors.has(value)) return '[Circular]';
    const isArray = Array.isArray(value);
    state.nodes += 1;
    if (depth >= SNAPSHOT_DEPTH || state.nodes > SNAPSHOT_NODES) {
      return isArray ? '[Array]' : '[Object]';
    }
    state.ancestors.add(value);
    // Arrays by length: Object.keys on a huge array would allocate a string per index.
    const ownKeys = isArray ? undefined : Object.keys(value);
    const size = ownKeys?.length ?? (value as unknown[]).length;
    const keys =
      ownKeys?.slice(0, SNAPSHOT_ENTRIES) ??
      Array.from({ length: Math.min(size, SNAPSHOT_ENTRIES) }, (_, index) => String(index));
    const copy: Record<string, unknown> = isArray ? ([] as unknown as Record<string, unknown>) : {};
    for (const key of keys) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      const entry =
        descriptor === undefined
          ? undefined
          : 'value' in descriptor
            ? copyForLog(descriptor.value, depth + 1, state)
            : '[Getter]';
      // defineProperty, not assignment: a "__proto__" key must stay a plain field.
      Object.defineProperty(copy, key, {
        value: entry,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (size > SNAPSHOT_ENTRIES) {
      Object.defineProperty(copy, isArray ? String(SNAPSHOT_ENTRIES) : '…', {
        value: `… ${size - SNAPSHOT_ENTRIES} more`,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    // Only ancestors count as cycles; the same object twice side by side is shown twice.
    state.ancestors.delete(value);
    return copy;
  } catch {
    return '[Unreadable]';
  }
}
