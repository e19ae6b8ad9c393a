/**
 * Guarded reads of untrusted objects: own properties only, a throwing getter becomes an issue.
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import { describeError, describeValue } from './describe.js';

export type Read = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/**
 * Reads an own property, calling an own getter if there is one. Inherited properties are ignored
 * so a polluted `Object.prototype` cannot supply fields. A throwing getter or proxy trap becomes
 * an issue. An absent property reads as `undefined`, as it would after a JSON round trip.
 */
export function readOwn(
  target: object,
  key: string,
  parentPath: string,
  issues: SignalingIssue[],
): Read {
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
export function readNullable(
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

export function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
