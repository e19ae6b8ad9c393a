import type { PeerActor } from '@peerstatejs/core';
import type { SessionRecorder } from '@peerstatejs/core/recorder';
import { createStatsSampler } from '@peerstatejs/core/stats';
import { useEffect } from 'react';

export const STATS_INTERVAL_MS = 1000;

/**
 * Records the SDK's stats sampler (`@peerstatejs/core/stats`) on this peer once a second. The
 * sampler follows the peer's current connection across rebuilds and skips closed ones.
 */
export function useStatsSampler(actor: PeerActor, recorder: SessionRecorder, index: number): void {
  useEffect(() => {
    const sampler = createStatsSampler(actor, { intervalMs: STATS_INTERVAL_MS, historySize: 2 });
    const off = sampler.subscribe((sample) => recorder.addStats(index, sample));
    return () => {
      off();
      sampler.stop();
    };
  }, [actor, recorder, index]);
}
