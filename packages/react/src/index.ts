/**
 * `@peerstatejs/react`: React hooks and components over `@peerstatejs/core`'s peer actor.
 * @packageDocumentation
 */

// React Server Components (Next.js app router) treat a module without this as server code, where
// hooks and context throw; with it, a Server Component can import and render PeerProvider.
'use client';

/** Re-exported from core for convenience. */
export type { PeerEventHandlers } from '@peerstatejs/core';
export { PeerVideo, type PeerVideoProps } from './PeerVideo.js';
export { PeerProvider, type PeerProviderProps, usePeerContext } from './peerContext.js';
export { type UseCallResult, useCall } from './useCall.js';
export {
  type UseDataChannelOptions,
  type UseDataChannelResult,
  useDataChannel,
} from './useDataChannel.js';
export { type UseLocalMediaResult, useLocalMedia } from './useLocalMedia.js';
export { type UseMediaDevicesResult, useMediaDevices } from './useMediaDevices.js';
export { type UsePeerResult, usePeer } from './usePeer.js';
export { type UsePeerOptions, usePeerActorRef } from './usePeerActorRef.js';
export { usePeerEvents } from './usePeerEvents.js';
export { usePeerSelector } from './usePeerSelector.js';
export { type PeerStatsState, useCallQuality, usePeerStats } from './usePeerStats.js';
export { type UseRoomResult, useParticipants, useRoom } from './useRoom.js';
