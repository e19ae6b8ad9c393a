/**
 * Rooms, their peers' sessions, and delivery: each recipient's outbox of numbered signals kept
 * until it acknowledges them, and the sender's acknowledgement, given only once every recipient
 * has the frame (or left for good, or will be told of a gap). In memory: the embedded default; in a
 * cluster every change also goes to a journal (`roomStore.ts`, Redis), from which the room's next
 * owner restores it.
 * @module
 */

import {
  CLOSE_CODES,
  type ClientFrame,
  type ServerFrame,
  type SignalGap,
} from '@peerstatejs/signaling/protocol';
import type { Metrics } from './metrics.js';
import {
  createSession,
  type Link,
  type Origin,
  type RoomJournal,
  restoreSession,
  type Session,
  type SessionSnapshot,
  type Stored,
} from './session.js';

export type { Link, Session } from './session.js';

export interface RoomsOptions {
  readonly maxPeers: number;
  readonly maxQueued: number;
  readonly maxQueuedBytes: number;
  readonly grace: number;
  readonly metrics: Metrics;
  readonly log: (event: string, fields: Record<string, unknown>) => void;
}

type JoinFrame = Extract<ClientFrame, { t: 'join' }>;
type SignalFrame = Extract<ClientFrame, { t: 'signal' }>;

export class Rooms {
  readonly #rooms = new Map<string, Map<string, Session>>();
  readonly #options: RoomsOptions;
  #idle: (() => void)[] = [];
  #journal: RoomJournal | null = null;

  constructor(options: RoomsOptions) {
    this.#options = options;
  }

  /** From now on every change is recorded there, and writes wait until it is stored. */
  attach(journal: RoomJournal): void {
    this.#journal = journal;
  }

  has(room: string): boolean {
    return this.#rooms.has(room);
  }

  stats(): { rooms: number; peers: number } {
    let peers = 0;
    for (const room of this.#rooms.values())
      for (const session of room.values()) if (session.link) peers += 1;
    return { rooms: this.#rooms.size, peers };
  }

  roomNames(): string[] {
    return [...this.#rooms.keys()];
  }

  /** Another instance owns the room now: its sockets are closed (1001), to join it there. */
  dropRoom(name: string): void {
    const room = this.#rooms.get(name);
    this.#journal?.discard(name);
    if (!room) return;
    this.#rooms.delete(name);
    for (const session of room.values()) {
      clearTimeout(session.grace);
      session.gone = true;
      session.link?.refuse(CLOSE_CODES.GOING_AWAY, 'room moved to another instance');
      session.link = null;
    }
    this.#checkIdle();
  }

  /** Every session's link, connected ones only. */
  links(): Link[] {
    const links: Link[] = [];
    for (const room of this.#rooms.values())
      for (const session of room.values()) if (session.link) links.push(session.link);
    return links;
  }

  find(room: string, peer: string): Session | undefined {
    return this.#rooms.get(room)?.get(peer);
  }

  /** Joins or resumes; `null` when refused (the link got its close code). */
  join(link: Link, frame: JoinFrame): Session | null {
    const existing = this.find(frame.room, frame.peer);
    if (existing && existing.id === frame.session) return this.#resume(existing, link, frame);
    if (existing) {
      // The same id from a new channel instance (a reloaded page), with a token for that id.
      existing.link?.refuse(CLOSE_CODES.REPLACED, 'replaced by a new session');
      existing.link = null;
      this.remove(existing);
    }
    let room = this.#rooms.get(frame.room);
    if (room && room.size >= this.#options.maxPeers) {
      link.refuse(CLOSE_CODES.ROOM_FULL, `room full (${this.#options.maxPeers} peers)`);
      return null;
    }
    if (!room) {
      room = new Map();
      this.#rooms.set(frame.room, room);
    }
    const session = createSession(frame.room, frame.peer, frame.session, frame.instance, link);
    const others = this.#others(session);
    room.set(frame.peer, session);
    this.#journal?.changed(session);
    this.#send(session.room, link, {
      t: 'joined',
      room: frame.room,
      peer: frame.peer,
      peers: others.map((other) => other.peer),
      resumed: false,
      acked: 0,
    });
    for (const other of others)
      this.#send(session.room, other.link, { t: 'peer-joined', peer: session.peer });
    for (const other of others) {
      if (other.parked.length > 0) this.#journal?.unparked(other, true);
      for (const parked of other.parked.splice(0))
        this.#store(session, other, parked.seq, parked.mid, parked.data);
    }
    this.#options.metrics.joins += 1;
    this.#options.log('joined', { room: session.room, peer: session.peer });
    return session;
  }

  #resume(session: Session, link: Link, frame: JoinFrame): Session {
    clearTimeout(session.grace);
    session.grace = undefined;
    if (session.link && session.link !== link)
      session.link.refuse(CLOSE_CODES.REPLACED, 'replaced by a newer connection');
    session.link = link;
    this.acknowledge(session, frame.received);
    // What was dropped and the client does not have: it must hear so, not wait for it.
    const gap: SignalGap | undefined =
      frame.received < session.droppedUpTo
        ? { from: frame.received + 1, to: session.droppedUpTo }
        : undefined;
    this.#send(session.room, link, {
      t: 'joined',
      room: session.room,
      peer: session.peer,
      peers: this.#others(session).map((other) => other.peer),
      resumed: true,
      acked: session.acked,
      ...(gap ? { gap } : {}),
    });
    for (const stored of session.outbox) this.#send(session.room, link, stored.text);
    this.#options.metrics.resumes += 1;
    this.#options.log('resumed', { room: session.room, peer: session.peer, gap });
    return session;
  }

  /** A client `signal`: stored for its recipients; acknowledged once they all have it. */
  signal(sender: Session, frame: SignalFrame): void {
    if (frame.seq <= sender.received) {
      // Sent again because our ack was lost, or before the recipients acknowledged it.
      this.#send(sender.room, sender.link, { t: 'ack', seq: sender.acked });
      return;
    }
    sender.received = frame.seq;
    this.#journal?.changed(sender);
    if (frame.to !== undefined) {
      const target = this.find(sender.room, frame.to);
      if (!target || target === sender) {
        this.#send(sender.room, sender.link, {
          t: 'error',
          code: 'unknown-peer',
          message: `no peer "${frame.to}" in room "${sender.room}"`,
        });
        this.#options.metrics.drop('unknown_peer');
        this.#settle(sender);
        return;
      }
      sender.pending.set(frame.seq, 1);
      this.#store(target, sender, frame.seq, frame.mid, frame.data);
      return;
    }
    const targets = this.#others(sender);
    if (targets.length === 0) {
      // The client holds signals while it sees nobody; this one crossed a leave: the room's next
      // peer gets it. Past the limit the oldest goes, and its sender is told (never silently).
      sender.pending.set(frame.seq, 1);
      const parked = { seq: frame.seq, mid: frame.mid, data: frame.data };
      sender.parked.push(parked);
      this.#journal?.parked(sender, parked);
      const dropped = sender.parked.length > this.#options.maxQueued && sender.parked.shift();
      if (dropped) {
        this.#journal?.unparked(sender, false);
        this.#options.metrics.drop('outbox_full');
        const message = `signal ${dropped.seq} dropped: over ${this.#options.maxQueued} broadcasts wait for a peer to join`;
        this.#send(sender.room, sender.link, { t: 'error', code: 'dropped', message });
        this.#release({ sender, seq: dropped.seq });
      }
      return;
    }
    sender.pending.set(frame.seq, targets.length);
    for (const target of targets) this.#store(target, sender, frame.seq, frame.mid, frame.data);
  }

  /** The recipient has everything up to server `seq`. */
  acknowledge(session: Session, seq: number): void {
    const before = session.outbox.length;
    while (session.outbox.length > 0 && (session.outbox[0]?.seq ?? 0) <= seq) {
      const stored = session.outbox.shift() as Stored;
      session.outboxBytes -= stored.bytes;
      this.#release(stored.origin);
    }
    if (session.outbox.length < before) this.#journal?.trimmed(session, seq);
    this.#checkIdle();
  }

  /** The connection dropped: the session waits `grace` ms for a resume. */
  disconnect(session: Session): void {
    session.link = null;
    clearTimeout(session.grace);
    session.grace = setTimeout(() => this.remove(session), this.#options.grace);
    this.#checkIdle();
  }

  /** For good: the others see it leave; what it was sent is settled for the senders. */
  remove(session: Session): void {
    clearTimeout(session.grace);
    const room = this.#rooms.get(session.room);
    if (session.gone || room?.get(session.peer) !== session) return;
    session.gone = true;
    room.delete(session.peer);
    if (room.size === 0) this.#rooms.delete(session.room);
    this.#journal?.removed(session);
    for (const other of room.values())
      this.#send(session.room, other.link, { t: 'peer-left', peer: session.peer });
    for (const stored of session.outbox.splice(0)) this.#release(stored.origin);
    session.outboxBytes = 0;
    this.#options.log('left', { room: session.room, peer: session.peer });
    this.#checkIdle();
  }

  /**
   * The room as its previous owner stored it: every session waits `grace` ms for its client to
   * resume here; what each sender is still owed an ack for is counted again from the outboxes.
   */
  restore(name: string, snapshots: readonly SessionSnapshot[]): void {
    if (this.#rooms.has(name) || snapshots.length === 0) return;
    const room = new Map<string, Session>();
    for (const snapshot of snapshots) room.set(snapshot.peer, restoreSession(name, snapshot));
    const owe = (sender: Session, seq: number): void => {
      if (seq > sender.acked) sender.pending.set(seq, (sender.pending.get(seq) ?? 0) + 1);
    };
    for (const snapshot of snapshots) {
      const target = room.get(snapshot.peer) as Session;
      for (const entry of snapshot.outbox) {
        const from = room.get(entry.from.peer);
        const sender = from?.id === entry.from.id ? from : null;
        const bytes = Buffer.byteLength(entry.text);
        target.outbox.push({
          seq: entry.seq,
          text: entry.text,
          bytes,
          origin: { sender, seq: entry.from.seq },
        });
        target.outboxBytes += bytes;
        if (sender) owe(sender, entry.from.seq);
      }
      for (const parked of target.parked) owe(target, parked.seq);
    }
    this.#rooms.set(name, room);
    for (const session of room.values()) {
      session.grace = setTimeout(() => this.remove(session), this.#options.grace);
      this.#settle(session);
    }
    this.#options.metrics.restores += 1;
    this.#options.log('restored', { room: name, peers: room.size });
  }

  /** Resolves once every connected peer has acknowledged everything it was sent. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idle.push(resolve);
      this.#checkIdle();
    });
  }

  /** Forgets everything (shutdown). */
  clear(): void {
    for (const room of this.#rooms.values())
      for (const session of room.values()) clearTimeout(session.grace);
    this.#rooms.clear();
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  #others(session: Session): Session[] {
    const room = this.#rooms.get(session.room);
    return room ? [...room.values()].filter((other) => other !== session) : [];
  }

  #store(
    target: Session,
    sender: Session,
    seq: number,
    mid: number | undefined,
    data: unknown,
  ): void {
    target.sent += 1;
    const frame: ServerFrame = {
      t: 'signal',
      seq: target.sent,
      from: sender.peer,
      data,
      ...(mid !== undefined && sender.instance !== undefined
        ? { instance: sender.instance, mid }
        : {}),
    };
    const text = JSON.stringify(frame);
    const stored: Stored = {
      seq: target.sent,
      text,
      bytes: Buffer.byteLength(text),
      origin: { sender, seq },
    };
    target.outbox.push(stored);
    target.outboxBytes += stored.bytes;
    this.#journal?.changed(target);
    this.#journal?.stored(target, stored);
    this.#options.metrics.signalsRelayed += 1;
    // A peer that never acknowledges must not make us hold unbounded memory: the oldest go, and
    // the gap is reported when it resumes.
    const { maxQueued, maxQueuedBytes } = this.#options;
    while (
      target.outbox.length > 1 &&
      (target.outbox.length > maxQueued || target.outboxBytes > maxQueuedBytes)
    ) {
      const dropped = target.outbox.shift() as Stored;
      target.outboxBytes -= dropped.bytes;
      target.droppedUpTo = Math.max(target.droppedUpTo, dropped.seq);
      this.#options.metrics.drop('outbox_full');
      this.#journal?.trimmed(target, dropped.seq);
      this.#release(dropped.origin);
    }
    this.#send(target.room, target.link, text);
  }

  #release({ sender, seq }: Origin): void {
    const remaining = sender?.pending.get(seq);
    if (!sender || sender.gone || remaining === undefined) return;
    sender.pending.set(seq, remaining - 1);
    this.#settle(sender);
  }

  /** Acknowledges to the sender the longest run of its frames that every recipient has. */
  #settle(sender: Session): void {
    const before = sender.acked;
    while (sender.acked < sender.received) {
      const remaining = sender.pending.get(sender.acked + 1) ?? 0;
      if (remaining > 0) break;
      sender.pending.delete(sender.acked + 1);
      sender.acked += 1;
    }
    if (sender.acked === before) return;
    this.#journal?.changed(sender);
    if (sender.ackQueued) return;
    // Acknowledgements are cumulative: one per batch of frames handled in one go (a socket read)
    // says as much as one per frame, and a sender that does not read its acks while it floods
    // must not make the server queue one tiny write per frame for it.
    sender.ackQueued = true;
    queueMicrotask(() => {
      sender.ackQueued = false;
      this.#send(sender.room, sender.link, { t: 'ack', seq: sender.acked });
    });
  }

  /** Through the journal when there is one: see {@link RoomJournal.write}. */
  #send(room: string, link: Link | null, frame: ServerFrame | string): void {
    if (!link) return;
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    if (this.#journal) this.#journal.write(room, link, text);
    else link.write(text);
  }

  #checkIdle(): void {
    if (this.#idle.length === 0) return;
    for (const room of this.#rooms.values())
      for (const session of room.values()) if (session.link && session.outbox.length > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
