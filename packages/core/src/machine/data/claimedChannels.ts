/**
 * Channels whose messages a typed channel (`@peerstatejs/core/channel`) reads itself: the
 * machine emits no `data` event for them. A message through the actor costs as much as the
 * network round trip on a local link, and the frames are the typed layer's, not the app's.
 */
export const claimedChannels = new WeakSet<RTCDataChannel>();
