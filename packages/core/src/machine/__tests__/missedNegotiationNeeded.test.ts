/**
 * Firefox 153 never fires `negotiationneeded` for a data channel created while
 * `setLocalDescription()` makes an offer (negotiation/missedNegotiationNeeded.ts); the fake does
 * the same with `negotiatesChannelsCreatedDuringOffer: false`, checked against Firefox by
 * apps/e2e `12-engine-firefox-channel-created-during-offer`.
 */
import { describe, expect, it } from 'vitest';
import { createFakeTrack } from '../../testing/index.js';
import { bothSettled, closeAndExpectNoLeaks, createTestCall, until } from './call.js';

const open =
  (label: string) =>
  (s: { context: { dataChannels: readonly { label: string; readyState: string }[] } }) =>
    s.context.dataChannels.some((c) => c.label === label && c.readyState === 'open');

describe('a data channel created while our offer is being made (Firefox)', () => {
  it('is offered after the answer, opens on both sides and carries a message both ways', async () => {
    const call = createTestCall({ fakeA: { negotiatesChannelsCreatedDuringOffer: false } });
    call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
    await until(call.a, (s) => s.matches({ active: { signaling: 'makingOffer' } }));
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(call.a, open('chat'), 10_000);
    await until(call.b, open('chat'), 10_000);

    const offers = call.a.sent.flatMap((m) =>
      m.type === 'description' && m.description.type === 'offer' ? [m.description.sdp] : [],
    );
    // The premise: the engine left the channel out of the offer it was making.
    expect(offers[0]).not.toMatch(/^m=application /m);
    expect(offers.some((sdp) => /^m=application /m.test(sdp))).toBe(true);

    call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'ping' });
    await until(call.b, () => call.b.emitted.some((e) => e.type === 'data'));
    call.b.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'pong' });
    await until(call.a, () => call.a.emitted.some((e) => e.type === 'data'));
    expect(call.b.emitted.find((e) => e.type === 'data')).toMatchObject({ data: 'ping' });
    expect(call.a.emitted.find((e) => e.type === 'data')).toMatchObject({ data: 'pong' });

    // One extra offer, not one per answer.
    await bothSettled(call);
    expect(call.a.actor.getSnapshot().context.counters.offersSent).toBe(2);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });
});
