import { describe, expect, it } from 'vitest';
import {
  asFakeTrack,
  createFakeMediaDevices,
  createFakeStream,
  createFakeTrack,
  FakeMediaStreamTrack,
} from '../fakeMedia.js';
import { recordEvents } from './helpers.js';

describe('fake media', () => {
  it('stop() ends a track without an ended event; the simulate commands fire events', () => {
    const track = createFakeTrack('video', { label: 'cam' });
    const events = recordEvents(track, ['mute', 'unmute', 'ended']);
    expect(track).toMatchObject({
      kind: 'video',
      label: 'cam',
      enabled: true,
      muted: false,
      readyState: 'live',
    });
    const fake = asFakeTrack(track);
    fake.simulateMute();
    fake.simulateMute();
    fake.simulateUnmute();
    fake.simulateUnmute();
    track.stop();
    expect(track.readyState).toBe('ended');
    fake.simulateEnded();
    fake.simulateMute();
    expect(events).toEqual(['mute', 'unmute']);

    const live = new FakeMediaStreamTrack('audio');
    live.onended = () => events.push('onended');
    live.simulateEnded();
    expect(events).toEqual(['mute', 'unmute', 'onended']);
    live.onended = null;
    expect(() => asFakeTrack({} as MediaStreamTrack)).toThrow(TypeError);
  });

  it('clones tracks with a new id and the same settings', async () => {
    const track = new FakeMediaStreamTrack('video', { settings: { width: 1280, height: 720 } });
    const copy = track.clone();
    expect(copy.id).not.toBe(track.id);
    expect(copy.getSettings()).toMatchObject({ width: 1280, height: 720, frameRate: 30 });
    track.stop();
    expect(track.clone().readyState).toBe('ended');
    await track.applyConstraints({ width: 320 });
    expect(track.getConstraints()).toEqual({ width: 320 });
    expect(track.getCapabilities().width).toBeDefined();
    expect(new FakeMediaStreamTrack('audio').getCapabilities().channelCount).toBeDefined();
  });

  it("streams do not fire addtrack/removetrack for the app's own calls", () => {
    const audio = createFakeTrack('audio');
    const video = createFakeTrack('video');
    const stream = createFakeStream([audio]);
    const events = recordEvents(stream, ['addtrack', 'removetrack']);
    stream.addTrack(video);
    stream.addTrack(video);
    expect(stream.getTracks()).toEqual([audio, video]);
    expect(stream.getAudioTracks()).toEqual([audio]);
    expect(stream.getVideoTracks()).toEqual([video]);
    expect(stream.getTrackById(video.id)).toBe(video);
    expect(stream.getTrackById('nope')).toBeNull();
    stream.removeTrack(video);
    expect(events).toEqual([]);
    expect(stream.active).toBe(true);
    audio.stop();
    expect(stream.active).toBe(false);
    const copy = stream.clone();
    expect(copy.id).not.toBe(stream.id);
    expect(copy.getTracks()[0]?.id).not.toBe(audio.id);
    stream.onaddtrack = () => {};
    expect(stream.onaddtrack).toBeTypeOf('function');
    stream.onaddtrack = null;
    stream.onremovetrack = null;
  });

  it('getUserMedia hands out fake tracks and fails like a browser', async () => {
    const devices = createFakeMediaDevices({ video: false });
    const stream = await devices.getUserMedia({ audio: true });
    expect(stream.getAudioTracks()).toHaveLength(1);
    await expect(devices.getUserMedia({ video: { width: 1280 } })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(devices.getUserMedia({})).rejects.toBeInstanceOf(TypeError);
    await expect(devices.getUserMedia()).rejects.toBeInstanceOf(TypeError);
    devices.setAvailable('video', true);
    const both = await devices.getUserMedia({
      audio: true,
      video: { width: { ideal: 1280 }, height: 720, frameRate: 15, deviceId: 'cam' },
    });
    expect(both.getVideoTracks()[0]?.getSettings()).toMatchObject({
      width: 1280,
      height: 720,
      frameRate: 15,
      deviceId: 'cam',
    });
    devices.setPermission('denied');
    await expect(devices.getUserMedia({ audio: true })).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(devices.callCount).toBe(6);
    expect(devices.calls[0]).toEqual({ audio: true });
    expect(devices.tracks).toHaveLength(3);
    const listed = await devices.enumerateDevices();
    expect(listed.map((d) => [d.kind, d.label])).toEqual([
      ['audioinput', ''],
      ['videoinput', ''],
    ]);
    devices.setPermission('granted');
    expect((await devices.enumerateDevices())[0]?.toJSON()).toMatchObject({
      label: 'Fake Audio Input',
    });
  });
});
