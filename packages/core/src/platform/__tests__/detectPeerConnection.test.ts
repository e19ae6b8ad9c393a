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
import type { PeerConnectionLike } from '../types.js';
import {
  LegacyPeerConnection,
  LegacyStreamPeerConnection,
  PreImplicitPeerConnection,
  PromisePeerConnection,
  StreamPeerConnection,
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
  it.each([
    { what: 'without restartIce nor implicit descriptions', Engine: PreImplicitPeerConnection },
    {
      // libwebrtc in Node (@roamhq/wrtc): restartIce, but setLocalDescription(description).
      what: 'whose setLocalDescription requires a description',
      Engine: class extends PromisePeerConnection {
        override setLocalDescription(description: RTCLocalSessionDescriptionInit) {
          return super.setLocalDescription(description);
        }
      },
    },
  ])('refuses an engine $what without an adapter, closing what it made', ({ Engine }) => {
    const made: PromisePeerConnection[] = [];
    class Recorded extends Engine {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        made.push(this);
      }
    }
    const detected = detectPeerConnection({ RTCPeerConnection: Recorded });
    expect(detected).toMatchObject({ api: 'promise', streamApi: false });
    let caught: unknown;
    try {
      detected.create({});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsupportedError);
    expect(caught).toMatchObject({ code: 'UNSUPPORTED', lookedFor: NAMES });
    expect((caught as Error).message).toContain(
      'RTCPeerConnection predates restartIce() or parameterless setLocalDescription()',
    );
    expect((caught as Error).message).toContain('@peerstatejs/core/legacy');
    expect(made.map((pc) => pc.signalingState)).toEqual(['closed']);
  });

  it('shims such an engine through the adapter', async () => {
    const seen: unknown[] = [];
    const pc = detectPeerConnection(
      { RTCPeerConnection: PreImplicitPeerConnection },
      {
        adapter: (native, engine) => {
          seen.push(native, engine.api, engine.streamApi);
          return native as PeerConnectionLike;
        },
      },
    ).create({});
    expect(seen).toEqual([pc, 'promise', false]);
  });

  it.each([
    { name: 'webkitRTCPeerConnection', Engine: LegacyPeerConnection, missing: 'promise API' },
    { name: 'RTCPeerConnection', Engine: StreamPeerConnection, missing: 'track API' },
    { name: 'mozRTCPeerConnection', Engine: LegacyStreamPeerConnection, missing: 'promise API' },
  ] as const)(
    'refuses a $name that predates the $missing without an adapter, before constructing it',
    ({ name, Engine, missing }) => {
      let constructed = 0;
      class Counted extends (Engine as typeof PromisePeerConnection) {
        constructor(configuration?: RTCConfiguration) {
          super(configuration);
          constructed++;
        }
      }
      const detected = detectPeerConnection({ [name]: Counted });
      let caught: unknown;
      try {
        detected.create({});
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(UnsupportedError);
      expect(caught).toMatchObject({ code: 'UNSUPPORTED', lookedFor: NAMES });
      expect((caught as Error).message).toContain(`${name} predates the ${missing}`);
      expect((caught as Error).message).toContain('@peerstatejs/core/legacy');
      expect(constructed).toBe(0);
    },
  );

  it('hands the adapter what detection found, and companions with the prefix first', () => {
    class Companion {}
    class PrefixedCompanion {}
    const seen: unknown[] = [];
    const detected = detectPeerConnection(
      {
        webkitRTCPeerConnection: StreamPeerConnection,
        webkitMediaStream: PrefixedCompanion,
        MediaStream: Companion,
        RTCIceCandidate: Companion,
      },
      {
        adapter: (native, engine) => {
          seen.push(native, engine.name, engine.api, engine.streamApi);
          seen.push(engine.companion('MediaStream'), engine.companion('RTCIceCandidate'));
          seen.push(engine.companion('RTCSessionDescription'));
          return native as PeerConnectionLike;
        },
      },
    );
    detected.create({});
    expect(seen[0]).toBeInstanceOf(StreamPeerConnection);
    expect(seen.slice(1)).toEqual([
      'webkitRTCPeerConnection',
      'promise',
      true,
      PrefixedCompanion,
      Companion,
      undefined,
    ]);
  });

  it('never calls the adapter for a modern engine', () => {
    let calls = 0;
    const pc = detectPeerConnection(
      { RTCPeerConnection: PromisePeerConnection },
      {
        adapter: (native) => {
          calls++;
          return native as PeerConnectionLike;
        },
      },
    ).create({});
    expect(pc).toBeInstanceOf(PromisePeerConnection);
    expect(calls).toBe(0);
  });
});
