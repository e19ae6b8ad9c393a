/**
 * `@peerstatejs/vue`: Vue composables and components over `@peerstatejs/core`'s peer actor.
 * @packageDocumentation
 */

/** Re-exported from core for convenience. */
export type { PeerEventHandlers } from '@peerstatejs/core';
export { PeerVideo, type PeerVideoProps } from './PeerVideo.js';
export { injectPeer, peerKey, providePeer } from './peerContext.js';
export type { FieldRefs } from './startedStore.js';
export { type CallRefs, type UseCallReturn, useCall } from './useCall.js';
export { type DataChannelRefs, useDataChannel } from './useDataChannel.js';
export { type UseLocalMediaReturn, useLocalMedia } from './useLocalMedia.js';
export { type UseMediaDevicesReturn, useMediaDevices } from './useMediaDevices.js';
export {
  type PeerViewRefs,
  type UsePeerOptions,
  type UsePeerReturn,
  usePeer,
} from './usePeer.js';
export { type PeerStatsRefs, useCallQuality, usePeerStats } from './usePeerStats.js';
export { type RoomRefs, type UseRoomReturn, useParticipants, useRoom } from './useRoom.js';
