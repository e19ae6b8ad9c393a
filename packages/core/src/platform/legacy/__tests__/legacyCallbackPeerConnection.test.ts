import { describe, expect, it, vi } from 'vitest';
import {
  FakeIceCandidate,
  FakeSessionDescription,
  LegacyFirefoxPeerConnection,
  LegacyPeerConnection,
  track,
} from '../../__tests__/fakes.js';
import { legacyCallbackPeerConnection } from '../legacyCallbackPeerConnection.js';

function setup(options: Parameters<typeof legacyCallbackPeerConnection>[1] = {}) {
  const native = new LegacyPeerConnection();
  return { native, pc: legacyCallbackPeerConnection(native, options) };
}

/** What a legacy engine passes to its failure callback: not necessarily an Error. */
const engineError = { name: 'OperationError', message: 'engine said no' };

describe('legacyCallbackPeerConnection', () => {
  it('the fake really is callback-only', () => {
    const native = new LegacyPeerConnection();
    expect(() => (native.createOffer as () => void)()).toThrow(TypeError);
  });

  it('createOffer and createAnswer resolve plain descriptions', async () => {
    const { native, pc } = setup();
    const offer = await pc.createOffer();
    expect(offer).toEqual({ type: 'offer', sdp: 'legacy offer' });
    expect(offer).not.toBeInstanceOf(FakeSessionDescription);
    await expect(pc.createOffer({ iceRestart: true })).resolves.toMatchObject({ type: 'offer' });
    await expect(pc.createAnswer()).resolves.toEqual({ type: 'answer', sdp: 'legacy answer' });
    await expect(pc.createAnswer({})).resolves.toMatchObject({ type: 'answer' });
    // The optional argument is left out, not passed as undefined.
    expect(native.calls.map((c) => [c.method, c.args])).toEqual([
      ['createOffer', []],
      ['createOffer', [{ iceRestart: true }]],
      ['createAnswer', []],
      ['createAnswer', [{}]],
    ]);
  });

  it('keeps a description without sdp as such', async () => {
    const native = new LegacyPeerConnection();
    native.createOffer = (success) => success({ type: 'offer' });
    const pc = legacyCallbackPeerConnection(native);
    await expect(pc.createOffer()).resolves.toEqual({ type: 'offer' });
  });

  it('setLocalDescription and setRemoteDescription apply descriptions', async () => {
    const { native, pc } = setup();
    await pc.setRemoteDescription({ type: 'offer', sdp: 'remote offer' });
    expect(pc.signalingState).toBe('have-remote-offer');
    expect(pc.remoteDescription).toEqual({ type: 'offer', sdp: 'remote offer' });
    await pc.setLocalDescription({ type: 'answer', sdp: 'local answer' });
    expect(pc.signalingState).toBe('stable');
    await pc.setLocalDescription({ type: 'offer' });
    expect(native.calls.at(-1)?.args[0]).toEqual({ type: 'offer' });
  });

  it('rejects a parameterless setLocalDescription with a TypeError', async () => {
    const { pc } = setup();
    await expect(pc.setLocalDescription()).rejects.toBeInstanceOf(TypeError);
    await expect(pc.setLocalDescription({})).rejects.toBeInstanceOf(TypeError);
  });

  it('converts dictionaries into the engine constructors when given', async () => {
    const { native, pc } = setup({
      SessionDescription: FakeSessionDescription as unknown as typeof RTCSessionDescription,
      IceCandidate: FakeIceCandidate as unknown as typeof RTCIceCandidate,
    });
    await pc.setRemoteDescription({ type: 'offer', sdp: 'x' });
    await pc.setLocalDescription({ type: 'answer', sdp: 'y' });
    await pc.addIceCandidate({ candidate: 'candidate:1', sdpMid: '0' });
    const [remote, local, candidate] = native.calls.map((c) => c.args[0]);
    expect(remote).toBeInstanceOf(FakeSessionDescription);
    expect(local).toBeInstanceOf(FakeSessionDescription);
    expect(candidate).toBeInstanceOf(FakeIceCandidate);
    // Instances already of the engine's type pass through untouched.
    const own = new FakeSessionDescription({ type: 'offer', sdp: 'z' });
    await pc.setRemoteDescription(own);
    expect(native.calls.at(-1)?.args[0]).toBe(own);
  });

  it('addIceCandidate adds, and treats end-of-candidates as done', async () => {
    const { native, pc } = setup();
    await pc.addIceCandidate({ candidate: 'candidate:1' });
    await pc.addIceCandidate(null);
    await pc.addIceCandidate();
    await pc.addIceCandidate({ candidate: '' });
    expect(native.calls).toEqual([
      { method: 'addIceCandidate', args: [{ candidate: 'candidate:1' }] },
    ]);
  });

  it.each([
    'createOffer',
    'createAnswer',
    'setLocalDescription',
    'setRemoteDescription',
    'addIceCandidate',
  ] as const)('%s rejects with the engine error', async (method) => {
    const { native, pc } = setup();
    native.failNext[method] = engineError;
    const call = {
      createOffer: () => pc.createOffer(),
      createAnswer: () => pc.createAnswer(),
      setLocalDescription: () => pc.setLocalDescription({ type: 'offer', sdp: 'x' }),
      setRemoteDescription: () => pc.setRemoteDescription({ type: 'offer', sdp: 'x' }),
      addIceCandidate: () => pc.addIceCandidate({ candidate: 'candidate:1' }),
    }[method];
    await expect(call()).rejects.toBe(engineError);
  });

  it('rejects when the engine throws synchronously', async () => {
    const { native, pc } = setup();
    const error = new TypeError('bad options');
    native.createOffer = () => {
      throw error;
    };
    await expect(pc.createOffer()).rejects.toBe(error);
  });

  it('forwards everything else with the native object as `this`', () => {
    const { native, pc } = setup();
    // Brand-checked accessors and methods (the fake uses #private fields).
    expect(pc.signalingState).toBe('stable');
    expect(pc.iceConnectionState).toBe('new');
    expect((pc as unknown as LegacyPeerConnection).createDataChannel('chat')).toEqual({
      label: 'chat',
    });
    const handler = vi.fn();
    (pc as unknown as LegacyPeerConnection).onnegotiationneeded = handler;
    expect(native.onnegotiationneeded).toBe(handler);
    expect((pc as unknown as LegacyPeerConnection).onnegotiationneeded).toBe(handler);
    const listener = vi.fn();
    pc.addEventListener('icecandidate', listener);
    native.dispatchEvent(new Event('icecandidate'));
    native.dispatchEvent(new Event('negotiationneeded'));
    expect(listener).toHaveBeenCalledOnce();
    expect(handler).toHaveBeenCalledOnce();
    pc.removeEventListener('icecandidate', listener);
    native.dispatchEvent(new Event('icecandidate'));
    expect(listener).toHaveBeenCalledOnce();
    // Identity and type checks behave as on the native object.
    expect(pc.addEventListener).toBe(pc.addEventListener);
    expect(pc).toBeInstanceOf(LegacyPeerConnection);
    expect(pc).toBeInstanceOf(EventTarget);
    expect(pc.constructor).toBe(LegacyPeerConnection);
    expect('createDataChannel' in pc).toBe(true);
    (pc as unknown as { close(): void }).close();
    expect(native.signalingState).toBe('closed');
  });

  it('lets an adapted method be replaced but not a read-only one', () => {
    const { pc } = setup();
    const replacement = () => Promise.resolve({ type: 'offer' as const });
    pc.createOffer = replacement;
    expect(pc.createOffer).toBe(replacement);
    expect(() => {
      (pc as { signalingState: string }).signalingState = 'closed';
    }).toThrow(TypeError);
  });
});

describe('legacy getStats', () => {
  const chromeResponse = {
    result: () => [
      {
        id: 'ssrc_1_recv',
        type: 'ssrc',
        timestamp: new Date(1000),
        names: () => ['bytesReceived', 'googCodecName', 'googActive'],
        stat: (name: string) =>
          ({ bytesReceived: '1234', googCodecName: 'opus', googActive: 'true' })[name],
      },
    ],
  };

  it('converts legacy Chrome responses into a Map of plain objects', async () => {
    const { native, pc } = setup();
    native.statsResponse = chromeResponse;
    const report = await pc.getStats();
    expect(report).toBeInstanceOf(Map);
    expect(report.get('ssrc_1_recv')).toEqual({
      id: 'ssrc_1_recv',
      type: 'ssrc',
      timestamp: 1000,
      bytesReceived: 1234,
      googCodecName: 'opus',
      googActive: true,
    });
    expect(native.calls.at(-1)).toEqual({ method: 'getStats', args: [] });
  });

  it('passes a selector in second position to legacy Chrome', async () => {
    const { native, pc } = setup();
    const selector = track();
    await pc.getStats(selector);
    expect(native.calls.at(-1)).toEqual({ method: 'getStats', args: [selector] });
  });

  it('rejects with what legacy Chrome throws', async () => {
    const { native, pc } = setup();
    native.failNext.getStats = engineError;
    await expect(pc.getStats()).rejects.toBe(engineError);
  });

  it('uses the prefixed Firefox argument order, and its failure callback', async () => {
    const native = new LegacyFirefoxPeerConnection();
    const pc = legacyCallbackPeerConnection(native);
    native.statsResponse = new Map([
      ['a', { id: 'a', type: 'inboundrtp', timestamp: 5, packetsReceived: 3 }],
    ]);
    const report = await pc.getStats();
    expect(report.get('a')).toEqual({
      id: 'a',
      type: 'inbound-rtp',
      timestamp: 5,
      packetsReceived: 3,
    });
    expect(native.calls.at(-1)).toEqual({ method: 'getStats', args: [null] });
    const selector = track();
    await pc.getStats(selector);
    expect(native.calls.at(-1)).toEqual({ method: 'getStats', args: [selector] });
    native.failNext.getStats = engineError;
    await expect(pc.getStats()).rejects.toBe(engineError);
  });

  it('accepts a promise from transitional engines', async () => {
    const native = new LegacyPeerConnection();
    native.getStats = () => Promise.resolve(chromeResponse) as unknown as undefined;
    const pc = legacyCallbackPeerConnection(native);
    expect((await pc.getStats()).get('ssrc_1_recv')).toMatchObject({ bytesReceived: 1234 });
    native.getStats = () => Promise.reject(engineError) as unknown as undefined;
    await expect(pc.getStats()).rejects.toBe(engineError);
  });
});
