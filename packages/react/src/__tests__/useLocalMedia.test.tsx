import { createPeer, type PeerActor } from '@peerstatejs/core';
import { mediaControls } from '@peerstatejs/core/media-controls';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type UseLocalMediaResult,
  type UseMediaDevicesResult,
  useLocalMedia,
  useMediaDevices,
} from '../index.js';
import { fakeCall } from './fakeCall.js';

afterEach(cleanup);

function Controls(props: { actor: PeerActor; report: (media: UseLocalMediaResult) => void }) {
  props.report(useLocalMedia(props.actor));
  return null;
}

describe('useLocalMedia', () => {
  it('shows what START_MEDIA sends and toggles soft and hard mute', async () => {
    const call = fakeCall();
    const a = createPeer({ ...call.caller, mediaControls });
    const b = createPeer({ ...call.callee, mediaControls });
    a.start();
    b.start();
    a.send({ type: 'START_MEDIA', constraints: { audio: true, video: true } });
    let media: UseLocalMediaResult | undefined;
    render(
      <Controls
        actor={a}
        report={(m) => {
          media = m;
        }}
      />,
    );
    await waitFor(() => expect(media?.video.sending && media.audio.sending).toBe(true));
    expect(media?.audio).toEqual({ sending: true, muted: null, deviceId: 'fake-audio-input' });
    await act(() => media?.toggleMute('video'));
    expect(media?.video.muted).toBe('soft');
    await act(() => media?.toggleMute('audio', 'hard'));
    expect(media?.audio.muted).toBe('hard');
    await act(() => media?.toggleMute('audio'));
    expect(media?.audio.muted).toBeNull();
    expect(media?.screenSharing).toBe(false);
    // A refused control rejects with the typed error.
    await expect(media?.toggleScreenShare()).rejects.toMatchObject({ code: 'MEDIA_FAILED' });
    a.send({ type: 'CLOSE' });
    b.send({ type: 'CLOSE' });
  });
});

function Devices(props: { report: (devices: UseMediaDevicesResult) => void }) {
  props.report(useMediaDevices());
  return null;
}

describe('useMediaDevices', () => {
  it('lists the devices and says the speaker cannot be picked without setSinkId', async () => {
    const enumerateDevices = vi.fn(async () => [
      { deviceId: 'cam', groupId: '', kind: 'videoinput', label: 'Cam', toJSON: () => ({}) },
    ]);
    vi.stubGlobal('navigator', {
      mediaDevices: { enumerateDevices, addEventListener() {}, removeEventListener() {} },
    });
    let devices: UseMediaDevicesResult | undefined;
    render(<Devices report={(d) => (devices = d)} />);
    await waitFor(() => expect(devices?.cameras.map((c) => c.deviceId)).toEqual(['cam']));
    const canPick = typeof HTMLMediaElement.prototype.setSinkId === 'function';
    expect(devices?.canPickSpeaker).toBe(canPick);
    if (!canPick) {
      await expect(devices?.setSpeaker('x', [])).rejects.toMatchObject({ operation: 'setSinkId' });
    }
    vi.unstubAllGlobals();
  });
});
