import { type Actor, createActor, type InspectionEvent, type Observer } from 'xstate';
import { closedAnswers, isPeerCommandType } from './commands.js';
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

/**
 * @internal Gives a peer actor the answers a done actor cannot give: commands sent after the
 * end, and commands with an id cut short by it, settle with `PEER_CLOSED`. XState clears its
 * listeners when an actor completes, so the ones given to `on` are kept here for those answers.
 */
export function answerAfterTheEnd(actor: Actor<typeof peerMachine>): PeerActor {
  const listeners = new Set<[string, (event: PeerEmitted) => void]>();
  const underWay = new Map<string, PeerCommand['type']>();
  const on = actor.on.bind(actor);
  const send = actor.send.bind(actor);
  const refuse = (command: PeerCommand['type'], id: string | null) => {
    for (const event of closedAnswers(command, id)) {
      for (const [type, handler] of [...listeners]) {
        if (type === '*' || type === event.type) handler(event);
      }
    }
  };
  on('settled', ({ id }) => underWay.delete(id ?? ''));
  actor.subscribe({
    complete: () => {
      for (const [id, command] of underWay) refuse(command, id);
    },
  });
  return Object.assign(actor, {
    on: ((type: '*', handler: (event: PeerEmitted) => void) => {
      const listener: [string, typeof handler] = [type, handler];
      listeners.add(listener);
      const subscription = on(type, handler);
      return {
        unsubscribe: () => {
          listeners.delete(listener);
          subscription.unsubscribe();
        },
      };
    }) as PeerActor['on'],
    send: (event: PeerCommand) => {
      // The machine's own events come through here too (`self.send` in its actions).
      if (!isPeerCommandType(event.type)) return send(event);
      const { status, context, value } = actor.getSnapshot();
      if (status === 'active') {
        if (event.id !== undefined) underWay.set(event.id, event.type);
        return send(event);
      }
      if (context.options.dev && event.type !== 'CLOSE') {
        console.warn(
          `[peerstate] "${event.type}" was sent to a peer that is ${status === 'done' ? String(value) : status}; it was ignored.`,
        );
      }
      refuse(event.type, event.id ?? null);
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
