/**
 * Validation of the fields protocol v2 added to tie messages together: description ids
 * (`id`, `inReplyTo`), ICE generations (`ufrag`) and connection epochs (`epoch`).
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import { describeValue } from './describe.js';
import { readOwn } from './read.js';

type Field<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/**
 * Reads `key` and checks it with `valid`; `expected` names what was expected. Ids are compared,
 * never parsed: 256 characters is room for any scheme, and the longest ice-ufrag (RFC 8839).
 */
function field<T>(
  value: object,
  key: string,
  issues: SignalingIssue[],
  valid: (read: unknown) => boolean,
  expected: string,
): Field<T> {
  const read = readOwn(value, key, '', issues);
  if (!read.ok) return read;
  if (valid(read.value)) return { ok: true, value: (read.value ?? null) as T };
  issues.push({ path: key, message: `expected ${expected}, got ${describeValue(read.value)}` });
  return { ok: false };
}

const isText = (text: unknown) => typeof text === 'string' && text.length > 0 && text.length <= 256;
const isTextOrNull = (text: unknown) => text == null || isText(text);
const TEXT = 'a string of 1 to 256 characters';

/** `id` (required) and `inReplyTo`: required on an answer; an offer answers nothing (`null`). */
export function readDescriptionIds(
  value: object,
  type: 'offer' | 'answer' | 'pranswer' | undefined,
  issues: SignalingIssue[],
): Field<{ id: string; inReplyTo: string | null }> {
  const id = field<string>(value, 'id', issues, isText, TEXT);
  // With an offer or an unreadable type, `inReplyTo` is optional: only its shape counts.
  const answer = type === 'answer' || type === 'pranswer';
  const inReplyTo = field<string | null>(
    value,
    'inReplyTo',
    issues,
    answer ? isText : isTextOrNull,
    TEXT,
  );
  return id.ok && inReplyTo.ok
    ? { ok: true, value: { id: id.value, inReplyTo: answer ? inReplyTo.value : null } }
    : { ok: false };
}

/** `ufrag` (the ICE generation, `null` when unknown) and `epoch` (a non-negative integer). */
export function readGeneration(
  value: object,
  issues: SignalingIssue[],
): Field<{ ufrag: string | null; epoch: number }> {
  const ufrag = field<string | null>(value, 'ufrag', issues, isTextOrNull, `${TEXT}, or null`);
  const epoch = field<number>(
    value,
    'epoch',
    issues,
    (n) => Number.isSafeInteger(n) && (n as number) >= 0,
    'a non-negative integer',
  );
  return ufrag.ok && epoch.ok
    ? { ok: true, value: { ufrag: ufrag.value, epoch: epoch.value } }
    : { ok: false };
}
