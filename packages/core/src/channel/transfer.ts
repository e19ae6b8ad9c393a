/**
 * Sending a large payload: a `start` frame, chunks within the SCTP transport's `maxMessageSize`,
 * an `end` frame with the size and SHA-256. Each chunk waits for the previous one to pass the
 * low-water mark (see `backpressure.ts`), and only then is the next one read from the source:
 * a stream of any length costs the sender about `lowWaterMark + chunk` bytes.
 * @module
 */

import { Emitter } from './emitter.js';
import { ChannelError } from './errors.js';
import {
  ABORT,
  CHUNK_HEADER,
  chunkFrame,
  controlFrame,
  END,
  START,
  type TransferHeader,
} from './frames.js';

/** What {@link TypedChannel.sendTransfer} sends. */
export type TransferSource = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array>;

/** Options of {@link TypedChannel.sendTransfer}. */
export interface TransferOptions {
  /** A name for the receiver (a file name); defaults to a `File`'s name. */
  readonly name?: string;
  /** MIME type; defaults to a `Blob`'s. */
  readonly type?: string;
  /** Sent to the receiver as JSON with the start of the transfer. */
  readonly meta?: unknown;
  /**
   * Send the SHA-256 of a `Blob` or `ArrayBuffer` (computed with `crypto.subtle` beside the
   * sending), for the receiver to check. A stream has none: it is never held whole.
   * @default true
   */
  readonly integrity?: boolean;
}

/** Progress of a transfer, on either end. */
export interface TransferProgress {
  /** Bytes handed to the channel (sender) or received (receiver). */
  readonly bytes: number;
  /** Total bytes, `null` for a stream of unknown length. */
  readonly total: number | null;
}

/** Events of a transfer. */
export interface TransferEvents {
  progress: TransferProgress;
}

/** A transfer being sent. */
export interface OutgoingTransfer {
  /** Unique among this channel's transfers. */
  readonly id: number;
  /** Total bytes, `null` for a stream. */
  readonly size: number | null;
  /** Resolves once the `end` frame passed the low-water mark; rejects with a {@link ChannelError}. */
  readonly done: Promise<void>;
  /** Listens to `progress`; returns the unsubscribe function. */
  on<K extends keyof TransferEvents>(
    type: K,
    handler: (value: TransferEvents[K]) => void,
  ): () => void;
  /** Stops sending; the receiver is told. `done` rejects with `aborted`. No-op once settled. */
  abort(reason?: string): void;
}

/** @internal What a transfer needs from its channel. */
export interface TransferLink {
  readonly label: string;
  push(frame: Uint8Array<ArrayBuffer>): Promise<void>;
  /** Payload bytes per chunk (`maxMessageSize` and the chunk-size option, less the header). */
  chunkBytes(): number;
}

const READ_AHEAD = 1 << 20;

/** @internal */
export class Outgoing implements OutgoingTransfer {
  readonly id: number;
  readonly size: number | null;
  readonly done: Promise<void>;
  readonly #events = new Emitter<TransferEvents>();
  readonly #link: TransferLink;
  #ended: ChannelError | null | undefined;
  #reject: (error: ChannelError) => void = () => {};
  #cancelSource: () => void = () => {};

  constructor(id: number, source: TransferSource, options: TransferOptions, link: TransferLink) {
    this.id = id;
    this.#link = link;
    this.size = source instanceof ReadableStream ? null : byteLength(source);
    this.done = new Promise<void>((resolve, reject) => {
      this.#reject = reject;
      this.#run(source, options).then(
        () => {
          if (this.#ended === undefined) {
            this.#ended = null;
            resolve();
          }
        },
        (error: unknown) => this.#end(asTransferError(link.label, error)),
      );
    });
    // An app that only listens to progress must not get an unhandled rejection.
    this.done.catch(() => {});
  }

  on<K extends keyof TransferEvents>(type: K, handler: (value: TransferEvents[K]) => void) {
    return this.#events.on(type, handler);
  }

  abort(reason = 'aborted by the sender'): void {
    if (this.#ended !== undefined) return;
    this.#end(new ChannelError(this.#link.label, 'aborted', reason));
    this.#link.push(controlFrame(ABORT, this.id, reason)).catch(() => {});
  }

  /** @internal The receiver cancelled it. */
  cancelled(reason: string): void {
    this.#end(new ChannelError(this.#link.label, 'aborted', reason, { remote: true }));
  }

  /** @internal The channel closed under it. */
  interrupt(): void {
    this.#end(new ChannelError(this.#link.label, 'interrupted', 'the channel closed mid-transfer'));
  }

  #end(error: ChannelError): void {
    if (this.#ended !== undefined) return;
    this.#ended = error;
    this.#cancelSource();
    this.#reject(error);
    this.#events.clear();
  }

  async #run(source: TransferSource, options: TransferOptions): Promise<void> {
    const header: TransferHeader = {
      size: this.size,
      ...((options.name ?? (source instanceof File ? source.name : undefined))
        ? { name: options.name ?? (source as File).name }
        : {}),
      ...((options.type ?? (source instanceof Blob ? source.type : ''))
        ? { type: options.type ?? (source as Blob).type }
        : {}),
      ...(options.meta === undefined ? {} : { meta: options.meta }),
    };
    const digest =
      options.integrity !== false &&
      !(source instanceof ReadableStream) &&
      globalThis.crypto?.subtle
        ? sha256(source)
        : null;
    digest?.catch(() => {});
    await this.#link.push(controlFrame(START, this.id, JSON.stringify(header)));
    const chunk = Math.max(1, this.#link.chunkBytes());
    let seq = 0;
    let bytes = 0;
    for await (const piece of this.#pieces(source, chunk)) {
      if (this.#ended !== undefined) return;
      await this.#link.push(chunkFrame(this.id, seq++, piece));
      if (this.#ended !== undefined) return;
      bytes += piece.byteLength;
      this.#events.emit('progress', { bytes, total: this.size });
    }
    const hash = digest === null ? null : hex(await digest);
    if (this.#ended !== undefined) return;
    await this.#link.push(
      controlFrame(END, this.id, JSON.stringify({ size: bytes, sha256: hash })),
    );
  }

  async *#pieces(source: TransferSource, chunk: number): AsyncGenerator<Uint8Array> {
    if (source instanceof ReadableStream) {
      const reader = source.getReader();
      this.#cancelSource = () => void reader.cancel().catch(() => {});
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield* split(value, chunk);
        }
      } finally {
        reader.releaseLock();
      }
    }
    if (source instanceof Blob) {
      // One read per chunk is an IPC round trip in Chromium: read a megabyte, send it in chunks.
      const step = Math.max(chunk, Math.floor(READ_AHEAD / chunk) * chunk);
      for (let at = 0; at < source.size; at += step) {
        const block = new Uint8Array(await source.slice(at, at + step).arrayBuffer());
        if (this.#ended !== undefined) return;
        yield* split(block, chunk);
      }
      return;
    }
    yield* split(bytesOf(source), chunk);
  }
}

function* split(bytes: Uint8Array, chunk: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += chunk) yield bytes.subarray(at, at + chunk);
}

function bytesOf(source: ArrayBuffer | ArrayBufferView): Uint8Array {
  return source instanceof ArrayBuffer
    ? new Uint8Array(source)
    : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}

function byteLength(source: Blob | ArrayBuffer | ArrayBufferView): number {
  return source instanceof Blob ? source.size : source.byteLength;
}

async function sha256(source: Blob | ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer> {
  const data = source instanceof Blob ? await source.arrayBuffer() : bytesOf(source);
  return crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
}

/** @internal Lowercase hex of a digest. */
export function hex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function asTransferError(label: string, error: unknown): ChannelError {
  if (error instanceof ChannelError) {
    return error.reason === 'closed'
      ? new ChannelError(label, 'interrupted', 'the channel closed mid-transfer', { cause: error })
      : error;
  }
  return new ChannelError(label, 'send-failed', 'reading the source failed', { cause: error });
}

export { CHUNK_HEADER };
