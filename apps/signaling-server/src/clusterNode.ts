/**
 * One instance's part in a cluster (see `cluster.ts`): the rooms it owns and the lease it keeps
 * on them, the clients of other instances it serves for those rooms (remote links), and its own
 * clients it relays to other owners.
 * @module
 */

import { randomUUID } from 'node:crypto';
import { CLOSE_CODES, type ClientFrame } from '@peerstatejs/signaling/protocol';
import { Cluster, type ClusterMessage } from './cluster.js';
import type { Link, Rooms, Session } from './rooms.js';

type JoinFrame = Extract<ClientFrame, { t: 'join' }>;

export interface ClusterNodeOptions {
  readonly redis: string;
  readonly instance: string | undefined;
  readonly lease: number;
  readonly rooms: Rooms;
  /** What a joined session's frame does (the same for local and remote clients). */
  readonly dispatch: (session: Session, link: Link, frame: ClientFrame) => void;
  readonly draining: () => boolean;
  readonly log: (event: string, fields: Record<string, unknown>) => void;
}

/** A client of ours whose room another instance owns. */
export interface Relayed {
  forward(frame: ClientFrame): void;
  /** Its socket is gone. */
  closed(): void;
}

interface Remote {
  readonly link: Link;
  readonly from: string;
  session: Session | null;
}

export class ClusterNode {
  readonly #options: ClusterNodeOptions;
  readonly #cluster: Cluster;
  /** Rooms this instance claimed and keeps the lease of. */
  readonly #owned = new Set<string>();
  /** Clients of other instances in our rooms, by connection id. */
  readonly #remote = new Map<string, Remote>();
  /** Our clients in other instances' rooms, by connection id. */
  readonly #relayed = new Map<string, { readonly link: Link; readonly owner: string }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #count = 0;

  constructor(options: ClusterNodeOptions) {
    this.#options = options;
    this.#cluster = new Cluster({
      redis: options.redis,
      instance: options.instance ?? randomUUID(),
      lease: options.lease,
      onMessage: (message) => this.#receive(message),
      onError: (error) => options.log('redis-error', { message: error.message }),
    });
  }

  get instance(): string {
    return this.#cluster.instance;
  }

  async start(): Promise<void> {
    await this.#cluster.start();
    this.#timer = setInterval(() => {
      this.#beat().catch((error: unknown) =>
        this.#options.log('redis-error', { message: String(error) }),
      );
    }, this.#options.lease / 3);
    this.#timer.unref();
  }

  /** `null` when this instance owns the room (now claimed); else the owner to relay to. */
  async ownerOf(room: string): Promise<string | null> {
    const owner = await this.#cluster.owner(room);
    if (owner !== this.instance) return owner;
    this.#owned.add(room);
    return null;
  }

  relay(owner: string, link: Link, join: JoinFrame): Relayed {
    this.#count += 1;
    const c = `${this.instance}:${this.#count}`;
    this.#relayed.set(c, { link, owner });
    this.#cluster.send(owner, { k: 'join', c, from: this.instance, frame: join });
    return {
      forward: (frame) => this.#cluster.send(owner, { k: 'frame', c, frame }),
      closed: () => {
        if (this.#relayed.delete(c)) this.#cluster.send(owner, { k: 'closed', c });
      },
    };
  }

  /** Leaves the cluster: remote clients are closed (1001), the leases released at once. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    for (const remote of this.#remote.values())
      remote.link.refuse(CLOSE_CODES.GOING_AWAY, 'server shutting down');
    this.#remote.clear();
    await this.#cluster.close([...this.#owned]);
  }

  #receive(message: ClusterMessage): void {
    const { rooms } = this.#options;
    switch (message.k) {
      case 'join': {
        const frame = message.frame as JoinFrame;
        const link = this.#remoteLink(message.from, message.c);
        if (!this.#owned.has(frame.room) || this.#options.draining()) {
          link.refuse(CLOSE_CODES.GOING_AWAY, 'room moved to another instance');
          return;
        }
        const remote: Remote = { link, from: message.from, session: null };
        this.#remote.set(message.c, remote);
        remote.session = rooms.join(link, frame);
        return;
      }
      case 'frame': {
        const remote = this.#remote.get(message.c);
        const session = remote?.session;
        if (!remote || !session || session.link !== remote.link) return;
        this.#options.dispatch(session, remote.link, message.frame as ClientFrame);
        return;
      }
      case 'closed': {
        const remote = this.#remote.get(message.c);
        this.#remote.delete(message.c);
        if (remote?.session && remote.session.link === remote.link)
          rooms.disconnect(remote.session);
        return;
      }
      case 'out':
        this.#relayed.get(message.c)?.link.write(message.text);
        return;
      case 'refuse': {
        const relayed = this.#relayed.get(message.c);
        this.#relayed.delete(message.c);
        relayed?.link.refuse(message.code, message.reason);
        return;
      }
    }
  }

  #remoteLink(instance: string, c: string): Link {
    return {
      write: (text) => this.#cluster.send(instance, { k: 'out', c, text }),
      refuse: (code, reason) => {
        this.#remote.delete(c);
        this.#cluster.send(instance, { k: 'refuse', c, code, reason });
      },
    };
  }

  /** Keeps our leases, gives up empty rooms, and lets go of instances that died. */
  async #beat(): Promise<void> {
    const { rooms } = this.#options;
    const present = new Set(rooms.roomNames());
    const empty = [...this.#owned].filter((room) => !present.has(room));
    for (const room of empty) this.#owned.delete(room);
    await this.#cluster.release(empty);
    const lost = await this.#cluster.heartbeat([...this.#owned]);
    for (const room of lost) {
      this.#owned.delete(room);
      rooms.dropRoom(room);
      this.#options.log('room-lost', { room });
    }
    const froms = [...new Set([...this.#remote.values()].map((remote) => remote.from))];
    const owners = [...new Set([...this.#relayed.values()].map((relayed) => relayed.owner))];
    const dead = new Set(await this.#cluster.dead([...new Set([...froms, ...owners])]));
    if (dead.size === 0) return;
    for (const [c, remote] of this.#remote) {
      if (!dead.has(remote.from)) continue;
      this.#remote.delete(c);
      if (remote.session && remote.session.link === remote.link) rooms.disconnect(remote.session);
    }
    for (const [c, relayed] of this.#relayed) {
      if (!dead.has(relayed.owner)) continue;
      // Its room starts afresh on a new owner: the client joins again and resends.
      this.#relayed.delete(c);
      relayed.link.refuse(CLOSE_CODES.GOING_AWAY, 'instance gone');
    }
    this.#options.log('instances-gone', { instances: [...dead] });
  }
}
