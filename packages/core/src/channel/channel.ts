/**
 * Typed data channels over a peer actor: a codec per channel, a bounded queue until the channel
 * opens, sends that resolve with the SCTP buffer's drain (`bufferedAmountLowThreshold`), and
 * large transfers in chunks. The machine is not changed: channels are created with
 * `CREATE_DATA_CHANNEL` and found, with their `RTCDataChannel`, in `snapshot.context.dataChannels`.
 * @module
 */

import type { PeerActor, PeerSnapshot } from '../machine/createPeer.js';
import { claimedChannels } from '../machine/data/claimedChannels.js';
import { type BackpressureOptions, Outbox } from './backpressure.js';
import type { Codec } from './codec.js';
import { Emitter } from './emitter.js';
import { ChannelError } from './errors.js';
import {
  ABORT,
  CANCEL,
  CHUNK,
  CHUNK_HEADER,
  controlFrame,
  END,
  MESSAGE,
  messageFrame,
  readFrame,
  START,
  type TransferEnd,
  type TransferHeader,
} from './frames.js';
import { Incoming, type IncomingTransfer } from './incoming.js';
import {
  Outgoing,
  type OutgoingTransfer,
  type TransferOptions,
  type TransferSource,
} from './transfer.js';

/** Options of {@link dataChannel}. */
export interface DataChannelOptions<T> extends BackpressureOptions {
  /** How values become messages: {@link json}, {@link text}, {@link binary} or your own. */
  readonly codec: Codec<T>;
  /**
   * Create this end's `RTCDataChannel` (`CREATE_DATA_CHANNEL`) and send on it. When both ends
   * create, each direction has its own SCTP stream and messages arrive on either; with `false`
   * this end sends on the channel the other end created.
   * @default true
   */
  readonly create?: boolean;
  /** `RTCDataChannelInit` of the channel this end creates. Transfers need `ordered` (the default). */
  readonly init?: RTCDataChannelInit;
  /**
   * Largest transfer chunk, header included; never above the SCTP transport's `maxMessageSize`.
   * @default 65536
   */
  readonly chunkSize?: number;
}

/** The state of a typed channel: `connecting` until its send channel opens, and after a rebuild. */
export type TypedChannelState = 'connecting' | 'open' | 'closed';

/** Events of a {@link TypedChannel}. */
export interface TypedChannelEvents<T> {
  /** A decoded message. */
  message: T;
  /** A message the codec rejected (`decode`), or a frame this layer cannot read (`protocol`). */
  error: ChannelError;
  /** The channel this end sends on opened. */
  open: undefined;
  /** It closed; a rebuild opens a new one (`connecting` again) unless the peer ended. */
  close: undefined;
  /** The other end started a transfer. */
  transfer: IncomingTransfer;
}

/** A typed channel; made by {@link dataChannel}. */
export interface TypedChannel<T> {
  readonly label: string;
  readonly state: TypedChannelState;
  /** Messages waiting for the channel to open or the buffer to drain. */
  readonly queued: number;
  /**
   * Sends a value. Resolves once the SCTP send buffer is at or below `lowWaterMark` after it was
   * handed over; rejects with a {@link ChannelError} (`encode`, `queue-full`, `too-large`,
   * `closed`). Before the channel opens, it waits in the queue.
   */
  send(value: T): Promise<void>;
  /** Sends bytes of any size in chunks, with progress; see {@link OutgoingTransfer}. */
  sendTransfer(source: TransferSource, options?: TransferOptions): OutgoingTransfer;
  /** Listens to an event; returns the unsubscribe function. */
  on<K extends keyof TypedChannelEvents<T>>(
    type: K,
    handler: (value: TypedChannelEvents<T>[K]) => void,
  ): () => void;
  /** Closes the channels of this label on this end; what waits fails with `closed`. */
  close(): void;
}

/** What {@link dataChannel} needs of a peer. */
export type ChannelPeer = Pick<PeerActor, 'send' | 'subscribe' | 'getSnapshot'>;

const DEFAULT_CHUNK = 65536;

/**
 * Declares a typed channel on a peer.
 *
 * @example
 * ```ts
 * interface Chat { readonly from: string; readonly text: string }
 * const chat = dataChannel<Chat>(peer, 'chat', { codec: json<Chat>() });
 * chat.on('message', (m) => console.log(m.from, m.text));
 * await chat.send({ from: 'ann', text: 'hi' }); // queued until open
 * ```
 */
export function dataChannel<T>(
  peer: ChannelPeer,
  label: string,
  options: DataChannelOptions<T>,
): TypedChannel<T> {
  const { codec } = options;
  const create = options.create ?? true;
  const events = new Emitter<TypedChannelEvents<T>>();
  const watched = new Map<RTCDataChannel, () => void>();
  const outgoing = new Map<number, Outgoing>();
  const incoming = new Map<number, Incoming>();
  /** Incoming ids this end cancelled: their chunks in flight are expected, and dropped. */
  const cancelled = new Set<number>();
  let sendChannel: RTCDataChannel | null = null;
  let state: TypedChannelState = 'connecting';
  let nextId = 1;

  const maxMessageSize = () => {
    const pc = peer.getSnapshot().context.pc as { sctp?: RTCSctpTransport | null } | null;
    return pc?.sctp?.maxMessageSize ?? 65536;
  };
  const outbox = new Outbox(label, options, maxMessageSize);
  const closedError = (detail: string) => new ChannelError(label, 'closed', detail);
  const link = {
    label,
    push: (frame: Uint8Array<ArrayBuffer>) => outbox.push(frame),
    chunkBytes: () => Math.min(options.chunkSize ?? DEFAULT_CHUNK, maxMessageSize()) - CHUNK_HEADER,
  };

  function protocolError(detail: string) {
    events.emit('error', new ChannelError(label, 'protocol', detail));
  }

  function decode(data: string | Uint8Array) {
    let value: T;
    try {
      value = codec.decode(data);
    } catch (cause) {
      events.emit(
        'error',
        new ChannelError(label, 'decode', 'the codec rejected a message', { cause }),
      );
      return;
    }
    events.emit('message', value);
  }

  function onMessage(channel: RTCDataChannel, data: unknown) {
    if (typeof data === 'string') return decode(data);
    if (!(data instanceof ArrayBuffer))
      return protocolError('a message that is not an ArrayBuffer');
    const frame = readFrame(data);
    if (frame === null) return protocolError('an unknown binary frame');
    if (frame.kind === MESSAGE) return decode(frame.bytes);
    if (frame.kind === CANCEL) return outgoing.get(frame.id)?.cancelled(frame.body);
    if (frame.kind === START) {
      let header: TransferHeader;
      try {
        header = JSON.parse(frame.body) as TransferHeader;
      } catch {
        return protocolError(`transfer ${frame.id}: an unreadable start`);
      }
      const transfer = new Incoming(label, frame.id, header, channel, (id, reason) => {
        incoming.delete(id);
        cancelled.add(id);
        outbox.push(controlFrame(CANCEL, id, reason)).catch(() => {});
      });
      incoming.set(frame.id, transfer);
      transfer.done.then(
        () => incoming.delete(frame.id),
        () => incoming.delete(frame.id),
      );
      return events.emit('transfer', transfer);
    }
    const transfer = incoming.get(frame.id);
    if (transfer === undefined) {
      if (!cancelled.has(frame.id)) protocolError(`transfer ${frame.id} was never started`);
      return;
    }
    if (frame.kind === CHUNK) return void transfer.chunk(frame.seq, frame.bytes);
    if (frame.kind === ABORT) {
      return transfer.fail(new ChannelError(label, 'aborted', frame.body, { remote: true }));
    }
    if (frame.kind === END) {
      let end: TransferEnd;
      try {
        end = JSON.parse(frame.body) as TransferEnd;
      } catch {
        return protocolError(`transfer ${frame.id}: an unreadable end`);
      }
      void transfer.end(end);
    }
  }

  function watch(channel: RTCDataChannel) {
    // Firefox defaults to `blob`; frames are read synchronously as ArrayBuffers.
    channel.binaryType = 'arraybuffer';
    claimedChannels.add(channel);
    const listeners: Array<[string, (event: Event) => void]> = [
      ['message', (event) => onMessage(channel, (event as MessageEvent).data)],
      ['open', () => opened(channel)],
      ['bufferedamountlow', () => channel === sendChannel && outbox.wake()],
      ['close', () => closed(channel)],
    ];
    for (const [type, listener] of listeners) channel.addEventListener(type, listener);
    watched.set(channel, () => {
      for (const [type, listener] of listeners) channel.removeEventListener(type, listener);
      claimedChannels.delete(channel);
    });
  }

  function opened(channel: RTCDataChannel) {
    if (channel !== sendChannel || state === 'closed') return;
    state = 'open';
    outbox.wake();
    events.emit('open', undefined);
  }

  function closed(channel: RTCDataChannel) {
    watched.get(channel)?.();
    watched.delete(channel);
    for (const transfer of incoming.values()) {
      if (transfer.channel === channel) {
        transfer.fail(new ChannelError(label, 'interrupted', 'the channel closed mid-transfer'));
      }
    }
    if (channel !== sendChannel) return;
    sendChannel = null;
    // Chunks already handed over may be lost with the SCTP association: a transfer fails, it
    // does not resume (start it again on the new channel).
    for (const transfer of outgoing.values()) transfer.interrupt();
    outbox.detach(closedError('the channel closed before the data left'));
    if (state === 'closed') return;
    state = peer.getSnapshot().status === 'active' ? 'connecting' : 'closed';
    events.emit('close', undefined);
    seen = null;
    sync(peer.getSnapshot());
  }

  /** The list last looked at: snapshots come once per machine event, messages included. */
  let seen: PeerSnapshot['context']['dataChannels'] | null = null;

  function sync(snapshot: PeerSnapshot) {
    if (state === 'closed') return;
    if (snapshot.status !== 'active') return shut(closedError('the peer ended'));
    if (snapshot.context.dataChannels === seen) return;
    seen = snapshot.context.dataChannels;
    const mine = snapshot.context.dataChannels.filter(
      (entry) => entry.label === label && entry.channel.readyState !== 'closed',
    );
    // `pc.close()` (a rebuild releasing the old connection) closes its channels without a
    // `close` event (webrtc-pc §4.4.1.6): a channel gone from the snapshot closed too.
    for (const channel of [...watched.keys()]) {
      if (!mine.some((entry) => entry.channel === channel)) closed(channel);
    }
    if ((state as TypedChannelState) === 'closed') return;
    for (const { channel } of mine) if (!watched.has(channel)) watch(channel);
    const target = (create ? mine.filter((entry) => entry.origin === 'local') : mine).at(-1);
    if (target === undefined || target.channel === sendChannel) return;
    sendChannel = target.channel;
    outbox.attach(sendChannel);
    if (sendChannel.readyState === 'open') opened(sendChannel);
  }

  function shut(error: ChannelError) {
    if (state === 'closed') return;
    state = 'closed';
    subscription.unsubscribe();
    outbox.close(error);
    for (const transfer of outgoing.values()) transfer.abort(error.message);
    for (const transfer of incoming.values()) transfer.abort(error.message);
    for (const dispose of watched.values()) dispose();
    const channels = [...watched.keys()];
    watched.clear();
    sendChannel = null;
    for (const channel of channels) channel.close();
    events.emit('close', undefined);
  }

  if (create)
    peer.send({
      type: 'CREATE_DATA_CHANNEL',
      label,
      ...(options.init ? { options: options.init } : {}),
    });
  const subscription = peer.subscribe({ next: sync, complete: () => sync(peer.getSnapshot()) });
  sync(peer.getSnapshot());

  return {
    label,
    get state() {
      return state;
    },
    get queued() {
      return outbox.queued;
    },
    send(value) {
      let encoded: string | Uint8Array;
      try {
        encoded = codec.encode(value);
      } catch (cause) {
        return Promise.reject(new ChannelError(label, 'encode', 'the codec threw', { cause }));
      }
      return outbox.push(typeof encoded === 'string' ? encoded : messageFrame(encoded));
    },
    sendTransfer(source, transferOptions = {}) {
      const id = nextId++;
      const transfer = new Outgoing(id, source, transferOptions, link);
      if (state === 'closed') transfer.interrupt();
      outgoing.set(id, transfer);
      transfer.done.then(
        () => outgoing.delete(id),
        () => outgoing.delete(id),
      );
      return transfer;
    },
    on: (type, handler) => events.on(type, handler),
    close: () => shut(closedError('closed by the app')),
  };
}
