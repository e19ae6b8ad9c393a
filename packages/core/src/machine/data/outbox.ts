/**
 * `SEND_DATA` to a channel that is on its way: created and still `connecting`, or gone with a
 * connection being rebuilt (#12: commands during a rebuild take effect on the new connection).
 * Such a send waits in a bounded per-label queue and goes out, in order, when a channel of that
 * label opens; it settles then. It fails with `DATA_CHANNEL_FAILED` when the queue is full
 * (`reason: 'queue-full'`), when the channel has not opened within {@link OUTBOX_TIMEOUT_MS}
 * (`'not-opened'`) or is closed meanwhile (`'closed'`), and with `PEER_CLOSED` when the peer
 * ends. A label with no such channel is refused at once, as before.
 * @module
 */
import { DataChannelError } from '../../errors.js';
import type { DataChannelInfo, PeerCommand, PeerContext } from '../types.js';

/** @internal A `SEND_DATA` waiting for its channel. */
export interface QueuedSend {
  readonly command: Extract<PeerCommand, { type: 'SEND_DATA' }>;
  readonly bytes: number;
  /** `options.now()` when it was queued. */
  readonly at: number;
}

/** @internal The sends waiting for a channel, and the remote's channels a rebuilt connection should bring. */
export interface DataOutbox {
  readonly queued: readonly QueuedSend[];
  /**
   * Labels of the channels the remote opened on this peer's connections. The remote keeps its
   * intent too and opens them again on a rebuilt connection: until one arrives there, a send to
   * it waits. Kept when one closes: a close on purpose cannot be told from the remote's
   * connection ending (its SCTP abort closes ours while our connection still looks up), and a
   * send to a closed channel of this connection is refused anyway. Dropped when a send waited
   * {@link OUTBOX_TIMEOUT_MS} for it on a new connection in vain.
   */
  readonly remoteLabels: readonly string[];
}

export const EMPTY_OUTBOX: DataOutbox = { queued: [], remoteLabels: [] };

/** Sends that may wait per label; one more fails with `reason: 'queue-full'`. */
export const OUTBOX_MAX_MESSAGES = 1024;
/** Bytes that may wait per label (16 MiB), likewise. */
export const OUTBOX_MAX_BYTES = 16 * 1024 * 1024;
/**
 * How long a send waits for its channel (15 s): longer than a rebuild's wait for the remote
 * (`rebuild.timeout`, 10 s by default) plus a connect, so one queued as a rebuild starts still
 * goes out on the new connection.
 */
export const OUTBOX_TIMEOUT_MS = 15_000;

/** The id of the delayed `peer.outboxExpired` of a label (one timer per label). */
export const outboxTimerId = (label: string) => `outbox:${label}`;

const encoder = new TextEncoder();

/** What `data` weighs in the queue. */
export function sizeOf(data: string | ArrayBuffer | ArrayBufferView | Blob): number {
  if (typeof data === 'string') return encoder.encode(data).byteLength;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  return (data as ArrayBuffer | ArrayBufferView).byteLength;
}

/** The most recent open channel of `label`. */
export function openChannelOf(
  channels: readonly DataChannelInfo[],
  label: string,
): RTCDataChannel | undefined {
  return channels.findLast((e) => e.label === label && e.channel.readyState === 'open')?.channel;
}

/**
 * Whether a send to `label` can wait: for a local channel the app created and has not closed
 * (the machine opens it on every connection: it is connecting, not created yet, or died with its
 * connection and comes back with the rebuild), for a channel of this connection that is still
 * connecting, or for a remote channel of an earlier connection not seen on this one yet.
 */
export function awaitsChannel(context: PeerContext, label: string, rebuilding: boolean): boolean {
  if (context.intent.dataChannels.some((c) => c.label === label && !c.closed)) return true;
  if (!context.outbox.remoteLabels.includes(label)) {
    const current = context.dataChannels.filter((e) => e.label === label).at(-1);
    return !rebuilding && current?.channel.readyState === 'connecting';
  }
  if (rebuilding) return true;
  const current = context.dataChannels.filter((e) => e.label === label).at(-1);
  return current === undefined || current.channel.readyState === 'connecting';
}

/** Why a send cannot be queued now, or null. */
export function queueRefusal(outbox: DataOutbox, label: string, bytes: number): string | null {
  const waiting = outbox.queued.filter((q) => q.command.label === label);
  const held = waiting.reduce((sum, q) => sum + q.bytes, 0);
  if (waiting.length >= OUTBOX_MAX_MESSAGES || held + bytes > OUTBOX_MAX_BYTES) {
    return `cannot send: ${waiting.length} messages (${held} bytes) already wait for the channel to open (at most ${OUTBOX_MAX_MESSAGES}, ${OUTBOX_MAX_BYTES} bytes)`;
  }
  return null;
}

/**
 * A `SEND_DATA` that could wait for its channel but did not go out: a {@link DataChannelError}
 * (`DATA_CHANNEL_FAILED`) with a `reason`:
 *
 * | reason | when |
 * | --- | --- |
 * | `queue-full` | 1,024 messages or 16 MiB already wait for that label |
 * | `not-opened` | the channel did not open within 15 s of the send |
 * | `closed` | the channel was closed (by the app or the remote) before it opened |
 */
export class QueuedSendError extends DataChannelError {
  /** What happened; stable, match on it. */
  declare readonly reason: 'queue-full' | 'not-opened' | 'closed';

  constructor(label: string, reason: QueuedSendError['reason'], detail?: string) {
    super(
      label,
      detail ??
        (reason === 'closed'
          ? 'cannot send: the channel was closed before it opened'
          : `cannot send: the channel did not open within ${OUTBOX_TIMEOUT_MS} ms`),
    );
    // The base class types `name` as its own literal; minifiers rename classes (see PeerStateError).
    Object.defineProperty(this, 'name', {
      value: 'QueuedSendError',
      configurable: true,
      writable: true,
    });
    this.reason = reason;
  }
}

/** The error of a queued send that did not go out. */
export function outboxError(
  label: string,
  reason: QueuedSendError['reason'],
  detail?: string,
): QueuedSendError {
  return new QueuedSendError(label, reason, detail);
}
