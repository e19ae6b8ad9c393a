/**
 * Actions of the data channel commands.
 * @module
 */
import { peerSetupBase as base } from '../base.js';
import { commandReporter } from '../commands.js';
import { requirePc } from '../context.js';
import { openLocalDataChannel, upsertDataChannel } from '../dataChannels.js';
import { changeIntent } from '../media/media.actions.js';
import type { PeerContext } from '../types.js';
import { closedOnPurpose, failQueuedOnClose, sendOrQueue } from './outbox.actions.js';

export const dataChannelActions = {
  /**
   * The channel exists once `createDataChannel` returns: it is listed and watched, and the
   * command settles, in this transition, with one assign (#22: a `peer.dataChannelCreated` and
   * a `peer.settled` sent to self were a macrostep each, and every assign copies the context).
   */
  createDataChannel: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'CREATE_DATA_CHANNEL') return;
    const { report, done } = commandReporter(self, event, (answer) => enqueue.emit(answer));
    let patch: Partial<PeerContext> = {};
    changeIntent(context, event, { assign: (values) => (patch = values) }, report);
    const channel = openLocalDataChannel(requirePc(context), event.label, event.options, report);
    if (channel) {
      patch = { ...patch, dataChannels: upsertDataChannel(context.dataChannels, channel, 'local') };
    }
    enqueue.assign(patch);
    if (channel) enqueue.sendTo('peerConnectionEvents', { type: 'watchDataChannel', channel });
    done();
  }),
  /** On the open channel, or queued while it is on its way (outbox.ts). */
  sendData: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'SEND_DATA') return;
    sendOrQueue(context, event, self, enqueue, false);
  }),
  /**
   * A local channel closed over a live connection: the close was meant (the app's or the
   * remote's), so a rebuild does not open it again. One that died with its transport does, and
   * so does one that closed while the connection was not `connected` (the remote closing its
   * whole connection during an outage closes our channel before our SCTP transport notices:
   * taking that for a meant close left a rebuilt data-only call with nothing to negotiate).
   */
  followDataChannel: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'pc.dataChannelChanged') return;
    const { label } = event.channel;
    const { intent } = context;
    if (closedOnPurpose(context, event.channel)) {
      const dataChannels = intent.dataChannels.map((c) =>
        c.label === label ? { ...c, closed: true } : c,
      );
      enqueue.assign({ intent: { ...intent, dataChannels } });
      failQueuedOnClose(context, label, self, enqueue);
    }
  }),
};
