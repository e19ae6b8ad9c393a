/**
 * Validation of the fields protocol v2 added to tie messages together: description ids
 * (`id`, `inReplyTo`), ICE generations (`ufrag`) and connection epochs (`epoch`).
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import { describeValue } from './describe.js';
import { readOwn } from './read.js';

/** Ids are compared, never parsed: long enough for any scheme, short enough to cost nothing. */
const MAX_ID_LENGTH = 256;
/** RFC 8839 §5.4: an ice-ufrag has 4 to 256 characters. */
const MAX_UFRAG_LENGTH = 256;

type Field = { readonly ok: true; readonly value: string | null } | { readonly ok: false };

/** A non-empty bounded string; `null` (or absence) only where `nullable`. */
function readText(
  value: object,
  key: string,
  max: number,
  nullable: boolean,
  issues: SignalingIssue[],
): Field {
  const read = readOwn(value, key, '', issues);
  if (!read.ok) return read;
  const text = read.value;
  if (nullable && (text === null || text === undefined)) return { ok: true, value: null };
  if (typeof text === 'string' && text.length > 0 && text.length <= max) {
    return { ok: true, value: text };
  }
  issues.push({
    path: key,
    message:
      typeof text === 'string' && text.length > max
        ? `is ${text.length} characters, over the limit of ${max}`
        : `expected a non-empty string${nullable ? ' or null' : ''}, got ${describeValue(text)}`,
  });
  return { ok: false };
}

/** `id` of a description: required. */
export function readDescriptionId(value: object, issues: SignalingIssue[]): Field {
  return readText(value, 'id', MAX_ID_LENGTH, false, issues);
}

/** `inReplyTo`: required on an answer or pranswer, absent or `null` on an offer. */
export function readInReplyTo(
  value: object,
  type: 'offer' | 'answer' | 'pranswer' | undefined,
  issues: SignalingIssue[],
): Field {
  // With an unreadable type, whether `inReplyTo` is required is unknown: only its shape is judged.
  if (type !== 'offer')
    return readText(value, 'inReplyTo', MAX_ID_LENGTH, type === undefined, issues);
  const read = readText(value, 'inReplyTo', MAX_ID_LENGTH, true, issues);
  if (read.ok && read.value !== null) {
    issues.push({ path: 'inReplyTo', message: 'an offer answers nothing: expected null' });
    return { ok: false };
  }
  return read;
}

/** `ufrag` of a candidate message: the ICE generation, or `null` when the sender does not know. */
export function readUfrag(value: object, issues: SignalingIssue[]): Field {
  return readText(value, 'ufrag', MAX_UFRAG_LENGTH, true, issues);
}

/** `epoch` of a candidate message: a non-negative integer. */
export function readEpoch(
  value: object,
  issues: SignalingIssue[],
): { readonly ok: true; readonly value: number } | { readonly ok: false } {
  const read = readOwn(value, 'epoch', '', issues);
  if (!read.ok) return read;
  if (typeof read.value === 'number' && Number.isSafeInteger(read.value) && read.value >= 0) {
    return { ok: true, value: read.value };
  }
  issues.push({
    path: 'epoch',
    message: `expected a non-negative integer, got ${describeValue(read.value)}`,
  });
  return { ok: false };
}
