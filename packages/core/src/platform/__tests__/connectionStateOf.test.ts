import { describe, expect, it } from 'vitest';
import { connectionStateOf } from '../connectionStateOf.js';
import type { PeerConnectionLike } from '../types.js';
import { PreImplicitPeerConnection } from './fakes.js';

const asLike = (pc: object) => pc as unknown as PeerConnectionLike;

describe('connectionStateOf', () => {
  it('returns connectionState when the engine has it', () => {
    expect(
      connectionStateOf({ connectionState: 'connecting', iceConnectionState: 'connected' }),
    ).toBe('connecting');
  });

  it.each([
    ['new', 'new'],
    ['checking', 'connecting'],
    ['connected', 'connected'],
    ['completed', 'connected'],
    ['disconnected', 'disconnected'],
    ['failed', 'failed'],
    ['closed', 'closed'],
  ] as const)('derives %s ICE as %s', (ice, expected) => {
    expect(connectionStateOf({ iceConnectionState: ice })).toBe(expected);
    expect(connectionStateOf({ iceConnectionState: ice, signalingState: 'stable' })).toBe(expected);
  });

  it('reports closed once signaling is closed, and new for unknown states', () => {
    expect(connectionStateOf({ iceConnectionState: 'connected', signalingState: 'closed' })).toBe(
      'closed',
    );
    expect(connectionStateOf({ iceConnectionState: 'weird' as RTCIceConnectionState })).toBe('new');
  });

  it('works on a real (fake) engine without connectionState', () => {
    const native = new PreImplicitPeerConnection();
    native.setIceConnectionState('checking');
    expect(connectionStateOf(asLike(native))).toBe('connecting');
  });
});
