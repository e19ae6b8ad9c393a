import { afterEach, describe, expect, it, vi } from 'vitest';

const GLOBALS = [
  'RTCPeerConnection',
  'webkitRTCPeerConnection',
  'mozRTCPeerConnection',
  'RTCSessionDescription',
  'RTCIceCandidate',
  'MediaStream',
  'webkitMediaStream',
];

describe('importing the platform layer', () => {
  const reads: string[] = [];

  afterEach(() => {
    for (const name of GLOBALS) Reflect.deleteProperty(globalThis, name);
  });

  it('reads no WebRTC global until a function is called', async () => {
    for (const name of GLOBALS) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          reads.push(name);
          return undefined;
        },
      });
    }
    vi.resetModules();
    const modules = await Promise.all([
      import('../detectPeerConnection.js'),
      import('../legacy/index.js'),
      import('../legacy/legacyCallbackPeerConnection.js'),
      import('../legacy/streamApiPeerConnection.js'),
      import('../legacy/compat.js'),
      import('../connectionStateOf.js'),
      import('../legacy/implicitSetLocalDescription.js'),
      import('../legacy/restartIceShim.js'),
      import('../legacy/legacyStatsReport.js'),
      import('../legacy/emulatedRtp.js'),
      import('../legacy/overlay.js'),
    ]);
    expect(reads).toEqual([]);
    expect(modules[0].findPeerConnection()).toBeUndefined();
    expect(reads).toEqual(['RTCPeerConnection', 'webkitRTCPeerConnection', 'mozRTCPeerConnection']);
  });
});
