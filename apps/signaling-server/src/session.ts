/**
 * A peer's session in a room as the server keeps it (numbering, outbox, what it sent and is not
 * settled yet), and the journal through which a cluster keeps the same state in Redis so that
 * another instance can resume it.
 * @module
 */

/** A session's connection, as the rooms see it. */
export interface Link {
  /** One serialized server frame. */
  write(text: string): void;
  refuse(code: number, reason: string): void;
}

export interface Origin {
  /** `null`: its sender left for good before a restore (nobody waits for its ack). */
  readonly sender: Session | null;
  readonly seq: number;
}

export interface Stored {
  readonly seq: number;
  readonly text: string;
  readonly bytes: number;
  readonly origin: Origin;
}

/** A broadcast that found nobody in the room: it goes to the room's next peer. */
export interface Parked {
  readonly seq: number;
  readonly mid: number | undefined;
  readonly data: unknown;
}

/** One peer id in one room, across reconnections of the same channel instance. */
export interface Session {
  readonly room: string;
  readonly peer: string;
  readonly id: string;
  /** The channel instance's public id, passed on with its signals (see `join.instance`). */
  readonly instance: string | undefined;
  link: Link | null;
  /** Last client `seq` accepted: anything at or below it is a duplicate. */
  received: number;
  /** Last client `seq` acknowledged: everything up to it reached all its recipients. */
  acked: number;
  /** Client `seq` → recipients that have not acknowledged it yet. */
  readonly pending: Map<number, number>;
  /** Last server `seq` given to a frame for this peer. */
  sent: number;
  outbox: Stored[];
  outboxBytes: number;
  /** The highest server `seq` dropped from the outbox before it was acknowledged. */
  droppedUpTo: number;
  parked: Parked[];
  grace: ReturnType<typeof setTimeout> | undefined;
  gone: boolean;
  /** An `ack` is due and will be sent once the current batch of frames is handled. */
  ackQueued: boolean;
}

export function createSession(
  room: string,
  peer: string,
  id: string,
  instance: string | undefined,
  link: Link | null,
): Session {
  return {
    room,
    peer,
    id,
    instance,
    link,
    received: 0,
    acked: 0,
    pending: new Map(),
    sent: 0,
    outbox: [],
    outboxBytes: 0,
    droppedUpTo: 0,
    parked: [],
    grace: undefined,
    gone: false,
    ackQueued: false,
  };
}

/** The session `snapshot` describes, disconnected, its outbox still empty. */
export function restoreSession(room: string, snapshot: SessionSnapshot): Session {
  const session = createSession(room, snapshot.peer, snapshot.id, snapshot.instance, null);
  session.received = snapshot.received;
  session.acked = snapshot.acked;
  session.sent = snapshot.sent;
  session.droppedUpTo = snapshot.droppedUpTo;
  session.parked = [...snapshot.parked];
  return session;
}

/** A session as stored, to be restored by the room's next owner. */
export interface SessionSnapshot {
  readonly peer: string;
  readonly id: string;
  readonly instance: string | undefined;
  readonly received: number;
  readonly acked: number;
  readonly sent: number;
  readonly droppedUpTo: number;
  readonly outbox: readonly {
    readonly seq: number;
    readonly text: string;
    /** The sender's peer id, session id and client `seq`. */
    readonly from: { readonly peer: string; readonly id: string; readonly seq: number };
  }[];
  readonly parked: readonly Parked[];
}

/**
 * Where a cluster keeps each room's sessions (Redis), told of every change as it happens. Writes
 * to clients go through it too: a client must never see a frame, or an ack, that the state
 * stored so far does not account for, or the next owner would number or settle differently.
 */
export interface RoomJournal {
  /** Numbering or settlement of `session` changed (or it is new). */
  changed(session: Session): void;
  stored(session: Session, stored: Stored): void;
  /** Outbox entries up to server `seq` are gone (acknowledged or dropped). */
  trimmed(session: Session, seq: number): void;
  parked(session: Session, parked: Parked): void;
  /** The oldest parked broadcast went (`all`: every one). */
  unparked(session: Session, all: boolean): void;
  removed(session: Session): void;
  /** Writes `text` once everything recorded for `room` so far is stored. */
  write(room: string, link: Link, text: string): void;
  /** The room is not ours any more: what was not stored yet is never written. */
  discard(room: string): void;
}
