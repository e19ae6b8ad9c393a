/**
 * The promise facade: each action sends its command with a fresh id and settles with the
 * command's `settled` event. The actor stays what it is; XState users keep using it directly.
 * @module
 */
import { ClosedError, type PeerStateError } from '../errors.js';
import type { PeerActor } from './createPeer.js';
import { type PeerActions, peerActions } from './peerView.js';
import type { PeerCommand } from './types.js';

/** What {@link peerCommands} needs of an actor. */
export type CommandTarget = Pick<PeerActor, 'send' | 'on' | 'getSnapshot' | 'subscribe'>;

let lastId = 0;

/**
 * Binds promise-returning actions to a peer actor. Each promise resolves once the command did
 * what it asked, or rejects with its typed error (the same error also goes out as an `error`
 * event). A command sent before `start()` resolves once the peer connection exists; one sent
 * after the peer ended (`closed`, `failed`, or the actor stopped), or cut short by the end,
 * rejects with `PEER_CLOSED`, whatever made the actor (`CLOSE` resolves: closing twice is no
 * failure).
 *
 * @example
 * ```ts
 * const peer = createPeer({ signaling, polite: false });
 * const commands = peerCommands(peer);
 * peer.start();
 * await commands.replaceTrack(camera, screen);
 * ```
 */
export function peerCommands(actor: CommandTarget): PeerActions<Promise<void>> {
  return peerActions((command: PeerCommand) => {
    // A done or stopped actor processes nothing: its commands could never settle.
    if (actor.getSnapshot().status !== 'active') {
      return command.type === 'CLOSE'
        ? Promise.resolve()
        : Promise.reject(new ClosedError(command.type));
    }
    lastId += 1;
    const id = `peerstate-command-${lastId}`;
    return new Promise<void>((resolve, reject) => {
      const settle = (error: PeerStateError | undefined) => {
        settled.unsubscribe();
        ended.unsubscribe();
        if (error === undefined) resolve();
        else reject(error);
      };
      const settled = actor.on('settled', (event) => {
        if (event.id === id) settle(event.ok ? undefined : event.error);
      });
      // The end came first (an actor without `createPeer`'s answers after the end).
      const ended = actor.subscribe({
        complete: () =>
          settle(command.type === 'CLOSE' ? undefined : new ClosedError(command.type)),
        error: () => settle(new ClosedError(command.type)),
      });
      actor.send({ ...command, id });
    });
  });
}
