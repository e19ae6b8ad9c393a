/**
 * Actions of the data channel commands.
 * @module
 */
import { peerSetupBase as base } from '../base.js';
import { commandReporter } from '../commands.js';
import { requirePc } from '../context.js';
import { createLocalDataChannel, sendOnDataChannel } from '../dataChannels.js';
import { changeIntent } from '../media/media.actions.js';

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
    const { report, done } = commandReporter(self, event, enqueue.emit);
    sendOnDataChannel(context.dataChannels, event.label, event.data, report);
    done();
  }),
  /**
   * A local channel closed over a live connection: the close was meant (the app's or the
   * remote's), so a rebuild does not open it again. One that died with its transport does, and
   * so does one that closed while the connection was not `connected` (the remote closing its
   * whole connection during an outage closes our channel before our SCTP transport notices:
   * taking that for a meant close left a rebuilt data-only call with nothing to negotiate).
   */
  followDataChannel: base.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'pc.dataChannelChanged') return;
    const { label, readyState } = event.channel;
    const { pc, intent } = context;
    const sctp = (pc as { sctp?: RTCSctpTransport | null } | null)?.sctp;
    if (
      (readyState === 'closing' || readyState === 'closed') &&
      pc?.connectionState === 'connected' &&
      (!sctp || sctp.state === 'connected')
    ) {
      const dataChannels = intent.dataChannels.map((c) =>
        c.label === label ? { ...c, closed: true } : c,
      );
      enqueue.assign({ intent: { ...intent, dataChannels } });
    }
  }),
};
