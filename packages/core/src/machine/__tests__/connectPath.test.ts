import { describe, expect, it } from 'vitest';
import { createInMemorySignalingPair } from '../../signaling/inMemorySignaling.js';
import { createFakeNetwork, resetFakeRegistry } from '../../testing/index.js';
import { createPeer } from '../createPeer.js';

// #22: nothing on the connect path may wait on a timer. The impolite peer never holds its
// first offer (its hold was a 0 ms `after`: a macrotask between the engine's negotiationneeded
// and the offer, and a 4 ms one once timers nest).
describe('connect path', () => {
  it('the impolite peer holds nothing: renegotiation is idle as soon as it starts', () => {
    resetFakeRegistry();
    const network = createFakeNetwork();
    const [left] = createInMemorySignalingPair();
    const peer = createPeer({
      signaling: left,
      polite: false,
      peerConnection: network.factory('a'),
    });
    peer.start();
    expect(peer.getSnapshot().matches({ active: { renegotiation: 'idle' } })).toBe(true);
    peer.send({ type: 'CLOSE' });
  });

  it('the polite peer still holds its first offer', () => {
    resetFakeRegistry();
    const network = createFakeNetwork();
    const [, right] = createInMemorySignalingPair();
    const peer = createPeer({
      signaling: right,
      polite: true,
      peerConnection: network.factory('b'),
    });
    peer.start();
    expect(peer.getSnapshot().matches({ active: { renegotiation: 'holdingFirstOffer' } })).toBe(
      true,
    );
    peer.send({ type: 'CLOSE' });
  });
});
