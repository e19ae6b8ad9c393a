/**
 * Receiving a transfer: chunks are checked in sequence and counted; by default they are kept and
 * handed over as one `Blob` (its SHA-256 checked against the sender's), or, after `stream()`,
 * passed on as they arrive.
 * @module
 */

import { Emitter } from './emitter.js';
import { ChannelError } from './errors.js';
import type { TransferEnd, TransferHeader } from './frames.js';
import { hex, type TransferEvents } from './transfer.js';

/** A transfer being received: the `transfer` event of a {@link TypedChannel}. */
export interface IncomingTransfer {
  /** The sender's id of it. */
  readonly id: number;
  /** What the sender said about it: size, name, type, meta. */
  readonly header: TransferHeader;
  /** Bytes received so far. */
  readonly received: number;
  /**
   * Resolves once every byte arrived and, unless {@link IncomingTransfer.stream} was called,
   * matched the sender's SHA-256 (when it sent one); rejects with a {@link ChannelError}
   * (`aborted`, `interrupted`, `integrity`).
   */
  readonly done: Promise<void>;
  /** The bytes as one `Blob`, once `done`. Rejects after `stream()`. */
  blob(): Promise<Blob>;
  /**
   * The bytes as they arrive, instead of a `Blob`: call it in the `transfer` handler, before
   * the first chunk. Nothing is kept, so no SHA-256 is checked (the sender's is in `sha256`).
   */
  stream(): ReadableStream<Uint8Array>;
  /** The sender's SHA-256 (hex), once `done`; `null` when it sent none. */
  readonly sha256: string | null;
  /** Listens to `progress`; returns the unsubscribe function. */
  on<K extends keyof TransferEvents>(
    type: K,
    handler: (value: TransferEvents[K]) => void,
  ): () => void;
  /** Stops receiving; the sender is told. `done` rejects with `aborted`. */
  abort(reason?: string): void;
}

/** @internal */
export class Incoming implements IncomingTransfer {
  readonly id: number;
  readonly header: TransferHeader;
  readonly channel: RTCDataChannel;
  readonly done: Promise<void>;
  sha256: string | null = null;
  #received = 0;
  #seq = 0;
  #chunks: Uint8Array[] | null = [];
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  #settled = false;
  #resolve: () => void = () => {};
  #reject: (error: ChannelError) => void = () => {};
  readonly #events = new Emitter<TransferEvents>();
  readonly #label: string;
  readonly #cancel: (id: number, reason: string) => void;

  constructor(
    label: string,
    id: number,
    header: TransferHeader,
    channel: RTCDataChannel,
    cancel: (id: number, reason: string) => void,
  ) {
    this.#label = label;
    this.id = id;
    this.header = header;
    this.channel = channel;
    this.#cancel = cancel;
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.done.catch(() => {});
  }

  get received(): number {
    return this.#received;
  }

  on<K extends keyof TransferEvents>(type: K, handler: (value: TransferEvents[K]) => void) {
    return this.#events.on(type, handler);
  }

  async blob(): Promise<Blob> {
    const chunks = this.#chunks;
    if (chunks === null) throw new ChannelError(this.#label, 'protocol', 'stream() was called');
    await this.done;
    return new Blob(chunks as Uint8Array<ArrayBuffer>[], { type: this.header.type ?? '' });
  }

  stream(): ReadableStream<Uint8Array> {
    const kept = this.#chunks ?? [];
    this.#chunks = null;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        for (const chunk of kept) controller.enqueue(chunk);
        if (this.#settled)
          this.done.then(
            () => controller.close(),
            (e) => controller.error(e),
          );
      },
      cancel: () => this.abort('the reader cancelled the stream'),
    });
  }

  abort(reason = 'aborted by the receiver'): void {
    if (this.#settled) return;
    this.#cancel(this.id, reason);
    this.#fail(new ChannelError(this.#label, 'aborted', reason));
  }

  /** @internal A chunk; `false` when it broke the sequence (the transfer failed). */
  chunk(seq: number, bytes: Uint8Array): boolean {
    if (this.#settled) return true;
    if (seq !== this.#seq) {
      this.#cancel(this.id, 'chunk out of order');
      this.#fail(
        new ChannelError(this.#label, 'integrity', `chunk ${seq} arrived, ${this.#seq} expected`),
      );
      return false;
    }
    this.#seq += 1;
    this.#received += bytes.byteLength;
    const announced = this.header.size;
    if (announced !== null && this.#received > announced) {
      // Checked per chunk, so a wrong header cannot make this end keep more than it announced.
      this.#cancel(this.id, 'more bytes than announced');
      this.#fail(
        new ChannelError(this.#label, 'integrity', `more than ${announced} bytes arrived`),
      );
      return false;
    }
    if (this.#chunks !== null) this.#chunks.push(bytes);
    else this.#controller?.enqueue(bytes);
    this.#events.emit('progress', { bytes: this.#received, total: this.header.size });
    return true;
  }

  /** @internal The `end` frame. */
  async end(end: TransferEnd): Promise<void> {
    if (this.#settled) return;
    const expected = this.header.size ?? end.size;
    if (end.size !== this.#received || expected !== this.#received) {
      return this.#fail(
        new ChannelError(
          this.#label,
          'integrity',
          `${this.#received} bytes arrived, ${end.size} were sent (${expected} announced)`,
        ),
      );
    }
    this.sha256 = end.sha256;
    const chunks = this.#chunks;
    if (chunks !== null && end.sha256 !== null && globalThis.crypto?.subtle) {
      // Marked settled now: a late abort() must not race the digest.
      this.#settled = true;
      // One buffer, joined in JS: a Blob of the chunks goes through Chromium's blob registry
      // (another process) and back, which cost more than the digest.
      const data = join(chunks, this.#received);
      this.#chunks = [data];
      const actual = hex(await crypto.subtle.digest('SHA-256', data));
      if (actual !== end.sha256) {
        this.#settled = false;
        return this.#fail(
          new ChannelError(
            this.#label,
            'integrity',
            `SHA-256 ${actual}, the sender's ${end.sha256}`,
          ),
        );
      }
    }
    this.#settled = true;
    this.#controller?.close();
    this.#resolve();
  }

  /** @internal The sender aborted, or the channel closed (`interrupted`). */
  fail(error: ChannelError): void {
    this.#fail(error);
  }

  #fail(error: ChannelError): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#chunks = this.#chunks === null ? null : [];
    this.#controller?.error(error);
    this.#reject(error);
    this.#events.clear();
  }
}

function join(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return whole;
}
