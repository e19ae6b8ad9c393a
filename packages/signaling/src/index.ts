/**
 * `@peerstatejs/signaling`: signaling transports for `@peerstatejs/core`. A WebSocket room channel
 * that survives drops, a signaling session that runs a 1:1 call over it (roles, presence), and
 * WHIP/WHEP channels that take a peer to a media server.
 * @packageDocumentation
 */

export {
  type AnyPeerErrorCode,
  type HttpSignalingProtocol,
  isSignalingError,
  SignalingError,
  type SignalingErrorCode,
  type WebSocketErrorCode,
  WebSocketSignalingError,
  type WhipErrorCode,
  WhipHttpError,
  WhipNetworkError,
  WhipProtocolError,
  type WhipStep,
} from './errors.js';
export { isPolite } from './session/roles.js';
export type {
  SignalingSession,
  SignalingSessionOptions,
  SignalingSessionSnapshot,
  SignalingSessionState,
} from './session/sessionTypes.js';
export { createSignalingSession } from './session/signalingSession.js';
export {
  CLOSE_CODES,
  type ClientFrame,
  FATAL_CLOSE_CODES,
  ID_PATTERN,
  type ParseFrameResult,
  parseClientFrame,
  parseServerFrame,
  ROOM_PROTOCOL_VERSION,
  type ServerFrame,
  type SignalGap,
  utf8Length,
} from './websocket/protocol.js';
export {
  DEFAULT_HEARTBEAT,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_RECONNECT,
  type HeartbeatOptions,
  type IncomingSignalMeta,
  type PresenceEvent,
  type ReconnectOptions,
  type WebSocketCloseInfo,
  type WebSocketConstructorLike,
  type WebSocketLike,
  type WebSocketSignaling,
  type WebSocketSignalingOptions,
  type WebSocketSignalingState,
} from './websocket/websocketOptions.js';
export { createWebSocketSignaling } from './websocket/websocketSignaling.js';
export {
  createWhepSignaling,
  createWhipSignaling,
  type FetchLike,
  type HttpSignaling,
  type HttpSignalingOptions,
} from './whip/httpSignaling.js';
export {
  applyRestartFragment,
  buildTrickleFragment,
  type OfferIceInfo,
  offerIceInfo,
  parseTrickleFragment,
  SDPFRAG_CONTENT_TYPE,
  type TrickleFragment,
  ufragOf,
} from './whip/sdpFragment.js';
