/**
 * A cluster's rooms in Redis, so that when a room's owner dies the next one resumes its sessions
 * instead of starting afresh: per room a hash of its sessions' numbering (`peers`), and per
 * session a Stream holding its outbox (entry id = server `seq`, trimmed as it acknowledges) and a
 * list of its parked broadcasts. Every key of a room shares one hash tag.
 *
 * Changes are batched per room and per event-loop turn, and one script per turn stores each
 * room's batch only if the room's lease is still ours (a fence: an owner that lost its room,
 * paused past its lease, cannot overwrite the next owner's state). The frames those changes
 * produce are written to clients only once their batch is stored: a client never holds a `seq`
 * or an ack the stored state does not account for, so the next owner numbers and settles exactly
 * where it left off.
 * @module
 */

import type { Redis } from 'ioredis';
import type { Link, Parked, RoomJournal, Session, SessionSnapshot, Stored } from './session.js';

const PREFIX = 'peerstate:signaling:';

/**
 * A room's keys, all with the room's hash tag. Redis Cluster is still not supported: one script
 * stores a turn's changes of every room.
 */
export function roomKeys(room: string) {
  const base = `${PREFIX}{${room}}:`;
  return {
    owner: `${base}owner`,
    peers: `${base}peers`,
    outbox: (peer: string) => `${base}out:${peer}`,
    parked: (peer: string) => `${base}park:${peer}`,
  };
}

/**
 * One turn's batches, one room each: KEYS[i] is room i's lease, ARGV[i + 1] its commands (JSON,
 * all strings), applied only if the lease is ARGV[1]'s. Returns the rooms (indexes) that were not.
 */
const APPLY = `local lost = {}
for i = 1, #KEYS do
  if redis.call('get', KEYS[i]) == ARGV[1] then
    local ops = cjson.decode(ARGV[i + 1])
    for j = 1, #ops do redis.call(unpack(ops[j])) end
  else
    lost[#lost + 1] = i
  end
end
return lost`;

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
  peerstateApply(keys: number, ...args: string[]): Promise<number[]>;
};

export interface RoomStoreOptions {
  readonly redis: Redis;
  readonly instance: string;
  /** A batch of `room` could not be stored (lease lost, Redis failed): the room must go. */
  readonly lost: (room: string, reason: string) => void;
  readonly log: (event: string, fields: Record<string, unknown>) => void;
}

export class RoomStore implements RoomJournal {
  readonly #redis: Applier;
  readonly #options: RoomStoreOptions;
  readonly #batches = new Map<string, Batch>();
  /** Settles once the last turn's batches are stored and their frames written. */
  #tail: Promise<void> = Promise.resolve();
  /** Per room: replaced when it is discarded, so that batches in flight write nothing. */
  readonly #epochs = new Map<string, object>();
  /** Per room: batches stored or being stored, not written yet. */
  readonly #inFlight = new Map<string, number>();
  #scheduled = false;

  constructor(options: RoomStoreOptions) {
    this.#options = options;
    options.redis.defineCommand('peerstateApply', { lua: APPLY });
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
    this.#epochs.delete(room);
  }

  /** Resolves once every change recorded so far is stored (or failed). */
  async flushed(): Promise<void> {
    this.#flush();
    await this.#tail;
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
    const batches = [...this.#batches].map(([room, batch]) => {
      // Numbering last: a script that fails half-way leaves outbox entries, never a `seq` or
      // `received` that claims more than is stored.
      for (const session of batch.changed) {
        if (!session.gone)
          batch.ops.push(['HSET', roomKeys(room).peers, session.peer, record(session)]);
      }
      const epoch = this.#epochs.get(room) ?? {};
      this.#epochs.set(room, epoch);
      this.#inFlight.set(room, (this.#inFlight.get(room) ?? 0) + 1);
      return { room, batch, epoch };
    });
    this.#batches.clear();
    if (batches.length === 0) return;
    const applied = batches.filter(({ batch }) => batch.ops.length > 0);
    const stored: Promise<Set<string> | string> =
      applied.length === 0
        ? Promise.resolve(new Set())
        : this.#redis
            .peerstateApply(
              applied.length,
              ...applied.map(({ room }) => roomKeys(room).owner),
              instance,
              ...applied.map(({ batch }) => JSON.stringify(batch.ops)),
            )
            .then(
              (fenced) => new Set(fenced.map((index) => applied[index - 1]?.room ?? '')),
              (error: unknown) => `redis: ${String(error)}`,
            );
    // Replies come in order on one connection; the writes follow the turns' order too.
    this.#tail = Promise.all([this.#tail, stored])
      .then(([, result]) => {
        for (const { room, batch, epoch } of batches) {
          const count = (this.#inFlight.get(room) ?? 1) - 1;
          if (count > 0) this.#inFlight.set(room, count);
          else this.#inFlight.delete(room);
          if (this.#epochs.get(room) !== epoch) continue;
          if (count === 0 && !this.#batches.has(room)) this.#epochs.delete(room);
          if (typeof result === 'string' || result.has(room)) {
            lost(room, typeof result === 'string' ? result : 'lease lost');
            continue;
          }
          try {
            for (const [link, text] of batch.out) link.write(text);
          } catch (error) {
            lost(room, `write failed: ${String(error)}`);
          }
        }
      })
      .catch((error: unknown) => this.#options.log('store-error', { message: String(error) }));
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
