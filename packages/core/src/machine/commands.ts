/**
 * The lifecycle of a command: every command the app sends settles once, with its outcome.
 * @module
 */
import { ClosedError, type PeerStateError } from '../errors.js';
import { type Report, reporter } from './report.js';
import type { PeerCommand, PeerEmitted, PeerEvent, PeerInternalEvent } from './types.js';

const COMMAND_TYPES: ReadonlySet<string> = new Set<PeerCommand['type']>([
  'START',
  'ADD_TRACK',
  'ADD_TRANSCEIVER',
  'REMOVE_TRACK',
  'REPLACE_TRACK',
  'START_MEDIA',
  'CREATE_DATA_CHANNEL',
  'SEND_DATA',
  'RESTART_ICE',
  'CLOSE',
  'REMOTE_LEFT',
  'SET_MUTED',
  'SWITCH_DEVICE',
  'START_SCREEN_SHARE',
  'STOP_SCREEN_SHARE',
  'SET_SENDER_PARAMETERS',
  'SET_CODEC_PREFERENCES',
]);

/** Commands whose outcome arrives later, and the reports that mean they did what they asked. */
const ASYNC_OUTCOMES: Partial<Record<PeerCommand['type'], readonly PeerInternalEvent['type'][]>> = {
  // The remove + add fallback ends with the new track added.
  REPLACE_TRACK: ['peer.trackReplaced', 'peer.trackAdded'],
  START_MEDIA: ['peer.mediaReady'],
  START_SCREEN_SHARE: ['peer.mediaReady'],
};

/** The `peer.settled` event of a command. */
export function settledEvent(
  command: PeerCommand,
  error: PeerStateError | null,
): Extract<PeerInternalEvent, { type: 'peer.settled' }> {
  return { type: 'peer.settled', id: command.id ?? null, command: command.type, error };
}

/**
 * A report for the work of one command: it forwards every event, and settles the command on
 * its first error or on the report that it succeeded. `done()`, called once the synchronous part
 * returned, settles a synchronous command that reported no error. With `emitNow` (the action's
 * `enqueue.emit`), a command that reported nothing is settled in place: a `peer.settled` sent
 * to self would cost a macrostep of its own (#22: `SEND_DATA` is on a call's first round trip),
 * and there is no event of the command's before it for the answer to wait behind.
 */
export function commandReporter(
  self: Parameters<typeof reporter>[0],
  command: PeerCommand,
  emitNow?: (event: PeerEmitted) => void,
): { readonly report: Report; done(): void } {
  const forward = reporter(self);
  const outcomes = ASYNC_OUTCOMES[command.type];
  let settled = false;
  let reported = false;
  const settle = (error: PeerStateError | null) => {
    if (settled) return;
    settled = true;
    forward(settledEvent(command, error));
  };
  return {
    report: (event) => {
      reported = true;
      forward(event);
      if (event.type === 'peer.error') settle(event.error);
      else if (outcomes?.includes(event.type)) settle(null);
    },
    done: () => {
      if (outcomes) return;
      if (emitNow && !reported) {
        emitNow({ type: 'settled', id: command.id ?? null, command: command.type, ok: true });
      } else settle(null);
    },
  };
}

/**
 * Whether `type` names a command an app sends (`START`, `ADD_TRACK`, …), as opposed to the
 * machine's own events (`pc.*`, `peer.*`, `signal.*`, timers): for tools that show a peer's events.
 */
export function isPeerCommandType(type: string): type is PeerCommand['type'] {
  return COMMAND_TYPES.has(type);
}

/** The command an event is, if it is one. */
export function asCommand(event: PeerEvent): PeerCommand | null {
  return isPeerCommandType(event.type) ? (event as PeerCommand) : null;
}

/**
 * What a command gets when the peer has ended before it could run: `PEER_CLOSED` as an error
 * and a failed `settled` event; `CLOSE` settles `ok` (closing twice is no failure).
 */
export function closedAnswers(command: PeerCommand['type'], id: string | null): PeerEmitted[] {
  if (command === 'CLOSE') return [{ type: 'settled', id, command, ok: true }];
  const error = new ClosedError(command);
  return [
    { type: 'error', error },
    { type: 'settled', id, command, ok: false, error },
  ];
}
