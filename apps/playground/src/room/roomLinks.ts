/**
 * The links of a mesh, each with its recorder: a link is one pair of participants and the two
 * machines that run it (one in each participant's room), recorded side by side as a two-peer
 * session, so the playground's inspectors (statechart, timeline, SDP, ICE, stats) show a room's
 * pair as they show a call. A participant that leaves and comes back makes a new link: its new
 * machines have a history of their own.
 * @module
 */
import type { PeerActor } from '@peerstatejs/core';
import { createSessionRecorder, type SessionRecorder } from '@peerstatejs/core/recorder';
import { createStatsSampler } from '@peerstatejs/core/stats';
import { isPolite, type RoomPeerOptions } from '@peerstatejs/signaling';

export interface Link {
  /** `Ann–Ben`, then `Ann–Ben #2` for the pair's next link. */
  readonly id: string;
  /** The pair, the smaller id first: recorder index 0 and 1. */
  readonly ids: readonly [string, string];
  readonly recorder: SessionRecorder;
  /** Each side's machine once created; `null` before, and again once it ended. */
  readonly actors: readonly [PeerActor | null, PeerActor | null];
}

export interface RoomLinks {
  /** The `peer` option of `local`'s room: records the machine it creates for `remote`. */
  peerOptions(local: string, remote: string): RoomPeerOptions;
  /** Tells the links which machine `local` runs for `remote` (from the room's snapshot). */
  attach(local: string, remote: string, actor: PeerActor): void;
  /** `local`'s machine for `remote` ended (it left, or the remote did). */
  detach(local: string, remote: string): void;
  /** Records a message `local` sent (every one goes to the whole room, addressed to one). */
  recordSent(local: string, message: unknown): void;
  list(): readonly Link[];
  subscribe(listener: () => void): () => void;
}

interface Side {
  readonly link: MutableLink;
  readonly slot: 0 | 1;
  /** The recorder's tap of this side: recording what it sends. */
  readonly tap: { send(message: never): void };
  stopSampler?: () => void;
}

interface MutableLink extends Omit<Link, 'actors'> {
  actors: [PeerActor | null, PeerActor | null];
  /** Which sides have created their machine already (a new machine on a used side: a new link). */
  readonly claimed: [boolean, boolean];
}

/**
 * The room's envelope around a signaling message (`room-signal`, `to`, `message`; see
 * packages/signaling/src/room/envelope.ts): the transport carries nothing else in a room.
 */
function unwrapRoomSignal(value: unknown): { to: string; message: unknown } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { type, to, message } = value as { type?: unknown; to?: unknown; message?: unknown };
  return type === 'room-signal' && typeof to === 'string' ? { to, message } : null;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export function createRoomLinks(options: { readonly statsIntervalMs?: number } = {}): RoomLinks {
  const links: MutableLink[] = [];
  /** The newest link of each pair. */
  const newest = new Map<string, MutableLink>();
  /** Each participant's current side towards each remote: `${local}>${remote}`. */
  const sides = new Map<string, Side>();
  const listeners = new Set<() => void>();
  let list: readonly Link[] = [];
  const changed = () => {
    list = links.map((link) => ({ ...link, actors: [...link.actors] as Link['actors'] }));
    for (const listener of [...listeners]) listener();
  };

  const claim = (local: string, remote: string): Side => {
    const key = pairKey(local, remote);
    const ids = (local < remote ? [local, remote] : [remote, local]) as [string, string];
    const slot: 0 | 1 = ids[0] === local ? 0 : 1;
    let link = newest.get(key);
    if (!link || link.claimed[slot]) {
      const count = links.filter((l) => pairKey(...l.ids) === key).length;
      link = {
        id: `${ids[0]}–${ids[1]}${count ? ` #${count + 1}` : ''}`,
        ids,
        recorder: createSessionRecorder({
          signaling: 'in-memory room',
          peers: [
            { name: `${ids[0]}→${ids[1]}`, polite: isPolite(ids[0], ids[1]) },
            { name: `${ids[1]}→${ids[0]}`, polite: isPolite(ids[1], ids[0]) },
          ],
        }),
        actors: [null, null],
        claimed: [false, false],
      };
      links.push(link);
      newest.set(key, link);
    }
    link.claimed[slot] = true;
    const tap = link.recorder.tapSignaling(slot, {
      send() {},
      subscribe: () => () => {},
    });
    const side: Side = { link, slot, tap };
    sides.get(`${local}>${remote}`)?.stopSampler?.();
    sides.set(`${local}>${remote}`, side);
    changed();
    return side;
  };

  return {
    peerOptions(local, remote) {
      const { link, slot } = claim(local, remote);
      const [from, to] = slot === 0 ? link.ids : [link.ids[1], link.ids[0]];
      return { id: `${from}→${to}`, inspect: link.recorder.inspector(slot), dev: false };
    },
    attach(local, remote, actor) {
      const side = sides.get(`${local}>${remote}`);
      if (!side || side.link.actors[side.slot] === actor) return;
      side.link.actors[side.slot] = actor;
      const offErrors = side.link.recorder.watch(side.slot, actor);
      const sampler = createStatsSampler(actor, {
        intervalMs: options.statsIntervalMs ?? 1000,
        historySize: 2,
      });
      const offStats = sampler.subscribe((sample) =>
        side.link.recorder.addStats(side.slot, sample),
      );
      side.stopSampler = () => {
        offErrors();
        offStats();
        sampler.stop();
      };
      changed();
    },
    detach(local, remote) {
      const side = sides.get(`${local}>${remote}`);
      if (!side || side.link.actors[side.slot] === null) return;
      side.stopSampler?.();
      side.link.actors[side.slot] = null;
      changed();
    },
    recordSent(local, message) {
      const signal = unwrapRoomSignal(message);
      if (!signal) return;
      sides.get(`${local}>${signal.to}`)?.tap.send(signal.message as never);
    },
    list: () => list,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
