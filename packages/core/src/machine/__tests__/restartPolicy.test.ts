import { describe, expect, it } from 'vitest';
import { iceRestartDelay, iceRestartOffers, iceRestartTakeover } from '../ice/restartPolicy.js';
import { DEFAULT_ICE_RESTART } from '../options.js';

describe('ICE restart policy', () => {
  it('by default restarts once a second, for a minute: no back-off', () => {
    const delays = Array.from({ length: 60 }, (_, i) =>
      iceRestartDelay(DEFAULT_ICE_RESTART, i + 1),
    );
    expect(new Set(delays)).toEqual(new Set([1000]));
    expect(DEFAULT_ICE_RESTART.maxAttempts).toBe(60);
  });

  it('sends at most one restart offer per second of outage, up to a minute', () => {
    for (let seconds = 1; seconds <= 60; seconds++) {
      const offers = iceRestartOffers(DEFAULT_ICE_RESTART, seconds * 1000);
      expect(offers).toHaveLength(seconds);
      const gaps = offers.slice(1).map((at, i) => at - (offers[i] ?? 0));
      expect(gaps.every((gap) => gap >= 1000)).toBe(true);
    }
    // The newest attempt is never more than a second old when the network returns.
    const offers = iceRestartOffers(DEFAULT_ICE_RESTART, 20_000);
    expect(20_000 - (offers.at(-1) ?? 0)).toBeLessThanOrEqual(1000);
  });

  it('still backs off when configured to, capped at maxDelay', () => {
    const backOff = { ...DEFAULT_ICE_RESTART, factor: 2, maxDelay: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => iceRestartDelay(backOff, n))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(iceRestartOffers({ ...backOff, maxAttempts: 5 }, 60_000)).toEqual([
      0, 1000, 3000, 7000, 15_000,
    ]);
  });

  it('the polite peer waits longer than the impolite one can take to send a restart', () => {
    for (const options of [
      DEFAULT_ICE_RESTART,
      { ...DEFAULT_ICE_RESTART, disconnectedGracePeriod: 5000, maxDelay: 3000 },
    ]) {
      // The impolite peer may start a grace period after the polite one saw `failed`, and its
      // offers come one attempt apart: waiting less would make both restart (glare).
      const impoliteFirst = options.disconnectedGracePeriod + options.maxDelay;
      expect(iceRestartTakeover(options)).toBeGreaterThan(impoliteFirst);
    }
    expect(iceRestartTakeover(DEFAULT_ICE_RESTART)).toBe(3000);
  });
});
