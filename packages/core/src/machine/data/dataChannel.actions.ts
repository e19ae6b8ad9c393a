/**
 * Actions of the data channel commands.
 * @module
 */

import type { PeerConnectionLike } from '../../platform/types.js';
import type { PeerConnectionEventsCommand } from '../actors/peerConnectionEvents.js';
import { peerSetupBase as base } from '../base.js';
import { commandReporter } from '../commands.js';
import { requirePc } from '../context.js';
import { openLocalDataChannel, upsertDataChannel } from '../dataChannels.js';
import { changeIntent } from '../media/media.actions.js';
import { type Report, reporter } from '../report.js';
import type { DataChannelInfo, PeerCommand, PeerContext } from '../types.js';
import { closedOnPurpose, failQueuedOnClose, sendOrQueue } from './outbox.actions.js';

type CreateCommand = Extract<PeerCommand, { type: 'CREATE_DATA_CHANNEL' }>;

/**
 * The channels each connection is to create once its description operation is over. Outside
 * the context: a rebuilt connection gets them from the intent, and nothing else reads them.
 */
const kept = new WeakMap<PeerConnectionLike, CreateCommand[]>();

/** Creates each channel on the engine, lists it and has the connection's listener watch it. */
function opened(
  pc: PeerConnectionLike,
  dataChannels: readonly DataChannelInfo[],
  commands: readonly CreateCommand[],
  report: Report,
  follow: (channel: RTCDataChannel) => void,
): Pick<PeerContext, 'dataChannels'> {
  let listed = dataChannels;
  for (const { label, options } of commands) {
    const channel = openLocalDataChannel(pc, label, options, report);
    if (!channel) continue;
    listed = upsertDataChannel(listed, channel, 'local');
    follow(channel);
  }
  return { dataChannels: listed };
}

/** The connection's listener follows the channel (actors/peerConnectionEvents.ts). */
const watchWith =
  (enqueue: { sendTo: (to: 'peerConnectionEvents', event: PeerConnectionEventsCommand) => void }) =>
  (channel: RTCDataChannel) =>
    enqueue.sendTo('peerConnectionEvents', { type: 'watchDataChannel', channel });

export const dataChannelActions = {
  /**
   * The channel exists once `createDataChannel` returns: it is listed and watched, and the
   * command settles, in this transition, with one assign (#22: a `peer.dataChannelCreated` and
   * a `peer.settled` sent to self were a macrostep each, and every assign copies the context).
   *
   * Not while a description operation runs: Firefox 153 then loses the channel for the whole
   * connection (no `negotiationneeded`, no application m-section in any later offer, even after
   * another change: seen as 227 offers in 15 s without it and `chat` never open; apps/e2e
   * `12-engine-firefox-channel-created-during-offer`). The intent changes now and the command
   * settles, as during a rebuild (a `SEND_DATA` waits for the channel); the engine call waits
   * for `stable` or `have-local-offer` (`createKeptDataChannels`), a few milliseconds.
   */
  createDataChannel: base.enqueueActions(({ context, event, self, enqueue, check }) => {
    if (event.type !== 'CREATE_DATA_CHANNEL') return;
    const { report, done } = commandReporter(self, event, (answer) => enqueue.emit(answer));
    let patch: Partial<PeerContext> = {};
    changeIntent(context, event, { assign: (values) => (patch = values) }, report);
    const pc = requirePc(context);
    if (check('describing')) {
      kept.set(pc, [...(kept.get(pc) ?? []), event]);
    } else {
      const listed = opened(pc, context.dataChannels, [event], report, watchWith(enqueue));
      patch = { ...patch, ...listed };
    }
    enqueue.assign(patch);
    done();
  }),
  /** The description operation is over: the channels kept meanwhile are created, in order. */
  createKeptDataChannels: base.enqueueActions(({ context, self, enqueue }) => {
    const pc = requirePc(context);
    const commands = kept.get(pc);
    // Nothing kept (every ordinary state entry): no assign, so no copy of the context (#22).
    if (!commands) return;
    kept.delete(pc);
    enqueue.assign(opened(pc, context.dataChannels, commands, reporter(self), watchWith(enqueue)));
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
