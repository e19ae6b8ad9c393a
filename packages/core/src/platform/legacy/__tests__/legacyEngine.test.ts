import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { connectOver, linkedConstructor } from '../../../machine/__tests__/platformCall.js';
import { createPeer } from '../../../machine/createPeer.js';
import { createInMemorySignalingPair } from '../../../signaling/inMemorySignaling.js';
import {
  FakePeerConnection,
  type FakePeerConnectionOptions,
  openFakePeerConnections,
  resetFakeRegistry,
} from '../../../testing/index.js';
import { legacyPeerConnection } from '../legacyPeerConnection.js';

type Callback<T> = (value: T) => void;

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

describe('a peer on a legacy engine', () => {
  it('drives a callback-API engine (moz prefix) through legacyPeerConnection()', async () => {
    resetFakeRegistry();
    const scope = {
      mozRTCPeerConnection: linkedConstructor(
        LegacyCallbackEngine as unknown as typeof FakePeerConnection,
        OLD_ENGINE,
      ),
    };
    const [a, b] = await connectOver({ peerConnection: legacyPeerConnection({ scope }) });
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
