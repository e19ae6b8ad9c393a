/**
 * `negotiatesChannelsCreatedDuringOffer`: the fake against what Firefox 153 and Chromium 156 do
 * (apps/e2e `12-engine-firefox-channel-created-during-offer` runs the same steps on both).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeTrack } from '../fakeMedia.js';
import { FakePeerConnection, type FakePeerConnectionOptions } from '../fakePeerConnection.js';
import { settle } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** The steps of the engine check: a data channel created while the first offer is under way. */
async function channelDuringOffer(
  options: FakePeerConnectionOptions,
  when: 'while setLocalDescription runs' | 'in have-local-offer',
) {
  const a = new FakePeerConnection({}, options);
  const b = new FakePeerConnection();
  let fired = 0;
  a.onnegotiationneeded = () => {
    fired += 1;
  };
  a.addTrack(createFakeTrack('audio'));
  await vi.runAllTimersAsync();
  const firedBefore = fired;
  const applied = a.setLocalDescription();
  if (when === 'while setLocalDescription runs') a.createDataChannel('chat');
  await settle(applied);
  if (when === 'in have-local-offer') a.createDataChannel('chat');
  const offer = a.localDescription?.sdp ?? '';
  await settle(b.setRemoteDescription({ type: 'offer', sdp: offer }));
  await settle(b.setLocalDescription());
  await settle(a.setRemoteDescription({ type: 'answer', sdp: b.localDescription?.sdp ?? '' }));
  await vi.runAllTimersAsync();
  const firedAfterAnswer = fired - firedBefore;
  a.addTransceiver('video');
  await vi.runAllTimersAsync();
  const firedAfterChange = fired - firedBefore - firedAfterAnswer;
  const next = await settle(a.createOffer());
  a.close();
  b.close();
  return {
    channelInOffer: /^m=application /m.test(offer),
    firedAfterAnswer,
    firedAfterChange,
    channelInNextOffer: /^m=application /m.test(next.sdp ?? ''),
  };
}

describe('a data channel created while the first offer is under way', () => {
  it('in have-local-offer (both engines, the spec): negotiationneeded once back in stable', async () => {
    expect(await channelDuringOffer({}, 'in have-local-offer')).toEqual({
      channelInOffer: false,
      firedAfterAnswer: 1,
      // The flag is still set (nobody offered): no second event.
      firedAfterChange: 0,
      channelInNextOffer: true,
    });
  });

  it('while setLocalDescription() runs, by default: in that offer', async () => {
    // As Firefox does for a channel created in the same task as the call (Chromium leaves it out
    // and fires negotiationneeded after the answer): either way nothing is left unnegotiated.
    expect(await channelDuringOffer({}, 'while setLocalDescription runs')).toEqual({
      channelInOffer: true,
      firedAfterAnswer: 0,
      firedAfterChange: 1,
      channelInNextOffer: true,
    });
  });

  it('while setLocalDescription() runs, as Firefox: out of that offer, negotiationneeded only for the next change', async () => {
    const firefox = { negotiatesChannelsCreatedDuringOffer: false };
    expect(await channelDuringOffer(firefox, 'while setLocalDescription runs')).toEqual({
      channelInOffer: false,
      firedAfterAnswer: 0,
      firedAfterChange: 1,
      channelInNextOffer: true,
    });
  });
});
