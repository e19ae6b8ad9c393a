/**
 * The sending half of the room protocol's exactly-once delivery: every outgoing message is
 * numbered and kept until the server acknowledges it, so that a resumed session sends again
 * exactly what the server lacks, in order.
 * @module
 */

export interface Outgoing {
  readonly seq: number;
  /** Never renumbered: receivers drop a `mid` they already have, whatever the server forgot. */
  readonly mid: number;
  readonly data: unknown;
}

export class Outbox {
  /** Numbered, unacknowledged outgoing messages, oldest first. */
  #items: Outgoing[] = [];
  #lastSeq = 0;
  #lastMid = 0;

  get size(): number {
    return this.#items.length;
  }

  /** What to send again after a (re)join, oldest first. */
  get items(): readonly Outgoing[] {
    return this.#items;
  }

  /** The number the next message gets. */
  get nextSeq(): number {
    return this.#lastSeq + 1;
  }

  /** The `mid` the next message gets. */
  get nextMid(): number {
    return this.#lastMid + 1;
  }

  /** Keeps `item` (numbered {@link nextSeq}, {@link nextMid}) until it is acknowledged. */
  push(item: Outgoing): void {
    this.#lastSeq = item.seq;
    this.#lastMid = item.mid;
    this.#items.push(item);
  }

  /** The server's acknowledgement is cumulative: everything up to `seq` arrived. */
  acknowledge(seq: number): void {
    this.#items = this.#items.filter((item) => item.seq > seq);
  }

  /**
   * The server has no memory of our session: numbering starts over, and everything
   * unacknowledged goes again under new numbers.
   */
  renumber(): void {
    this.#items = this.#items.map((item, index) => ({ ...item, seq: index + 1 }));
    this.#lastSeq = this.#items.length;
  }

  /** The channel closed: nothing is sent again. */
  clear(): void {
    this.#items = [];
  }
}
