/** The channel tests' `settle` helper: what it waits for under fake timers. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settle } from './helpers.js';

// Captured before any test fakes the timers: a real delay, like a digest on the threadpool.
const realSetTimeout = globalThis.setTimeout;

afterEach(() => {
  vi.useRealTimers();
});

describe('settle', () => {
  it('waits for promise work off the fake timers that takes real time (a SHA-256 on a busy machine)', async () => {
    vi.useFakeTimers();
    const work = new Promise<string>((resolve) => realSetTimeout(() => resolve('digest'), 200));
    expect(await settle(work)).toEqual({ ok: true, value: 'digest' });
  });

  it('runs due fake timers one at a time until the promise settles', async () => {
    vi.useFakeTimers();
    const timed = new Promise<number>((resolve) => setTimeout(() => resolve(42), 4_000));
    expect(await settle(timed)).toEqual({ ok: true, value: 42 });
  });

  it('gives up on a promise that never settles, past the fake-time budget', async () => {
    vi.useFakeTimers();
    const ticking = setInterval(() => {}, 100);
    const never = new Promise<never>(() => {});
    await expect(settle(never, 1_000)).rejects.toThrow(/still pending after 1000 ms/);
    clearInterval(ticking);
  });
});
