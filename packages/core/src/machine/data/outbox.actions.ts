/**
 * The actions of the `SEND_DATA` queue (outbox.ts): queue, send when the channel opens, fail
 * when it does not.
 * @module
 */
import { DataChannelError } from '../../errors.js';
import { peerSetupBase as base } from '../base.js';
import { closedAnswers, commandReporter } from '../commands.js';
import { sendOnDataChannel, upsertDataChannel } from '../dataChannels.js';
import type { PeerCommand, PeerContext, PeerEmitted, PeerEvent } from '../types.js';
import {
  awaitsChannel,
  type DataOutbox,
  OUTBOX_TIMEOUT_MS,
  openChannelOf,
  outboxError,
  outboxTimerId,
  queueRefusal,
  sizeOf,
} from './outbox.js';

type Self = Parameters<typeof commandReporter>[0];
/** The part of XState's `enqueue` these actions use. */
interface Enqueue {
  assign(update: Partial<PeerContext>): void;
  raise(event: PeerEvent, options?: { id?: string; delay?: number }): void;
  cancel(id: string): void;
  emit(event: PeerEmitted): void;
}

/**
 * Closed while its connection was up: meant (the app's or the remote's), not an effect of the
 * connection ending (dataChannel.actions.ts `followDataChannel` tells them apart the same way).
 */
export function closedOnPurpose(context: PeerContext, channel: RTCDataChannel): boolean {
  const { pc } = context;
  const sctp = (pc as { sctp?: RTCSctpTransport | null } | null)?.sctp;
  return (
    (channel.readyState === 'closing' || channel.readyState === 'closed') &&
    pc?.connectionState === 'connected' &&
    (!sctp || sctp.state === 'connected')
  );
}

const expiry = (label: string) => ({ type: 'peer.outboxExpired', label }) as const;

/** Sends every queued message of `label` on its open channel, in order; each settles then. */
function flush(context: PeerContext, label: string, self: Self, enqueue: Enqueue): DataOutbox {
  const { outbox } = context;
  if (!openChannelOf(context.dataChannels, label)) return outbox;
  const due = outbox.queued.filter((q) => q.command.label === label);
  if (!due.length) return outbox;
  enqueue.cancel(outboxTimerId(label));
  for (const { command } of due) {
    const { report, done } = commandReporter(self, command);
    sendOnDataChannel(context.dataChannels, label, command.data, report);
    done();
  }
  return { ...outbox, queued: outbox.queued.filter((q) => q.command.label !== label) };
}

/** Fails the queued messages of `label` that `test` picks, with `reason`. */
function fail(
  outbox: DataOutbox,
  label: string,
  reason: 'not-opened' | 'closed',
  self: Self,
  test: (at: number) => boolean = () => true,
): DataOutbox {
  const failing = outbox.queued.filter((q) => q.command.label === label && test(q.at));
  for (const { command } of failing) {
    commandReporter(self, command).report({
      type: 'peer.error',
      error: outboxError(label, reason),
    });
  }
  return { ...outbox, queued: outbox.queued.filter((q) => !failing.includes(q)) };
}

/**
 * `SEND_DATA`: on the open channel of its label, or queued while that channel is on its way
 * (outbox.ts `awaitsChannel`); refused otherwise. Sends queued before it go first.
 */
export function sendOrQueue(
  context: PeerContext,
  command: Extract<PeerCommand, { type: 'SEND_DATA' }>,
  self: Self,
  enqueue: Enqueue,
  rebuilding: boolean,
): void {
  // Settled in place when sent at once (no peer.settled macrostep on the first round trip, #22).
  const { report, done } = commandReporter(self, command, enqueue.emit);
  const { label, data } = command;
  const waiting = context.outbox.queued.some((q) => q.command.label === label);
  const open = !rebuilding && openChannelOf(context.dataChannels, label) !== undefined;
  if (!waiting && (open || !awaitsChannel(context, label, rebuilding))) {
    if (rebuilding) {
      // Neither one of ours nor one the remote had open: nothing will come back.
      report({
        type: 'peer.error',
        error: new DataChannelError(label, 'cannot send: the connection is being rebuilt'),
      });
      return;
    }
    sendOnDataChannel(context.dataChannels, label, data, report);
    done();
    return;
  }
  const bytes = sizeOf(data);
  const refusal = queueRefusal(context.outbox, label, bytes);
  if (refusal) {
    report({ type: 'peer.error', error: outboxError(label, 'queue-full', refusal) });
    return;
  }
  const queued = { command, bytes, at: context.options.now() };
  const outbox = { ...context.outbox, queued: [...context.outbox.queued, queued] };
  if (!waiting)
    enqueue.raise(expiry(label), { id: outboxTimerId(label), delay: OUTBOX_TIMEOUT_MS });
  // Open already (its `open` event not handled yet): the queue goes out now, in order.
  enqueue.assign({ outbox: open ? flush({ ...context, outbox }, label, self, enqueue) : outbox });
}

export const outboxActions = {
  /**
   * A remote channel announced: listed, and its label remembered (a rebuild waits for the remote
   * to open it again, see outbox.ts). One assign: each one copies the whole context (#22).
   */
  takeRemoteDataChannel: base.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'pc.dataChannel') return;
    const { label } = event.channel;
    const dataChannels = upsertDataChannel(context.dataChannels, event.channel, 'remote');
    if (context.outbox.remoteLabels.includes(label)) return enqueue.assign({ dataChannels });
    const remoteLabels = [...context.outbox.remoteLabels, label];
    enqueue.assign({ dataChannels, outbox: { ...context.outbox, remoteLabels } });
  }),
  /**
   * A channel of some label opened: its queue goes out. A remote channel is sent on from its
   * `open` event too, not from `datachannel`: the remote end may not be open yet then.
   */
  flushOutbox: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'pc.dataChannelChanged') return;
    const { label } = event.channel;
    const outbox = flush(context, label, self, enqueue);
    if (outbox !== context.outbox) enqueue.assign({ outbox });
  }),
  /** The oldest send of a label waited OUTBOX_TIMEOUT_MS: those past it fail, the timer goes on. */
  expireOutbox: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'peer.outboxExpired') return;
    const { label } = event;
    const now = context.options.now();
    // Timers fire at or after their time; the clock may be a little coarser.
    let outbox = fail(
      context.outbox,
      label,
      'not-opened',
      self,
      (at) => now - at >= OUTBOX_TIMEOUT_MS - 5,
    );
    const next = outbox.queued.find((q) => q.command.label === label);
    if (next) {
      enqueue.raise(expiry(label), {
        id: outboxTimerId(label),
        delay: Math.max(0, next.at + OUTBOX_TIMEOUT_MS - now),
      });
    } else {
      // A remote channel that did not come back in time is not awaited any longer.
      outbox = { ...outbox, remoteLabels: outbox.remoteLabels.filter((l) => l !== label) };
    }
    enqueue.assign({ outbox });
  }),
  /** The peer ended: what waits settles with `PEER_CLOSED`, as other kept commands do. */
  refuseQueuedSends: base.enqueueActions(({ context, enqueue }) => {
    if (!context.outbox.queued.length) return;
    for (const label of new Set(context.outbox.queued.map((q) => q.command.label)))
      enqueue.cancel(outboxTimerId(label));
    for (const { command } of context.outbox.queued)
      for (const answer of closedAnswers(command.type, command.id ?? null)) enqueue.emit(answer);
    enqueue.assign({ outbox: { ...context.outbox, queued: [] } });
  }),
};

/** A local channel closed on purpose: what waited for it fails with `reason: 'closed'`. */
export function failQueuedOnClose(
  context: PeerContext,
  label: string,
  self: Self,
  enqueue: Enqueue,
): void {
  if (!context.outbox.queued.some((q) => q.command.label === label)) return;
  enqueue.cancel(outboxTimerId(label));
  enqueue.assign({ outbox: fail(context.outbox, label, 'closed', self) });
}
