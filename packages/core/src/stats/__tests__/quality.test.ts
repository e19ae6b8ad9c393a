import { describe, expect, it } from 'vitest';
import { callQuality, transmissionRating } from '../quality.js';
import type { InboundSample, OutboundSample, StatsSample } from '../types.js';

const inbound = (over: Partial<InboundSample> = {}): InboundSample => ({
  kind: 'video',
  ssrc: 1,
  mid: '0',
  codec: 'video/VP8',
  trackIdentifier: 't',
  bytesReceived: 1,
  packetsReceived: 1,
  packetsLost: 0,
  bitrate: 500_000,
  lossPercent: 0,
  jitterMs: 5,
  framesPerSecond: 30,
  frameWidth: 640,
  frameHeight: 480,
  framesDecoded: 30,
  framesDropped: 0,
  freezeCount: 0,
  freezesInInterval: 0,
  nackCount: 0,
  pliCount: 0,
  flowing: true,
  ...over,
});
const outbound = (over: Partial<OutboundSample> = {}): OutboundSample => ({
  kind: 'video',
  ssrc: 2,
  mid: '1',
  rid: null,
  codec: 'video/VP8',
  bitrate: 500_000,
  framesPerSecond: 30,
  frameWidth: 640,
  frameHeight: 480,
  nackCount: 0,
  pliCount: 0,
  bytesSent: 1,
  packetsSent: 1,
  qualityLimitationReason: 'none',
  remoteRttMs: 20,
  remoteLossPercent: 0,
  remoteJitterMs: 5,
  flowing: true,
  ...over,
});
const sample = (over: Partial<StatsSample> = {}, rttMs = 20): StatsSample => ({
  timestamp: 2000,
  intervalMs: 1000,
  series: 0,
  connection: {
    bytesSent: 1,
    bytesReceived: 1,
    sendBitrate: 500_000,
    receiveBitrate: 500_000,
    selectedPair: {
      localType: 'host',
      remoteType: 'host',
      protocol: 'udp',
      relayProtocol: null,
      localAddress: null,
      remoteAddress: null,
      rttMs,
      availableOutgoingBitrate: null,
    },
    candidatePairs: [],
  },
  inbound: [inbound()],
  outbound: [outbound()],
  ...over,
});

describe('transmissionRating (simplified E-model)', () => {
  it('matches the published reference points', () => {
    // No impairment: the E-model's default 93.2 less the 10 ms codec delay term.
    expect(transmissionRating(0, 0, 0)).toBeCloseTo(93.2 - 0.24, 1);
    // Cole & Rosenbluth: loss costs 30·ln(1 + 15·e): 1 % ≈ 4.2, 5 % ≈ 16.8 rating points.
    expect(transmissionRating(1, 0, 0)).toBeCloseTo(93.2 - 0.24 - 30 * Math.log(1.15), 1);
    // Past 177.3 ms one way, delay costs an extra 0.11 per ms (the G.107 knee).
    const at = (oneWay: number) => transmissionRating(0, (oneWay - 10) * 2, 0);
    expect(at(177.3) - at(277.3)).toBeCloseTo((0.024 + 0.11) * 100, 1);
    expect(transmissionRating(100, 5000, 1000)).toBe(0);
  });
});

describe('callQuality', () => {
  it('a clean call is excellent both ways', () => {
    const q = callQuality(sample());
    expect([q.receive.level, q.send.level]).toEqual(['excellent', 'excellent']);
  });

  it('levels follow the G.107 satisfaction bands of the rating', () => {
    // 2 % loss: R ≈ 93 − 7.8 = 85 → excellent; 4 % → ≈ 78 → good; 10 % → ≈ 65 → poor.
    const level = (loss: number) =>
      callQuality(sample({ inbound: [inbound({ lossPercent: loss })] })).receive.level;
    expect([level(2), level(4), level(10)]).toEqual(['excellent', 'good', 'poor']);
    // RTT alone: 600 ms round trip (310 ms one way) is poor.
    expect(callQuality(sample({}, 600)).receive.level).toBe('poor');
  });

  it('a freeze in the interval lowers video one level', () => {
    const q = callQuality(sample({ inbound: [inbound({ freezesInInterval: 1 })] }));
    expect(q.receive.level).toBe('good');
  });

  it('nothing arriving is lost; nothing at all received makes the send side lost too', () => {
    const q = callQuality(
      sample({
        inbound: [inbound({ flowing: false, bitrate: 0 })],
        connection: { ...sample().connection, receiveBitrate: 0 },
      }),
    );
    expect([q.receive.level, q.send.level]).toEqual(['lost', 'lost']);
    const noPair = callQuality(
      sample({ connection: { ...sample().connection, selectedPair: null } }),
    );
    expect(noPair.receive.level).toBe('lost');
  });

  it('the send side scores the remote receiver reports', () => {
    const q = callQuality(sample({ outbound: [outbound({ remoteLossPercent: 12 })] }));
    expect([q.receive.level, q.send.level]).toEqual(['excellent', 'poor']);
  });

  it('nothing to score (a series start, a data-only call) is null, not a level', () => {
    expect(callQuality(sample({ intervalMs: null })).receive.level).toBeNull();
    const dataOnly = callQuality(sample({ inbound: [], outbound: [] }));
    expect([dataOnly.receive.level, dataOnly.send.level]).toEqual([null, null]);
  });
});
