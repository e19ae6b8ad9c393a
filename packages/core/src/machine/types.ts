/**
 * The peer machine's contract: its options, context, events and emitted events.
 * @module
 */
import type { PeerStateError } from '../errors.js';
import type {
  PeerConnectionApi,
  PeerConnectionFactory,
  PeerConnectionLike,
  PeerConnectionName,
} from '../platform/types.js';
import type { SignalingLimits } from '../signaling/parseSignalingMessage.js';
import type {
  CandidatePayload,
  DescriptionPayload,
  SignalingChannel,
  SignalingMessage,
} from '../signaling/types.js';

/** How the machine restarts ICE when the connection breaks. */
export interface IceRestartOptions {
  /**
   * How long ICE may stay `disconnected` before the machine restarts it, in ms. Short outages
   * recover by themselves; Chromium may also stay `disconnected` forever, so this must be finite.
   * @defaultValue 2000
   */
  readonly disconnectedGracePeriod: number;
  /**
   * How long a negotiated connection may stay `new` or `connecting` before the machine restarts
   * ICE, in ms. An engine with no usable candidate (its TURN server was down when it gathered)
   * may never leave `new` by itself, and never gather again without a restart.
   * @defaultValue 15000
   */
  readonly connectTimeout: number;
  /**
   * Restarts tried before the machine gives up and enters `failed`.
   * @defaultValue 5
   */
  readonly maxAttempts: number;
  /**
   * How long one attempt may take before the next starts, in ms: attempt `n` waits
   * `min(initialDelay * factor^(n-1), maxDelay)`.
   * @defaultValue 1000
   */
  readonly initialDelay: number;
  /** @defaultValue 2 */
  readonly factor: number;
  /** @defaultValue 10000 */
  readonly maxDelay: number;
}

/**
 * How the machine replaces a peer connection that an ICE restart cannot save: its DTLS transport
 * failed (`connectionState` `failed` while ICE is connected, as Firefox does after a long outage),
 * or ICE restarts ran out. Both peers close their connection and create a new one (agreed over
 * signaling with a `rebuild` message), add the same local tracks and data channels again, and
 * negotiate from scratch.
 */
export interface RebuildOptions {
  /**
   * Rebuilds this peer may start before it gives up (a rebuild that reaches `connected` gives
   * the allowance back). `0` turns rebuilds off: a dead transport then ends in `failed` after
   * the ICE restarts, as before.
   * @defaultValue 2
   */
  readonly maxAttempts: number;
  /**
   * How long to wait for the remote peer to join a rebuild, in ms, before entering `failed`
   * with `REBUILD_FAILED`.
   * @defaultValue 10000
   */
  readonly timeout: number;
}

/** Why a peer rebuilds its connection. */
export type RebuildReason =
  /** The DTLS transport failed under a connected ICE path. */
  | 'transport-failed'
  /** ICE restarts ran out. */
  | 'ice-restart-exhausted'
  /**
   * The engine refused a description and then refused to roll back, leaving the connection stuck
   * outside `stable` (Chromium facing Firefox's ICE-restart answer: "Failed to set SSL role").
   */
  | 'negotiation-stuck'
  /** The remote peer started the rebuild. */
  | 'remote';

/**
 * How a polite peer undoes its own offer when the remote offer wins a collision.
 * `implicit`: `setRemoteDescription(offer)` rolls back by itself (modern engines).
 * `explicit`: `setLocalDescription({type: 'rollback'})` first (older engines).
 * `auto`: implicit, falling back to explicit once the engine refuses it.
 */
export type RollbackMode = 'auto' | 'implicit' | 'explicit';

/** Options of one peer. Only `signaling` and `polite` are required. */
export interface PeerOptions {
  /** Carries descriptions, candidates and bye to the remote peer. */
  readonly signaling: SignalingChannel;
  /**
   * The perfect-negotiation role. Exactly one of the two peers must be polite: on an offer
   * collision the polite peer rolls back its own offer, the impolite one ignores the remote offer.
   */
  readonly polite: boolean;
  /** Passed to the peer connection (ICE servers, transport policy, …). */
  readonly configuration?: RTCConfiguration;
  /**
   * Creates the peer connection. Defaults to the constructor found by `detectPeerConnection`
   * in `scope`. Tests pass a fake from `@peerstatejs/core/testing`.
   */
  readonly peerConnection?: PeerConnectionFactory;
  /** Where to look for `RTCPeerConnection` and `navigator.mediaDevices`. @defaultValue globalThis */
  readonly scope?: object;
  /** Used by `START_MEDIA`. @defaultValue scope.navigator.mediaDevices */
  readonly mediaDevices?: Pick<MediaDevices, 'getUserMedia'>;
  readonly iceRestart?: Partial<IceRestartOptions>;
  /** When and how to replace a peer connection that ICE restarts cannot save. */
  readonly rebuild?: Partial<RebuildOptions>;
  /** @defaultValue 'auto' */
  readonly rollback?: RollbackMode;
  /**
   * How long an offer may wait for its answer, in ms, before the machine rolls it back and
   * offers again (the answer was lost, or the remote restarted).
   * @defaultValue 10000
   */
  readonly answerTimeout?: number;
  readonly signalingLimits?: Partial<SignalingLimits>;
  /** Start negotiating as soon as the actor starts; otherwise wait for `START`. @defaultValue true */
  readonly autoStart?: boolean;
  /** Clock for timestamps. @defaultValue Date.now */
  readonly now?: () => number;
  /** Print development warnings (misuse such as events after close). @defaultValue NODE_ENV !== 'production' */
  readonly dev?: boolean;
}

/** Options with every default filled in. */
export interface ResolvedPeerOptions {
  readonly signaling: SignalingChannel;
  readonly polite: boolean;
  readonly configuration: RTCConfiguration;
  readonly peerConnection: PeerConnectionFactory | undefined;
  readonly scope: object;
  readonly mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined;
  readonly iceRestart: IceRestartOptions;
  readonly rebuild: RebuildOptions;
  readonly rollback: RollbackMode;
  readonly answerTimeout: number;
  readonly signalingLimits: Partial<SignalingLimits>;
  readonly autoStart: boolean;
  /** Clock for timestamps. */
  readonly now: () => number;
  readonly dev: boolean;
}

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

/** A track this peer receives. */
export interface RemoteTrack {
  readonly track: MediaStreamTrack;
  /** The remote streams the track currently belongs to; empty once the remote stopped sending. */
  readonly streams: readonly MediaStream[];
  readonly muted: boolean;
  readonly ended: boolean;
  /** `mid` of its transceiver, when known. */
  readonly mid: string | null;
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
  readonly candidatesApplied: number;
  /** Remote candidates dropped on purpose: from an ignored offer or an old ICE generation. */
  readonly candidatesDiscarded: number;
  readonly invalidMessages: number;
  /** Descriptions received again (a duplicate on the wire, or a resend after a lost answer). */
  readonly duplicatesIgnored: number;
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
  | { readonly kind: 'description'; readonly description: DescriptionPayload }
  | { readonly kind: 'candidate'; readonly candidate: CandidatePayload | null };

/** A remote candidate held until its description is applied. */
export interface BufferedCandidate {
  readonly candidate: CandidatePayload | null;
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
  readonly pendingRemoteDescription: DescriptionPayload | null;
  /** Remote candidates that arrived before any remote description; applied after it. */
  readonly bufferedCandidates: readonly BufferedCandidate[];
  /** Remote descriptions applied so far. */
  readonly remoteDescriptionsApplied: number;
  /** ICE ufrags of the current remote description. */
  readonly remoteUfrags: readonly string[];
  /** ICE ufrags of earlier remote descriptions: candidates carrying them are dropped. */
  readonly pastRemoteUfrags: readonly string[];
  /** The last remote offer and answer applied, to recognise repeats. */
  readonly lastRemoteOfferSdp: string | null;
  readonly lastRemoteAnswerSdp: string | null;
  /** The last offer or answer sent, exactly as sent (to repeat it verbatim). */
  readonly lastLocalDescription: DescriptionPayload | null;
  /** Times the pending offer was sent again for want of an answer. */
  readonly offerResends: number;
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
  /** Commands (and captured media) that arrived while the connection was being rebuilt. */
  readonly deferredEvents: readonly PeerEvent[];
  /** Receive-only transceivers of the old connection, added again to the new one. */
  readonly transceiversToRestore: readonly {
    readonly kind: 'audio' | 'video';
    readonly direction: RTCRtpTransceiverDirection;
  }[];
  readonly lastError: PeerStateError | null;
  readonly counters: PeerCounters;
  readonly startedAt: number;
  /** The most recent state entries, oldest first (bounded). */
  readonly timeline: readonly TransitionRecord[];
  /** Why the peer closed: `local`, `remote` (a bye), `ice-failed`, or a reason given to `CLOSE`. */
  readonly closeReason: string | null;
}

/** Events an application sends to a peer. */
export type PeerCommand =
  /** Start when created with `autoStart: false`. */
  | { readonly type: 'START' }
  /** Send a track. Renegotiates. */
  | {
      readonly type: 'ADD_TRACK';
      readonly track: MediaStreamTrack;
      readonly streams?: readonly MediaStream[];
    }
  /**
   * Add a transceiver, e.g. `{ trackOrKind: 'video', init: { direction: 'recvonly' } }` to receive
   * without sending (WHEP viewers). Renegotiates.
   */
  | {
      readonly type: 'ADD_TRANSCEIVER';
      readonly trackOrKind: MediaStreamTrack | 'audio' | 'video';
      readonly init?: RTCRtpTransceiverInit;
    }
  /** Stop sending a track. Renegotiates; the remote track is muted and leaves its streams. */
  | { readonly type: 'REMOVE_TRACK'; readonly track: MediaStreamTrack }
  /** Swap a sent track for another of the same kind without renegotiation (`null` sends nothing). */
  | {
      readonly type: 'REPLACE_TRACK';
      readonly track: MediaStreamTrack;
      readonly withTrack: MediaStreamTrack | null;
    }
  /** Capture media with `getUserMedia` and send it. The SDK owns these tracks and stops them on close. */
  | { readonly type: 'START_MEDIA'; readonly constraints?: MediaStreamConstraints }
  | {
      readonly type: 'CREATE_DATA_CHANNEL';
      readonly label: string;
      readonly options?: RTCDataChannelInit;
    }
  /** Send on the open data channel with this label. */
  | {
      readonly type: 'SEND_DATA';
      readonly label: string;
      readonly data: string | ArrayBuffer | ArrayBufferView | Blob;
    }
  /** Restart ICE now. */
  | { readonly type: 'RESTART_ICE' }
  /** Hang up: sends bye, closes the connection, stops SDK-owned tracks (all tracks with `stopTracks`). */
  | { readonly type: 'CLOSE'; readonly reason?: string; readonly stopTracks?: boolean };

/** Events the machine sends itself from the peer connection, signaling and async work. */
export type PeerInternalEvent =
  | { readonly type: 'pc.negotiationNeeded' }
  | { readonly type: 'pc.iceCandidate'; readonly candidate: RTCIceCandidate | null }
  | { readonly type: 'pc.statesChanged'; readonly states: PeerConnectionStates }
  | {
      readonly type: 'pc.track';
      readonly track: MediaStreamTrack;
      readonly streams: readonly MediaStream[];
      readonly mid: string | null;
    }
  | { readonly type: 'pc.trackChanged'; readonly track: MediaStreamTrack }
  | { readonly type: 'pc.dataChannel'; readonly channel: RTCDataChannel }
  | { readonly type: 'pc.dataChannelChanged'; readonly channel: RTCDataChannel }
  | {
      readonly type: 'pc.dataChannelMessage';
      readonly channel: RTCDataChannel;
      readonly data: unknown;
    }
  | { readonly type: 'signal.message'; readonly message: SignalingMessage }
  | { readonly type: 'signal.invalid'; readonly error: PeerStateError }
  | { readonly type: 'peer.error'; readonly error: PeerStateError }
  | { readonly type: 'peer.candidateDiscarded' }
  | { readonly type: 'peer.candidateApplied' }
  | {
      readonly type: 'peer.trackReplaced';
      readonly track: MediaStreamTrack;
      readonly withTrack: MediaStreamTrack | null;
    }
  | {
      readonly type: 'peer.trackAdded';
      readonly track: MediaStreamTrack;
      readonly streams: readonly MediaStream[];
      readonly sender: RTCRtpSender;
      readonly owned: boolean;
    }
  | { readonly type: 'peer.trackRemoved'; readonly track: MediaStreamTrack }
  | { readonly type: 'peer.dataChannelCreated'; readonly channel: RTCDataChannel }
  | { readonly type: 'peer.mediaReady'; readonly stream: MediaStream }
  | {
      readonly type: 'peer.created';
      readonly pc: PeerConnectionLike;
      readonly platform: PlatformInfo;
    }
  /** Raised when an offer/answer exchange completed and signaling is stable again. */
  | { readonly type: 'peer.negotiated'; readonly connection: RTCPeerConnectionState }
  /** Raised when the machine starts an offer, which satisfies any pending renegotiation. */
  | { readonly type: 'peer.offerStarted' }
  /** Raised when making an offer failed; the renegotiation region retries after a delay. */
  | { readonly type: 'peer.offerFailed' }
  /** Raised when the peer connection cannot be saved by ICE restarts: rebuild it. */
  | { readonly type: 'peer.rebuildNeeded'; readonly reason: Exclude<RebuildReason, 'remote'> };

/** Every event the machine handles. */
export type PeerEvent = PeerCommand | PeerInternalEvent;

/** Events the machine emits; listen with `actor.on(type, handler)`. */
export type PeerEmitted =
  /** Something went wrong; the machine stays consistent. `error.code` is stable. */
  | { readonly type: 'error'; readonly error: PeerStateError }
  /** A message arrived on a data channel. */
  | {
      readonly type: 'data';
      readonly label: string;
      readonly data: unknown;
      readonly channel: RTCDataChannel;
    }
  /** A remote track arrived. */
  | {
      readonly type: 'track';
      readonly track: MediaStreamTrack;
      readonly streams: readonly MediaStream[];
    }
  /** A remote data channel arrived. */
  | { readonly type: 'dataChannel'; readonly channel: RTCDataChannel }
  /**
   * The peer connection is being replaced by a new one (see {@link RebuildOptions}): remote
   * tracks and data channels of the old one end, new ones arrive as `track` / `dataChannel`.
   */
  | {
      readonly type: 'rebuilding';
      readonly reason: RebuildReason;
      /** The connection generation being built. */
      readonly epoch: number;
    }
  /** The peer closed (for any reason). */
  | { readonly type: 'closed'; readonly reason: string };
