/**
 * The machine's context: what it knows about the connection, its media and its negotiation.
 * @module
 */
import type { PeerStateError } from '../../errors.js';
import type {
  PeerConnectionApi,
  PeerConnectionLike,
  PeerConnectionName,
} from '../../platform/types.js';
import type {
  CandidatePayload,
  DescriptionMessage,
  DescriptionPayload,
} from '../../signaling/types.js';
import type { DataOutbox } from '../data/outbox.js';
import type { PeerEvent } from './events.js';
import type { ResolvedPeerOptions } from './options.js';

/** What peer connection the machine runs over. */
export interface PlatformInfo {
  /** The global it was found under, or `custom` when `peerConnection` was passed. */
  readonly name: PeerConnectionName | 'custom';
  readonly api: PeerConnectionApi;
  /** `true` when `addTrack`/`ontrack` are emulated over `addStream`. */
  readonly streamApi: boolean;
}

/** A track this peer sends. */
export interface LocalTrack {
  readonly track: MediaStreamTrack;
  readonly streams: readonly MediaStream[];
  readonly sender: RTCRtpSender;
  /** `false` after `REPLACE_TRACK` with `withTrack: null`: the sender sends nothing. */
  readonly sending: boolean;
  /** `true` for tracks the SDK created itself (`START_MEDIA`); only those are stopped on close. */
  readonly owned: boolean;
  readonly ended: boolean;
}

/**
 * One transceiver the app asked for, in the order it asked (the order of the m-lines on a fresh
 * connection): a track it sends (`ADD_TRACK`, `ADD_TRANSCEIVER` with a track, `START_MEDIA`), or
 * a receive-only transceiver (`ADD_TRANSCEIVER` with a kind; `track` is `null`).
 */
export interface TransceiverIntent {
  readonly kind: 'audio' | 'video';
  /** The app's handle: the track it gave last (`REPLACE_TRACK`'s `withTrack` replaces it). */
  readonly track: MediaStreamTrack | null;
  readonly streams: readonly MediaStream[];
  /** `REPLACE_TRACK` with `withTrack: null`: the sender stays, sending nothing. */
  readonly muted: boolean;
  /** Captured by the SDK (`START_MEDIA`): stopped on close, removal or replacement. */
  readonly owned: boolean;
  /** `ADD_TRANSCEIVER`'s init (direction, `sendEncodings`, streams); `null` for `ADD_TRACK`. */
  readonly init: RTCRtpTransceiverInit | null;
  /** The media controls' part of the record (`SET_MUTED`, `SWITCH_DEVICE`, …); absent: defaults. */
  readonly controls?: SendControls;
}

/** How a sent track is muted: see {@link SendControls.mute}. */
export type MuteMode = 'soft' | 'hard';

/** Sender settings kept in the intent: applied with `setParameters` on every connection. */
export interface SenderParameters {
  /** Bits per second, on every encoding (`RTCRtpEncodingParameters.maxBitrate`). */
  readonly maxBitrate?: number;
  /** Frames per second, on every encoding (video). */
  readonly maxFramerate?: number;
  /** What the encoder gives up first under constraint (video). */
  readonly degradationPreference?: RTCDegradationPreference;
}

/** A screen share sent by `START_SCREEN_SHARE`. */
export interface ScreenShareIntent {
  /** `MediaStreamTrack.contentHint` set on the screen track (`detail`, `text`, `motion`). */
  readonly contentHint: string;
  /**
   * The camera the screen took the place of (`replace: true`): put back when the share ends.
   * `null`: the screen was sent as a track of its own, removed when the share ends.
   */
  readonly replaced: { readonly track: MediaStreamTrack; readonly owned: boolean } | null;
}

/** What the media controls recorded for one sent track. */
export interface SendControls {
  /**
   * `soft`: `track.enabled = false` (instant, the device stays on, black frames / silence are
   * sent); `hard`: `replaceTrack(null)`, and an SDK-captured track is stopped (the device light
   * goes off; unmuting captures the same device again). `null`: not muted by `SET_MUTED`.
   */
  readonly mute: MuteMode | null;
  /** The capture constraints of an SDK-owned track, with the device chosen by `SWITCH_DEVICE`. */
  readonly constraints: MediaTrackConstraints | null;
  readonly screen: ScreenShareIntent | null;
  readonly parameters: SenderParameters | null;
}

/** A data channel the app created, with its init. */
export interface DataChannelIntent {
  readonly label: string;
  readonly options: RTCDataChannelInit | undefined;
  /** Closed while its connection was up (by the app or the remote): not opened again. */
  readonly closed: boolean;
}

/**
 * What the app asked for, kept across connections: every rebuild reconciles the same intent onto
 * its new connection, and commands sent while there is none only change it.
 */
export interface MediaIntent {
  readonly transceivers: readonly TransceiverIntent[];
  readonly dataChannels: readonly DataChannelIntent[];
  /**
   * `SET_CODEC_PREFERENCES`: the codecs (MIME types, most preferred first) put first on every
   * transceiver of the kind, on every connection.
   */
  readonly codecPreferences?: {
    readonly audio?: readonly string[];
    readonly video?: readonly string[];
  };
}

/** A track this peer receives. */
export interface RemoteTrack {
  readonly track: MediaStreamTrack;
  /** The remote streams the track currently belongs to; empty once the remote stopped sending. */
  readonly streams: readonly MediaStream[];
  readonly muted: boolean;
  readonly ended: boolean;
  /** `mid` of its transceiver, when known. */
  readonly mid: string | null;
  /**
   * The remote peer muted it (`SET_MUTED`, told by a `muted` signaling message): not the same as
   * `muted`, which only says that no packets arrive.
   */
  readonly mutedByPeer?: boolean;
}

/** A data channel of this peer, local or remote. */
export interface DataChannelInfo {
  readonly label: string;
  readonly id: number | null;
  /** `local` when created with `CREATE_DATA_CHANNEL`, `remote` when announced by the peer. */
  readonly origin: 'local' | 'remote';
  readonly readyState: RTCDataChannelState;
  readonly channel: RTCDataChannel;
}

/** One state entered, with the time it was entered at. */
export interface TransitionRecord {
  /** The region (`connection`, `signaling`, …) or `peer` for the top level. */
  readonly region: string;
  readonly state: string;
  readonly at: number;
}

/** The peer connection's own states, as last reported by its events. */
export interface PeerConnectionStates {
  readonly signaling: RTCSignalingState;
  readonly connection: RTCPeerConnectionState;
  readonly iceConnection: RTCIceConnectionState;
  readonly iceGathering: RTCIceGatheringState;
}

/** Counters for debugging and tests. */
export interface PeerCounters {
  readonly offersSent: number;
  readonly answersSent: number;
  /** Remote offers dropped by the impolite peer during a collision. */
  readonly offersIgnored: number;
  /** Times the polite peer rolled back its own offer. */
  readonly rollbacks: number;
  readonly candidatesSent: number;
  readonly candidatesReceived: number;
  /** Remote candidates held because no remote description was set yet. */
  readonly candidatesBuffered: number;
  /**
   * Remote candidates handed to the engine, counted when handed over (one it refuses on purpose
   * moves to `candidatesDiscarded`; one refused otherwise is reported, `ICE_CANDIDATE_FAILED`).
   */
  readonly candidatesApplied: number;
  /** Remote candidates dropped on purpose: from an ignored offer or an old ICE generation. */
  readonly candidatesDiscarded: number;
  readonly invalidMessages: number;
  /** Descriptions received again (a duplicate on the wire, or a resend after a lost answer). */
  readonly duplicatesIgnored: number;
  /**
   * Answers dropped because they answer an offer that is not the pending one (a late answer to
   * an older offer, or one reordered behind a newer exchange): never applied.
   */
  readonly staleAnswers: number;
  readonly iceRestarts: number;
  /** Peer connections replaced by a rebuild (started here or by the remote). */
  readonly rebuilds: number;
  /**
   * Descriptions and candidates of the old connection that arrived while this peer waited for
   * the remote to join a rebuild: dropped (they mean nothing to the new connection).
   */
  readonly droppedWhileRebuilding: number;
}

/** A remote message waiting its turn: descriptions and candidates are applied in arrival order. */
export type InboxItem =
  | ({ readonly kind: 'description' } & RemoteDescription)
  | {
      readonly kind: 'candidate';
      readonly candidate: CandidatePayload | null;
      /** The ICE generation the message names (`null`: the current one). */
      readonly ufrag: string | null;
    };

/** A remote description with the ids protocol v2 gives it. */
export interface RemoteDescription {
  readonly description: DescriptionPayload;
  readonly id: string;
  /** The offer id an answer answers; `null` for an offer. */
  readonly inReplyTo: string | null;
}

/** A remote candidate held until its description is applied. */
export interface BufferedCandidate {
  readonly candidate: CandidatePayload | null;
  readonly ufrag: string | null;
  /** `remoteDescriptionsApplied` when it arrived. */
  readonly descriptionsApplied: number;
}

/** The machine's context. Read it through `snapshot.context` or the `peerView` helper. */
export interface PeerContext {
  readonly options: ResolvedPeerOptions;
  readonly pc: PeerConnectionLike | null;
  readonly platform: PlatformInfo | undefined;
  readonly pcStates: PeerConnectionStates;
  /** Perfect negotiation: the last remote offer was dropped because it collided with ours. */
  readonly ignoreOffer: boolean;
  /** Remote descriptions and candidates not processed yet. */
  readonly inbox: readonly InboxItem[];
  /** The description being applied, if any. */
  readonly pendingRemoteDescription: RemoteDescription | null;
  /** Remote candidates that arrived before any remote description; applied after it. */
  readonly bufferedCandidates: readonly BufferedCandidate[];
  /** Remote descriptions applied so far. */
  readonly remoteDescriptionsApplied: number;
  /** ICE ufrags of the current remote description. */
  readonly remoteUfrags: readonly string[];
  /** ICE ufrags of earlier remote descriptions: candidates carrying them are dropped. */
  readonly pastRemoteUfrags: readonly string[];
  /** The id of the last remote answer applied: a copy of it is a duplicate, not a stale answer. */
  readonly lastRemoteAnswerId: string | null;
  /**
   * The last offer or answer sent, exactly as sent (to repeat it verbatim, id included). While
   * an offer is pending, its id is the only `inReplyTo` an applied answer may carry.
   */
  readonly lastLocalDescription: DescriptionMessage | null;
  /**
   * The last answer sent and the id of the offer it answers: sent again, as it was, when the
   * remote repeats that offer (the answer was lost or is late).
   */
  readonly lastAnswer: {
    readonly offerId: string;
    readonly message: DescriptionMessage;
  } | null;
  /**
   * Random per peer instance: the prefix of the ids of the descriptions it sends, so an answer
   * naming one of them is recognised as an answer to this peer, however old.
   */
  readonly instanceId: string;
  /** Times the pending offer was sent again for want of an answer. */
  readonly offerResends: number;
  /** Local offers refused in a row (our setLocalDescription, or the remote's answer): see negotiation/refusedOffers.ts. */
  readonly refusedOffers: number;
  /** Learnt once the engine refused an implicit rollback. */
  readonly explicitRollback: boolean;
  readonly localTracks: readonly LocalTrack[];
  readonly remoteTracks: readonly RemoteTrack[];
  readonly dataChannels: readonly DataChannelInfo[];
  readonly iceRestartAttempts: number;
  readonly iceRestartStartedAt: number | null;
  /** Time from the last ICE restart start to connected again, in ms. */
  readonly lastIceRecoveryMs: number | null;
  /** The connection generation: 0 for the first peer connection, +1 per rebuild. */
  readonly epoch: number;
  /** Rebuilds started since the connection was last `connected`. */
  readonly rebuildAttempts: number;
  readonly rebuildStartedAt: number | null;
  /** Time from the last rebuild start to connected again, in ms. */
  readonly lastRebuildMs: number | null;
  /** Commands that wait for a connection (`START`, `RESTART_ICE`; all of them before start). */
  readonly deferredEvents: readonly PeerEvent[];
  /** @internal `SEND_DATA`s that wait for their channel to open (data/outbox.ts). */
  readonly outbox: DataOutbox;
  /** What the app asked for; {@link PeerContext.localTracks} is what the current connection sends. */
  readonly intent: MediaIntent;
  /** The mids the remote peer says it muted (its last `muted` message), on this connection. */
  readonly peerMuted?: readonly string[];

  readonly lastError: PeerStateError | null;
  readonly counters: PeerCounters;
  readonly startedAt: number;
  /** Why the peer closed: `local`, `remote` (a bye), `ice-failed`, or a reason given to `CLOSE`. */
  readonly closeReason: string | null;
}
