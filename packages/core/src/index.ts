/**
 * `@peerstatejs/core`: the whole life of a WebRTC peer connection as an XState v5 machine.
 * @packageDocumentation
 */

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
export type { AppliedRemoteDescription } from './machine/actors/negotiation.js';
export type { PeerConnectionEventsCommand } from './machine/actors/peerConnectionEvents.js';
export { isPeerCommandType } from './machine/commands.js';
export {
  type CreatePeerOptions,
  createPeer,
  type PeerActor,
  type PeerSnapshot,
} from './machine/createPeer.js';
export type { CaptureRequest } from './machine/media/capture.js';
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
} from './machine/peerView.js';
export type {
  BufferedCandidate,
  CommandMeta,
  DataChannelInfo,
  DataChannelIntent,
  IceRestartOptions,
  InboxItem,
  LocalTrack,
  MediaIntent,
  PeerCommand,
  PeerConnectionStates,
  PeerContext,
  PeerCounters,
  PeerEmitted,
  PeerEvent,
  PeerInternalEvent,
  PeerOptions,
  PlatformInfo,
  RebuildOptions,
  RebuildReason,
  RemoteDescription,
  RemoteTrack,
  ResolvedPeerOptions,
  RollbackMode,
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
  type RebuildMessage,
  SIGNALING_VERSION,
  type SignalingChannel,
  type SignalingMessage,
} from './signaling/types.js';
