/**
 * The part of `RTCPeerConnection` the machine relies on. Real browser peer connections satisfy it;
 * so do the adapters of `@peerstatejs/core/legacy` and the fake from `@peerstatejs/core/testing`.
 * @module
 */

/** The subset of `RTCPeerConnection` the machine uses (promise API, `addTrack`/`ontrack` era). */
export interface PeerConnectionLike extends EventTarget {
  readonly signalingState: RTCSignalingState;
  /** Missing on engines that only report `iceConnectionState`. */
  readonly connectionState?: RTCPeerConnectionState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly iceGatheringState: RTCIceGatheringState;
  readonly localDescription: RTCSessionDescription | null;
  readonly remoteDescription: RTCSessionDescription | null;
  /** Creates an offer (the machine uses the parameterless `setLocalDescription`). */
  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  /** Creates an answer. */
  createAnswer(options?: RTCAnswerOptions): Promise<RTCSessionDescriptionInit>;
  /** Called without an argument, creates the right description itself (implicit description). */
  setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void>;
  /** Applies the remote peer's description. */
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  /** Adds a remote candidate; an empty candidate means end of candidates. */
  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void>;
  /** Asks for new ICE credentials in the next offer. */
  restartIce(): void;
  /** Sends a track. */
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender;
  /** Adds a transceiver (e.g. `recvonly` to only receive). Missing on pre-Unified-Plan engines. */
  addTransceiver?(
    trackOrKind: MediaStreamTrack | string,
    init?: RTCRtpTransceiverInit,
  ): RTCRtpTransceiver;
  /** Stops sending the sender's track. */
  removeTrack(sender: RTCRtpSender): void;
  /** The senders, one per sent track. */
  getSenders(): RTCRtpSender[];
  /** The receivers. */
  getReceivers(): RTCRtpReceiver[];
  /** The transceivers. */
  getTransceivers(): RTCRtpTransceiver[];
  /** Creates a data channel. */
  createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel;
  /** Statistics, as in `RTCPeerConnection.getStats`. */
  getStats(selector?: MediaStreamTrack | null): Promise<RTCStatsReport>;
  /** Closes the connection for good. */
  close(): void;
}

/** Creates a peer connection for a configuration. */
export type PeerConnectionFactory = (configuration: RTCConfiguration) => PeerConnectionLike;

/** The global names the SDK looks for, in order of preference. */
export type PeerConnectionName =
  | 'RTCPeerConnection'
  | 'webkitRTCPeerConnection'
  | 'mozRTCPeerConnection';

/** Which calling convention the detected constructor speaks. */
export type PeerConnectionApi = 'promise' | 'legacy-callback';

/** What `detectPeerConnection` found. */
export interface DetectedPeerConnection {
  /** The global name the constructor was found under. */
  readonly name: PeerConnectionName;
  /** `legacy-callback` when the SDK wraps it to speak the promise API. */
  readonly api: PeerConnectionApi;
  /** `true` when `addTrack`/`ontrack` are emulated over `addStream`/`onaddstream`. */
  readonly streamApi: boolean;
  /** Creates a peer connection that speaks the promise API, adapted where needed. */
  readonly create: PeerConnectionFactory;
}

/** Some constructor found in a scope; what it constructs is decided by where it was found. */
export type ScopeConstructor = abstract new (...args: never[]) => unknown;

/** What an adapter is told about the engine whose peer connection it adapts. */
export interface PeerConnectionEngine {
  /** The global name the peer connection constructor was found under. */
  readonly name: PeerConnectionName;
  /** The calling convention the constructor speaks. */
  readonly api: PeerConnectionApi;
  /** `true` when the engine has `addStream` but not `addTrack`. */
  readonly streamApi: boolean;
  /**
   * A companion constructor of the engine, such as `RTCSessionDescription` or `MediaStream`: the
   * one with the constructor's vendor prefix first (`mozRTCSessionDescription`), then the
   * standard one, or `undefined` when the scope has neither.
   */
  companion(name: string): ScopeConstructor | undefined;
}

/**
 * Makes a new native peer connection of an engine that predates the promise API, the track API
 * (`engine.api === 'legacy-callback'` or `engine.streamApi`), `restartIce()` or parameterless
 * `setLocalDescription()` speak the modern API the machine drives. It is called only for such
 * engines. The main entry has none, so that modern apps never ship one; `legacyAdapter` from
 * `@peerstatejs/core/legacy` is the SDK's.
 */
export type PeerConnectionAdapter = (
  native: object,
  engine: PeerConnectionEngine,
) => PeerConnectionLike;
