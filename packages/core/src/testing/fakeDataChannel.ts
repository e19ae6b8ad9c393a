/**
 * `RTCDataChannel`. A channel opens when its peer connection's SCTP transport connects; once the
 * fake network pairs it with the remote channel, `send()` delivers `message` events there in
 * order, after the network latency, and only while the path is up (SCTP retransmits what was
 * sent during an outage once ICE recovers).
 * @module
 */

import { domError, rtcError } from './domError.js';
import { FakeRtcErrorEvent } from './fakeEvents.js';
import { FakeEventTarget } from './fakeEventTarget.js';
import { queueTask } from './queueTask.js';

/** Everything `send()` accepts. */
export type FakeDataChannelPayload = string | Blob | ArrayBuffer | ArrayBufferView<ArrayBuffer>;

/** How a channel reaches its remote counterpart (set by the fake network). */
export interface FakeDataChannelLink {
  readonly remote: FakeDataChannel;
  readonly delayMs: number;
  /** `false` while the network path is down; messages wait. */
  isUp(): boolean;
}

interface Outgoing {
  readonly data: string | ArrayBuffer | Promise<ArrayBuffer>;
  readonly size: number;
}

/** Handler type of the fake data channel's `on*` properties. */
export type Handler<E extends Event = Event> = ((this: RTCDataChannel, ev: E) => unknown) | null;

const encoder = new TextEncoder();

/** The configuration of a channel, validated by `createDataChannel`. */
export interface FakeDataChannelConfig {
  readonly label: string;
  readonly ordered: boolean;
  readonly maxPacketLifeTime: number | null;
  readonly maxRetransmits: number | null;
  readonly protocol: string;
  readonly negotiated: boolean;
  readonly id: number | null;
}

/** `RTCDataChannel`. */
export class FakeDataChannel extends FakeEventTarget implements RTCDataChannel {
  static {
    FakeDataChannel.defineEventHandlers(FakeDataChannel.prototype, [
      'open',
      'message',
      'closing',
      'close',
      'error',
      'bufferedamountlow',
    ]);
  }

  readonly label: string;
  readonly ordered: boolean;
  readonly maxPacketLifeTime: number | null;
  readonly maxRetransmits: number | null;
  readonly protocol: string;
  readonly negotiated: boolean;
  /** Chromium's default; the spec's `blob` is accepted too. */
  binaryType: BinaryType = 'arraybuffer';
  bufferedAmountLowThreshold = 0;
  /** Everything passed to `send()`, in order, for tests without a fake network. */
  readonly sent: FakeDataChannelPayload[] = [];
  #id: number | null;
  #readyState: RTCDataChannelState = 'connecting';
  #bufferedAmount = 0;
  #maxMessageSize = 262144;
  #link: FakeDataChannelLink | null = null;
  readonly #outbox: Outgoing[] = [];
  #flushing = false;
  #opened = false;

  constructor(config: FakeDataChannelConfig) {
    super();
    this.label = config.label;
    this.ordered = config.ordered;
    this.maxPacketLifeTime = config.maxPacketLifeTime;
    this.maxRetransmits = config.maxRetransmits;
    this.protocol = config.protocol;
    this.negotiated = config.negotiated;
    this.#id = config.id;
  }

  override get fakeDescription(): string {
    return `FakeDataChannel "${this.label}"`;
  }

  get id(): number | null {
    return this.#id;
  }
  get readyState(): RTCDataChannelState {
    return this.#readyState;
  }
  get bufferedAmount(): number {
    return this.#bufferedAmount;
  }

  declare onopen: Handler;
  declare onmessage: Handler<MessageEvent>;
  declare onclosing: Handler;
  declare onclose: Handler;
  declare onerror: Handler<RTCErrorEvent>;
  declare onbufferedamountlow: Handler;

  send(data: string): void;
  send(data: Blob): void;
  send(data: ArrayBuffer): void;
  send(data: ArrayBufferView<ArrayBuffer>): void;
  /** webrtc-pc §6.2: only an open channel sends; oversized messages are a TypeError. */
  send(data: FakeDataChannelPayload): void {
    if (this.#readyState !== 'open') {
      throw domError('InvalidStateError', `RTCDataChannel.readyState is '${this.#readyState}'`);
    }
    const outgoing = toOutgoing(data);
    if (outgoing.size > this.#maxMessageSize) {
      throw new TypeError(`Message of ${outgoing.size} bytes exceeds max-message-size`);
    }
    this.sent.push(data);
    this.#bufferedAmount += outgoing.size;
    this.#outbox.push(outgoing);
    this.#scheduleFlush();
  }

  /** Starts the closing procedure; `close` fires once the SCTP stream is reset. */
  close(): void {
    if (this.#readyState === 'closing' || this.#readyState === 'closed') return;
    this.#readyState = 'closing';
    queueTask(() => void this.#finishClose(), this.#link?.delayMs ?? 0);
  }

  /** Test command: the channel opens (as when the SCTP transport connects). */
  simulateOpen(): void {
    if (this.#readyState !== 'connecting') return;
    this.driveOpen();
  }

  /** Test command: a message arrives from the remote peer. */
  simulateMessage(data: string | ArrayBuffer): void {
    if (this.#readyState !== 'open') return;
    const payload =
      typeof data === 'string' || this.binaryType === 'arraybuffer' ? data : new Blob([data]);
    this.dispatchEvent(new MessageEvent('message', { data: payload }));
  }

  /** Test command: the remote peer closed the channel (`closing`, then `close`). */
  simulateRemoteClose(): void {
    if (this.#readyState === 'closed') return;
    if (this.#readyState !== 'closing') {
      this.#readyState = 'closing';
      this.dispatchEvent(new Event('closing'));
    }
    this.#closeNow(true);
  }

  /**
   * Test command: the SCTP association failed; like Chromium on a remote abort, `error` (an
   * `OperationError` with `errorDetail: 'sctp-failure'`) then `close`.
   */
  simulateError(message = 'User-Initiated Abort, reason=Close called'): void {
    if (this.#readyState === 'closed') return;
    this.#readyState = 'closed';
    this.#outbox.length = 0;
    this.dispatchEvent(new FakeRtcErrorEvent(rtcError(message, { errorDetail: 'sctp-failure' })));
    this.dispatchEvent(new Event('close'));
  }

  /** @internal Sets the SCTP stream id once the DTLS role is known. */
  driveId(id: number): void {
    if (this.#id === null) this.#id = id;
  }

  /** @internal The negotiated `a=max-message-size`. */
  driveMaxMessageSize(size: number): void {
    this.#maxMessageSize = size;
  }

  /** @internal Connects the channel to its counterpart. */
  driveLink(link: FakeDataChannelLink | null): void {
    this.#link = link;
    if (link !== null) this.#scheduleFlush();
  }

  /** @internal Delivers what was sent while the path was down. */
  driveFlush(): void {
    this.#scheduleFlush();
  }

  /** @internal The remote counterpart is announced open (no `open` event yet). */
  driveAnnounced(): void {
    this.#readyState = 'open';
  }

  /** @internal The SCTP stream is usable: `open` fires (once) unless the app closed it. */
  driveOpen(): void {
    if (this.#readyState === 'closing' || this.#readyState === 'closed' || this.#opened) return;
    this.#opened = true;
    this.#readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }

  /** @internal `pc.close()`: closed abruptly, no closing procedure and no events. */
  driveAbort(): void {
    this.#readyState = 'closed';
    this.#outbox.length = 0;
    this.#bufferedAmount = 0;
    this.#link = null;
  }

  /** @internal A message from the counterpart. */
  driveMessage(data: string | ArrayBuffer): void {
    this.simulateMessage(data);
  }

  #scheduleFlush(): void {
    if (this.#flushing || this.#link === null || this.#outbox.length === 0) return;
    this.#flushing = true;
    queueTask(() => void this.#flush(), this.#link.delayMs);
  }

  async #flush(): Promise<void> {
    while (this.#outbox.length > 0 && this.#link?.isUp() === true) {
      const next = this.#outbox[0];
      if (next === undefined) break;
      const data =
        typeof next.data === 'object' && 'then' in next.data ? await next.data : next.data;
      if (this.#outbox[0] !== next) break;
      this.#outbox.shift();
      const before = this.#bufferedAmount;
      this.#bufferedAmount -= next.size;
      this.#link.remote.driveMessage(data);
      if (
        before > this.bufferedAmountLowThreshold &&
        this.#bufferedAmount <= this.bufferedAmountLowThreshold
      ) {
        this.dispatchEvent(new Event('bufferedamountlow'));
      }
    }
    this.#flushing = false;
  }

  async #finishClose(): Promise<void> {
    if (this.#readyState === 'closed') return;
    // SCTP resets the stream only after what was queued before close() has been sent.
    if (this.#link?.isUp() === true && this.#outbox.length > 0) await this.#flush();
    const remote = this.#link?.remote;
    if (remote !== undefined && this.#link?.isUp() === true) remote.simulateRemoteClose();
    this.#closeNow(true);
  }

  #closeNow(fire: boolean): void {
    if (this.#readyState === 'closed') return;
    this.#readyState = 'closed';
    this.#outbox.length = 0;
    this.#bufferedAmount = 0;
    this.#link = null;
    if (fire) this.dispatchEvent(new Event('close'));
  }
}

function toOutgoing(data: FakeDataChannelPayload): Outgoing {
  if (typeof data === 'string') return { data, size: encoder.encode(data).byteLength };
  if (data instanceof Blob) return { data: data.arrayBuffer(), size: data.size };
  if (data instanceof ArrayBuffer) return { data: data.slice(0), size: data.byteLength };
  const copy = new Uint8Array(data.byteLength);
  copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { data: copy.buffer, size: data.byteLength };
}
