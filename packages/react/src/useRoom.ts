'use client';

import {
  createRoom,
  type Participant,
  type Room,
  type RoomEvent,
  type RoomOptions,
  type RoomSnapshot,
} from '@peerstatejs/signaling';
import { useMemo, useRef, useSyncExternalStore } from 'react';
import { useStartedStore } from './startedStore.js';

/** What {@link useRoom} returns: the room's snapshot, the room, and its actions. */
export interface UseRoomResult extends RoomSnapshot {
  /** The room itself (`room` is its name, as in the snapshot). */
  readonly instance: Room;
  /** Sends to every connected participant; returns the ids it went to. */
  readonly broadcast: (data: string) => readonly string[];
  /** Sends to one participant; `false` when its channel is not open. */
  readonly sendTo: (participantId: string, data: string) => boolean;
  /** Mutes or unmutes the local audio or video for everyone. */
  readonly setMuted: (kind: 'audio' | 'video', muted: boolean) => void;
  /** Sends another local track (a device switch) to every participant. */
  readonly replaceTrack: (track: MediaStreamTrack) => void;
}

/**
 * A full-mesh room of a signaling server, for a component: one peer per remote participant,
 * the local media captured once and sent to all. The room is created once (later options are
 * ignored: change the component's `key` for another room), joins after mount and leaves on
 * unmount; StrictMode's simulated unmount/remount keeps the one room (the stop waits a microtask
 * and is cancelled by the remount). Nothing runs during render: a server render connects nothing.
 *
 * @example
 * ```tsx
 * const room = useRoom({ url: 'ws://127.0.0.1:8787', room: 'standup', media: { video: true } });
 * // room.state, room.participants (each with view.phase, view.remoteStreams, quality)
 * ```
 */
export function useRoom(options: RoomOptions, onEvent?: (event: RoomEvent) => void): UseRoomResult {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [room, snapshot] = useStartedStore<Room, RoomSnapshot>(
    () => createRoom(options),
    (created) => created.on((event) => handler.current?.(event)),
  );
  return useMemo(
    () => ({
      ...snapshot,
      instance: room,
      broadcast: room.broadcast,
      sendTo: room.sendTo,
      setMuted: room.setMuted,
      replaceTrack: room.replaceTrack,
    }),
    [snapshot, room],
  );
}

/**
 * The participants of a room another component owns (e.g. `useRoom(...).instance` passed down):
 * re-renders only when the list or a participant changes.
 */
export function useParticipants(room: Room): readonly Participant[] {
  const read = () => room.getSnapshot().participants;
  return useSyncExternalStore(room.subscribe, read, read);
}
