/**
 * The send side of a typed channel: a bounded queue in front of `RTCDataChannel.send`, drained
 * while the channel is open and its `bufferedAmount` is under the high-water mark. A send resolves
 * once the SCTP send buffer is at or below `bufferedAmountLowThreshold` (the low-water mark) after
 * its data was handed over, so a sender that awaits each send holds at most about
 * `lowWaterMark + message` in the engine and nothing in the queue.
 * @module
 */

import { ChannelError } from './errors.js';

/** The bounds of the send side; every field has a default. */
export interface BackpressureOptions {
  /**
   * `bufferedAmountLowThreshold`: a send resolves when the buffer is at or below it.
   * @default 1048576 (1 MiB)
   */
  readonly lowWaterMark?: number;
  /**
   * Nothing more is handed to the engine while `bufferedAmount` is at or above it.
   * @default 4194304 (4 MiB)
   */
  readonly highWaterMark?: number;
  /**
   * Messages that may wait (before the channel opens, or above the high-water mark); one more is
   * refused with `queue-full`.
   * @default 1024
   */
  readonly maxQueued?: number;
  /**
   * Bytes that may wait, likewise.
   * @default 16777216 (16 MiB)
   */
  readonly maxQueuedBytes?: number;
}

interface Pending {
  readonly frame: string | Uint8Array<ArrayBuffer>;
  readonly size: number;
  readonly resolve: () => void;
  readonly reject: (error: ChannelError) => void;
}

const encoder = new TextEncoder();

/** @internal The queue and the buffer watch of one typed channel. */
export class Outbox {
  readonly #label: string;
  readonly #low: number;
  readonly #high: number;
  readonly #maxQueued: number;
  readonly #maxQueuedBytes: number;
  readonly #maxMessageSize: () => number;
  #queue: Pending[] = [];
  #queuedBytes = 0;
  /** Handed to the engine, resolved at the next `bufferedamountlow`. */
  #sent: Pending[] = [];
  #channel: RTCDataChannel | null = null;
  #closed: ChannelError | null = null;

  constructor(label: string, options: BackpressureOptions, maxMessageSize: () => number) {
    this.#label = label;
    this.#low = options.lowWaterMark ?? 1 << 20;
    this.#high = Math.max(options.highWaterMark ?? 4 << 20, this.#low + 1);
    this.#maxQueued = options.maxQueued ?? 1024;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 16 << 20;
    this.#maxMessageSize = maxMessageSize;
  }

  /** Messages waiting to be handed to the engine. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Queues a frame; the promise settles as the module says. */
  push(frame: string | Uint8Array<ArrayBuffer>): Promise<void> {
    const size = typeof frame === 'string' ? encoder.encode(frame).byteLength : frame.byteLength;
    if (this.#closed !== null) return Promise.reject(this.#closed);
    const max = this.#maxMessageSize();
    if (size > max) {
      return Promise.reject(
        this.#error('too-large', `${size} bytes is over maxMessageSize (${max}); use sendTransfer`),
      );
    }
    if (this.#queue.length >= this.#maxQueued || this.#queuedBytes + size > this.#maxQueuedBytes) {
      return Promise.reject(
        this.#error(
          'queue-full',
          `${this.#queue.length} messages (${this.#queuedBytes} bytes) already wait; await earlier sends`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ frame, size, resolve, reject });
      this.#queuedBytes += size;
      this.#drain();
    });
  }

  /** The channel to send on (open or still connecting). */
  attach(channel: RTCDataChannel): void {
    if (this.#closed !== null) return;
    this.#channel = channel;
    channel.bufferedAmountLowThreshold = this.#low;
    this.#drain();
  }

  /** `open` or `bufferedamountlow` on the attached channel. */
  wake(): void {
    const channel = this.#channel;
    if (channel === null) return;
    if (channel.bufferedAmount <= this.#low) {
      for (const pending of this.#sent.splice(0)) pending.resolve();
    }
    this.#drain();
  }

  /** The attached channel closed: what it held and what waited for it fail with `error`. */
  detach(error: ChannelError): void {
    this.#channel = null;
    this.#fail(error);
  }

  /** For good: what waits fails, and every later send. */
  close(error: ChannelError): void {
    this.#closed = error;
    this.detach(error);
  }

  #fail(error: ChannelError): void {
    const failed = [...this.#sent.splice(0), ...this.#queue.splice(0)];
    this.#queuedBytes = 0;
    for (const pending of failed) pending.reject(error);
  }

  #drain(): void {
    const channel = this.#channel;
    if (channel === null || channel.readyState !== 'open') return;
    while (this.#queue.length > 0 && channel.bufferedAmount < this.#high) {
      const next = this.#queue.shift() as Pending;
      this.#queuedBytes -= next.size;
      try {
        // The DOM overloads take each type separately; the union is valid at run time.
        channel.send(next.frame as string);
      } catch (cause) {
        next.reject(this.#error('send-failed', 'RTCDataChannel.send threw', cause));
        continue;
      }
      // `bufferedamountlow` fires only when the amount falls to the threshold, not when it is
      // already there.
      if (channel.bufferedAmount <= this.#low) {
        for (const pending of this.#sent.splice(0)) pending.resolve();
        next.resolve();
      } else this.#sent.push(next);
    }
  }

  #error(reason: 'too-large' | 'queue-full' | 'send-failed', detail: string, cause?: unknown) {
    return new ChannelError(this.#label, reason, detail, { cause });
  }
}
