import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { createInMemorySignalingPair } from '../../signaling/inMemorySignaling.js';
import {
  createFakeNetwork,
  FakePeerConnection,
  type FakePeerConnectionOptions,
  liveFakeListenerCount,
  openFakePeerConnections,
  resetFakeRegistry,
} from '../../testing/index.js';
import { createPeer, type PeerActor } from '../createPeer.js';

/** Builds a constructor that links every two instances it creates over one fake network. */
function linkedConstructor<T extends typeof FakePeerConnection>(
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

async function connectOver(scope: object): Promise<[PeerActor, PeerActor]> {
  const [left, right] = createInMemorySignalingPair();
  const a = createPeer({ signaling: left, polite: false, scope, dev: false });
  const b = createPeer({ signaling: right, polite: true, scope, dev: false });
  const errors: unknown[] = [];
  a.on('error', (e) => errors.push(e.error));
  b.on('error', (e) => errors.push(e.error));
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  b.send({ type: 'CREATE_DATA_CHANNEL', label: 'glare' });
  const connected = { active: { connection: 'connected' } } as const;
  // Real timers here (the engines' shims): waits for states, sized for a loaded 2-core machine.
  await Promise.all(
    [a, b].map((actor) => waitFor(actor, (s) => s.matches(connected), { timeout: 15_000 })),
  );
  // A restart goes through the engine's shim too.
  a.send({ type: 'RESTART_ICE' });
  await waitFor(a, (s) => s.context.counters.offersSent >= 2 && s.matches(connected), {
    timeout: 15_000,
  });
  expect(errors).toEqual([]);
  return [a, b];
}

describe('peer connection platforms', () => {
  it('uses the webkit-prefixed constructor when the standard one is missing', async () => {
    resetFakeRegistry();
    const scope = { webkitRTCPeerConnection: linkedConstructor(FakePeerConnection, {}) };
    const [a, b] = await connectOver(scope);
    expect(a.getSnapshot().context.platform).toEqual({
      name: 'webkitRTCPeerConnection',
      api: 'promise',
      streamApi: false,
    });
    a.send({ type: 'CLOSE' });
    await waitFor(b, (s) => s.matches('closed'));
    expect(openFakePeerConnections()).toEqual([]);
    expect(liveFakeListenerCount()).toBe(0);
  });

  it('prefers RTCPeerConnection over the prefixed ones', async () => {
    resetFakeRegistry();
    const standard = linkedConstructor(FakePeerConnection, {});
    const scope = {
      RTCPeerConnection: standard,
      webkitRTCPeerConnection: class {},
      mozRTCPeerConnection: class {},
    };
    const [a] = await connectOver(scope);
    expect(a.getSnapshot().context.platform?.name).toBe('RTCPeerConnection');
    a.send({ type: 'CLOSE' });
  });

  it('fails with a typed UNSUPPORTED error when there is no peer connection at all', () => {
    const [left] = createInMemorySignalingPair();
    const peer = createPeer({ signaling: left, polite: false, scope: {}, dev: false });
    const errors: { code: string; lookedFor?: readonly string[] }[] = [];
    peer.on('error', ({ error }) => errors.push(error as never));
    peer.start();
    expect(peer.getSnapshot().matches('failed')).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('UNSUPPORTED');
    expect(errors[0]?.lookedFor).toEqual([
      'RTCPeerConnection',
      'webkitRTCPeerConnection',
      'mozRTCPeerConnection',
    ]);
    // Commands after the failure are refused like after close.
    peer.send({ type: 'RESTART_ICE' });
    expect(errors.at(-1)?.code).toBe('PEER_CLOSED');
    peer.send({ type: 'CLOSE' });
    expect(peer.getSnapshot().matches('closed')).toBe(true);
  });

  it('reports a peerConnection factory that throws', () => {
    const [left] = createInMemorySignalingPair();
    const peer = createPeer({
      signaling: left,
      polite: false,
      dev: false,
      peerConnection: () => {
        throw new Error('boom');
      },
    });
    const codes: string[] = [];
    peer.on('error', ({ error }) => codes.push(error.code));
    peer.start();
    expect(peer.getSnapshot().matches('failed')).toBe(true);
    expect(codes).toEqual(['PEER_CONNECTION_FAILED']);
  });
});
