/**
 * In-page half of the browser harness, shared by every bundle the runner loads (`fixture.ts`,
 * `baseline.ts`). It keeps the event log, exposes `window.runScenario` / `window.getTrace` to the
 * Node runner and mirrors the log into the page so failure screenshots show it.
 */

export interface LogEntry {
  /** Milliseconds since the bundle loaded. */
  readonly t: number;
  /** Which peer (`a`, `b`) or `fixture`. */
  readonly peer: string;
  readonly kind: string;
  readonly detail: string;
}

export interface ScenarioOptions {
  /** Budget for each wait inside the scenario; the runner's own timeout is larger. */
  readonly timeoutMs: number;
}

export type ScenarioOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: SerializedError };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
  readonly cause?: string;
}

export type Scenario = (options: ScenarioOptions) => Promise<unknown>;

declare global {
  interface Window {
    runScenario?: (name: string, options: ScenarioOptions) => Promise<ScenarioOutcome>;
    getTrace?: () => unknown;
    __fixtureReady?: boolean;
    /** Written by the page's inline prelude before any bundle loads. */
    __pre?: Record<string, string>;
  }
}

const loadedAt = performance.now();
const log: LogEntry[] = [];

export function now(): number {
  return Math.round((performance.now() - loadedAt) * 10) / 10;
}

export function record(peer: string, kind: string, detail = ''): void {
  const entry: LogEntry = { t: now(), peer, kind, detail };
  log.push(entry);
  const pre = document.getElementById('log');
  if (pre)
    pre.textContent += `${entry.t.toFixed(1).padStart(8)} ${peer.padEnd(7)} ${kind.padEnd(12)} ${detail}\n`;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
      ...(error.cause !== undefined ? { cause: String(error.cause) } : {}),
    };
  }
  return { name: typeof error, message: String(error) };
}

/**
 * JSON-safe, depth-limited view of arbitrary values (snapshots' context holds peer connections,
 * tracks, channels): platform objects become small descriptions instead of `{}` or a throw.
 */
export function describe(value: unknown, depth = 3): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
    if (typeof value === 'bigint' || typeof value === 'symbol') return String(value);
    return value;
  }
  if (value instanceof Error) return serializeError(value);
  if (typeof MediaStreamTrack !== 'undefined' && value instanceof MediaStreamTrack) {
    return { $: 'MediaStreamTrack', kind: value.kind, id: value.id, readyState: value.readyState };
  }
  if (typeof MediaStream !== 'undefined' && value instanceof MediaStream) {
    return { $: 'MediaStream', id: value.id, tracks: value.getTracks().length };
  }
  if (typeof RTCDataChannel !== 'undefined' && value instanceof RTCDataChannel) {
    return { $: 'RTCDataChannel', label: value.label, readyState: value.readyState };
  }
  if (Array.isArray(value)) {
    return depth <= 0 ? `[array(${value.length})]` : value.map((item) => describe(item, depth - 1));
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto?.constructor as { name?: string } | undefined)?.name ?? 'object';
    return `[${name}]`;
  }
  if (depth <= 0) return '[object]';
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = describe(item, depth - 1);
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with `what` in the message when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `predicate` every `intervalMs` until it returns a truthy value. */
export async function poll<T>(
  predicate: () => T | undefined | null | false,
  ms: number,
  what: string,
  intervalMs = 25,
): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (performance.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Installs `window.runScenario` / `window.getTrace` for the runner. */
export function registerScenarios(
  scenarios: Record<string, Scenario>,
  describePeers: () => unknown = () => undefined,
): void {
  window.runScenario = async (name, options) => {
    const scenario = scenarios[name];
    if (!scenario) {
      const known = Object.keys(scenarios).join(', ');
      return {
        ok: false,
        error: { name: 'Error', message: `this bundle has no scenario "${name}" (has: ${known})` },
      };
    }
    record('fixture', 'scenario', `start ${name} ${JSON.stringify(options)}`);
    try {
      const result = await scenario(options);
      record('fixture', 'scenario', `done ${name}`);
      return { ok: true, result };
    } catch (error) {
      record('fixture', 'scenario', `threw ${String(error)}`);
      return { ok: false, error: serializeError(error) };
    }
  };
  window.getTrace = () => ({ pre: window.__pre, log, peers: describePeers() });
  window.__fixtureReady = true;
  record('fixture', 'ready', `scenarios: ${Object.keys(scenarios).join(', ')}`);
}
