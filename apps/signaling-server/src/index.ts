/**
 * `@peerstatejs/signaling-server`: the reference WebSocket signaling server, and the join-token
 * helper for app servers.
 * @packageDocumentation
 */
export {
  createSignalingToken,
  type SignalingTokenAlgorithm,
  type SignalingTokenClaims,
  type SignalingTokenKey,
  type TokenVerification,
} from './auth.js';
export type { RateLimit } from './limits.js';
export {
  type LogRecord,
  type SignalingServer,
  type SignalingServerOptions,
  startSignalingServer,
} from './server.js';
