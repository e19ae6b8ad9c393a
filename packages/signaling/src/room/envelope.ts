/**
 * How a room addresses one participant over a transport that relays to the whole room: every
 * signaling message travels inside an envelope naming its recipient, and each participant hands
 * only the envelopes for itself to the peer paired with the sender. The server stays unchanged
 * (it relays `data` opaque) and per-recipient queuing stays the transport's single outbox.
 * @module
 */

import type { SignalingMessage } from '@peerstatejs/core';

/** The `type` of a room envelope; a core signaling message never has it. */
export const ROOM_ENVELOPE_TYPE = 'room-signal';

/** A signaling message for one participant of a room. */
export interface RoomEnvelope {
  readonly type: typeof ROOM_ENVELOPE_TYPE;
  readonly to: string;
  readonly message: SignalingMessage;
}

export function wrap(to: string, message: SignalingMessage): SignalingMessage {
  const envelope: RoomEnvelope = { type: ROOM_ENVELOPE_TYPE, to, message };
  // The transport carries any JSON; its parameter is typed for core's messages only.
  return envelope as unknown as SignalingMessage;
}

/**
 * The message inside `value` when it is an envelope for `peerId`, else `null`. The inner message
 * is the peer's to validate (core's `parseSignalingMessage` types a bad one).
 */
export function unwrap(value: unknown, peerId: string): unknown {
  if (typeof value !== 'object' || value === null) return null;
  const envelope = value as Partial<RoomEnvelope>;
  if (envelope.type !== ROOM_ENVELOPE_TYPE || envelope.to !== peerId) return null;
  return envelope.message ?? null;
}
