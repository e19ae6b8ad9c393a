import { describe, expect, it, vi } from 'vitest';
import { flush, PreImplicitPeerConnection, PromisePeerConnection } from '../../__tests__/fakes.js';
import type { PeerConnectionLike } from '../../types.js';
import { compat } from '../compat.js';
import { implicitSetLocalDescription } from '../implicitSetLocalDescription.js';
import { restartIceShim } from '../restartIceShim.js';

const asLike = (pc: object) => pc as unknown as PeerConnectionLike;

describe('implicitSetLocalDescription', () => {
  it('creates and sets an offer in stable, an answer after a remote offer', async () => {
    const native = new PreImplicitPeerConnection();
    const pc = implicitSetLocalDescription(asLike(native));
    await pc.setLocalDescription();
    expect(pc.signalingState).toBe('have-local-offer');
    expect(pc.localDescription).toEqual({ type: 'offer', sdp: 'offer {}' });
    // Only the length-1 engine's own explicit call was made; no failed attempt first.
    expect(native.calls.map((c) => c.method)).toEqual(['createOffer', 'setLocalDescription']);

    const answerer = new PreImplicitPeerConnection();
    const pc2 = implicitSetLocalDescription(asLike(answerer));
    await pc2.setRemoteDescription({ type: 'offer', sdp: 'remote' });
    await pc2.setLocalDescription();
    expect(pc2.signalingState).toBe('stable');
    expect(pc2.localDescription).toEqual({ type: 'answer', sdp: 'answer' });
  });

  it('honors a type without sdp, applying a pranswer under its own type', async () => {
    const native = new PreImplicitPeerConnection();
    const pc = implicitSetLocalDescription(asLike(native));
    await pc.setRemoteDescription({ type: 'offer', sdp: 'remote' });
    await pc.setLocalDescription({ type: 'pranswer' });
    expect(native.calls.slice(-2)).toEqual([
      { method: 'createAnswer', args: [undefined] },
      { method: 'setLocalDescription', args: [{ type: 'pranswer', sdp: 'answer' }] },
    ]);
  });

  it('passes explicit descriptions and rollbacks through', async () => {
    const native = new PreImplicitPeerConnection();
    const pc = implicitSetLocalDescription(asLike(native));
    const offer = { type: 'offer', sdp: 'mine' } as const;
    await pc.setLocalDescription(offer);
    await pc.setLocalDescription({ type: 'rollback' });
    expect(native.calls.map((c) => c.args[0])).toEqual([offer, { type: 'rollback' }]);
  });

  it('tries an engine of unknown support first, and remembers that it works', async () => {
    const native = new PromisePeerConnection();
    const pc = implicitSetLocalDescription(asLike(native));
    await pc.setLocalDescription();
    await pc.setLocalDescription();
    expect(native.calls.map((c) => [c.method, c.args[0]])).toEqual([
      ['setLocalDescription', undefined],
      ['setLocalDescription', undefined],
    ]);
  });

  it('falls back after a TypeError (thrown or rejected), and remembers it', async () => {
    for (const mode of ['throw', 'reject'] as const) {
      const native = new PromisePeerConnection();
      const original = native.setLocalDescription.bind(native);
      const attempts = vi.fn();
      // Length 0, yet no implicit descriptions: only trying tells.
      native.setLocalDescription = (...[description]: [RTCLocalSessionDescriptionInit?]) => {
        if (description === undefined) {
          attempts();
          const error = new TypeError('description required');
          if (mode === 'throw') throw error;
          return Promise.reject(error);
        }
        return original(description);
      };
      const pc = implicitSetLocalDescription(asLike(native));
      await pc.setLocalDescription();
      expect(pc.signalingState).toBe('have-local-offer');
      await pc.setLocalDescription({ type: 'rollback' });
      await pc.setLocalDescription();
      expect(attempts).toHaveBeenCalledOnce();
    }
  });

  it('rejects with other engine errors as they are', async () => {
    const native = new PromisePeerConnection();
    const error = new DOMException('wrong state', 'InvalidStateError');
    native.setLocalDescription = () => Promise.reject(error);
    const pc = implicitSetLocalDescription(asLike(native));
    await expect(pc.setLocalDescription()).rejects.toBe(error);
  });
});

describe('restartIceShim', () => {
  it('leaves an engine with restartIce alone', () => {
    const native = asLike(new PromisePeerConnection());
    expect(restartIceShim(native)).toBe(native);
  });

  it('marks the next offer as an ICE restart and fires negotiationneeded', async () => {
    const native = new PreImplicitPeerConnection();
    const pc = restartIceShim(asLike(native) as Omit<PeerConnectionLike, 'restartIce'>);
    const negotiationNeeded = vi.fn();
    native.onnegotiationneeded = negotiationNeeded;
    pc.restartIce();
    pc.restartIce();
    expect(negotiationNeeded).not.toHaveBeenCalled();
    await flush();
    expect(negotiationNeeded).toHaveBeenCalledOnce();
    await pc.createOffer({ offerToReceiveAudio: true });
    await pc.createOffer();
    expect(native.calls.map((c) => c.args[0])).toEqual([
      { offerToReceiveAudio: true, iceRestart: true },
      undefined,
    ]);
  });

  it('keeps the restart pending when createOffer fails', async () => {
    const native = new PreImplicitPeerConnection();
    const pc = restartIceShim(asLike(native) as Omit<PeerConnectionLike, 'restartIce'>);
    const original = native.createOffer.bind(native);
    native.createOffer = () => Promise.reject(new Error('busy'));
    pc.restartIce();
    await expect(pc.createOffer()).rejects.toThrow('busy');
    native.createOffer = original;
    await pc.createOffer();
    expect(native.calls.at(-1)?.args[0]).toEqual({ iceRestart: true });
  });

  it('waits for stable before firing negotiationneeded', async () => {
    const native = new PreImplicitPeerConnection();
    const pc = restartIceShim(asLike(native) as Omit<PeerConnectionLike, 'restartIce'>);
    const negotiationNeeded = vi.fn();
    native.addEventListener('negotiationneeded', negotiationNeeded);
    await native.setRemoteDescription({ type: 'offer', sdp: 'remote' });
    pc.restartIce();
    await flush();
    expect(negotiationNeeded).not.toHaveBeenCalled();
    await native.setLocalDescription({ type: 'answer', sdp: 'answer' });
    await flush();
    expect(negotiationNeeded).toHaveBeenCalledOnce();
  });

  it('does nothing once closed, or when the offer was made before the event', async () => {
    const native = new PreImplicitPeerConnection();
    const pc = restartIceShim(asLike(native) as Omit<PeerConnectionLike, 'restartIce'>);
    const negotiationNeeded = vi.fn();
    native.addEventListener('negotiationneeded', negotiationNeeded);
    pc.restartIce();
    await pc.createOffer();
    await flush();
    expect(negotiationNeeded).not.toHaveBeenCalled();
    pc.restartIce();
    native.close();
    await flush();
    pc.restartIce();
    await flush();
    expect(negotiationNeeded).not.toHaveBeenCalled();
  });
});

describe('compat', () => {
  it('returns a fully modern peer connection as is', () => {
    const native = asLike(new PromisePeerConnection());
    expect(compat(native)).toBe(native);
  });

  it('has the implicit offer of a pending restart carry iceRestart', async () => {
    const native = new PreImplicitPeerConnection();
    const pc = compat(asLike(native));
    pc.restartIce();
    await pc.setLocalDescription();
    expect(native.calls.map((c) => [c.method, c.args[0]])).toEqual([
      ['createOffer', { iceRestart: true }],
      ['setLocalDescription', { type: 'offer', sdp: 'offer {"iceRestart":true}' }],
    ]);
  });

  it('shims implicit descriptions alone when restartIce exists', async () => {
    const native = new PreImplicitPeerConnection();
    const restartIce = vi.fn();
    Object.defineProperty(native, 'restartIce', { value: restartIce });
    const pc = compat(asLike(native));
    expect(pc).not.toBe(native);
    pc.restartIce();
    expect(restartIce).toHaveBeenCalledOnce();
    await pc.setLocalDescription();
    expect(pc.signalingState).toBe('have-local-offer');
  });
});
