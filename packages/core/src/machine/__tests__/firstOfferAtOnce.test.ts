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

/**
 * libwebrtc in Node (`@roamhq/wrtc`, a bare RTCPeerConnection) fires `negotiationneeded` for a
 * change the offer under way already carries (packages/signaling's WHIP test: a second offer,
 * refused). Emulated by dispatching the event on the fake, which itself never fires it then.
 */
describe('an engine that fires negotiationneeded during the first offer anyway', () => {
  const spurious = (call: ReturnType<typeof createTestCall>) =>
    call.a.pc().dispatchEvent(new Event('negotiationneeded'));

  for (const when of ['makingOffer', 'haveLocalOffer'] as const) {
    it(`is checked as the spec says and dropped when our offer carries it all (${when})`, async () => {
      const call = createTestCall();
      call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
      call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
      await until(call.a, (s) =>
        when === 'makingOffer'
          ? s.matches({ active: { signaling: 'makingOffer' } })
          : s.matches({ active: { signaling: { haveLocalOffer: 'awaitingAnswer' } } }),
      );
      spurious(call);
      await until(call.a, (s) => s.context.dataChannels.some((c) => c.readyState === 'open'));
      await bothSettled(call);
      await tick(1_000);
      expect(offers(call.a.sent)).toHaveLength(1);
      expect([...call.a.errors, ...call.b.errors]).toEqual([]);
      await closeAndExpectNoLeaks(call);
    });
  }

  it('still makes the offer a change after ours needs', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
    await until(call.a, (s) =>
      s.matches({ active: { signaling: { haveLocalOffer: 'awaitingAnswer' } } }),
    );
    // A track our offer does not carry: its transceiver has no m-section.
    call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('video') });
    spurious(call);
    await bothSettled(call);
    await until(call.b, (s) => s.context.remoteTracks.length === 2);
    expect(offers(call.a.sent)).toHaveLength(2);
    expect(call.b.actor.getSnapshot().context.remoteTracks.map((t) => t.track.kind)).toEqual([
      'audio',
      'video',
    ]);
    await closeAndExpectNoLeaks(call);
  });
});
