/**
 * The typed samples the stats sampler produces: one per `getStats()` call, normalized across
 * Chromium, Firefox and the pre-standard (legacy Chrome `ssrc` / `googCandidatePair`) reports.
 *
 * Counters are the engine's running totals; rates, loss and frame deltas are over the interval
 * since the previous sample of the **same** peer connection (a rebuild starts a new series, so
 * `intervalMs` is `null` and every rate `null` on its first sample).
 * @module
 */

/** `host`, `srflx`, `prflx` or `relay` (RTCIceCandidateType); `unknown` if the engine hid it. */
export type CandidateKind = 'host' | 'srflx' | 'prflx' | 'relay' | 'unknown';

/** The candidate pair ICE selected (what the call's packets actually travel over). */
export interface SelectedPairSample {
  readonly localType: CandidateKind;
  readonly remoteType: CandidateKind;
  /** `udp` or `tcp` between the two candidates. */
  readonly protocol: string | null;
  /** How the local relay candidate reaches the TURN server (`udp`, `tcp`, `tls`), if relayed. */
  readonly relayProtocol: string | null;
  readonly localAddress: string | null;
  readonly remoteAddress: string | null;
  /** The pair's current round-trip time from STUN consent checks, in ms. */
  readonly rttMs: number | null;
  /** The engine's estimate of the bandwidth it may send at, in bit/s (Chromium only). */
  readonly availableOutgoingBitrate: number | null;
}

/** One ICE candidate pair as `getStats` lists it (all of them, not only the selected one). */
export interface CandidatePairSample {
  readonly id: string;
  /** `frozen`, `waiting`, `in-progress`, `succeeded` or `failed`. */
  readonly state: string;
  readonly nominated: boolean;
  readonly selected: boolean;
  /** e.g. `host udp 10.0.0.1:5000`. */
  readonly local: string;
  readonly remote: string;
  readonly rttMs: number | null;
}

/** The whole connection: every transport together. */
export interface ConnectionSample {
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** bit/s over the interval. */
  readonly sendBitrate: number | null;
  readonly receiveBitrate: number | null;
  readonly selectedPair: SelectedPairSample | null;
  /** Every candidate pair ICE has checked, for debugging connectivity. */
  readonly candidatePairs: readonly CandidatePairSample[];
}

interface RtpSampleBase {
  readonly kind: 'audio' | 'video';
  /** The SSRC the stream is sent with. */
  readonly ssrc: number | null;
  /** The transceiver's media id, where the engine reports it. */
  readonly mid: string | null;
  /** e.g. `video/VP8`, from the codec stats the stream points to. */
  readonly codec: string | null;
  /** bit/s of RTP payload and headers over the interval. */
  readonly bitrate: number | null;
  readonly framesPerSecond: number | null;
  readonly frameWidth: number | null;
  readonly frameHeight: number | null;
  /** Retransmission requests (NACK) and picture-loss indications (PLI), running totals. */
  readonly nackCount: number;
  readonly pliCount: number;
}

/** What arrives for one remote track. */
export interface InboundSample extends RtpSampleBase {
  /** The remote `MediaStreamTrack.id` this stream feeds (Chromium, Firefox). */
  readonly trackIdentifier: string | null;
  readonly bytesReceived: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  /** Packets lost as a share of those expected over the interval, 0–100. */
  readonly lossPercent: number | null;
  /** Interarrival jitter, ms. */
  readonly jitterMs: number | null;
  readonly framesDecoded: number | null;
  readonly framesDropped: number | null;
  /** Video freezes (Chromium), running total and the number that began in this interval. */
  readonly freezeCount: number | null;
  readonly freezesInInterval: number | null;
  /**
   * Whether media is arriving: packets received (and for video, frames decoded) grew over the
   * interval. `null` on a series' first sample. Independent of the track's `muted` flag, which
   * engines leave set in cases where frames are decoded (a Chromium glare rollback).
   */
  readonly flowing: boolean | null;
}

/** What one local sender sends, with what the remote reported back about it (RTCP). */
export interface OutboundSample extends RtpSampleBase {
  /** The simulcast layer (`rid`), if any. */
  readonly rid: string | null;
  readonly bytesSent: number;
  readonly packetsSent: number;
  /** Why the encoder sends less than it could: `none`, `bandwidth`, `cpu` or `other`. */
  readonly qualityLimitationReason: string | null;
  /** From the remote's receiver reports: round-trip time (ms), loss 0–100 and jitter (ms). */
  readonly remoteRttMs: number | null;
  readonly remoteLossPercent: number | null;
  readonly remoteJitterMs: number | null;
  /** Whether packets left over the interval. `null` on a series' first sample. */
  readonly flowing: boolean | null;
}

/** One normalized `getStats()` result. */
export interface StatsSample {
  /** The report's timestamp (ms, the engine's clock: `performance.timeOrigin` based). */
  readonly timestamp: number;
  /** Since the previous sample of the same connection; `null` when this one starts a series. */
  readonly intervalMs: number | null;
  /** Which connection of the peer (0, 1, … as rebuilds replace it) the sample is of. */
  readonly series: number;
  readonly connection: ConnectionSample;
  readonly inbound: readonly InboundSample[];
  readonly outbound: readonly OutboundSample[];
}

/** A stats object as an `RTCStatsReport` yields it, read defensively. */
export type StatsRecord = { readonly id: string; readonly type: string } & Readonly<
  Record<string, unknown>
>;
