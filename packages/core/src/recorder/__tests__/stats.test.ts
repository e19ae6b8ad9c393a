import { describe, expect, it } from 'vitest';
import { normalizeStats } from '../../stats/normalize.js';
import { recordedStats } from '../stats.js';

const report = (t: number, bytes: number, packets: number, lost: number) => [
  {
    id: 'T',
    type: 'transport',
    timestamp: t,
    bytesReceived: bytes,
    bytesSent: bytes * 2,
    selectedCandidatePairId: 'P',
  },
  {
    id: 'P',
    type: 'candidate-pair',
    timestamp: t,
    state: 'succeeded',
    nominated: true,
    localCandidateId: 'L',
    remoteCandidateId: 'R',
    currentRoundTripTime: 0.0123,
  },
  {
    id: 'L',
    type: 'local-candidate',
    timestamp: t,
    candidateType: 'host',
    protocol: 'udp',
    address: '10.0.0.1',
    port: 5000,
  },
  {
    id: 'R',
    type: 'remote-candidate',
    timestamp: t,
    candidateType: 'srflx',
    protocol: 'udp',
    address: '203.0.113.9',
    port: 6000,
  },
  {
    id: 'I',
    type: 'inbound-rtp',
    kind: 'video',
    ssrc: 7,
    timestamp: t,
    packetsReceived: packets,
    packetsLost: lost,
    framesPerSecond: 30,
  },
];

describe('recordedStats (the SDK sample, as the recording keeps it)', () => {
  it('has no rates on the first sample, then rates over the interval', () => {
    const sdkFirst = normalizeStats(report(1000, 0, 0, 0));
    const first = recordedStats(sdkFirst);
    expect(first.bitrateInKbps).toBeNull();
    expect(first.rttMs).toBe(12.3);
    expect(first.fpsIn).toBe(30);
    expect(first.pairs).toEqual([
      {
        id: 'P',
        state: 'succeeded',
        nominated: true,
        selected: true,
        local: 'host udp 10.0.0.1:5000',
        remote: 'srflx udp 203.0.113.9:6000',
        rttMs: 12.3,
      },
    ]);
    // 125 000 bytes in 1 s = 1000 kbit/s in, twice that out; 10 lost of 100.
    const second = recordedStats(
      normalizeStats(report(2000, 125_000, 90, 10), { previous: sdkFirst }),
    );
    expect(second.bitrateInKbps).toBe(1000);
    expect(second.bitrateOutKbps).toBe(2000);
    expect(second.packetLossPct).toBe(10);
  });
});
