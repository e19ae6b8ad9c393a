/** Test fixture: typed channels over the machine tests' fake call. */
import { vi } from 'vitest';
import type { TestPeer } from '../../machine/__tests__/call.js';
import type { FakeDataChannel } from '../../testing/index.js';

const realSetImmediate = globalThis.setImmediate;
const settlePromises = () => new Promise<void>((resolve) => realSetImmediate(resolve));
/** Real ms: `process.hrtime` is not among the clocks vitest's fake timers replace. */
const realNow = () => Number(process.hrtime.bigint()) / 1e6;
/** Real ms to wait for promise work while no fake timer is due: sized for a loaded 2-core machine. */
export const IDLE_MS = 5_000;

/** Runs fake timers one at a time until `promise` settles; returns how it settled. */
export async function settle<T>(
  promise: Promise<T>,
  timeout = 5000,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  promise.then(
    (value) => {
      result = { ok: true, value };
    },
    (error: unknown) => {
      result = { ok: false, error };
    },
  );
  const deadline = Date.now() + timeout;
  // Fake time stands still while no timer is due, but promise work off the timers (Blob reads,
  // crypto.subtle's digest on libuv's threadpool) may still be running, in real time: wait for
  // it up to IDLE_MS of real time. A count of idle turns (1,000, ~9 ms) was not enough for a
  // SHA-256 under two CPU hogs (a CI run failed so).
  let idleSince: number | null = null;
  while (result === undefined && Date.now() <= deadline) {
    await settlePromises();
    if (result !== undefined) break;
    if (vi.getTimerCount() === 0) {
      idleSince ??= realNow();
      if (realNow() - idleSince > IDLE_MS) break;
      continue;
    }
    idleSince = null;
    await vi.advanceTimersToNextTimerAsync();
  }
  if (result === undefined)
    throw new Error(
      `settle: still pending after ${timeout} ms (fake time) or ${IDLE_MS} ms idle (real time)`,
    );
  return result;
}

/** Resolves, or throws what it rejected with. */
export async function resolved<T>(promise: Promise<T>, timeout?: number): Promise<T> {
  const result = await settle(promise, timeout);
  if (!result.ok) throw result.error;
  return result.value;
}

/** The reason of a rejected ChannelError. */
export async function rejection(promise: Promise<unknown>, timeout?: number) {
  const result = await settle(promise, timeout);
  if (result.ok) throw new Error('expected a rejection');
  return result.error as { reason: string; remote: boolean; message: string };
}

/** The local fake channel with this label. */
export function localChannel(peer: TestPeer, label: string): FakeDataChannel {
  const entry = peer.actor
    .getSnapshot()
    .context.dataChannels.findLast((c) => c.label === label && c.origin === 'local');
  if (entry === undefined) throw new Error(`no local channel ${label}`);
  return entry.channel as unknown as FakeDataChannel;
}

/** Bytes 0..n-1 mod 251 (a prime, so chunk boundaries never line up with the pattern). */
export function pattern(n: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = i % 251;
  return bytes;
}

/** Runs fake timers one at a time until `check()` holds (a state outside any snapshot). */
export async function eventually(check: () => boolean, timeout = 5000): Promise<void> {
  let done = check();
  const ticker = (async () => {
    while (!done) {
      await settlePromises();
      done = check();
    }
  })();
  const result = await settle(ticker, timeout);
  if (!result.ok) throw result.error;
}
