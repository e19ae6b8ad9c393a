/**
 * `@peerstate/react`: React hooks and components over `@peerstate/core`'s peer actor.
 * @packageDocumentation
 */

export { PeerVideo, type PeerVideoProps } from './PeerVideo.js';
export { PeerProvider, type PeerProviderProps, usePeerContext } from './peerContext.js';
export { type UsePeerResult, usePeer } from './usePeer.js';
export { type UsePeerOptions, usePeerActorRef } from './usePeerActorRef.js';
export { type PeerEventHandlers, usePeerEvents } from './usePeerEvents.js';
export { usePeerSelector } from './usePeerSelector.js';
