import { createPeer, type PeerActor } from '@peerstatejs/core';
import { createFakeStream, createFakeTrack } from '@peerstatejs/core/testing';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor as waitForActor } from 'xstate';
import { type PeerStatsState, useCallQuality, usePeerStats } from '../index.js';
import { fakeCall } from './fakeCall.js';

afterEach(cleanup);

async function connectedPair(): Promise<[PeerActor, PeerActor]> {
  const call = fakeCall();
  const caller = createPeer(call.caller);
  const callee = createPeer(call.callee);
  caller.start();
  callee.start();
  const track = createFakeTrack('video');
  caller.send({ type: 'ADD_TRACK', track, streams: [createFakeStream([track])] });
  const connected = (actor: PeerActor) =>
    waitForActor(actor, (s) => s.matches({ active: { connection: 'connected' } }), {
      timeout: 15_000,
    });
  await Promise.all([connected(caller), connected(callee)]);
  await waitForActor(callee, (s) => s.context.remoteTracks.length === 1, { timeout: 15_000 });
  return [caller, callee];
}

function Stats({ actor, seen }: { actor: PeerActor; seen: PeerStatsState[] }) {
  seen.push(usePeerStats(actor, { intervalMs: 20 }));
  useCallQuality(actor, { intervalMs: 20 });
  return null;
}

describe('usePeerStats / useCallQuality', () => {
  it('samples the peer while mounted and stops when unmounted', async () => {
    const [caller, callee] = await connectedPair();
    const seen: PeerStatsState[] = [];
    const view = render(<Stats actor={callee} seen={seen} />);
    await waitFor(() => expect(seen.at(-1)?.history.length ?? 0).toBeGreaterThanOrEqual(2), {
      timeout: 15_000,
    });
    const latest = seen.at(-1)?.latest;
    const remote = callee.getSnapshot().context.remoteTracks[0]?.track;
    expect(latest?.inbound.map((s) => s.trackIdentifier)).toEqual([remote?.id]);
    expect(latest?.connection.selectedPair).not.toBeNull();
    view.unmount();
    const renders = seen.length;
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 100)));
    expect(seen.length).toBe(renders);
    caller.stop();
    callee.stop();
  });
});
