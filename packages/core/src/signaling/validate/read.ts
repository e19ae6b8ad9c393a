/**
 * Guarded reads of untrusted objects: own properties only, a throwing getter becomes an issue.
 * @module
 */
import type { SignalingIssue } from '../../errors.js';
import { describeError, describeValue } from './describe.js';

/** What a read that failed returns; the issue is already recorded. */
export const UNREADABLE: unique symbol = Symbol('unreadable');

const pathOf = (parentPath: string, key: string) =>
  parentPath === '' ? key : `${parentPath}.${key}`;

/**
 * Reads an own property, calling an own getter if there is one. Inherited properties are ignored
 * so a polluted `Object.prototype` cannot supply fields. A throwing getter or proxy trap becomes
 * an issue ({@link UNREADABLE}). An absent property reads as `undefined`, as it would after a
 * JSON round trip.
 */
export function readOwn(
  target: object,
  key: string,
  parentPath: string,
  issues: SignalingIssue[],
): unknown {
  try {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    return descriptor && ('value' in descriptor ? descriptor.value : descriptor.get?.call(target));
  } catch (error) {
    issues.push({
      path: pathOf(parentPath, key),
      message: `could not be read: ${describeError(error)}`,
    });
    return UNREADABLE;
  }
}

/**
 * {@link readOwn}, then `valid`: what it refuses is recorded as `expected <expected>, got …` and
 * reads as {@link UNREADABLE} too.
 */
export function readChecked(
  target: object,
  key: string,
  parentPath: string,
  issues: SignalingIssue[],
  valid: (value: unknown) => boolean,
  expected: string,
): unknown {
  const value = readOwn(target, key, parentPath, issues);
  if (value === UNREADABLE || valid(value)) return value;
  issues.push({
    path: pathOf(parentPath, key),
    message: `expected ${expected}, got ${describeValue(value)}`,
  });
  return UNREADABLE;
}

/** `false`, with the issue recorded, when `text` is longer than `limit`. */
export function withinLimit(
  text: string,
  limit: number,
  path: string,
  issues: SignalingIssue[],
  what = '',
): boolean {
  if (text.length <= limit) return true;
  issues.push({ path, message: `${what}is ${text.length} characters, over the limit of ${limit}` });
  return false;
}

export function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isString = (value: unknown): value is string => typeof value === 'string';
