'use client';

import type { PeerActor } from '@peerstatejs/core';
import {
  type CallQuality,
  createStatsSampler,
  type StatsSample,
  type StatsSamplerOptions,
} from '@peerstatejs/core/stats';
import { useEffect, useState } from 'react';

/** What {@link usePeerStats} renders from: the newest sample, the history and the quality. */
export interface PeerStatsState {
  readonly latest: StatsSample | null;
  /** Oldest first, bounded by `historySize`. */
  readonly history: readonly StatsSample[];
  readonly quality: CallQuality | null;
}

const EMPTY: PeerStatsState = { latest: null, history: [], quality: null };

/**
 * Samples the peer's `getStats()` while the component is mounted (see `createStatsSampler` in
 * `@peerstatejs/core/stats`) and re-renders on every sample. The sampler follows rebuilds.
 * `options` are read when `actor` changes.
 */
export function usePeerStats(actor: PeerActor, options?: StatsSamplerOptions): PeerStatsState {
  const [state, setState] = useState<PeerStatsState>(EMPTY);
  // biome-ignore lint/correctness/useExhaustiveDependencies: options are read once per actor
  useEffect(() => {
    const sampler = createStatsSampler(actor, options);
    const off = sampler.subscribe((latest, quality) =>
      setState({ latest, quality, history: [...sampler.history] }),
    );
    return () => {
      off();
      sampler.stop();
      setState(EMPTY);
    };
  }, [actor]);
  return state;
}

/**
 * The call quality per direction, re-rendering only when a level changes (not on every sample).
 * `null` until the first scored sample.
 */
export function useCallQuality(
  actor: PeerActor,
  options?: StatsSamplerOptions,
): CallQuality | null {
  const [quality, setQuality] = useState<CallQuality | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: options are read once per actor
  useEffect(() => {
    const sampler = createStatsSampler(actor, options);
    const off = sampler.onQualityChange((next) => setQuality(next));
    return () => {
      off();
      sampler.stop();
      setQuality(null);
    };
  }, [actor]);
  return quality;
}
