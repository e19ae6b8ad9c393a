/**
 * `@peerstate/vue`: Vue composables and components over `@peerstate/core`'s peer actor.
 * @packageDocumentation
 */

export { PeerVideo, type PeerVideoProps } from './PeerVideo.js';
export { injectPeer, peerKey, providePeer } from './peerContext.js';
export {
  type PeerEventHandlers,
  type PeerViewRefs,
  type UsePeerOptions,
  type UsePeerReturn,
  usePeer,
} from './usePeer.js';
