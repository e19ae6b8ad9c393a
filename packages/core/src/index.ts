/**
 * `@peerstatejs/core`: the whole life of a WebRTC peer connection as an XState v5 machine.
 *
 * The stable surface: {@link createPeer} and its {@link PeerActor} (whose `send` takes the
 * {@link PeerCommand}s), {@link peerView} (the phase a UI shows, from the states' tags), the
 * promise facade {@link peerCommands}, and the emitted events. The machine's own events and
 * context types are in `@peerstatejs/core/internal`, which is unstable.
 * @packageDocumentation
 */

export {
  type AudioOutputElement,
  type DeviceSource,
  listMediaDevices,
  type MediaDeviceList,
  NO_DEVICES,
  setAudioOutput,
  supportsAudioOutput,
  type WatchMediaDevicesOptions,
  watchMediaDevices,
} from './devices/mediaDevices.js';
export {
  ClosedError,
  DataChannelError,
  IceCandidateError,
  IceRestartError,
  isDomError,
  MediaError,
  type MediaOperation,
  NegotiationError,
  type NegotiationStep,
  NegotiationTimeoutError,
  PeerConnectionError,
  type PeerErrorCode,
  PeerStateError,
  RebuildError,
  type SignalingIssue,
  SignalingMessageError,
  type SignalingMessageType,
  SignalingTransportError,
  UnsupportedError,
} from './errors.js';
export { isPeerCommandType } from './machine/commands.js';
export {
  type CreatePeerOptions,
  createPeer,
  type PeerActor,
  type PeerSnapshot,
} from './machine/createPeer.js';
export { QueuedSendError } from './machine/data/outbox.js';
export type { CaptureRequest } from './machine/media/capture.js';
export {
  type LocalMediaView,
  type LocalSourceView,
  localMediaView,
} from './machine/media/localMedia.js';
export { DEFAULT_ICE_RESTART, DEFAULT_REBUILD, resolvePeerOptions } from './machine/options.js';
export { type CommandTarget, peerCommands } from './machine/peerCommands.js';
export { onPeerEvents, type PeerEventHandlers } from './machine/peerEvents.js';
export { peerMachine, TIMELINE_LIMIT } from './machine/peerMachine.js';
export {
  type PeerActions,
  type PeerPhase,
  type PeerView,
  peerActions,
  peerView,
  type ScreenShareOptions,
} from './machine/peerView.js';
export { peerTimeline } from './machine/timeline.js';
export type {
  CommandMeta,
  DataChannelInfo,
  DataChannelIntent,
  IceRestartOptions,
  LocalTrack,
  MediaIntent,
  MuteMode,
  PeerCommand,
  PeerConfiguration,
  PeerConnectionStates,
  PeerCounters,
  PeerEmitted,
  PeerMediaDevices,
  PeerOptions,
  PlatformInfo,
  RebuildOptions,
  RebuildReason,
  RemoteTrack,
  ResolvedPeerOptions,
  RollbackMode,
  ScreenShareIntent,
  SendControls,
  SenderParameters,
  TransceiverIntent,
  TransitionRecord,
} from './machine/types.js';
export { type ConnectionStateSource, connectionStateOf } from './platform/connectionStateOf.js';
export {
  type DetectPeerConnectionOptions,
  detectPeerConnection,
  findPeerConnection,
  PEER_CONNECTION_NAMES,
} from './platform/detectPeerConnection.js';
export type {
  DetectedPeerConnection,
  PeerConnectionAdapter,
  PeerConnectionApi,
  PeerConnectionEngine,
  PeerConnectionFactory,
  PeerConnectionLike,
  PeerConnectionName,
  ScopeConstructor,
} from './platform/types.js';
export {
  type BroadcastChannelConstructor,
  type BroadcastChannelEnvelope,
  type BroadcastChannelLike,
  type BroadcastChannelSignaling,
  type BroadcastChannelSignalingOptions,
  createBroadcastChannelSignaling,
} from './signaling/broadcastChannelSignaling.js';
export {
  createInMemorySignalingPair,
  type InMemorySignalingChannel,
  type InMemorySignalingOptions,
} from './signaling/inMemorySignaling.js';
export { DEFAULT_SIGNALING_LIMITS, type SignalingLimits } from './signaling/limits.js';
export {
  type CandidateGeneration,
  createByeMessage,
  createCandidateMessage,
  createDescriptionMessage,
  createMutedMessage,
  createRebuildMessage,
  type DescriptionIds,
} from './signaling/messages.js';
export {
  type ParseSignalingMessageResult,
  parseSignalingMessage,
} from './signaling/parseSignalingMessage.js';
export {
  type ByeMessage,
  type CandidateMessage,
  type CandidatePayload,
  type DescriptionMessage,
  type DescriptionPayload,
  type MutedMessage,
  type RebuildMessage,
  SIGNALING_VERSION,
  type SignalingChannel,
  type SignalingMessage,
} from './signaling/types.js';
