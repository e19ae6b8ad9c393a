import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { createPeer, type PeerActor } from '../../../machine/createPeer.js';
import { createInMemorySignalingPair } from '../../../signaling/inMemorySignaling.js';
import {
  createFakeNetwork,
  FakePeerConnection,
  type FakePeerConnectionOptions,
  openFakePeerConnections,
  resetFakeRegistry,
} from '../../../testing/index.js';
import type { PeerConnectionFactory } from '../../types.js';
import { legacyPeerConnection } from '../legacyPeerConnection.js';

type Callback<T> = (value: T) => void;

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

/**
 * An engine of the callback era: every async method takes success/failure callbacks and returns
 * nothing, there is no parameterless setLocalDescription, no restartIce, no implicit rollback.
 */
class LegacyCallbackEngine extends FakePeerConnection {
  // @ts-expect-error the legacy signature differs from the promise one on purpose
  override createOffer(
    success: Callback<RTCSessionDescriptionInit>,
    failure: Callback<unknown>,
    options?: RTCOfferOptions,
  ): void {
    super.createOffer(options).then(success, failure);
  }
  // @ts-expect-error legacy signature
  override createAnswer(
    success: Callback<RTCSessionDescriptionInit>,
    failure: Callback<unknown>,
  ): void {
    super.createAnswer().then(success, failure);
  }
  // @ts-expect-error legacy signature
  override setLocalDescription(
    description: RTCSessionDescriptionInit,
    success: Callback<void>,
    failure: Callback<unknown>,
  ): void {
    super.setLocalDescription(description).then(success, failure);
  }
  // @ts-expect-error legacy signature
  override setRemoteDescription(
    description: RTCSessionDescriptionInit,
    success: Callback<void>,
    failure: Callback<unknown>,
  ): void {
    super.setRemoteDescription(description).then(success, failure);
  }
  // @ts-expect-error legacy signature
  override addIceCandidate(
    candidate: RTCIceCandidateInit,
    success: Callback<void>,
    failure: Callback<unknown>,
  ): void {
    super.addIceCandidate(candidate).then(success, failure);
  }
}

const OLD_ENGINE: FakePeerConnectionOptions = {
  implicitRollback: false,
  parameterlessSetLocalDescription: false,
  restartIce: false,
};

/** Connects two peers (with glare: both open a channel), then restarts ICE once. */
async function connect(
  options: { scope: object } | { peerConnection: PeerConnectionFactory },
): Promise<[PeerActor, PeerActor]> {
  const [left, right] = createInMemorySignalingPair();
  const a = createPeer({ signaling: left, polite: false, dev: false, ...options });
  const b = createPeer({ signaling: right, polite: true, dev: false, ...options });
  const errors: unknown[] = [];
  a.on('error', (e) => errors.push(e.error));
  b.on('error', (e) => errors.push(e.error));
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  b.send({ type: 'CREATE_DATA_CHANNEL', label: 'glare' });
  const connected = { active: { connection: 'connected' } } as const;
  await Promise.all(
    [a, b].map((actor) => waitFor(actor, (s) => s.matches(connected), { timeout: 2000 })),
  );
  // A restart goes through the engine's shim too.
  a.send({ type: 'RESTART_ICE' });
  await waitFor(a, (s) => s.context.counters.offersSent >= 2 && s.matches(connected), {
    timeout: 2000,
  });
  expect(errors).toEqual([]);
  return [a, b];
}

describe('a peer on a legacy engine', () => {
  it('drives a callback-API engine (moz prefix) through legacyPeerConnection()', async () => {
    resetFakeRegistry();
    const scope = {
      mozRTCPeerConnection: linkedConstructor(
        LegacyCallbackEngine as unknown as typeof FakePeerConnection,
        OLD_ENGINE,
      ),
    };
    const [a, b] = await connect({ peerConnection: legacyPeerConnection({ scope }) });
    expect(a.getSnapshot().context.platform).toEqual({
      name: 'custom',
      api: 'promise',
      streamApi: false,
    });
    // Glare on an engine without implicit rollback: the polite side rolled back explicitly.
    expect(b.getSnapshot().context.explicitRollback).toBe(true);
    a.send({ type: 'CLOSE' });
    await waitFor(b, (s) => s.matches('closed'));
    expect(openFakePeerConnections()).toEqual([]);
  });

  it('reports UNSUPPORTED, naming the legacy entry, when the adapter is not passed', () => {
    resetFakeRegistry();
    const scope = {
      mozRTCPeerConnection: linkedConstructor(
        LegacyCallbackEngine as unknown as typeof FakePeerConnection,
        OLD_ENGINE,
      ),
    };
    const [left] = createInMemorySignalingPair();
    const peer = createPeer({ signaling: left, polite: false, scope, dev: false });
    const errors: { code: string; message: string }[] = [];
    peer.on('error', ({ error }) => errors.push(error));
    peer.start();
    expect(peer.getSnapshot().matches('failed')).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('UNSUPPORTED');
    expect(errors[0]?.message).toContain('mozRTCPeerConnection predates the promise API');
    expect(errors[0]?.message).toContain('legacyPeerConnection()');
    // Refused before constructing: no native connection was left behind.
    expect(openFakePeerConnections()).toEqual([]);
    peer.send({ type: 'CLOSE' });
  });

  it('reports UNSUPPORTED through the factory when there is no constructor at all', () => {
    const [left] = createInMemorySignalingPair();
    const peer = createPeer({
      signaling: left,
      polite: false,
      dev: false,
      peerConnection: legacyPeerConnection({ scope: {} }),
    });
    const codes: string[] = [];
    peer.on('error', ({ error }) => codes.push(error.code));
    peer.start();
    expect(peer.getSnapshot().matches('failed')).toBe(true);
    expect(codes).toEqual(['UNSUPPORTED']);
  });
});
