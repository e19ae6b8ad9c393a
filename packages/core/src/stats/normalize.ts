/**
 * One `getStats()` report → one typed {@link StatsSample}, the same shape whichever engine made
 * it. Pure: rates and deltas come from the previous sample of the same connection.
 *
 * Engine differences handled here (each checked on the recorded reports in `__tests__/fixtures`):
 * - Chromium reports a `transport` with `selectedCandidatePairId`; Firefox has no `transport`
 *   stats and marks the pair with a non-standard `selected: true`; older engines only with
 *   `nominated` + `state: 'succeeded'`.
 * - Firefox fills `remote-inbound-rtp.roundTripTime` but not always the pair's
 *   `currentRoundTripTime`.
 * - Legacy Chrome (`getStats(callback)`, through `legacyStatsReport`) has `ssrc` records with
 *   `goog*` members and a `googCandidatePair` with `googActiveConnection`.
 * @module
 */
import { bitrate, candidateKind, count, indexReport, mediaKind, ms, num, str } from './read.js';
import type {
  ConnectionSample,
  InboundSample,
  OutboundSample,
  SelectedPairSample,
  StatsRecord,
  StatsSample,
} from './types.js';

/** Options of {@link normalizeStats}. */
export interface NormalizeOptions {
  /** The sample before this one of the same connection (rates are computed against it). */
  readonly previous?: StatsSample | null;
  /** The series number to stamp (see {@link StatsSample.series}); default 0. */
  readonly series?: number;
  /** Used when the report carries no timestamp. */
  readonly now?: number;
}

/** Normalizes one report (an `RTCStatsReport`, a Map, or an array of stats objects). */
export function normalizeStats(report: unknown, options: NormalizeOptions = {}): StatsSample {
  const byId = indexReport(report);
  const records = [...byId.values()];
  let timestamp = 0;
  for (const record of records) timestamp = Math.max(timestamp, num(record.timestamp) ?? 0);
  if (timestamp === 0) timestamp = options.now ?? 0;
  const series = options.series ?? 0;
  const previous = options.previous?.series === series ? options.previous : null;
  const intervalMs =
    previous && timestamp > previous.timestamp ? timestamp - previous.timestamp : null;
  const codecOf = (record: StatsRecord) =>
    str(byId.get(str(record.codecId) ?? '')?.mimeType) ?? str(record.googCodecName);

  const inbound: InboundSample[] = [];
  const outbound: OutboundSample[] = [];
  for (const record of records) {
    const direction = rtpDirection(record);
    if (direction === 'inbound') {
      const before = previous?.inbound.find((sample) => sameStream(sample, record));
      inbound.push(inboundSample(record, codecOf(record), before, intervalMs));
    } else if (direction === 'outbound') {
      const before = previous?.outbound.find((sample) => sameStream(sample, record));
      const remote = remoteReportOf(record, records);
      outbound.push(outboundSample(record, remote, codecOf(record), before, intervalMs));
    }
  }
  const connection = connectionSample(byId, records, previous?.connection, intervalMs, outbound);
  return { timestamp, intervalMs, series, connection, inbound, outbound };
}

function rtpDirection(record: StatsRecord): 'inbound' | 'outbound' | null {
  if (record.type === 'inbound-rtp') return 'inbound';
  if (record.type === 'outbound-rtp') return 'outbound';
  // Legacy Chrome: one `ssrc` record per stream, `…_recv` or `…_send`.
  if (record.type === 'ssrc') {
    if (record.id.endsWith('_recv') || record.bytesReceived !== undefined) return 'inbound';
    if (record.id.endsWith('_send') || record.bytesSent !== undefined) return 'outbound';
  }
  return null;
}

function sameStream(sample: InboundSample | OutboundSample, record: StatsRecord): boolean {
  return (
    sample.kind === mediaKind(record) &&
    sample.ssrc === num(record.ssrc) &&
    ('rid' in sample ? sample.rid === str(record.rid) : true)
  );
}

function inboundSample(
  record: StatsRecord,
  codec: string | null,
  before: InboundSample | undefined,
  intervalMs: number | null,
): InboundSample {
  const kind = mediaKind(record) ?? 'audio';
  const packetsReceived = count(record.packetsReceived);
  const packetsLost = count(record.packetsLost);
  const bytesReceived = count(record.bytesReceived);
  const framesDecoded = num(record.framesDecoded) ?? num(record.googFramesDecoded);
  const freezeCount = num(record.freezeCount);
  const receivedDelta = before ? packetsReceived - before.packetsReceived : null;
  const lostDelta = before ? Math.max(0, packetsLost - before.packetsLost) : null;
  const expected = receivedDelta === null || lostDelta === null ? 0 : receivedDelta + lostDelta;
  const decodedGrew =
    framesDecoded === null || before?.framesDecoded == null
      ? kind === 'audio' || framesDecoded === null
      : framesDecoded > before.framesDecoded;
  return {
    kind,
    ssrc: num(record.ssrc),
    mid: str(record.mid),
    codec,
    trackIdentifier: str(record.trackIdentifier) ?? str(record.googTrackId),
    bytesReceived,
    packetsReceived,
    packetsLost,
    bitrate: bitrate(bytesReceived, before?.bytesReceived, intervalMs),
    lossPercent:
      expected > 0 && lostDelta !== null ? Math.round((lostDelta / expected) * 1000) / 10 : null,
    jitterMs: ms(record.jitter) ?? num(record.googJitterReceived),
    framesPerSecond: num(record.framesPerSecond) ?? num(record.googFrameRateReceived),
    frameWidth: num(record.frameWidth) ?? num(record.googFrameWidthReceived),
    frameHeight: num(record.frameHeight) ?? num(record.googFrameHeightReceived),
    framesDecoded,
    framesDropped: num(record.framesDropped),
    freezeCount,
    freezesInInterval:
      freezeCount === null || before?.freezeCount == null
        ? null
        : Math.max(0, freezeCount - before.freezeCount),
    nackCount: count(record.nackCount ?? record.googNacksSent),
    pliCount: count(record.pliCount ?? record.googPlisSent),
    flowing: receivedDelta === null ? null : receivedDelta > 0 && decodedGrew,
  };
}

/** The remote's receiver report about one of our streams (`remote-inbound-rtp`). */
function remoteReportOf(record: StatsRecord, records: StatsRecord[]): StatsRecord | undefined {
  return records.find(
    (candidate) =>
      candidate.type === 'remote-inbound-rtp' &&
      (candidate.localId === record.id ||
        (candidate.localId === undefined &&
          num(candidate.ssrc) === num(record.ssrc) &&
          mediaKind(candidate) === mediaKind(record))),
  );
}

function outboundSample(
  record: StatsRecord,
  remote: StatsRecord | undefined,
  codec: string | null,
  before: OutboundSample | undefined,
  intervalMs: number | null,
): OutboundSample {
  const bytesSent = count(record.bytesSent);
  const packetsSent = count(record.packetsSent);
  const fractionLost = num(remote?.fractionLost);
  return {
    kind: mediaKind(record) ?? 'audio',
    ssrc: num(record.ssrc),
    mid: str(record.mid),
    rid: str(record.rid),
    codec,
    bytesSent,
    packetsSent,
    bitrate: bitrate(bytesSent, before?.bytesSent, intervalMs),
    framesPerSecond: num(record.framesPerSecond) ?? num(record.googFrameRateSent),
    frameWidth: num(record.frameWidth) ?? num(record.googFrameWidthSent),
    frameHeight: num(record.frameHeight) ?? num(record.googFrameHeightSent),
    qualityLimitationReason: str(record.qualityLimitationReason),
    nackCount: count(record.nackCount ?? record.googNacksReceived),
    pliCount: count(record.pliCount ?? record.googPlisReceived),
    remoteRttMs: ms(remote?.roundTripTime) ?? num(record.googRtt),
    remoteLossPercent: fractionLost === null ? null : Math.round(fractionLost * 1000) / 10,
    remoteJitterMs: ms(remote?.jitter),
    flowing: before ? packetsSent > before.packetsSent : null,
  };
}

function connectionSample(
  byId: Map<string, StatsRecord>,
  records: StatsRecord[],
  before: ConnectionSample | undefined,
  intervalMs: number | null,
  outbound: readonly OutboundSample[],
): ConnectionSample {
  const transports = records.filter((record) => record.type === 'transport');
  const pair = selectedPairRecord(byId, records, transports);
  // Firefox's `transport` stats (153) carry no byte counters, and older Firefox had no
  // `transport` at all: then the selected pair carries the connection's bytes.
  const counted = transports.filter((record) => num(record.bytesSent) !== null);
  const source = counted.length > 0 ? counted : pair ? [pair] : [];
  let bytesSent = 0;
  let bytesReceived = 0;
  for (const record of source) {
    bytesSent += count(record.bytesSent);
    bytesReceived += count(record.bytesReceived);
  }
  return {
    bytesSent,
    bytesReceived,
    sendBitrate: bitrate(bytesSent, before?.bytesSent, intervalMs),
    receiveBitrate: bitrate(bytesReceived, before?.bytesReceived, intervalMs),
    selectedPair: pair ? pairSample(pair, byId, outbound) : null,
    candidatePairs: records
      .filter((record) => record.type === 'candidate-pair')
      .map((record) => ({
        id: record.id,
        state: str(record.state) ?? 'unknown',
        nominated: record.nominated === true,
        selected: record === pair,
        local: candidateText(byId.get(str(record.localCandidateId) ?? '')),
        remote: candidateText(byId.get(str(record.remoteCandidateId) ?? '')),
        rttMs: ms(record.currentRoundTripTime),
      })),
  };
}

const addressOf = (candidate: StatsRecord | undefined): string | null => {
  const host = str(candidate?.address) ?? str(candidate?.ip) ?? str(candidate?.ipAddress);
  const port = num(candidate?.port) ?? num(candidate?.portNumber);
  return host === null ? null : port === null ? host : `${host}:${port}`;
};

function candidateText(candidate: StatsRecord | undefined): string {
  if (!candidate) return '?';
  const protocol = str(candidate.protocol) ?? str(candidate.transport) ?? '?';
  return `${candidateKind(candidate.candidateType)} ${protocol} ${addressOf(candidate) ?? '?'}`;
}

function selectedPairRecord(
  byId: Map<string, StatsRecord>,
  records: StatsRecord[],
  transports: StatsRecord[],
): StatsRecord | undefined {
  for (const transport of transports) {
    const pair = byId.get(str(transport.selectedCandidatePairId) ?? '');
    if (pair) return pair;
  }
  return (
    records.find((r) => r.type === 'candidate-pair' && r.selected === true) ??
    records.find(
      (r) => r.type === 'candidate-pair' && r.nominated === true && r.state === 'succeeded',
    ) ??
    records.find((r) => r.type === 'googCandidatePair' && r.googActiveConnection === true)
  );
}

function pairSample(
  pair: StatsRecord,
  byId: Map<string, StatsRecord>,
  outbound: readonly OutboundSample[],
): SelectedPairSample {
  if (pair.type === 'googCandidatePair') {
    return {
      localType: candidateKind(pair.googLocalCandidateType),
      remoteType: candidateKind(pair.googRemoteCandidateType),
      protocol: str(pair.googTransportType),
      relayProtocol: null,
      localAddress: str(pair.googLocalAddress),
      remoteAddress: str(pair.googRemoteAddress),
      rttMs: num(pair.googRtt),
      availableOutgoingBitrate: null,
    };
  }
  const local = byId.get(str(pair.localCandidateId) ?? '');
  const remote = byId.get(str(pair.remoteCandidateId) ?? '');
  // Firefox does not always fill the pair's RTT; the receiver reports' RTT is the same path.
  const fromReports = outbound.find((sample) => sample.remoteRttMs !== null)?.remoteRttMs ?? null;
  return {
    localType: candidateKind(local?.candidateType),
    remoteType: candidateKind(remote?.candidateType),
    protocol: str(local?.protocol) ?? str(local?.transport),
    relayProtocol: str(local?.relayProtocol),
    localAddress: addressOf(local),
    remoteAddress: addressOf(remote),
    rttMs: ms(pair.currentRoundTripTime) ?? fromReports,
    availableOutgoingBitrate: num(pair.availableOutgoingBitrate),
  };
}
