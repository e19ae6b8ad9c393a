/**
 * The page's event log: every state change, emitted event and fixture step of every peer, with
 * wall-clock times (`Date.now()`, comparable with the runner's clock on the same machine).
 * Bounded, so long loops (500 connect/close cycles) do not grow the heap they measure.
 */

export interface LogEntry {
  readonly at: number;
  readonly peer: string;
  readonly kind: string;
  readonly detail: string;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly step?: string;
  readonly cause?: string;
}

const LOG_LIMIT = 4_000;
const entries: LogEntry[] = [];
let dropped = 0;
let quiet = false;

/** While quiet, only `force`d entries are kept (failures inside long loops). */
export function setQuiet(value: boolean): void {
  quiet = value;
}

export function record(peer: string, kind: string, detail = '', force = false): void {
  if (quiet && !force) return;
  entries.push({ at: Date.now(), peer, kind, detail });
  if (entries.length > LOG_LIMIT) {
    entries.splice(0, entries.length - LOG_LIMIT);
    dropped += 1;
  }
}

export function logEntries(): { readonly dropped: number; readonly entries: readonly LogEntry[] } {
  return { dropped, entries: [...entries] };
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const { code, step } = error as { code?: unknown; step?: unknown };
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof step === 'string' ? { step } : {}),
      ...(error.cause !== undefined ? { cause: String(error.cause) } : {}),
    };
  }
  return { name: typeof error, message: String(error) };
}

/** JSON-safe, depth-limited view of values that hold platform objects. */
export function describe(value: unknown, depth = 3): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
    if (typeof value === 'bigint' || typeof value === 'symbol') return String(value);
    return value;
  }
  if (value instanceof Error) return serializeError(value);
  if (value instanceof MediaStreamTrack) {
    return { kind: value.kind, id: value.id, readyState: value.readyState, muted: value.muted };
  }
  if (value instanceof MediaStream) return { stream: value.id, tracks: value.getTracks().length };
  if (value instanceof RTCDataChannel) return { channel: value.label, state: value.readyState };
  if (Array.isArray(value)) {
    return depth <= 0 ? `[${value.length} items]` : value.map((item) => describe(item, depth - 1));
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    return `[${name}]`;
  }
  if (depth <= 0) return '[object]';
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = describe(item, depth - 1);
  return out;
}

/** Uncaught exceptions and unhandled rejections of the page: none may escape the SDK. */
export const uncaught: SerializedError[] = [];
window.addEventListener('error', (event) => {
  uncaught.push(serializeError(event.error ?? event.message));
  record('page', 'uncaught', String(event.message), true);
});
window.addEventListener('unhandledrejection', (event) => {
  uncaught.push(serializeError(event.reason));
  record('page', 'unhandled', String(event.reason), true);
});
