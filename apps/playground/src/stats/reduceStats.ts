/**
 * Reduces one `getStats()` report to the numbers the stats panel plots. Pure: rates come from
 * the running totals of the previous sample.
 * @module
 */
import type { PairSummary, StatsSample, StatsTotals } from '../session/types.js';

/** A stats object as `RTCStatsReport` yields it, read defensively. */
export type StatsRecord = { readonly id: string; readonly type: string } & Record<string, unknown>;

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function candidateText(record: StatsRecord | undefined): string {
  if (!record) return '?';
  const address = str(record.address) ?? str(record.ip) ?? '?';
  return `${str(record.candidateType) ?? '?'} ${str(record.protocol) ?? ''} ${address}:${num(record.port) ?? '?'}`;
}

export function reduceStats(
  records: Iterable<StatsRecord>,
  previous: StatsTotals | undefined,
): Omit<StatsSample, 'seq' | 'at'> {
  const byId = new Map<string, StatsRecord>();
  for (const record of records) byId.set(record.id, record);
  const all = [...byId.values()];

  let bytesIn = 0;
  let bytesOut = 0;
  let selectedPairId: string | undefined;
  let timestamp = 0;
  for (const record of all) {
    timestamp = Math.max(timestamp, num(record.timestamp) ?? 0);
    if (record.type === 'transport') {
      bytesIn += num(record.bytesReceived) ?? 0;
      bytesOut += num(record.bytesSent) ?? 0;
      selectedPairId ??= str(record.selectedCandidatePairId);
    }
  }
  let packetsIn = 0;
  let packetsLost = 0;
  let fpsIn: number | null = null;
  let fpsOut: number | null = null;
  for (const record of all) {
    if (record.type === 'inbound-rtp') {
      packetsIn += num(record.packetsReceived) ?? 0;
      packetsLost += Math.max(0, num(record.packetsLost) ?? 0);
      const fps = num(record.framesPerSecond);
      if (record.kind === 'video' && fps !== undefined) fpsIn = (fpsIn ?? 0) + fps;
    }
    if (record.type === 'outbound-rtp' && record.kind === 'video') {
      const fps = num(record.framesPerSecond);
      if (fps !== undefined) fpsOut = (fpsOut ?? 0) + fps;
    }
  }
  const pairs: PairSummary[] = all
    .filter((record) => record.type === 'candidate-pair')
    .map((record) => {
      const rtt = num(record.currentRoundTripTime);
      return {
        id: record.id,
        state: str(record.state) ?? '?',
        nominated: record.nominated === true,
        selected: record.id === selectedPairId || record.selected === true,
        local: candidateText(byId.get(str(record.localCandidateId) ?? '')),
        remote: candidateText(byId.get(str(record.remoteCandidateId) ?? '')),
        rttMs: rtt === undefined ? null : Math.round(rtt * 10_000) / 10,
      };
    });
  const selected = pairs.find((pair) => pair.selected);
  const totals: StatsTotals = { timestamp, bytesIn, bytesOut, packetsIn, packetsLost };

  const seconds = previous ? (timestamp - previous.timestamp) / 1000 : 0;
  const rate = (now: number, before: number) =>
    seconds > 0 ? Math.max(0, Math.round(((now - before) * 8) / seconds / 100) / 10) : null;
  const received = previous ? packetsIn - previous.packetsIn : 0;
  const lost = previous ? packetsLost - previous.packetsLost : 0;
  return {
    bitrateInKbps: previous ? rate(bytesIn, previous.bytesIn) : null,
    bitrateOutKbps: previous ? rate(bytesOut, previous.bytesOut) : null,
    rttMs: selected?.rttMs ?? null,
    packetLossPct:
      previous && received + lost > 0 ? Math.round((lost / (received + lost)) * 1000) / 10 : null,
    fpsIn,
    fpsOut,
    pairs,
    totals,
  };
}
