import { createPeer, type PeerActor } from '@peerstatejs/core';
import { createFakeStream, createFakeTrack } from '@peerstatejs/core/testing';
import { describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import { waitFor } from 'xstate';
import { useCallQuality, usePeerStats } from '../index.js';
import { fakeCall } from './fakeCall.js';

const connected = (actor: PeerActor) =>
  waitFor(actor, (s) => s.matches({ active: { connection: 'connected' } }), { timeout: 15_000 });

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('usePeerStats / useCallQuality', () => {
  it('fills refs while the scope lives and stops sampling when it is disposed', async () => {
    const call = fakeCall();
    const caller = createPeer(call.caller);
    const callee = createPeer(call.callee);
    caller.start();
    callee.start();
    const track = createFakeTrack('video');
    caller.send({ type: 'ADD_TRACK', track, streams: [createFakeStream([track])] });
    await Promise.all([connected(caller), connected(callee)]);
    await waitFor(callee, (s) => s.context.remoteTracks.length === 1, { timeout: 15_000 });

    const scope = effectScope();
    const stats = scope.run(() => {
      useCallQuality(callee, { intervalMs: 20 });
      return usePeerStats(callee, { intervalMs: 20 });
    });
    if (!stats) throw new Error('no refs');
    await until(() => stats.history.value.length >= 2);
    const remote = callee.getSnapshot().context.remoteTracks[0]?.track;
    expect(stats.latest.value?.inbound.map((s) => s.trackIdentifier)).toEqual([remote?.id]);
    scope.stop();
    const length = stats.history.value.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stats.history.value.length).toBe(length);
    caller.stop();
    callee.stop();
  });
});
