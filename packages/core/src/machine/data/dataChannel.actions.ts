/**
 * Actions of the data channel commands, and the bounded queue of `SEND_DATA` that waits for a
 * channel the app created to open (during a rebuild, or while the channel connects).
 * @module
 */
import { DataChannelError } from '../../errors.js';
import { peerSetupBase as base } from '../base.js';
import { commandReporter } from '../commands.js';
import { requirePc } from '../context.js';
import { createLocalDataChannel, sendOnDataChannel } from '../dataChannels.js';
import {
  awaitsDataChannel,
  DATA_QUEUE_LIMIT,
  queueFullError,
  withClosedDataChannel,
  withDataChannel,
} from '../media/intent.js';
import type { PeerContext, PeerEvent } from '../types.js';

type SendData = Extract<PeerEvent, { type: 'SEND_DATA' }>;

/**
 * Whether `SEND_DATA` waits: the app still wants the channel and it is not up yet (`connecting`
 * here, or no connection at all: `pc` null during a rebuild). `null`: it does not wait.
 */
export function queueFor(
  context: PeerContext,
  event: SendData,
  connecting: boolean,
): readonly SendData[] | DataChannelError | null {
  if (!connecting || !awaitsDataChannel(context.intent, event.label)) return null;
  const waiting = context.dataQueue.filter((queued) => queued.label === event.label);
  if (waiting.length >= DATA_QUEUE_LIMIT) return queueFullError(event.label);
  return [...context.dataQueue, event];
}

/** Whether the transport under the channels is up, so a channel's close was meant (a stream reset). */
function transportUp(context: PeerContext): boolean {
  const { pc } = context;
  if (!pc) return false;
  const sctp = (pc as { sctp?: RTCSctpTransport | null }).sctp;
  return sctp ? sctp.state === 'connected' : pc.connectionState === 'connected';
}

export const dataChannelActions = {
  createDataChannel: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'CREATE_DATA_CHANNEL') return;
    const { report, done } = commandReporter(self, event);
    enqueue.assign({ intent: withDataChannel(context.intent, event.label, event.options) });
    createLocalDataChannel(requirePc(context), event.label, event.options, report);
    done();
  }),
  sendData: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'SEND_DATA') return;
    const channels = context.dataChannels.filter((entry) => entry.label === event.label);
    const connecting =
      !channels.some((entry) => entry.channel.readyState === 'open') &&
      channels.at(-1)?.channel.readyState === 'connecting';
    const queue = queueFor(context, event, connecting);
    if (queue !== null && !(queue instanceof DataChannelError)) {
      enqueue.assign({ dataQueue: queue });
      return;
    }
    const { report, done } = commandReporter(self, event);
    if (queue) report({ type: 'peer.error', error: queue });
    else sendOnDataChannel(context.dataChannels, event.label, event.data, report);
    done();
  }),
  /** A channel changed state: its waiting messages go out once open, fail once it closed. */
  followDataChannel: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'pc.dataChannelChanged') return;
    const { channel } = event;
    const { label, readyState } = channel;
    const local = context.dataChannels.some((e) => e.channel === channel && e.origin === 'local');
    // Closed under a dead transport, the channel comes back with the rebuild: its messages wait.
    const meant = (readyState === 'closing' || readyState === 'closed') && transportUp(context);
    if (meant && local) enqueue.assign({ intent: withClosedDataChannel(context.intent, label) });
    const waiting = context.dataQueue.filter((queued) => queued.label === label);
    if (waiting.length === 0 || (readyState !== 'open' && !meant)) return;
    enqueue.assign({ dataQueue: context.dataQueue.filter((queued) => queued.label !== label) });
    for (const queued of waiting) {
      const { report, done } = commandReporter(self, queued);
      if (meant) {
        report({
          type: 'peer.error',
          error: new DataChannelError(label, `closed (${readyState}) before the message was sent`),
        });
      } else sendOnDataChannel(context.dataChannels, label, queued.data, report);
      done();
    }
  }),
};
