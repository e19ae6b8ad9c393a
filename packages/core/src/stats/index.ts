/**
 * `@peerstatejs/core/stats`: a `getStats()` sampler with typed, engine-neutral samples, a bounded
 * history and a call-quality score per direction. An entry of its own, so an app that does not
 * sample ships none of it.
 *
 * ```ts
 * import { createStatsSampler } from '@peerstatejs/core/stats';
 * const sampler = createStatsSampler(peer, { intervalMs: 1000 });
 * sampler.onQualityChange((quality) => console.log(quality.receive.level, quality.send.level));
 * ```
 * @module
 */
export { type NormalizeOptions, normalizeStats } from './normalize.js';
export {
  type CallQuality,
  callQuality,
  DEFAULT_QUALITY_THRESHOLDS,
  type DirectionQuality,
  type QualityLevel,
  type QualityThresholds,
  qualityLevelChanged,
  transmissionRating,
} from './quality.js';
export {
  createStatsSampler,
  type QualityListener,
  type SampleListener,
  type StatsSampler,
  type StatsSamplerOptions,
  type StatsSource,
  type StatsTarget,
} from './sampler.js';
export type {
  CandidateKind,
  CandidatePairSample,
  ConnectionSample,
  InboundSample,
  OutboundSample,
  SelectedPairSample,
  StatsRecord,
  StatsSample,
} from './types.js';
