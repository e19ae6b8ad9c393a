/**
 * One instance's part in a cluster (see `cluster.ts`): the rooms it owns and the lease it keeps
 * on them (restored from Redis when it claims one), the clients of other instances it serves for
 * those rooms (remote links), and its own clients it relays to other owners.
 * @module
 */

import { randomUUID } from 'node:crypto';
import { CLOSE_CODES, type ClientFrame } from '@peerstatejs/signaling/protocol';
import { Cluster, type ClusterMessage } from './cluster.js';
import { RoomStore } from './roomStore.js';
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
  /** Its messages that came while its join waited for the room; `null` once joined. */
  queue: ClusterMessage[] | null;
}

export class ClusterNode {
  readonly #options: ClusterNodeOptions;
  readonly #cluster: Cluster;
  readonly #store: RoomStore;
  /** Rooms being restored from Redis: their joins wait. */
  readonly #loading = new Map<string, Promise<void>>();
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
    this.#store = new RoomStore({
      redis: this.#cluster.commands,
      instance: this.#cluster.instance,
      lost: (room, reason) => {
        // Its clients reconnect and resume from what Redis holds, wherever the room is now.
        this.#owned.delete(room);
        options.rooms.dropRoom(room);
        options.log('room-lost', { room, reason });
      },
      log: options.log,
    });
    options.rooms.attach(this.#store);
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

  /**
   * `null` when this instance owns the room (now claimed, and restored from Redis if it was not
   * here yet); else the owner to relay to.
   */
  async ownerOf(room: string): Promise<string | null> {
    const owner = await this.#cluster.owner(room);
    if (owner !== this.instance) return owner;
    this.#owned.add(room);
    await this.#restore(room);
    return null;
  }

  #restore(room: string): Promise<void> {
    const { rooms } = this.#options;
    if (rooms.has(room)) return Promise.resolve();
    let loading = this.#loading.get(room);
    if (!loading) {
      loading = this.#store
        .load(room)
        .then((snapshots) => rooms.restore(room, snapshots))
        .finally(() => this.#loading.delete(room));
      this.#loading.set(room, loading);
    }
    return loading;
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
    // The next owners restore what is stored: all of it, before the leases go.
    await this.#store.flushed();
    await this.#cluster.close([...this.#owned]);
  }

  #receive(message: ClusterMessage): void {
    const { rooms } = this.#options;
    switch (message.k) {
      case 'join': {
        const link = this.#remoteLink(message.from, message.c);
        const remote: Remote = { link, from: message.from, session: null, queue: [] };
        this.#remote.set(message.c, remote);
        this.#accept(message.c, remote, message.frame as JoinFrame).catch((error: unknown) => {
          this.#options.log('join-error', { message: String(error) });
          link.refuse(CLOSE_CODES.INTERNAL_ERROR, 'join failed');
        });
        return;
      }
      case 'frame': {
        const remote = this.#remote.get(message.c);
        if (remote?.queue) {
          remote.queue.push(message);
          return;
        }
        if (!remote) {
          // We let it go (its instance looked dead, or it was replaced): without a word its
          // client would talk into the void until its heartbeat gave up.
          const from = message.c.slice(0, message.c.lastIndexOf(':'));
          this.#remoteLink(from, message.c).refuse(CLOSE_CODES.GOING_AWAY, 'session moved');
          return;
        }
        const session = remote.session;
        if (!session || session.link !== remote.link) return;
        this.#options.dispatch(session, remote.link, message.frame as ClientFrame);
        return;
      }
      case 'closed': {
        const remote = this.#remote.get(message.c);
        this.#remote.delete(message.c);
        // Still joining: #accept sees it gone.
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

  /** Whether the room's stored state holds `session` for `peer` (a resume, wherever it lives). */
  hasSession(room: string, peer: string, session: string): Promise<boolean> {
    return this.#store.hasSession(room, peer, session);
  }

  /** A relayed join: the room must be ours (claimed and restored if nobody has it). */
  async #accept(c: string, remote: Remote, frame: JoinFrame): Promise<void> {
    const owner = this.#options.draining() ? 'draining' : await this.ownerOf(frame.room);
    if (this.#remote.get(c) !== remote) return;
    if (owner !== null) {
      remote.link.refuse(CLOSE_CODES.GOING_AWAY, 'room moved to another instance');
      return;
    }
    remote.session = this.#options.rooms.join(remote.link, frame);
    const queued = remote.queue ?? [];
    remote.queue = null;
    for (const message of queued) this.#receive(message);
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
    const empty = [...this.#owned].filter((room) => !present.has(room) && !this.#loading.has(room));
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
      // The room's next owner restores it from Redis: the client resumes there.
      this.#relayed.delete(c);
      relayed.link.refuse(CLOSE_CODES.GOING_AWAY, 'instance gone');
    }
    this.#options.log('instances-gone', { instances: [...dead] });
  }
}
