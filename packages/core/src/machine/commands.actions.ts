/**
 * Actions that settle commands: at once for the ones the chart completes itself, or when their
 * work reports back (`peer.settled`).
 * @module
 */
import { peerSetupBase as base } from './base.js';
import { asCommand } from './commands.js';

export const commandActions = {
  /** The command this event is did what it asked, within this transition. */
  settleCommand: base.enqueueActions(({ event, enqueue }) => {
    const command = asCommand(event);
    if (!command) return;
    enqueue.emit({ type: 'settled', id: command.id ?? null, command: command.type, ok: true });
  }),
  /** Work a command started has reported its outcome. */
  emitSettled: base.enqueueActions(({ event, enqueue }) => {
    if (event.type !== 'peer.settled') return;
    const { id, command, error } = event;
    enqueue.emit(
      error === null
        ? { type: 'settled', id, command, ok: true }
        : { type: 'settled', id, command, ok: false, error },
    );
  }),
};
