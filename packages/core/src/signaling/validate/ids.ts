/**
 * Validation of the fields protocol v2 added to tie messages together: description ids
 * (`id`, `inReplyTo`), ICE generations (`ufrag`) and connection epochs (`epoch`).
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import { readChecked, UNREADABLE } from './read.js';

// Ids are compared, never parsed: 256 characters is room for any scheme, and the longest
// ice-ufrag (RFC 8839).
const isText = (text: unknown) => typeof text === 'string' && text.length > 0 && text.length <= 256;
const isTextOrNull = (text: unknown) => text == null || isText(text);
const TEXT = 'a string of 1 to 256 characters';

/** `id` (required) and `inReplyTo`: required on an answer; an offer answers nothing (`null`). */
export function readDescriptionIds(
  value: object,
  type: 'offer' | 'answer' | 'pranswer' | undefined,
  issues: SignalingIssue[],
): { id: string; inReplyTo: string | null } | undefined {
  const id = readChecked(value, 'id', '', issues, isText, TEXT);
  // With an offer or an unreadable type, `inReplyTo` is optional: only its shape counts.
  const answer = type === 'answer' || type === 'pranswer';
  const inReplyTo = readChecked(
    value,
    'inReplyTo',
    '',
    issues,
    answer ? isText : isTextOrNull,
    TEXT,
  );
  return id === UNREADABLE || inReplyTo === UNREADABLE
    ? undefined
    : { id: id as string, inReplyTo: answer ? (inReplyTo as string) : null };
}

/** `ufrag` (the ICE generation, `null` when unknown) and `epoch` (a non-negative integer). */
export function readGeneration(
  value: object,
  issues: SignalingIssue[],
): { ufrag: string | null; epoch: number } | undefined {
  const ufrag = readChecked(value, 'ufrag', '', issues, isTextOrNull, `${TEXT}, or null`);
  const epoch = readChecked(
    value,
    'epoch',
    '',
    issues,
    (n) => Number.isSafeInteger(n) && (n as number) >= 0,
    'a non-negative integer',
  );
  return ufrag === UNREADABLE || epoch === UNREADABLE
    ? undefined
    : { ufrag: (ufrag ?? null) as string | null, epoch: epoch as number };
}
