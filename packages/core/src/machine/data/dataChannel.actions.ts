/**
 * Actions of the data channel commands.
 * @module
 */
import { peerSetupBase as base } from '../base.js';
import { requirePc } from '../context.js';
import { createLocalDataChannel, sendOnDataChannel } from '../dataChannels.js';
import { reporter } from '../report.js';

export const dataChannelActions = {
  createDataChannel: base.createAction(({ context, event, self }) => {
    if (event.type !== 'CREATE_DATA_CHANNEL') return;
    createLocalDataChannel(requirePc(context), event.label, event.options, reporter(self));
  }),
  sendData: base.createAction(({ context, event, self }) => {
    if (event.type !== 'SEND_DATA') return;
    sendOnDataChannel(context.dataChannels, event.label, event.data, reporter(self));
  }),
};
