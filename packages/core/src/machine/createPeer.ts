import { type Actor, createActor, type InspectionEvent, type Observer } from 'xstate';
import { peerMachine } from './peerMachine.js';
import type { PeerOptions } from './types.js';

/** A running (or startable) peer: an XState actor of {@link peerMachine}. */
export type PeerActor = Actor<typeof peerMachine>;

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
  return createActor(peerMachine, {
    input,
    ...(inspect === undefined ? {} : { inspect }),
    ...(id === undefined ? {} : { id }),
  });
}
