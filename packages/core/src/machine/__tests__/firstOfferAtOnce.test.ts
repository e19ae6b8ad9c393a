/**
 * The impolite peer's first offer is made in a microtask after the command that needs it, not
 * after the engine's `negotiationneeded` task (negotiation/firstOfferAtOnce.ts, #22). The fake
 * queues that task as Chromium does and drops it when it finds the operations chain busy.
 */
import { describe, expect, it } from 'vitest';
import { createFakeTrack } from '../../testing/index.js';
import { bothSettled, closeAndExpectNoLeaks, createTestCall, tick, until } from './call.js';

const flushMicrotasks = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};
const offers = (sent: readonly { type: string; description?: { type: string; sdp: string } }[]) =>
  sent.filter((m) => m.type === 'description' && m.description?.type === 'offer');

describe('the first offer of a connection', () => {
  it('is under way before any task runs, once for what the app sent in one turn', async () => {
    const call = createTestCall();
    let negotiationNeeded = 0;
    const listening = new AbortController();
    call.a.pc().addEventListener('negotiationneeded', () => negotiationNeeded++, {
      signal: listening.signal,
    });
    call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
    call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('video') });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    expect(call.a.actor.getSnapshot().matches({ active: { signaling: 'stable' } })).toBe(true);
    // No timer has run (fake timers): the engine's task, queued with one, has not either.
    await flushMicrotasks();
    expect(call.a.actor.getSnapshot().matches({ active: { signaling: 'makingOffer' } })).toBe(true);
    await until(call.a, (s) => s.context.dataChannels.some((c) => c.readyState === 'open'));
    await bothSettled(call);
    // One offer carried all three; the engine's own event found our offer under way and
    // never fired, and nothing asked for a second one.
    const sent = offers(call.a.sent);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.description?.sdp.match(/^m=\w+/gm)).toEqual([
      'm=audio',
      'm=video',
      'm=application',
    ]);
    expect(negotiationNeeded).toBe(0);
    listening.abort();
    expect(offers(call.b.sent)).toHaveLength(0);
    expect(call.b.actor.getSnapshot().context.remoteTracks.map((t) => t.track.kind)).toEqual([
      'audio',
      'video',
    ]);
    await closeAndExpectNoLeaks(call);
  });

  it('is left to the engine on the polite peer (its start-up hold) and after a remote offer', async () => {
    const call = createTestCall();
    call.b.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await flushMicrotasks();
    expect(call.b.actor.getSnapshot().matches({ active: { signaling: 'stable' } })).toBe(true);
    await tick(0);
    // The polite peer holds its first offer for the impolite's (#23).
    expect(
      call.b.actor
        .getSnapshot()
        .matches({ active: { renegotiation: { holdingFirstOffer: 'needed' } } }),
    ).toBe(true);
    await until(call.b, (s) => s.context.dataChannels.some((c) => c.readyState === 'open'), 5_000);
    // Now the impolite peer has a remote description: its channel rides on an ordinary
    // renegotiation, asked for by the engine.
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'second' });
    await flushMicrotasks();
    expect(call.a.actor.getSnapshot().matches({ active: { signaling: 'stable' } })).toBe(true);
    await bothSettled(call);
    expect(offers(call.a.sent)).toHaveLength(0);
    await closeAndExpectNoLeaks(call);
  });
});
