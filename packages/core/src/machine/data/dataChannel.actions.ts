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
import { DATA_QUEUE_LIMIT } from '../media/intent.js';
import { changeIntent } from '../media/media.actions.js';
import type { PeerContext, PeerEvent } from '../types.js';

type SendData = Extract<PeerEvent, { type: 'SEND_DATA' }>;

/** The queue with `event` added, or why it may not wait: not a channel the app still wants, or full. */
export function queueFor(context: PeerContext, event: SendData): SendData[] | DataChannelError {
  const { label } = event;
  const fail = (detail: string) => new DataChannelError(label, `cannot send: ${detail}`);
  if (!context.intent.dataChannels.some((c) => c.label === label && !c.closed)) {
    return fail('no open channel, and none of this peer to wait for');
  }
  if (context.dataQueue.filter((queued) => queued.label === label).length >= DATA_QUEUE_LIMIT) {
    return fail(`${DATA_QUEUE_LIMIT} messages already wait for the channel to open`);
  }
  return [...context.dataQueue, event];
}

export const dataChannelActions = {
  createDataChannel: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'CREATE_DATA_CHANNEL') return;
    const { report, done } = commandReporter(self, event);
    changeIntent(context, event, enqueue, report);
    createLocalDataChannel(requirePc(context), event.label, event.options, report);
    done();
  }),
  sendData: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'SEND_DATA') return;
    const channels = context.dataChannels.filter((entry) => entry.label === event.label);
    const queue =
      !channels.some((entry) => entry.channel.readyState === 'open') &&
      channels.at(-1)?.channel.readyState === 'connecting' &&
      queueFor(context, event);
    if (Array.isArray(queue)) return enqueue.assign({ dataQueue: queue });
    const { report, done } = commandReporter(self, event);
    if (queue) report({ type: 'peer.error', error: queue });
    else sendOnDataChannel(context.dataChannels, event.label, event.data, report);
    done();
  }),
  /** A channel changed state: its waiting messages go out once open, fail if it was closed. */
  followDataChannel: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'pc.dataChannelChanged') return;
    const { label, readyState } = event.channel;
    const { pc } = context;
    const sctp = (pc as { sctp?: RTCSctpTransport | null } | null)?.sctp;
    // Closed over a live transport, the close was meant (the app's or the remote's): the channel
    // stays closed. Over a dead one, the rebuild brings it back, and its messages wait.
    const meant =
      (readyState === 'closing' || readyState === 'closed') &&
      (sctp ? sctp.state === 'connected' : pc?.connectionState === 'connected');
    if (meant) {
      const dataChannels = context.intent.dataChannels.map((c) =>
        c.label === label ? { ...c, closed: true } : c,
      );
      enqueue.assign({ intent: { ...context.intent, dataChannels } });
    }
    const waiting = context.dataQueue.filter((queued) => queued.label === label);
    if (!waiting.length || (readyState !== 'open' && !meant)) return;
    enqueue.assign({ dataQueue: context.dataQueue.filter((queued) => queued.label !== label) });
    for (const queued of waiting) {
      const { report, done } = commandReporter(self, queued);
      if (meant) {
        report({
          type: 'peer.error',
          error: new DataChannelError(label, `${readyState} before sent`),
        });
      } else sendOnDataChannel(context.dataChannels, label, queued.data, report);
      done();
    }
  }),
};
