/**
 * Call quality per direction, from one {@link StatsSample}: `excellent`, `good`, `poor` or
 * `lost`.
 *
 * Where the thresholds come from:
 * - Loss, round-trip time and jitter are combined into a transmission rating `R` with the
 *   simplified E-model of Cole & Rosenbluth, "Voice over IP Performance Monitoring" (ACM CCR
 *   31(2), 2001), which reduces ITU-T G.107's E-model to: effective one-way delay
 *   `d = RTT/2 + 2·jitter + 10 ms`; delay impairment `Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)`;
 *   loss impairment `Ie = 30·ln(1 + 15·loss)` (their fit for G.711 with packet-loss
 *   concealment; a conservative stand-in for Opus); `R = 93.2 − Id − Ie` (93.2 is G.107's
 *   default rating with no impairment). The E-model is defined for voice; it is used here for
 *   video too, with freezes added.
 * - The levels are G.107 Annex B / G.109's user-satisfaction bands: `R ≥ 80` "satisfied"
 *   (excellent), `R ≥ 70` "some users dissatisfied" (good), below that "many dissatisfied" or worse
 *   (poor); in MOS, 4.03 and 3.6.
 * - Video adds freezes (`freezeCount` of webrtc-stats: a frame shown for at least
 *   max(3 × the average frame duration, the average + 150 ms); Chromium fills it): a freeze in
 *   the interval lowers the level by one.
 * - `lost`: nothing arrives (no packets on any stream of that direction, or nothing at all
 *   received on the connection for a send direction, not even RTCP), or no candidate pair is
 *   selected.
 * @module
 */
import type { StatsSample } from './types.js';

/** From best to none: see the module comment for how each is decided. */
export type QualityLevel = 'excellent' | 'good' | 'poor' | 'lost';

/** The quality of one direction; `level` is `null` while there is nothing to score. */
export interface DirectionQuality {
  readonly level: QualityLevel | null;
  /** The E-model rating (0–100), `null` when not computed. */
  readonly rating: number | null;
  /** The inputs it was computed from (worst stream of the direction). */
  readonly lossPercent: number | null;
  readonly rttMs: number | null;
  readonly jitterMs: number | null;
  readonly freezes: number;
}

/** `receive`: what reaches us; `send`: what reaches the remote (from its receiver reports). */
export interface CallQuality {
  readonly receive: DirectionQuality;
  readonly send: DirectionQuality;
}

/** Rating bands; override to be stricter or laxer (e.g. for music or screen share). */
export interface QualityThresholds {
  /** Minimum rating for `excellent` (default 80). */
  readonly excellent: number;
  /** Minimum rating for `good` (default 70). */
  readonly good: number;
}

/** G.107's bands: rating 80 and 70 (MOS 4.03 and 3.6). */
export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = { excellent: 80, good: 70 };

const UNKNOWN: DirectionQuality = {
  level: null,
  rating: null,
  lossPercent: null,
  rttMs: null,
  jitterMs: null,
  freezes: 0,
};

/** The simplified E-model rating (see the module comment). */
export function transmissionRating(lossPercent: number, rttMs: number, jitterMs: number): number {
  const d = rttMs / 2 + 2 * jitterMs + 10;
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  const ie = 30 * Math.log(1 + 15 * (lossPercent / 100));
  return Math.max(0, Math.min(100, Math.round((93.2 - id - ie) * 10) / 10));
}

const LOWER: Record<QualityLevel, QualityLevel> = {
  excellent: 'good',
  good: 'poor',
  poor: 'poor',
  lost: 'lost',
};

function score(
  flowing: boolean,
  lossPercent: number | null,
  rttMs: number | null,
  jitterMs: number | null,
  freezes: number,
  thresholds: QualityThresholds,
): DirectionQuality {
  if (!flowing) return { ...UNKNOWN, level: 'lost', lossPercent, rttMs, jitterMs, freezes };
  const rating = transmissionRating(lossPercent ?? 0, rttMs ?? 0, jitterMs ?? 0);
  let level: QualityLevel =
    rating >= thresholds.excellent ? 'excellent' : rating >= thresholds.good ? 'good' : 'poor';
  if (freezes > 0) level = LOWER[level];
  return { level, rating, lossPercent, rttMs, jitterMs, freezes };
}

const worst = (values: readonly (number | null)[]): number | null =>
  values.reduce<number | null>((max, v) => (v === null ? max : Math.max(max ?? v, v)), null);

/** Scores both directions of a sample. A series' first sample (no interval) scores `null`. */
export function callQuality(
  sample: StatsSample,
  thresholds: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS,
): CallQuality {
  if (sample.intervalMs === null) return { receive: UNKNOWN, send: UNKNOWN };
  const pair = sample.connection.selectedPair;
  const rtt = pair?.rttMs ?? worst(sample.outbound.map((s) => s.remoteRttMs));
  const receive =
    sample.inbound.length === 0
      ? UNKNOWN
      : score(
          pair !== null && sample.inbound.some((s) => s.flowing === true),
          worst(sample.inbound.map((s) => s.lossPercent)),
          rtt,
          worst(sample.inbound.map((s) => s.jitterMs)),
          sample.inbound.reduce((sum, s) => sum + (s.freezesInInterval ?? 0), 0),
          thresholds,
        );
  const send =
    sample.outbound.length === 0
      ? UNKNOWN
      : score(
          pair !== null &&
            sample.outbound.some((s) => s.flowing === true) &&
            (sample.connection.receiveBitrate ?? 0) > 0,
          worst(sample.outbound.map((s) => s.remoteLossPercent)),
          rtt,
          worst(sample.outbound.map((s) => s.remoteJitterMs)),
          0,
          thresholds,
        );
  return { receive, send };
}

/** Whether two qualities differ in a level (what a "quality changed" event reports). */
export function qualityLevelChanged(a: CallQuality | null, b: CallQuality): boolean {
  return a === null || a.receive.level !== b.receive.level || a.send.level !== b.send.level;
}
