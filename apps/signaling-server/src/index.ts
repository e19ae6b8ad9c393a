/**
 * `@peerstatejs/signaling-server`: the reference WebSocket signaling server.
 * @packageDocumentation
 */
export {
  type SignalingServer,
  type SignalingServerOptions,
  startSignalingServer,
} from './server.js';
