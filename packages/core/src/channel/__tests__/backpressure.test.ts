import { describe, expect, it } from 'vitest';
import { closeAndExpectNoLeaks, createTestCall, tick } from '../../machine/__tests__/call.js';
import { dataChannel } from '../channel.js';
import { text } from '../codec.js';
import { localChannel, resolved } from './helpers.js';

describe('typed channel backpressure', () => {
  it('hands data over only below the high-water mark and resolves at bufferedAmountLowThreshold', async () => {
    // The fake delivers a channel's buffer once per latency: bufferedAmount grows until then.
    const call = createTestCall({ network: { latencyMs: 10 } });
    const a = dataChannel(call.a.actor, 'flow', {
      codec: text,
      lowWaterMark: 50,
      highWaterMark: 300,
    });
    dataChannel(call.b.actor, 'flow', { codec: text });
    await resolved(a.send('open?'));
    const raw = localChannel(call.a, 'flow');
    expect(raw.bufferedAmountLowThreshold).toBe(50);
    await tick(20);
    expect(raw.bufferedAmount).toBe(0);

    const settled: number[] = [];
    const sends = Array.from({ length: 10 }, (_, i) =>
      a.send('x'.repeat(100)).then(() => settled.push(i)),
    );
    // 100, 200, 300 bytes handed over; the fourth waits for the buffer to fall under 300.
    expect(raw.bufferedAmount).toBe(300);
    expect(a.queued).toBe(7);
    await Promise.resolve();
    expect(settled).toEqual([]);

    let highest = 0;
    const watch = setInterval(() => {
      highest = Math.max(highest, raw.bufferedAmount);
    }, 1);
    await resolved(Promise.all(sends));
    clearInterval(watch);
    expect(settled).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(highest).toBeLessThanOrEqual(300);
    expect(raw.sent.length).toBe(11);
    await closeAndExpectNoLeaks(call);
  });

  it('rejects what the engine held with closed when the channel closes under it', async () => {
    const call = createTestCall({ network: { latencyMs: 10 } });
    const a = dataChannel(call.a.actor, 'flow', { codec: text, lowWaterMark: 10 });
    dataChannel(call.b.actor, 'flow', { codec: text });
    await resolved(a.send('open'));
    const held = a.send('x'.repeat(50));
    const closes: unknown[] = [];
    a.on('close', () => closes.push(true));
    localChannel(call.a, 'flow').simulateError();
    const result = await held.then(
      () => 'resolved',
      (e: { reason: string }) => e.reason,
    );
    expect(result).toBe('closed');
    expect(closes).toHaveLength(1);
    // The peer is still active: the typed channel waits for a new RTCDataChannel.
    expect(a.state).toBe('connecting');
    await tick(0);
    await closeAndExpectNoLeaks(call);
  });
});
