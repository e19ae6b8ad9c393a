/**
 * Offers refused again and again (negotiation/refusedOffers.ts): Firefox refused Chromium's offer
 * and the same offer came again, about once a second, for good (#12). The fake stands in with
 * offers its engine refuses (no DTLS fingerprint: InvalidAccessError, as Firefox's refusal was),
 * as often as they come.
 */
import { describe, expect, it } from 'vitest';
import type { SignalingChannel } from '../../signaling/types.js';
import { createFakeTrack } from '../../testing/index.js';
import { MAX_REFUSED_OFFERS } from '../negotiation/refusedOffers.js';
import {
  bothConnected,
  bothSettled,
  closeAndExpectNoLeaks,
  createTestCall,
  tick,
  until,
} from './call.js';

/** From `arm()` on, every offer a sends is one b's engine refuses. */
function refusedOffers() {
  let armed = false;
  const wrap = (channel: SignalingChannel): SignalingChannel => ({
    send: (message) =>
      channel.send(
        armed && message.type === 'description' && message.description.type === 'offer'
          ? {
              ...message,
              description: {
                ...message.description,
                sdp: message.description.sdp.replace(/^a=fingerprint:.*\r\n/gm, ''),
              },
            }
          : message,
      ),
    subscribe: (listener) => channel.subscribe(listener),
  });
  return { wrap, arm: () => (armed = true) };
}

async function connectedThenRefusing(options: Parameters<typeof createTestCall>[0] = {}) {
  const refuse = refusedOffers();
  const call = createTestCall({ ...options, wrapA: refuse.wrap });
  call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  await bothConnected(call);
  await bothSettled(call);
  refuse.arm();
  call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
  return call;
}

describe('refused offers', () => {
  it(`the side that refused the same offer ${MAX_REFUSED_OFFERS} times rebuilds the connection`, async () => {
    const call = await connectedThenRefusing();
    await until(call.b, (s) => s.context.counters.rebuilds === 1, 120_000);
    expect(call.b.errors.map((e) => e.code)).toEqual(
      Array(MAX_REFUSED_OFFERS).fill('NEGOTIATION_FAILED'),
    );
    // b started it, at its third refusal (a's unanswered offer alone would only be reported).
    expect(call.b.emitted.filter((e) => e.type === 'rebuilding')).toEqual([
      { type: 'rebuilding', reason: 'negotiation-stuck', epoch: 1 },
    ]);
    await closeAndExpectNoLeaks(call);
  });

  it('with no rebuild left the refusals are reported as such', async () => {
    const call = await connectedThenRefusing({ b: { rebuild: { maxAttempts: 0 } } });
    await until(call.b, (s) => s.context.refusedOffers === MAX_REFUSED_OFFERS, 120_000);
    await tick(1);
    expect(call.b.errors).toHaveLength(MAX_REFUSED_OFFERS + 1);
    expect(call.b.errors.at(-1)?.message).toMatch(/3 offers refused in a row and no rebuild left/);
    expect(call.b.actor.getSnapshot().context.counters.rebuilds).toBe(0);
    await closeAndExpectNoLeaks(call);
  });
});
