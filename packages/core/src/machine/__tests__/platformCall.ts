/**
 * A call over a given engine (a `scope` with its constructors, or a `peerConnection` factory),
 * for the platform tests: they run on real timers, because what they check is the engines' shims.
 */
import { expect } from 'vitest';
import { waitFor } from 'xstate';
import type { PeerConnectionFactory } from '../../platform/types.js';
import { createInMemorySignalingPair } from '../../signaling/inMemorySignaling.js';
import {
  createFakeNetwork,
  createFakeTrack,
  type FakePeerConnection,
  type FakePeerConnectionOptions,
} from '../../testing/index.js';
import { createPeer, type PeerActor } from '../createPeer.js';

/** Builds a constructor that links every two instances it creates over one fake network. */
export function linkedConstructor<T extends typeof FakePeerConnection>(
  Base: T,
  options: FakePeerConnectionOptions,
) {
  const network = createFakeNetwork();
  let waiting: FakePeerConnection | null = null;
  const Linked = class extends (Base as typeof FakePeerConnection) {
    constructor(configuration?: RTCConfiguration) {
      super(configuration, options);
      if (waiting) {
        network.link(waiting, this);
        waiting = null;
      } else {
        waiting = this;
      }
    }
  };
  return Linked as unknown as T;
}

/** Connects two peers, restarts ICE once, then makes a glare (both add a track at once). */
export async function connectOver(
  engine: { scope: object } | { peerConnection: PeerConnectionFactory },
): Promise<[PeerActor, PeerActor]> {
  const [left, right] = createInMemorySignalingPair();
  const a = createPeer({ signaling: left, polite: false, dev: false, ...engine });
  const b = createPeer({ signaling: right, polite: true, dev: false, ...engine });
  const errors: unknown[] = [];
  a.on('error', (e) => errors.push(e.error));
  b.on('error', (e) => errors.push(e.error));
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  b.send({ type: 'CREATE_DATA_CHANNEL', label: 'glare' });
  const connected = { active: { connection: 'connected' } } as const;
  // Real timers (the engines' shims): waits for states, sized for a loaded 2-core machine.
  await Promise.all(
    [a, b].map((actor) => waitFor(actor, (s) => s.matches(connected), { timeout: 15_000 })),
  );
  // A restart goes through the engine's shim too.
  a.send({ type: 'RESTART_ICE' });
  await waitFor(a, (s) => s.context.counters.offersSent >= 2 && s.matches(connected), {
    timeout: 15_000,
  });
  // Glare on the live connection: at start-up the polite peer's first offer waits (#23).
  const idle = { active: { renegotiation: 'idle', signaling: 'stable' } } as const;
  await Promise.all(
    [a, b].map((actor) => waitFor(actor, (s) => s.matches(idle), { timeout: 15_000 })),
  );
  a.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
  b.send({ type: 'ADD_TRACK', track: createFakeTrack('video') });
  await Promise.all(
    [a, b].map((actor) =>
      waitFor(actor, (s) => s.context.remoteTracks.length === 1 && s.matches(idle), {
        timeout: 15_000,
      }),
    ),
  );
  expect(errors).toEqual([]);
  return [a, b];
}
