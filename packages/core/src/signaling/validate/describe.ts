/**
 * Describing untrusted values without ever throwing: for issue messages and the error's copy of
 * what was received.
 * @module
 */

export function describeValue(value: unknown): string {
  const kind = typeof value;
  if (kind === 'string') return `the string ${quote(value as string)}`;
  if (kind === 'number' || kind === 'boolean') return String(value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (kind !== 'object') return `a ${kind}`; // a bigint, a symbol, a function
  return Array.isArray(value) ? 'an array' : 'an object';
}

export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${truncate(error.message, 200)}`;
    return truncate(String(error), 200);
  } catch {
    return 'an unprintable error';
  }
}

export function quote(text: string): string {
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
export function snapshot(value: unknown): unknown {
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
      put(
        copy,
        key,
        descriptor === undefined
          ? undefined
          : 'value' in descriptor
            ? copyForLog(descriptor.value, depth + 1, state)
            : '[Getter]',
      );
    }
    if (size > SNAPSHOT_ENTRIES) {
      put(copy, isArray ? String(SNAPSHOT_ENTRIES) : '…', `… ${size - SNAPSHOT_ENTRIES} more`);
    }
    // Only ancestors count as cycles; the same object twice side by side is shown twice.
    state.ancestors.delete(value);
    return copy;
  } catch {
    return '[Unreadable]';
  }
}

/** defineProperty, not assignment: a "__proto__" key must stay a plain field. */
function put(copy: object, key: string, value: unknown): void {
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
}
