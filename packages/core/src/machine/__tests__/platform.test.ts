import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { createInMemorySignalingPair } from '../../signaling/inMemorySignaling.js';
import {
  FakePeerConnection,
  liveFakeListenerCount,
  openFakePeerConnections,
  resetFakeRegistry,
} from '../../testing/index.js';
import { createPeer } from '../createPeer.js';
import { connectOver, linkedConstructor } from './platformCall.js';

describe('peer connection platforms', () => {
  it('uses the webkit-prefixed constructor when the standard one is missing', async () => {
    resetFakeRegistry();
    const scope = { webkitRTCPeerConnection: linkedConstructor(FakePeerConnection, {}) };
    const [a, b] = await connectOver({ scope });
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
    const [a] = await connectOver({ scope });
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
    // failed is final: CLOSE has nothing left to close.
    peer.send({ type: 'CLOSE' });
    expect(peer.getSnapshot().matches('failed')).toBe(true);
    expect(errors.at(-1)?.code).toBe('PEER_CLOSED');
    expect(errors).toHaveLength(2);
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
