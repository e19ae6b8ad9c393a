/**
 * A cluster's rooms in Redis, so that when a room's owner dies the next one resumes its sessions
 * instead of starting afresh: per room a hash of its sessions' numbering (`peers`), and per
 * session a Stream holding its outbox (entry id = server `seq`, trimmed as it acknowledges) and a
 * list of its parked broadcasts. Every key of a room shares one hash tag.
 *
 * Changes are batched per room and per event-loop turn, and stored by one script that first
 * checks the room's lease is still ours (a fence: an owner that lost its room, paused past its
 * lease, cannot overwrite the next owner's state). The frames those changes produce are written
 * to clients only once the batch is stored: a client never holds a `seq` or an ack the stored
 * state does not account for, so the next owner numbers and settles exactly where it left off.
 * @module
 */

import type { Redis } from 'ioredis';
import type { Link, Parked, RoomJournal, Session, SessionSnapshot, Stored } from './session.js';

const PREFIX = 'peerstate:signaling:';

/** A room's keys: all with the room's hash tag (one Redis Cluster slot, one script). */
export function roomKeys(room: string) {
  const base = `${PREFIX}{${room}}:`;
  return {
    owner: `${base}owner`,
    peers: `${base}peers`,
    outbox: (peer: string) => `${base}out:${peer}`,
    parked: (peer: string) => `${base}park:${peer}`,
  };
}

/** Applies a batch of commands (JSON, all strings) only if the lease KEYS[1] is ARGV[1]'s. */
const APPLY = `if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
local ops = cjson.decode(ARGV[2])
for i = 1, #ops do redis.call(unpack(ops[i])) end
return 1`;

/** A session's numbering as stored in the room's `peers` hash. */
interface SessionRecord {
  readonly id: string;
  readonly instance?: string;
  readonly received: number;
  readonly acked: number;
  readonly sent: number;
  readonly droppedUpTo: number;
}

interface Batch {
  readonly ops: string[][];
  readonly changed: Set<Session>;
  readonly out: [Link, string][];
}

type Applier = Redis & {
  peerstateApply(owner: string, instance: string, ops: string): Promise<number>;
};

export interface RoomStoreOptions {
  readonly redis: Redis;
  readonly instance: string;
  /** A batch of `room` could not be stored (lease lost, Redis failed): the room must go. */
  readonly lost: (room: string, reason: string) => void;
}

export class RoomStore implements RoomJournal {
  readonly #redis: Applier;
  readonly #options: RoomStoreOptions;
  readonly #batches = new Map<string, Batch>();
  /** Per room: settles once its last batch is stored and written; `false` when it was not. */
  readonly #tails = new Map<string, Promise<boolean>>();
  /** Per room: replaced when it is discarded, so that batches in flight write nothing. */
  readonly #epochs = new Map<string, object>();
  #scheduled = false;

  constructor(options: RoomStoreOptions) {
    this.#options = options;
    options.redis.defineCommand('peerstateApply', { numberOfKeys: 1, lua: APPLY });
    this.#redis = options.redis as Applier;
  }

  changed(session: Session): void {
    this.#batch(session.room).changed.add(session);
  }

  stored(session: Session, stored: Stored): void {
    const { sender, seq } = stored.origin;
    this.#op(session.room, [
      'XADD',
      roomKeys(session.room).outbox(session.peer),
      `${stored.seq}-0`,
      't',
      stored.text,
      'p',
      sender?.peer ?? '',
      's',
      sender?.id ?? '',
      'q',
      String(seq),
    ]);
  }

  trimmed(session: Session, seq: number): void {
    // MINID evicts the ids below it: everything up to `seq`-0.
    const key = roomKeys(session.room).outbox(session.peer);
    this.#op(session.room, ['XTRIM', key, 'MINID', `${seq + 1}-0`]);
  }

  parked(session: Session, parked: Parked): void {
    const key = roomKeys(session.room).parked(session.peer);
    this.#op(session.room, ['RPUSH', key, JSON.stringify(parked)]);
  }

  unparked(session: Session, all: boolean): void {
    const key = roomKeys(session.room).parked(session.peer);
    this.#op(session.room, all ? ['DEL', key] : ['LPOP', key]);
  }

  removed(session: Session): void {
    const keys = roomKeys(session.room);
    const batch = this.#batch(session.room);
    batch.changed.delete(session);
    batch.ops.push(
      ['HDEL', keys.peers, session.peer],
      ['DEL', keys.outbox(session.peer)],
      ['DEL', keys.parked(session.peer)],
    );
  }

  write(room: string, link: Link, text: string): void {
    this.#batch(room).out.push([link, text]);
  }

  discard(room: string): void {
    this.#batches.delete(room);
    this.#tails.delete(room);
    this.#epochs.delete(room);
  }

  /** Resolves once every change recorded so far is stored (or failed). */
  async flushed(): Promise<void> {
    this.#flush();
    await Promise.all(this.#tails.values());
  }

  async hasSession(room: string, peer: string, session: string): Promise<boolean> {
    const stored = await this.#redis.hget(roomKeys(room).peers, peer);
    return stored !== null && (JSON.parse(stored) as SessionRecord).id === session;
  }

  /** The room's sessions as its last owner stored them (none: a new room). */
  async load(room: string): Promise<SessionSnapshot[]> {
    const keys = roomKeys(room);
    const records = await this.#redis.hgetall(keys.peers);
    const peers = Object.keys(records);
    if (peers.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const peer of peers) {
      pipeline.xrange(keys.outbox(peer), '-', '+');
      pipeline.lrange(keys.parked(peer), 0, -1);
    }
    const results = (await pipeline.exec()) ?? [];
    return peers.map((peer, index) => {
      const [outboxError, entries] = results[2 * index] ?? [];
      const [parkedError, parked] = results[2 * index + 1] ?? [];
      if (outboxError || parkedError) throw outboxError ?? parkedError;
      const record = JSON.parse(records[peer] as string) as SessionRecord;
      const outbox = (entries as [string, string[]][]).map(([id, fields]) => {
        const field = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
        return {
          seq: Number.parseInt(id, 10),
          text: field('t'),
          from: { peer: field('p'), id: field('s'), seq: Number(field('q')) },
        };
      });
      return {
        peer,
        id: record.id,
        instance: record.instance,
        received: record.received,
        acked: record.acked,
        // A batch that failed half-way may have stored entries past its numbering.
        sent: Math.max(record.sent, outbox.at(-1)?.seq ?? 0),
        droppedUpTo: record.droppedUpTo,
        outbox,
        parked: (parked as string[]).map((text) => JSON.parse(text) as Parked),
      };
    });
  }

  #batch(room: string): Batch {
    let batch = this.#batches.get(room);
    if (!batch) {
      batch = { ops: [], changed: new Set(), out: [] };
      this.#batches.set(room, batch);
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
    return batch;
  }

  #op(room: string, op: string[]): void {
    this.#batch(room).ops.push(op);
  }

  #flush(): void {
    this.#scheduled = false;
    const { instance, lost } = this.#options;
    for (const [room, batch] of this.#batches) {
      // Numbering last: a script that fails half-way leaves outbox entries, never a `seq` or
      // `received` that claims more than is stored.
      for (const session of batch.changed) {
        if (!session.gone)
          batch.ops.push(['HSET', roomKeys(room).peers, session.peer, record(session)]);
      }
      const epoch = this.#epochs.get(room) ?? {};
      this.#epochs.set(room, epoch);
      let reason = 'lease lost';
      const stored: Promise<boolean> =
        batch.ops.length === 0
          ? Promise.resolve(true)
          : this.#redis
              .peerstateApply(roomKeys(room).owner, instance, JSON.stringify(batch.ops))
              .then(
                (applied) => applied === 1,
                (error: unknown) => {
                  reason = `redis: ${String(error)}`;
                  return false;
                },
              );
      const previous = this.#tails.get(room) ?? Promise.resolve(true);
      // Replies come in order on one connection; the writes follow the batches' order too.
      const tail = Promise.all([previous, stored])
        .then(([before, now]) => {
          if (this.#epochs.get(room) !== epoch) return false;
          if (!before || !now) {
            lost(room, reason);
            return false;
          }
          for (const [link, text] of batch.out) link.write(text);
          return true;
        })
        .catch((error: unknown) => {
          lost(room, `write failed: ${String(error)}`);
          return false;
        });
      this.#tails.set(room, tail);
      tail.then(() => {
        if (this.#tails.get(room) !== tail) return;
        this.#tails.delete(room);
        if (!this.#batches.has(room)) this.#epochs.delete(room);
      });
    }
    this.#batches.clear();
  }
}

function record(session: Session): string {
  const value: SessionRecord = {
    id: session.id,
    ...(session.instance === undefined ? {} : { instance: session.instance }),
    received: session.received,
    acked: session.acked,
    sent: session.sent,
    droppedUpTo: session.droppedUpTo,
  };
  return JSON.stringify(value);
}
