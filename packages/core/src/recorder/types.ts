/**
 * The recorded session: plain JSON, so it can be exported, attached to a bug report and replayed
 * without a live connection (the playground imports it). Every panel renders from it, live or
 * replayed.
 * @module
 */

/** Any value JSON can carry. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The `format` member of every session file. */
export const SESSION_FORMAT = 'peerstate-session';
/**
 * The version this recorder writes. 2 added the `sent` and `error` kinds and `dropped`; a
 * version 1 file (the playground's before) still imports.
 */
export const SESSION_VERSION = 2;
/** Every version {@link parseSession} reads. */
export const READABLE_SESSION_VERSIONS: readonly number[] = [1, 2];

/**
 * How an entry is filtered in the timeline: a public `command`, a `signal` received (the
 * machine's `signal.*` events), a signaling message `sent`, a peer-connection event (`pc`),
 * another `internal` event, a `transition`, an `error` the peer emitted, or a `fault` a test
 * harness injected (signaling latency or loss, a bandwidth cap…: `SessionRecorder.addFault`).
 */
export type EntryKind =
  | 'command'
  | 'signal'
  | 'sent'
  | 'pc'
  | 'internal'
  | 'transition'
  | 'error'
  | 'fault';

/** Every {@link EntryKind}, in the timeline's filter order. */
export const ENTRY_KINDS: readonly EntryKind[] = [
  'command',
  'signal',
  'sent',
  'pc',
  'internal',
  'transition',
  'error',
  'fault',
];

/** One thing that happened to a peer: an event its actor received, or a transition it took. */
export interface SessionEntry {
  /** Global order across both peers: the replay cursor is a `seq`. */
  readonly seq: number;
  /** Milliseconds since the session started. */
  readonly at: number;
  readonly kind: EntryKind;
  /** The event type (for a transition: the event that caused it). */
  readonly type: string;
  /** The event's payload as plain data; for a transition `{ from, to }` state ids. */
  readonly detail: Json;
}

/** A session description, its SDP interned in {@link Session.sdps}. */
export interface DescriptionRef {
  readonly type: string;
  readonly sdp: number;
}

/** A `MediaStreamTrack` as plain data. */
export interface TrackSummary {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly readyState: string;
  readonly enabled: boolean;
  readonly muted: boolean;
  readonly settings: string;
}

/** The data part of the machine's context at one moment (live objects reduced to summaries). */
export interface ContextProjection {
  readonly pcStates: { readonly [key: string]: string };
  readonly counters: { readonly [key: string]: number };
  readonly localTracks: readonly (TrackSummary & {
    readonly sending: boolean;
    readonly owned: boolean;
    readonly ended: boolean;
  })[];
  readonly remoteTracks: readonly (TrackSummary & {
    readonly mid: string | null;
    readonly streams: number;
    readonly ended: boolean;
  })[];
  readonly dataChannels: readonly {
    readonly label: string;
    readonly id: number | null;
    readonly origin: string;
    readonly readyState: string;
  }[];
  readonly lastError: { readonly code: string; readonly message: string } | null;
  readonly localDescription: DescriptionRef | null;
  readonly remoteDescription: DescriptionRef | null;
  readonly iceRestartAttempts: number;
  readonly lastIceRecoveryMs: number | null;
  readonly closeReason: string | null;
  readonly ignoreOffer: boolean;
  readonly inbox: number;
  readonly bufferedCandidates: number;
  readonly platform: string | null;
}

/** The machine's snapshot after the event with the same `seq`. */
export interface SnapshotRecord {
  readonly seq: number;
  readonly at: number;
  readonly status: string;
  /** The state value, e.g. `{ active: { signaling: 'stable', … } }`. */
  readonly value: Json;
  readonly context: ContextProjection;
}

/** A candidate pair from `getStats`. */
export interface PairSummary {
  readonly id: string;
  readonly state: string;
  readonly nominated: boolean;
  readonly selected: boolean;
  readonly local: string;
  readonly remote: string;
  readonly rttMs: number | null;
}

/** One `getStats` sample; rates are over the interval since the previous sample. */
export interface StatsSample {
  readonly seq: number;
  readonly at: number;
  readonly bitrateInKbps: number | null;
  readonly bitrateOutKbps: number | null;
  readonly rttMs: number | null;
  readonly packetLossPct: number | null;
  readonly fpsIn: number | null;
  readonly fpsOut: number | null;
  readonly pairs: readonly PairSummary[];
  /** Per received stream: whether media is arriving (absent in version 1 files). */
  readonly inbound?: readonly InboundFlow[];
  /** Running totals the next sample's rates are computed from. */
  readonly totals: StatsTotals;
}

/** Whether media arrives for one remote track, from the stats sampler's `flowing`. */
export interface InboundFlow {
  readonly trackIdentifier: string | null;
  readonly kind: string;
  /** `null` when the sample had no previous one to compare with. */
  readonly flowing: boolean | null;
}

/** The running counters of the previous stats sample. */
export interface StatsTotals {
  readonly timestamp: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly packetsIn: number;
  readonly packetsLost: number;
}

/** How many of the oldest records the recorder's bounds dropped (see `RecorderLimits`). */
export interface DroppedCounts {
  readonly entries: number;
  readonly snapshots: number;
  readonly stats: number;
}

/** One peer's recording. */
export interface PeerRecord {
  readonly name: string;
  readonly polite: boolean;
  readonly entries: SessionEntry[];
  readonly snapshots: SnapshotRecord[];
  readonly stats: StatsSample[];
  /** Absent in version 1 files and when nothing was dropped. */
  dropped?: DroppedCounts;
}

/** A whole recording: what Export writes and Import reads. */
export interface Session {
  readonly format: typeof SESSION_FORMAT;
  readonly version: number;
  /** Epoch milliseconds: every `at` is relative to it. */
  readonly startedAt: number;
  /** `in-memory`, `broadcast-channel` or `websocket`. */
  readonly signaling: string;
  readonly peers: PeerRecord[];
  /**
   * Every SDP seen, once; descriptions refer to it by index. An SDP that no kept entry or
   * snapshot refers to any more (the rest were dropped at the recorder's limits) is `''`.
   */
  readonly sdps: string[];
  /** When the file was exported (ISO 8601); absent on a live recording. */
  readonly exportedAt?: string;
}
