import type { PeerActor } from '@peerstatejs/core';
import {
  type CallQuality,
  createStatsSampler,
  type StatsSample,
  type StatsSamplerOptions,
} from '@peerstatejs/core/stats';
import { getCurrentScope, onScopeDispose, type ShallowRef, shallowRef } from 'vue';

/** Refs of {@link usePeerStats}. */
export interface PeerStatsRefs {
  readonly latest: Readonly<ShallowRef<StatsSample | null>>;
  /** Oldest first, bounded by `historySize`. */
  readonly history: Readonly<ShallowRef<readonly StatsSample[]>>;
  readonly quality: Readonly<ShallowRef<CallQuality | null>>;
  /** Stops sampling (also done when the calling scope is disposed). */
  stop(): void;
}

/**
 * Samples the peer's `getStats()` (see `createStatsSampler` in `@peerstatejs/core/stats`) for the
 * life of the calling component or effect scope. The sampler follows rebuilds.
 */
export function usePeerStats(actor: PeerActor, options?: StatsSamplerOptions): PeerStatsRefs {
  const latest = shallowRef<StatsSample | null>(null);
  const history = shallowRef<readonly StatsSample[]>([]);
  const quality = shallowRef<CallQuality | null>(null);
  const sampler = createStatsSampler(actor, options);
  const off = sampler.subscribe((sample, next) => {
    latest.value = sample;
    history.value = [...sampler.history];
    quality.value = next;
  });
  const stop = () => {
    off();
    sampler.stop();
  };
  if (getCurrentScope()) onScopeDispose(stop);
  return { latest, history, quality, stop };
}

/**
 * The call quality per direction, updated only when a level changes. Call it in `setup()` or an
 * effect scope: sampling stops when the scope is disposed.
 */
export function useCallQuality(
  actor: PeerActor,
  options?: StatsSamplerOptions,
): Readonly<ShallowRef<CallQuality | null>> {
  const quality = shallowRef<CallQuality | null>(null);
  const sampler = createStatsSampler(actor, options);
  const off = sampler.onQualityChange((next) => {
    quality.value = next;
  });
  if (getCurrentScope())
    onScopeDispose(() => {
      off();
      sampler.stop();
    });
  return quality;
}
