/**
 * The room view's model: up to six participants in this page, each a `createRoom` of
 * `@peerstatejs/signaling` over the in-page room server, each with its own drawn camera and
 * tone; participants join and leave on demand, and every machine they run is recorded in its
 * link (see roomLinks.ts).
 * @module
 */
import { createRoom, type Room } from '@peerstatejs/signaling';
import { createMemoryRoomServer, type MemoryRoomServer } from './memoryRoom.js';
import { createRoomLinks, type RoomLinks } from './roomLinks.js';
import { createSyntheticMedia, type SyntheticMedia } from './syntheticMedia.js';

/** The participants' names, in the order they join: also their peer ids. */
export const PARTICIPANT_NAMES = ['Ann', 'Ben', 'Cat', 'Dan', 'Eve', 'Fay'] as const;

export const ROOM_NAME = 'playground-room';

export interface ChatLine {
  readonly from: string;
  readonly data: string;
}

export interface LocalParticipant {
  readonly id: string;
  /** Its place in {@link PARTICIPANT_NAMES}: its camera's colour. */
  readonly index: number;
  readonly room: Room;
  readonly media: SyntheticMedia;
  /** What it received on the room's data channel, oldest first. */
  readonly chat: readonly ChatLine[];
}

export interface RoomPlayground {
  readonly server: MemoryRoomServer;
  readonly links: RoomLinks;
  /** The participants in this page now; a new array on every change. */
  participants(): readonly LocalParticipant[];
  /** A new participant with the first free name, joined at once; `null` when all six are in. */
  add(): LocalParticipant | null;
  /** Leaves as an app's hang-up does (`room.stop()`: a bye to each, then leave). */
  remove(id: string): void;
  subscribe(listener: () => void): () => void;
  /** Everyone leaves (the page goes away). */
  dispose(): void;
}

export function createRoomPlayground(): RoomPlayground {
  const server = createMemoryRoomServer();
  const links = createRoomLinks();
  server.onSend((from, message) => links.recordSent(from, message));
  const listeners = new Set<() => void>();
  const cleanups = new Map<string, () => void>();
  let list: readonly LocalParticipant[] = [];

  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  const replace = (id: string, next: (p: LocalParticipant) => LocalParticipant) => {
    list = list.map((p) => (p.id === id ? next(p) : p));
    changed();
  };

  function add(): LocalParticipant | null {
    const taken = new Set(list.map((p) => p.id));
    const index = PARTICIPANT_NAMES.findIndex((name) => !taken.has(name));
    const id = PARTICIPANT_NAMES[index];
    if (id === undefined) return null;
    const media = createSyntheticMedia(id, index);
    const room = createRoom({
      url: 'memory:',
      room: ROOM_NAME,
      peerId: id,
      media: media.stream,
      createTransport: server.createTransport,
      peer: (remote) => links.peerOptions(id, remote),
      // The page is the whole room: a closing tab ends every participant at once.
      leaveOnPageHide: false,
    });
    /** The machines this participant runs, by remote: attached to their links, detached when gone. */
    const known = new Map<string, unknown>();
    const offSnapshot = room.subscribe(() => {
      const { participants } = room.getSnapshot();
      for (const p of participants) {
        if (known.get(p.id) === p.peer) continue;
        known.set(p.id, p.peer);
        links.attach(id, p.id, p.peer);
      }
      for (const remote of [...known.keys()]) {
        if (participants.some((p) => p.id === remote)) continue;
        known.delete(remote);
        links.detach(id, remote);
      }
    });
    const offEvents = room.on((event) => {
      if (event.type !== 'data' || typeof event.data !== 'string') return;
      const line = { from: event.from, data: event.data };
      replace(id, (p) => ({ ...p, chat: [...p.chat, line].slice(-50) }));
    });
    cleanups.set(id, () => {
      room.stop();
      offSnapshot();
      offEvents();
      for (const remote of known.keys()) links.detach(id, remote);
      media.stop();
    });
    const participant: LocalParticipant = { id, index, room, media, chat: [] };
    list = [...list, participant];
    changed();
    room.start();
    return participant;
  }

  function remove(id: string): void {
    const cleanup = cleanups.get(id);
    if (!cleanup) return;
    cleanups.delete(id);
    list = list.filter((p) => p.id !== id);
    cleanup();
    changed();
  }

  return {
    server,
    links,
    participants: () => list,
    add,
    remove,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    dispose() {
      for (const p of list) remove(p.id);
    },
  };
}
