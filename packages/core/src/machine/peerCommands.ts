/**
 * The promise facade: each action sends its command with a fresh id and settles with the
 * command's `settled` event. The actor stays what it is; XState users keep using it directly.
 * @module
 */
import { ClosedError } from '../errors.js';
import type { PeerActor } from './createPeer.js';
import { type PeerActions, peerActions } from './peerView.js';
import type { PeerCommand } from './types.js';

/** What {@link peerCommands} needs of an actor. */
export type CommandTarget = Pick<PeerActor, 'send' | 'on' | 'getSnapshot'>;

let lastId = 0;

/**
 * Binds promise-returning actions to a peer actor. Each promise resolves once the command did
 * what it asked, or rejects with its typed error (the same error also goes out as an `error`
 * event). A command sent before `start()` resolves once the peer connection exists.
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
    // A stopped actor processes nothing: its commands could never settle.
    if (actor.getSnapshot().status === 'stopped') {
      return Promise.reject(new ClosedError(command.type));
    }
    lastId += 1;
    const id = `peerstate-command-${lastId}`;
    return new Promise<void>((resolve, reject) => {
      const subscription = actor.on('settled', (event) => {
        if (event.id !== id) return;
        subscription.unsubscribe();
        if (event.ok) resolve();
        else reject(event.error);
      });
      actor.send({ ...command, id });
    });
  });
}
