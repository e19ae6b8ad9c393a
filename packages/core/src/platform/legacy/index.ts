/**
 * `@peerstatejs/core/legacy`: support for engines that predate the promise API (the callback-era
 * `webkitRTCPeerConnection` and `mozRTCPeerConnection`) or the track API (`addStream` only, such as
 * Chrome before 64). No current browser needs it, so the main entry never imports it: an app that
 * wants it passes it in, `createPeer({ signaling, polite, peerConnection: legacyPeerConnection() })`.
 * @module legacy
 */

export {
  type LegacyPeerConnectionOptions,
  legacyAdapter,
  legacyPeerConnection,
} from './legacyPeerConnection.js';
