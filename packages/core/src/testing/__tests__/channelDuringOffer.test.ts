/**
 * `negotiatesChannelsCreatedDuringDescription`: the fake against what Firefox 153 and Chromium
 * 156 do (apps/e2e `12-engine-firefox-channel-created-during-offer` runs the same steps on both).
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

  it('while setLocalDescription() runs, as Firefox: lost, in no later offer', async () => {
    const firefox = { negotiatesChannelsCreatedDuringDescription: false };
    expect(await channelDuringOffer(firefox, 'while setLocalDescription runs')).toEqual({
      channelInOffer: false,
      firedAfterAnswer: 0,
      // Fired for the transceiver, yet the offer it asks for still has no application section.
      firedAfterChange: 1,
      channelInNextOffer: false,
    });
  });
});

type Operation = 'remoteOffer' | 'remoteAnswer' | 'rollback' | 'localAnswer';

/** Is a channel created while this operation runs in the next offer of its connection? */
async function channelInNextOffer(options: FakePeerConnectionOptions, operation: Operation) {
  const a = new FakePeerConnection({}, operation === 'remoteOffer' ? {} : options);
  const b = new FakePeerConnection({}, operation === 'remoteOffer' ? options : {});
  a.addTrack(createFakeTrack('audio'));
  const during = async (applied: Promise<void>, pc: FakePeerConnection) => {
    pc.createDataChannel('chat');
    await settle(applied);
  };
  await settle(a.setLocalDescription());
  let who = a;
  if (operation === 'rollback') {
    await during(a.setLocalDescription({ type: 'rollback' }), a);
  } else if (operation === 'remoteOffer') {
    await during(b.setRemoteDescription({ type: 'offer', sdp: a.localDescription?.sdp ?? '' }), b);
    await settle(b.setLocalDescription());
    who = b;
  } else {
    await settle(b.setRemoteDescription({ type: 'offer', sdp: a.localDescription?.sdp ?? '' }));
    if (operation === 'localAnswer') {
      await during(b.setLocalDescription(), b);
      who = b;
    } else {
      await settle(b.setLocalDescription());
      const answer = { type: 'answer' as const, sdp: b.localDescription?.sdp ?? '' };
      await during(a.setRemoteDescription(answer), a);
    }
  }
  const next = await settle(who.createOffer());
  a.close();
  b.close();
  return /^m=application /m.test(next.sdp ?? '');
}

describe('a data channel created while another description operation runs', () => {
  const operations: Operation[] = ['remoteOffer', 'remoteAnswer', 'rollback', 'localAnswer'];
  it('by default (Chromium): in the next offer, whatever the operation', async () => {
    for (const operation of operations) {
      expect([operation, await channelInNextOffer({}, operation)]).toEqual([operation, true]);
    }
  });

  it('as Firefox: lost during a remote description or a rollback, kept during a local answer', async () => {
    const firefox = { negotiatesChannelsCreatedDuringDescription: false };
    const kept: Record<string, boolean> = {};
    for (const operation of operations)
      kept[operation] = await channelInNextOffer(firefox, operation);
    expect(kept).toEqual({
      remoteOffer: false,
      remoteAnswer: false,
      rollback: false,
      localAnswer: true,
    });
  });
});
