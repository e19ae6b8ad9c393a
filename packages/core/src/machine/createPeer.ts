import { type Actor, createActor, type InspectionEvent, type Observer } from 'xstate';
import { ClosedError } from '../errors.js';
import { isPeerCommandType } from './commands.js';
import { peerMachine } from './peerMachine.js';
import type { PeerCommand, PeerEmitted, PeerOptions } from './types.js';

/**
 * A running (or startable) peer: an XState actor of {@link peerMachine} whose `send` takes the
 * public commands only ({@link PeerCommand}); the machine's own events are not part of the API.
 *
 * A peer ends in `closed` or `failed`, both final states: the actor is then `done` (so
 * `toPromise(actor)` settles) and processes nothing more. A command sent to it after the end is
 * answered by {@link createPeer}'s actor itself: an `error` event and a `settled` event with
 * `PEER_CLOSED` (`CLOSE` settles `ok`: closing twice is no failure), and a development warning.
 * So is a command with an `id` that was still under way when the peer ended. An actor made with
 * `createActor(peerMachine)` has no such layer: XState drops events sent to a done actor (with
 * a warning in development builds); use {@link peerCommands} to get the promise rejected.
 */
export type PeerActor = Omit<Actor<typeof peerMachine>, 'send'> & {
  /** Sends a command to the peer. */
  send(command: PeerCommand): void;
};

/** The snapshot of a peer actor. */
export type PeerSnapshot = ReturnType<PeerActor['getSnapshot']>;

/** Options of {@link createPeer}: the peer's own, plus the actor's. */
export interface CreatePeerOptions extends PeerOptions {
  /** XState inspection: receives every event, transition and snapshot (the playground draws them). */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Actor id, handy in inspection output. */
  readonly id?: string;
}

type Listener = { readonly type: string; readonly handler: (event: PeerEmitted) => void };

/**
 * @internal Gives a peer actor the answers a done actor cannot give: commands sent after the
 * end, and commands with an id cut short by it, settle with `PEER_CLOSED`. XState clears its
 * listeners when an actor completes, so the ones given to `on` are kept here for those answers.
 */
export function answerAfterTheEnd(actor: Actor<typeof peerMachine>): PeerActor {
  const listeners = new Set<Listener>();
  const underWay = new Map<string, PeerCommand['type']>();
  const on = actor.on.bind(actor);
  const send = actor.send.bind(actor);
  let ended = false;
  const emit = (event: PeerEmitted) => {
    for (const { type, handler } of [...listeners]) {
      if (type === '*' || type === event.type) handler(event);
    }
  };
  const refuse = (type: PeerCommand['type'], id: string | null) => {
    if (type === 'CLOSE') return emit({ type: 'settled', id, command: type, ok: true });
    const error = new ClosedError(type);
    emit({ type: 'error', error });
    emit({ type: 'settled', id, command: type, ok: false, error });
  };
  on('settled', ({ id }) => {
    if (id !== null) underWay.delete(id);
  });
  actor.subscribe({
    complete: () => {
      ended = true;
      for (const [id, type] of [...underWay]) refuse(type, id);
      underWay.clear();
    },
  });
  return Object.assign(actor, {
    on: ((type: string, handler: (event: PeerEmitted) => void) => {
      const listener = { type, handler };
      listeners.add(listener);
      const subscription = on(type as '*', handler);
      return {
        unsubscribe: () => {
          listeners.delete(listener);
          subscription.unsubscribe();
        },
      };
    }) as PeerActor['on'],
    send: (command: PeerCommand) => {
      if (!isPeerCommandType(command.type)) return send(command);
      if (ended || actor.getSnapshot().status !== 'active') {
        const { context } = actor.getSnapshot();
        if (context.options.dev && command.type !== 'CLOSE') {
          const closed = context.closeReason ? `closed (${context.closeReason})` : 'closed';
          console.warn(
            `[peerstate] "${command.type}" was sent to a peer that is ${closed}; it was ignored.`,
          );
        }
        return refuse(command.type, command.id ?? null);
      }
      if (command.id !== undefined) underWay.set(command.id, command.type);
      send(command);
    },
  });
}

/**
 * Creates a peer actor. It is not started: subscribe and listen first, then `start()`.
 *
 * @example
 * ```ts
 * const [left, right] = createInMemorySignalingPair();
 * const caller = createPeer({ signaling: left, polite: false });
 * const callee = createPeer({ signaling: right, polite: true });
 * caller.on('error', ({ error }) => console.error(error.code, error.message));
 * caller.start();
 * callee.start();
 * caller.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
 * ```
 */
export function createPeer(options: CreatePeerOptions): PeerActor {
  const { inspect, id, ...input } = options;
  return answerAfterTheEnd(
    createActor(peerMachine, {
      input,
      ...(inspect === undefined ? {} : { inspect }),
      ...(id === undefined ? {} : { id }),
    }),
  );
}
