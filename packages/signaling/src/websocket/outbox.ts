/**
 * The sending half of the room protocol's exactly-once delivery: every outgoing message is
 * numbered and kept until the server acknowledges it, so that a resumed session sends again
 * exactly what the server lacks, in order.
 * @module
 */

export interface Outgoing {
  readonly seq: number;
  readonly data: unknown;
}

export class Outbox {
  /** Numbered, unacknowledged outgoing messages, oldest first. */
  #items: Outgoing[] = [];
  #lastSeq = 0;

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

  /** Keeps `item` (numbered {@link nextSeq}) until it is acknowledged. */
  push(item: Outgoing): void {
    this.#lastSeq = item.seq;
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
    this.#items = this.#items.map((item, index) => ({ seq: index + 1, data: item.data }));
    this.#lastSeq = this.#items.length;
  }

  /** The channel closed: nothing is sent again. */
  clear(): void {
    this.#items = [];
  }
}
