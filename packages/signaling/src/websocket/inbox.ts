/**
 * The receiving half of the room protocol's exactly-once delivery: server `signal` frames are
 * numbered, so one at or below the last delivered `seq` is a duplicate (the server sends again
 * what it thinks we missed). What arrives before anyone subscribed is kept for the first
 * subscriber.
 * @module
 */

import { reportListenerError } from '../reportListenerError.js';
import type { IncomingSignalMeta } from './websocketOptions.js';

type SignalListener = (data: unknown, meta: IncomingSignalMeta) => void;
interface Incoming {
  readonly data: unknown;
  readonly meta: IncomingSignalMeta;
}

export class Inbox {
  /** The last server `seq` delivered to subscribers; anything at or below it is a duplicate. */
  #received = 0;
  /** Per sender: its channel instance and the last `mid` delivered from it. */
  readonly #last = new Map<string, { instance: string; mid: number }>();
  #backlog: Incoming[] = [];
  readonly #subscribers = new Set<{ readonly listener: SignalListener }>();

  /** What `join` and `ping` acknowledge. */
  get received(): number {
    return this.#received;
  }

  /** The server has no memory of our session: its numbering starts over. */
  restart(): void {
    this.#received = 0;
  }

  /**
   * A `signal` frame numbered `seq`: delivered unless it is a duplicate, by `seq` or, when the
   * sender named its instance and `mid`, by those (a restarted server numbers `seq` anew and may
   * send again what reached us just before it went down).
   */
  accept(
    seq: number,
    data: unknown,
    from: string,
    origin?: { readonly from: string; readonly instance: string; readonly mid: number },
  ): void {
    if (seq <= this.#received) return;
    this.#received = seq;
    if (origin) {
      const last = this.#last.get(origin.from);
      if (last && last.instance === origin.instance && origin.mid <= last.mid) return;
      this.#last.set(origin.from, { instance: origin.instance, mid: origin.mid });
    }
    this.#backlog.push({ data, meta: { from } });
    this.#drain();
  }

  subscribe(listener: SignalListener): () => void {
    const entry = { listener };
    this.#subscribers.add(entry);
    if (this.#backlog.length > 0) setTimeout(() => this.#drain(), 0);
    return () => {
      this.#subscribers.delete(entry);
    };
  }

  /** The channel closed: nothing more is delivered. */
  clear(): void {
    this.#subscribers.clear();
    this.#backlog = [];
  }

  /** Delivers the backlog, oldest first, to the current subscribers; keeps it if there are none. */
  #drain(): void {
    while (this.#backlog.length > 0 && this.#subscribers.size > 0) {
      const { data, meta } = this.#backlog.shift() as Incoming;
      for (const entry of [...this.#subscribers]) {
        if (!this.#subscribers.has(entry)) continue;
        try {
          entry.listener(data, meta);
        } catch (error) {
          reportListenerError(error);
        }
      }
    }
  }
}
