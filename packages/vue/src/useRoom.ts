import {
  createRoom,
  type Participant,
  type Room,
  type RoomEvent,
  type RoomOptions,
  type RoomSnapshot,
} from '@peerstatejs/signaling';
import { getCurrentScope, onScopeDispose, type ShallowRef, shallowRef } from 'vue';
import { type FieldRefs, useStartedStore } from './startedStore.js';

/** Each field of the room's snapshot as a computed ref. */
export type RoomRefs = FieldRefs<RoomSnapshot>;

/** What {@link useRoom} returns: the snapshot (whole and per field), the room and its actions. */
export interface UseRoomReturn extends RoomRefs {
  /** The room itself (`room` is its name, as in the snapshot). */
  readonly instance: Room;
  readonly snapshot: Readonly<ShallowRef<RoomSnapshot>>;
  /** Sends to every connected participant; returns the ids it went to. */
  readonly broadcast: Room['broadcast'];
  /** Sends to one participant; `false` when its channel is not open. */
  readonly sendTo: Room['sendTo'];
  /** Mutes or unmutes the local audio or video for everyone. */
  readonly setMuted: Room['setMuted'];
  /** Sends another local track (a device switch) to every participant. */
  readonly replaceTrack: Room['replaceTrack'];
}

/**
 * A full-mesh room of a signaling server, for a component (or any effect scope): one peer per
 * remote participant, the local media captured once and sent to all. It joins once mounted (at
 * once outside a component) and leaves when the scope is disposed; setup alone, and so server
 * rendering, connects nothing.
 *
 * @example
 * ```ts
 * const { participants, broadcast } = useRoom({ url: 'ws://127.0.0.1:8787', room: 'standup' });
 * ```
 */
export function useRoom(options: RoomOptions, onEvent?: (event: RoomEvent) => void): UseRoomReturn {
  const room = createRoom(options);
  const { snapshot, fields } = useStartedStore(room, onEvent && (() => room.on(onEvent)));
  return {
    ...fields,
    instance: room,
    snapshot,
    broadcast: room.broadcast,
    sendTo: room.sendTo,
    setMuted: room.setMuted,
    replaceTrack: room.replaceTrack,
  };
}

/** The participants of a room another component owns, as a ref; follows it until disposed. */
export function useParticipants(room: Room): Readonly<ShallowRef<readonly Participant[]>> {
  const participants = shallowRef(room.getSnapshot().participants);
  const off = room.subscribe(() => {
    participants.value = room.getSnapshot().participants;
  });
  if (getCurrentScope()) onScopeDispose(off);
  return participants;
}
