/**
 * The part of `RTCPeerConnection` the machine relies on. Real browser peer connections satisfy it;
 * so do the legacy adapter and the fake from `@peerstate/core/testing`.
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
  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  createAnswer(options?: RTCAnswerOptions): Promise<RTCSessionDescriptionInit>;
  /** Called without an argument, creates the right description itself (implicit description). */
  setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void>;
  restartIce(): void;
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender;
  removeTrack(sender: RTCRtpSender): void;
  getSenders(): RTCRtpSender[];
  getReceivers(): RTCRtpReceiver[];
  getTransceivers(): RTCRtpTransceiver[];
  createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel;
  getStats(selector?: MediaStreamTrack | null): Promise<RTCStatsReport>;
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
