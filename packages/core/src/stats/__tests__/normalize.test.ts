import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { legacyStatsReport } from '../../platform/legacy/legacyStatsReport.js';
import { normalizeStats } from '../normalize.js';
import type { StatsRecord, StatsSample } from '../types.js';

/** Reports recorded by the e2e scenarios `stats-chromium` / `stats-firefox` (see apps/e2e). */
interface Fixture {
  readonly engine: string;
  readonly sides: Record<string, [StatsRecord[], StatsRecord[]]>;
}
const load = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

const reportTime = (records: StatsRecord[]) =>
  Math.max(...records.map((r) => (typeof r.timestamp === 'number' ? r.timestamp : 0)));
const byType = (records: StatsRecord[], type: string) => records.filter((r) => r.type === type);
const find = (records: StatsRecord[], type: string, ssrc: unknown) =>
  records.find((r) => r.type === type && r.ssrc === ssrc);
const num = (value: unknown) => value as number;

/** What every engine's second sample must say, computed from the raw records independently. */
function checkAgainstRaw([first, second]: [StatsRecord[], StatsRecord[]], sample: StatsSample) {
  const interval = reportTime(second) - reportTime(first);
  expect(sample.intervalMs).toBeCloseTo(interval, 6);
  const rtpIn = byType(second, 'inbound-rtp');
  const rtpOut = byType(second, 'outbound-rtp');
  expect(sample.inbound).toHaveLength(rtpIn.length);
  expect(sample.outbound).toHaveLength(rtpOut.length);
  for (const raw of rtpIn) {
    const before = find(first, 'inbound-rtp', raw.ssrc);
    const s = sample.inbound.find((x) => x.ssrc === raw.ssrc);
    expect(s?.kind).toBe(raw.kind);
    expect(s?.bytesReceived).toBe(raw.bytesReceived);
    const bits = ((num(raw.bytesReceived) - num(before?.bytesReceived)) * 8 * 1000) / interval;
    expect(s?.bitrate).toBe(Math.round(bits));
    expect(s?.flowing).toBe(true);
    expect(s?.codec).toBe(second.find((c) => c.id === raw.codecId)?.mimeType);
    expect(s?.jitterMs).toBeCloseTo(num(raw.jitter) * 1000, 1);
    expect(s?.trackIdentifier).toBe(raw.trackIdentifier);
  }
  for (const raw of rtpOut) {
    const before = find(first, 'outbound-rtp', raw.ssrc);
    const s = sample.outbound.find((x) => x.ssrc === raw.ssrc);
    const bits = ((num(raw.bytesSent) - num(before?.bytesSent)) * 8 * 1000) / interval;
    expect(s?.bitrate).toBe(Math.round(bits));
    expect(s?.flowing).toBe(true);
    const remote = second.find((r) => r.type === 'remote-inbound-rtp' && r.localId === raw.id);
    expect(s?.remoteRttMs ?? null).toBe(
      typeof remote?.roundTripTime === 'number'
        ? Math.round(remote.roundTripTime * 10_000) / 10
        : null,
    );
  }
  const video = sample.inbound.find((s) => s.kind === 'video');
  expect(video?.framesPerSecond).toBeGreaterThan(0);
  expect(video?.frameWidth).toBeGreaterThan(0);
  expect(video?.lossPercent).toBe(0);
  expect(sample.connection.receiveBitrate).toBeGreaterThan(0);
  expect(sample.connection.selectedPair).toMatchObject({
    localType: 'host',
    remoteType: 'host',
    protocol: 'udp',
  });
}

describe('normalizeStats on recorded reports', () => {
  it('Chromium 156: every stream, rates from the two reports, the transport-selected pair', () => {
    const fixture = load('chromium-156');
    expect(fixture.engine).toMatch(/Chrome\/156/);
    for (const reports of Object.values(fixture.sides)) {
      const first = normalizeStats(reports[0]);
      expect(first.intervalMs).toBeNull();
      expect(first.inbound.every((s) => s.bitrate === null && s.flowing === null)).toBe(true);
      const sample = normalizeStats(reports[1], { previous: first });
      checkAgainstRaw(reports, sample);
      const transport = reports[1].find((r) => r.type === 'transport');
      expect(sample.connection.bytesReceived).toBe(transport?.bytesReceived);
      expect(sample.connection.selectedPair?.availableOutgoingBitrate).toBeGreaterThan(0);
      // Chromium reports freezes and the encoder's limitation.
      expect(sample.inbound.find((s) => s.kind === 'video')?.freezeCount).not.toBeNull();
      const raw = reports[1].find((r) => r.type === 'outbound-rtp' && r.kind === 'video');
      expect(raw?.qualityLimitationReason).toMatch(/^(none|bandwidth|cpu|other)$/);
      expect(sample.outbound.find((s) => s.kind === 'video')?.qualityLimitationReason).toBe(
        raw?.qualityLimitationReason,
      );
    }
  });

  it('Firefox 153: the transport has no byte counters, so the selected pair carries them', () => {
    const fixture = load('firefox-153');
    expect(fixture.engine).toMatch(/Firefox\/153/);
    for (const reports of Object.values(fixture.sides)) {
      const transport = reports[1].find((r) => r.type === 'transport');
      expect(transport?.bytesReceived).toBeUndefined();
      const sample = normalizeStats(reports[1], { previous: normalizeStats(reports[0]) });
      checkAgainstRaw(reports, sample);
      const pair = reports[1].find((r) => r.id === transport?.selectedCandidatePairId);
      expect(sample.connection.bytesReceived).toBe(pair?.bytesReceived);
    }
  });

  it('a sample of another series (a rebuilt connection) has no rates', () => {
    const [first, second] = Object.values(load('chromium-156').sides)[0] ?? [[], []];
    const previous = normalizeStats(first, { series: 0 });
    const sample = normalizeStats(second, { previous, series: 1 });
    expect(sample.intervalMs).toBeNull();
    expect(sample.connection.receiveBitrate).toBeNull();
    expect(sample.inbound.every((s) => s.flowing === null)).toBe(true);
  });

  it('media that stops arriving is not flowing, whatever the track says', () => {
    const [first, second] = Object.values(load('chromium-156').sides)[0] ?? [[], []];
    // The second report again, with the inbound counters of the first: nothing arrived.
    const frozen = second.map((r) =>
      r.type === 'inbound-rtp' ? { ...r, ...pick(find(first, 'inbound-rtp', r.ssrc)) } : r,
    );
    const sample = normalizeStats(frozen, { previous: normalizeStats(first) });
    expect(sample.inbound.map((s) => s.flowing)).toEqual(sample.inbound.map(() => false));
    expect(sample.inbound.every((s) => s.bitrate === 0)).toBe(true);
  });

  it('loss over the interval is lost ÷ (lost + received)', () => {
    const previous = normalizeStats([
      {
        id: 'i',
        type: 'inbound-rtp',
        kind: 'audio',
        ssrc: 1,
        timestamp: 1000,
        packetsReceived: 100,
        packetsLost: 0,
        bytesReceived: 0,
      },
    ]);
    const sample = normalizeStats(
      [
        {
          id: 'i',
          type: 'inbound-rtp',
          kind: 'audio',
          ssrc: 1,
          timestamp: 2000,
          packetsReceived: 190,
          packetsLost: 10,
          bytesReceived: 1000,
        },
      ],
      { previous },
    );
    expect(sample.inbound[0]).toMatchObject({ lossPercent: 10, bitrate: 8000, flowing: true });
  });

  it('legacy Chrome reports (through legacyStatsReport) give the same shape', () => {
    const item = (id: string, type: string, stats: Record<string, string>) => ({
      id,
      type,
      timestamp: new Date(5000),
      names: () => Object.keys(stats),
      stat: (name: string) => stats[name],
    });
    const report = legacyStatsReport({
      result: () => [
        item('ssrc_1_recv', 'ssrc', {
          ssrc: '1',
          mediaType: 'video',
          bytesReceived: '5000',
          packetsReceived: '50',
          packetsLost: '0',
          googFrameRateReceived: '30',
          googCodecName: 'VP8',
          googJitterReceived: '4',
        }),
        item('ssrc_2_send', 'ssrc', {
          ssrc: '2',
          mediaType: 'audio',
          bytesSent: '900',
          packetsSent: '9',
          googRtt: '42',
        }),
        item('Conn-1', 'googCandidatePair', {
          googActiveConnection: 'true',
          googLocalCandidateType: 'relay',
          googRemoteCandidateType: 'stun',
          googTransportType: 'udp',
          googRtt: '40',
          bytesSent: '900',
          bytesReceived: '5000',
        }),
      ],
    });
    const sample = normalizeStats(report);
    expect(sample.inbound).toEqual([
      expect.objectContaining({
        kind: 'video',
        ssrc: 1,
        codec: 'VP8',
        framesPerSecond: 30,
        jitterMs: 4,
      }),
    ]);
    expect(sample.outbound).toEqual([expect.objectContaining({ kind: 'audio', remoteRttMs: 42 })]);
    expect(sample.connection.selectedPair).toMatchObject({
      localType: 'relay',
      remoteType: 'srflx',
      rttMs: 40,
    });
    expect(sample.timestamp).toBe(5000);
  });

  it('garbage in a report gives nulls, never an exception', () => {
    const sample = normalizeStats([
      null,
      3,
      { id: 1 },
      { id: 'x', type: 'inbound-rtp', bytesReceived: 'lots' },
    ]);
    expect(sample.inbound).toEqual([
      expect.objectContaining({ kind: 'audio', bytesReceived: 0, bitrate: null }),
    ]);
    expect(normalizeStats(undefined).connection.selectedPair).toBeNull();
  });
});

function pick(record: StatsRecord | undefined) {
  return {
    packetsReceived: record?.packetsReceived,
    bytesReceived: record?.bytesReceived,
    framesDecoded: record?.framesDecoded,
  };
}
