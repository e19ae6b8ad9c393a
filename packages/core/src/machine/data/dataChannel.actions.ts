/**
 * Actions of the data channel commands.
 * @module
 */
import { peerSetupBase as base } from '../base.js';
import { commandReporter } from '../commands.js';
import { requirePc } from '../context.js';
import { openLocalDataChannel, upsertDataChannel } from '../dataChannels.js';
import { changeIntent } from '../media/media.actions.js';
import type { PeerCommand, PeerContext, PeerEvent } from '../types.js';
import { closedOnPurpose, failQueuedOnClose, sendOrQueue } from './outbox.actions.js';

type CreateCommand = Extract<PeerCommand, { type: 'CREATE_DATA_CHANNEL' }>;

const isKeptChannel = (event: PeerEvent): event is CreateCommand =>
  event.type === 'CREATE_DATA_CHANNEL';

export const dataChannelActions = {
  /**
   * The channel exists once `createDataChannel` returns: it is listed and watched, and the
   * command settles, in this transition, with one assign (#22: a `peer.dataChannelCreated` and
   * a `peer.settled` sent to self were a macrostep each, and every assign copies the context).
   *
   * Not while a description operation runs: Firefox 153 then loses the channel for the whole
   * connection (no `negotiationneeded`, no application m-section in any later offer, even after
   * another change: seen as 227 offers in 15 s without it and `chat` never open; apps/e2e
   * `12-engine-firefox-channel-created-during-offer`). The intent changes now, so a `SEND_DATA`
   * waits for the channel; the engine call and the command's answer wait for `stable` or
   * `have-local-offer` (`createKeptDataChannels`), a few milliseconds.
   */
  createDataChannel: base.enqueueActions(({ context, event, self, enqueue, check }) => {
    if (event.type !== 'CREATE_DATA_CHANNEL') return;
    const { report, done } = commandReporter(self, event, (answer) => enqueue.emit(answer));
    let patch: Partial<PeerContext> = {};
    changeIntent(context, event, { assign: (values) => (patch = values) }, report);
    if (check('describing')) {
      enqueue.assign({ ...patch, deferredEvents: [...context.deferredEvents, event] });
      return;
    }
    const channel = openLocalDataChannel(requirePc(context), event.label, event.options, report);
    if (channel) {
      patch = { ...patch, dataChannels: upsertDataChannel(context.dataChannels, channel, 'local') };
    }
    enqueue.assign(patch);
    if (channel) enqueue.sendTo('peerConnectionEvents', { type: 'watchDataChannel', channel });
    done();
  }),
  /** The description operation is over: the channels kept meanwhile are created, in order. */
  createKeptDataChannels: base.enqueueActions(({ context, self, enqueue }) => {
    // Nothing kept (every ordinary state entry): no assign, so no copy of the context (#22).
    if (!context.deferredEvents.some(isKeptChannel)) return;
    let { dataChannels } = context;
    for (const command of context.deferredEvents.filter(isKeptChannel)) {
      const { report, done } = commandReporter(self, command, (answer) => enqueue.emit(answer));
      const { label, options } = command;
      const channel = openLocalDataChannel(requirePc(context), label, options, report);
      if (channel) {
        dataChannels = upsertDataChannel(dataChannels, channel, 'local');
        enqueue.sendTo('peerConnectionEvents', { type: 'watchDataChannel', channel });
      }
      done();
    }
    const deferredEvents = context.deferredEvents.filter((e) => !isKeptChannel(e));
    enqueue.assign({ dataChannels, deferredEvents });
  }),
  /**
   * A rebuild replaces the connection before a kept channel was created: the intent has it, so
   * the new connection gets it with the rest (rebuild/restoreMedia); the command did what it
   * asked. Before `replayDeferredEvents`, which would create it a second time.
   */
  settleKeptDataChannels: base.enqueueActions(({ context, self, enqueue }) => {
    if (!context.deferredEvents.some(isKeptChannel)) return;
    for (const command of context.deferredEvents.filter(isKeptChannel)) {
      commandReporter(self, command, (answer) => enqueue.emit(answer)).done();
    }
    enqueue.assign({ deferredEvents: context.deferredEvents.filter((e) => !isKeptChannel(e)) });
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
