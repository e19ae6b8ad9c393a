import { createPeer } from '@peerstatejs/core';
import { mediaControls } from '@peerstatejs/core/media-controls';
import { describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { useLocalMedia, useMediaDevices } from '../index.js';
import { fakeCall } from './fakeCall.js';

describe('useLocalMedia', () => {
  it('follows what START_MEDIA sends and toggles the mutes', async () => {
    const call = fakeCall();
    const a = createPeer({ ...call.caller, mediaControls });
    const b = createPeer({ ...call.callee, mediaControls });
    a.start();
    b.start();
    const scope = effectScope();
    const controls = scope.run(() => useLocalMedia(a));
    if (!controls) throw new Error('no controls');
    a.send({ type: 'START_MEDIA', constraints: { audio: true, video: true } });
    await vi.waitFor(() => expect(controls.media.value.video.sending).toBe(true), {
      timeout: 15_000,
    });
    await controls.toggleMute('video');
    expect(controls.media.value.video.muted).toBe('soft');
    await controls.toggleMute('video');
    expect(controls.media.value.video.muted).toBeNull();
    await expect(controls.toggleScreenShare()).rejects.toMatchObject({ code: 'MEDIA_FAILED' });
    scope.stop();
    a.send({ type: 'CLOSE' });
    b.send({ type: 'CLOSE' });
  });
});

describe('useMediaDevices', () => {
  it('lists the devices outside a component and stops with its scope', async () => {
    const removeEventListener = vi.fn();
    vi.stubGlobal('navigator', {
      mediaDevices: {
        enumerateDevices: async () => [
          { deviceId: 'mic', groupId: '', kind: 'audioinput', label: 'Mic', toJSON: () => ({}) },
        ],
        addEventListener() {},
        removeEventListener,
      },
    });
    const scope = effectScope();
    const devices = scope.run(() => useMediaDevices());
    await vi.waitFor(() =>
      expect(devices?.devices.value.microphones.map((d) => d.deviceId)).toEqual(['mic']),
    );
    scope.stop();
    expect(removeEventListener).toHaveBeenCalledWith('devicechange', expect.any(Function));
    vi.unstubAllGlobals();
  });
});
