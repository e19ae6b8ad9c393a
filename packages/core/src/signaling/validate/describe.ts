/**
 * Describing untrusted values without ever throwing: for issue messages and the error's copy of
 * what was received.
 * @module
 */
import { describeError, truncate } from '../../errors.js';

export { describeError };

export function describeValue(value: unknown): string {
  const kind = typeof value;
  if (kind === 'string') return `the string ${quote(value as string)}`;
  if (kind === 'number' || kind === 'boolean') return String(value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (kind !== 'object') return `a ${kind}`; // a bigint, a symbol, a function
  return Array.isArray(value) ? 'an array' : 'an object';
}

export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

const SNAPSHOT_STRING_LENGTH = 200;
const SNAPSHOT_ENTRIES = 32;
const SNAPSHOT_DEPTH = 4;
/** Bounds the whole copy: depth and breadth limits alone still allow 32⁴ entries. */
const SNAPSHOT_NODES = 256;

/**
 * A loggable copy of the received value: long strings truncated, size bounded, cycles and
 * getters named instead of followed (a getter may throw or have side effects).
 */
export function snapshot(value: unknown): unknown {
  let nodes = 0;
  const ancestors = new WeakSet<object>();
  const copy = (value: unknown, depth: number): unknown => {
    try {
      if (typeof value === 'string') return truncate(value, SNAPSHOT_STRING_LENGTH);
      if (typeof value === 'function') return '[Function]';
      if (typeof value !== 'object' || value === null) return value;
      if (ancestors.has(value)) return '[Circular]';
      const isArray = Array.isArray(value);
      if (++nodes > SNAPSHOT_NODES || depth >= SNAPSHOT_DEPTH)
        return isArray ? '[Array]' : '[Object]';
      ancestors.add(value);
      // Arrays by length: Object.keys on a huge array would allocate a string per index.
      const keys = isArray ? undefined : Object.keys(value);
      const size = keys ? keys.length : (value as unknown[]).length;
      const result: object = isArray ? [] : {};
      for (let index = 0; index < Math.min(size, SNAPSHOT_ENTRIES); index++) {
        const key = keys ? (keys[index] as string) : String(index);
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        put(
          result,
          key,
          descriptor && ('value' in descriptor ? copy(descriptor.value, depth + 1) : '[Getter]'),
        );
      }
      if (size > SNAPSHOT_ENTRIES) {
        put(result, isArray ? String(SNAPSHOT_ENTRIES) : '…', `… ${size - SNAPSHOT_ENTRIES} more`);
      }
      // Only ancestors count as cycles; the same object twice side by side is shown twice.
      ancestors.delete(value);
      return result;
    } catch {
      return '[Unreadable]';
    }
  };
  return copy(value, 0);
}

/** defineProperty, not assignment: a "__proto__" key must stay a plain field. */
function put(copy: object, key: string, value: unknown): void {
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
}
