import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CallQuality, createStatsSampler, type StatsSource } from '../index.js';

/** A connection whose inbound video grows by `perSecond` packets each second of fake time. */
function fakeConnection(perSecond: () => number) {
  let packets = 0;
  let bytes = 0;
  let last = Date.now();
  const calls = { count: 0 };
  const pc: StatsSource & { signalingState: string } = {
    signalingState: 'stable',
    async getStats() {
      calls.count += 1;
      const now = Date.now();
      const grow = Math.round((perSecond() * (now - last)) / 1000);
      last = now;
      packets += grow;
      bytes += grow * 1000;
      return new Map(
        Object.entries({
          in: {
            id: 'in',
            type: 'inbound-rtp',
            kind: 'video',
            ssrc: 1,
            timestamp: now,
            packetsReceived: packets,
            bytesReceived: bytes,
            packetsLost: 0,
            framesDecoded: packets,
          },
          t: {
            id: 't',
            type: 'transport',
            timestamp: now,
            bytesReceived: bytes,
            bytesSent: 0,
            selectedCandidatePairId: 'p',
          },
          p: {
            id: 'p',
            type: 'candidate-pair',
            timestamp: now,
            currentRoundTripTime: 0.02,
            localCandidateId: 'l',
            remoteCandidateId: 'r',
          },
        }),
      );
    },
  };
  return { pc, calls };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createStatsSampler', () => {
  it('samples at the interval into a bounded history, oldest dropped first', async () => {
    const { pc } = fakeConnection(() => 50);
    const sampler = createStatsSampler(pc, { intervalMs: 500, historySize: 3 });
    await vi.advanceTimersByTimeAsync(2_500);
    expect(sampler.history).toHaveLength(3);
    const times = sampler.history.map((s) => s.timestamp);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBe(500);
    expect(sampler.latest?.inbound[0]?.bitrate).toBe(50 * 1000 * 8);
    sampler.stop();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sampler.history.at(-1)?.timestamp).toBe(times[2]);
    expect(sampler.running).toBe(false);
  });

  it('emits quality changes only when a level changes: good → lost → back', async () => {
    let rate = 50;
    const { pc } = fakeConnection(() => rate);
    const sampler = createStatsSampler(pc, { intervalMs: 1000 });
    const changes: (CallQuality['receive']['level'] | undefined)[] = [];
    sampler.onQualityChange((quality) => changes.push(quality.receive.level));
    await vi.advanceTimersByTimeAsync(3_000);
    rate = 0; // an outage: nothing arrives
    await vi.advanceTimersByTimeAsync(3_000);
    rate = 50;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(changes).toEqual(['excellent', 'lost', 'excellent']);
    sampler.stop();
  });

  it('follows the peer actor onto a rebuilt connection as a new series', async () => {
    const first = fakeConnection(() => 50).pc;
    const second = fakeConnection(() => 50).pc;
    let pc: StatsSource | null = first;
    const actor = { getSnapshot: () => ({ context: { pc } }) };
    const sampler = createStatsSampler(actor, { intervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(2_000);
    pc = second;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sampler.history.map((s) => s.series)).toEqual([0, 0, 1]);
    expect(sampler.latest?.intervalMs).toBeNull();
    pc = null; // closed: nothing to read, nothing added
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sampler.history).toHaveLength(3);
    sampler.stop();
  });

  it('a getStats that rejects skips the tick; a slow one is never called twice at once', async () => {
    let release: (() => void) | undefined;
    let calls = 0;
    const slow: StatsSource = {
      getStats: () => {
        calls += 1;
        if (calls === 1) return Promise.reject(new Error('InvalidStateError'));
        return new Promise((resolve) => {
          release = () => resolve(new Map());
        });
      },
    };
    const sampler = createStatsSampler(slow, { intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
    expect(sampler.history).toHaveLength(0);
    release?.();
    await vi.advanceTimersByTimeAsync(100);
    expect(sampler.history).toHaveLength(1);
    sampler.stop();
  });

  it('sample() works while stopped and autoStart: false does not poll', async () => {
    const { pc, calls } = fakeConnection(() => 10);
    const sampler = createStatsSampler(pc, { autoStart: false });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls.count).toBe(0);
    const listener = vi.fn();
    const off = sampler.subscribe(listener);
    await sampler.sample();
    off();
    await sampler.sample();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(sampler.history).toHaveLength(2);
  });
});
