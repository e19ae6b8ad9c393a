/**
 * The SDK's stats sample (`@peerstatejs/core/stats`) reduced to what the recording keeps and the
 * stats panel plots. The normalizing (engines, deltas, the selected pair) is the SDK's; this only
 * picks fields, so a recording stays small and its format stays stable.
 * @module
 */
import type { StatsSample as SdkSample } from '../stats/types.js';
import type { StatsSample } from './types.js';

const kbps = (bitsPerSecond: number | null) =>
  bitsPerSecond === null ? null : Math.round(bitsPerSecond / 100) / 10;

/** Sums a per-stream value over the streams of one kind; `null` if no stream reports it. */
function sum(values: readonly (number | null)[]): number | null {
  return values.reduce<number | null>((total, v) => (v === null ? total : (total ?? 0) + v), null);
}

/** Reduces one SDK stats sample to the recording's {@link StatsSample} (without seq and at). */
export function recordedStats(sample: SdkSample): Omit<StatsSample, 'seq' | 'at'> {
  const { connection } = sample;
  let received = 0;
  let lost = 0;
  for (const s of sample.inbound) {
    received += s.packetsReceived;
    lost += s.packetsLost;
  }
  const losses = sample.inbound.map((s) => s.lossPercent).filter((v): v is number => v !== null);
  return {
    bitrateInKbps: kbps(connection.receiveBitrate),
    bitrateOutKbps: kbps(connection.sendBitrate),
    rttMs: connection.selectedPair?.rttMs ?? null,
    packetLossPct: losses.length > 0 ? Math.max(...losses) : null,
    fpsIn: sum(sample.inbound.filter((s) => s.kind === 'video').map((s) => s.framesPerSecond)),
    fpsOut: sum(sample.outbound.filter((s) => s.kind === 'video').map((s) => s.framesPerSecond)),
    pairs: connection.candidatePairs.map((pair) => ({ ...pair })),
    inbound: sample.inbound.map(({ trackIdentifier, kind, flowing }) => ({
      trackIdentifier,
      kind,
      flowing,
    })),
    totals: {
      timestamp: sample.timestamp,
      bytesIn: connection.bytesReceived,
      bytesOut: connection.bytesSent,
      packetsIn: received,
      packetsLost: lost,
    },
  };
}
