/**
 * Actions of the data channel commands.
 * @module
 */
import { peerSetupBase as base } from '../base.js';
import { commandReporter } from '../commands.js';
import { requirePc } from '../context.js';
import { createLocalDataChannel, sendOnDataChannel } from '../dataChannels.js';

export const dataChannelActions = {
  createDataChannel: base.createAction(({ context, event, self }) => {
    if (event.type !== 'CREATE_DATA_CHANNEL') return;
    const { report, done } = commandReporter(self, event);
    createLocalDataChannel(requirePc(context), event.label, event.options, report);
    done();
  }),
  sendData: base.createAction(({ context, event, self }) => {
    if (event.type !== 'SEND_DATA') return;
    const { report, done } = commandReporter(self, event);
    sendOnDataChannel(context.dataChannels, event.label, event.data, report);
    done();
  }),
};
