import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../../errors.js';
import {
  FakeIceCandidate,
  FakeMediaStream,
  FakeSessionDescription,
  flush,
  LegacyPeerConnection,
  LegacyStreamPeerConnection,
  PreImplicitPeerConnection,
  PromisePeerConnection,
  StreamPeerConnection,
  stream,
  track,
} from '../../__tests__/fakes.js';
import { detectPeerConnection } from '../../detectPeerConnection.js';
import { legacyAdapter, legacyPeerConnection } from '../legacyPeerConnection.js';

const withAdapter = (scope: object) => detectPeerConnection(scope, { adapter: legacyAdapter });

describe('legacyAdapter', () => {
  it('adapts a legacy engine to promises, with its prefixed companions', async () => {
    class PlainDescription extends FakeSessionDescription {}
    const detected = withAdapter({
      mozRTCPeerConnection: LegacyPeerConnection,
      mozRTCSessionDescription: FakeSessionDescription,
      RTCSessionDescription: PlainDescription,
      mozRTCIceCandidate: FakeIceCandidate,
    });
    const pc = detected.create({});
    const native = pc as unknown as LegacyPeerConnection;
    const offer = await pc.createOffer();
    expect(offer).toEqual({ type: 'offer', sdp: 'legacy offer' });
    await pc.setRemoteDescription({ type: 'offer', sdp: 'remote' });
    await pc.addIceCandidate({ candidate: 'candidate:1' });
    expect(native.calls.find((c) => c.method === 'setRemoteDescription')?.args[0]).toBeInstanceOf(
      FakeSessionDescription,
    );
    expect(
      native.calls.find((c) => c.method === 'setRemoteDescription')?.args[0],
    ).not.toBeInstanceOf(PlainDescription);
    expect(native.calls.find((c) => c.method === 'addIceCandidate')?.args[0]).toBeInstanceOf(
      FakeIceCandidate,
    );
    // Compat shims come on top: implicit answer, and restartIce.
    await pc.setLocalDescription();
    expect(pc.signalingState).toBe('stable');
    expect(native.localDescription).toMatchObject({ type: 'answer', sdp: 'legacy answer' });
    expect(typeof pc.restartIce).toBe('function');
  });

  it('falls back to the unprefixed companions, and does without them', async () => {
    const withStandard = withAdapter({
      webkitRTCPeerConnection: LegacyPeerConnection,
      RTCSessionDescription: FakeSessionDescription,
    }).create({});
    await withStandard.setRemoteDescription({ type: 'offer', sdp: 'remote' });
    const calls = (withStandard as unknown as LegacyPeerConnection).calls;
    expect(calls.at(-1)?.args[0]).toBeInstanceOf(FakeSessionDescription);

    const bare = withAdapter({ RTCPeerConnection: LegacyPeerConnection }).create({});
    const init = { type: 'offer', sdp: 'remote' } as const;
    await bare.setRemoteDescription(init);
    expect((bare as unknown as LegacyPeerConnection).calls.at(-1)?.args[0]).toBe(init);
  });

  it('emulates the track API on a stream-only engine, with compat shims', async () => {
    const detected = withAdapter({
      webkitRTCPeerConnection: StreamPeerConnection,
      webkitMediaStream: FakeMediaStream,
    });
    expect(detected).toMatchObject({ api: 'promise', streamApi: true });
    const pc = detected.create({});
    const native = pc as unknown as StreamPeerConnection;
    const audio = track();
    pc.addTrack(audio, stream(audio, track('video')));
    const published = native.getLocalStreams()[0];
    expect(published).toBeInstanceOf(FakeMediaStream);
    expect(published?.getTracks()).toEqual([audio]);
    await pc.setLocalDescription();
    expect(pc.signalingState).toBe('have-local-offer');
  });

  it('stacks legacy and stream adaptations', async () => {
    const pc = withAdapter({ RTCPeerConnection: LegacyStreamPeerConnection }).create({});
    const audio = track();
    const mine = stream(audio);
    pc.addTrack(audio, mine);
    expect((pc as unknown as LegacyStreamPeerConnection).calls.at(-1)).toEqual({
      method: 'addStream',
      args: [mine],
    });
    await expect(pc.createOffer()).resolves.toEqual({ type: 'offer', sdp: 'legacy offer' });
  });
});

describe('legacyPeerConnection', () => {
  it('creates adapted peer connections from the scope it is given, on each call', async () => {
    const factory = legacyPeerConnection({
      scope: { webkitRTCPeerConnection: LegacyPeerConnection },
    });
    const first = factory({});
    const second = factory({});
    expect(first).not.toBe(second);
    await expect(first.createOffer()).resolves.toEqual({ type: 'offer', sdp: 'legacy offer' });
    expect(typeof first.restartIce).toBe('function');
  });

  it('adds restartIce and implicit descriptions to a promise engine that predates them', async () => {
    const pc = legacyPeerConnection({ scope: { RTCPeerConnection: PreImplicitPeerConnection } })(
      {},
    );
    pc.restartIce();
    await flush();
    await pc.setLocalDescription();
    expect(pc.signalingState).toBe('have-local-offer');
    expect(pc.localDescription?.sdp).toContain('"iceRestart":true');
  });

  it('hands out a modern engine as is', () => {
    const pc = legacyPeerConnection({ scope: { RTCPeerConnection: PromisePeerConnection } })({});
    expect(pc).toBeInstanceOf(PromisePeerConnection);
  });

  it('passes the detection overrides on', () => {
    const scope = { webkitRTCPeerConnection: StreamPeerConnection };
    expect(typeof legacyPeerConnection({ scope })({}).addTrack).toBe('function');
    // Told the engine has the track API, it emulates nothing, so addTrack stays missing.
    expect(legacyPeerConnection({ scope, streamApi: false })({}).addTrack).toBeUndefined();
  });

  it('throws UNSUPPORTED when the scope has no constructor, only once called', () => {
    const factory = legacyPeerConnection({ scope: {} });
    expect(() => factory({})).toThrow(UnsupportedError);
  });

  it('looks in globalThis by default', () => {
    // Node has no RTCPeerConnection.
    expect(() => legacyPeerConnection()({})).toThrow(UnsupportedError);
  });
});
