import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../errors.js';
import {
  detectPeerConnection,
  findPeerConnection,
  isLegacyCallbackApi,
  isStreamApiOnly,
  PEER_CONNECTION_NAMES,
  type PeerConnectionConstructor,
} from '../detectPeerConnection.js';
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
} from './fakes.js';

const NAMES = ['RTCPeerConnection', 'webkitRTCPeerConnection', 'mozRTCPeerConnection'];

describe('detectPeerConnection', () => {
  it('prefers RTCPeerConnection over webkitRTCPeerConnection over mozRTCPeerConnection', () => {
    class Webkit extends PromisePeerConnection {}
    class Moz extends PromisePeerConnection {}
    expect(
      detectPeerConnection({
        mozRTCPeerConnection: Moz,
        webkitRTCPeerConnection: Webkit,
        RTCPeerConnection: PromisePeerConnection,
      }).name,
    ).toBe('RTCPeerConnection');
    expect(
      detectPeerConnection({ mozRTCPeerConnection: Moz, webkitRTCPeerConnection: Webkit }).name,
    ).toBe('webkitRTCPeerConnection');
  });

  it.each(NAMES)('finds %s alone and creates instances of it', (name) => {
    const detected = detectPeerConnection({ [name]: PromisePeerConnection });
    expect(detected).toMatchObject({ name, api: 'promise', streamApi: false });
    const configuration = { iceServers: [{ urls: 'stun:example.org' }] };
    const pc = detected.create(configuration);
    // A fully modern engine is handed out as is, not wrapped.
    expect(pc).toBeInstanceOf(PromisePeerConnection);
    expect((pc as unknown as PromisePeerConnection).configuration).toBe(configuration);
  });

  it('ignores names that are not constructors, and throwing getters', () => {
    const scope = {
      RTCPeerConnection: {},
      get webkitRTCPeerConnection(): unknown {
        throw new Error('cross-origin');
      },
      mozRTCPeerConnection: PromisePeerConnection,
    };
    expect(detectPeerConnection(scope).name).toBe('mozRTCPeerConnection');
  });

  it('throws UnsupportedError naming what it looked for when there is no constructor', () => {
    let caught: unknown;
    try {
      detectPeerConnection({});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsupportedError);
    expect(caught).toMatchObject({ code: 'UNSUPPORTED', lookedFor: NAMES });
    expect(PEER_CONNECTION_NAMES).toEqual(NAMES);
  });

  it('looks in globalThis by default', () => {
    // Node has no RTCPeerConnection.
    expect(() => detectPeerConnection()).toThrow(UnsupportedError);
    expect(findPeerConnection()).toBeUndefined();
  });

  it('findPeerConnection returns undefined instead of throwing', () => {
    expect(findPeerConnection({})).toBeUndefined();
    expect(findPeerConnection({ RTCPeerConnection: PromisePeerConnection })?.name).toBe(
      'RTCPeerConnection',
    );
  });

  it('reads the scope only when called', () => {
    const reads: PropertyKey[] = [];
    const scope = new Proxy(
      { RTCPeerConnection: PromisePeerConnection },
      {
        get(target, key, receiver) {
          reads.push(key);
          return Reflect.get(target, key, receiver);
        },
      },
    );
    const detected = detectPeerConnection(scope);
    expect(reads).toEqual(['RTCPeerConnection']);
    detected.create({});
    // A modern engine needs no companion constructors.
    expect(reads).toEqual(['RTCPeerConnection']);
  });
});

describe('API heuristics', () => {
  it('treats createOffer.length >= 1 as the legacy callback API', () => {
    expect(isLegacyCallbackApi(LegacyPeerConnection)).toBe(true);
    expect(LegacyPeerConnection.prototype.createOffer.length).toBe(2);
    expect(isLegacyCallbackApi(PromisePeerConnection)).toBe(false);
    expect(detectPeerConnection({ webkitRTCPeerConnection: LegacyPeerConnection })).toMatchObject({
      name: 'webkitRTCPeerConnection',
      api: 'legacy-callback',
      streamApi: false,
    });
  });

  it('treats addStream without addTrack as the stream API', () => {
    expect(isStreamApiOnly(StreamPeerConnection)).toBe(true);
    expect(isStreamApiOnly(PromisePeerConnection)).toBe(false);
    expect(isStreamApiOnly(LegacyPeerConnection)).toBe(false);
    expect(isStreamApiOnly(LegacyStreamPeerConnection)).toBe(true);
  });

  it('handles constructors without a usable prototype', () => {
    const arrow = (() => {}) as unknown as PeerConnectionConstructor;
    expect(isLegacyCallbackApi(arrow)).toBe(false);
    expect(isStreamApiOnly(arrow)).toBe(false);
  });

  it('never reads accessors off the prototype', () => {
    class Branded extends PromisePeerConnection {}
    Object.defineProperty(Branded.prototype, 'addTrack', {
      get(): never {
        throw new TypeError('Illegal invocation');
      },
    });
    expect(() => detectPeerConnection({ RTCPeerConnection: Branded })).not.toThrow();
  });

  it('lets the caller override both inferences', () => {
    const detected = detectPeerConnection(
      { RTCPeerConnection: PromisePeerConnection },
      { api: 'legacy-callback', streamApi: true },
    );
    expect(detected).toMatchObject({ api: 'legacy-callback', streamApi: true });
    expect(
      detectPeerConnection(
        { RTCPeerConnection: LegacyPeerConnection },
        { api: 'promise', streamApi: false },
      ),
    ).toMatchObject({ api: 'promise', streamApi: false });
  });
});

describe('create', () => {
  it('adapts a legacy engine to promises, with its prefixed companions', async () => {
    class PlainDescription extends FakeSessionDescription {}
    const detected = detectPeerConnection({
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
    const withStandard = detectPeerConnection({
      webkitRTCPeerConnection: LegacyPeerConnection,
      RTCSessionDescription: FakeSessionDescription,
    }).create({});
    await withStandard.setRemoteDescription({ type: 'offer', sdp: 'remote' });
    const calls = (withStandard as unknown as LegacyPeerConnection).calls;
    expect(calls.at(-1)?.args[0]).toBeInstanceOf(FakeSessionDescription);

    const bare = detectPeerConnection({ RTCPeerConnection: LegacyPeerConnection }).create({});
    const init = { type: 'offer', sdp: 'remote' } as const;
    await bare.setRemoteDescription(init);
    expect((bare as unknown as LegacyPeerConnection).calls.at(-1)?.args[0]).toBe(init);
  });

  it('emulates the track API on a stream-only engine, with compat shims', async () => {
    const detected = detectPeerConnection({
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
    const pc = detectPeerConnection({ RTCPeerConnection: LegacyStreamPeerConnection }).create({});
    const audio = track();
    const mine = stream(audio);
    pc.addTrack(audio, mine);
    expect((pc as unknown as LegacyStreamPeerConnection).calls.at(-1)).toEqual({
      method: 'addStream',
      args: [mine],
    });
    await expect(pc.createOffer()).resolves.toEqual({ type: 'offer', sdp: 'legacy offer' });
  });

  it('shims an engine without restartIce and implicit descriptions', async () => {
    const pc = detectPeerConnection({ RTCPeerConnection: PreImplicitPeerConnection }).create({});
    expect(pc).not.toBe(undefined);
    pc.restartIce();
    await flush();
    await pc.setLocalDescription();
    expect(pc.localDescription?.sdp).toContain('"iceRestart":true');
  });
});
