import { describe, expect, it, vi } from 'vitest';
import { parseSignalingMessage } from '../../signaling/parseSignalingMessage.js';
import { createFakeMediaDevices } from '../../testing/index.js';
import {
  type DeviceSource,
  listMediaDevices,
  setAudioOutput,
  supportsAudioOutput,
  watchMediaDevices,
} from '../mediaDevices.js';

const speaker = {
  deviceId: 'speaker-1',
  groupId: 'g',
  kind: 'audiooutput',
  label: 'Speaker',
  toJSON: () => ({}),
} as MediaDeviceInfo;

describe('listMediaDevices', () => {
  it('sorts the devices by kind', async () => {
    const fake = createFakeMediaDevices();
    const source = { enumerateDevices: async () => [...(await fake.enumerateDevices()), speaker] };
    const list = await listMediaDevices(source);
    expect(list.cameras.map((d) => d.deviceId)).toEqual(['fake-video-input']);
    expect(list.microphones.map((d) => d.deviceId)).toEqual(['fake-audio-input']);
    expect(list.speakers).toEqual([speaker]);
  });

  it('is a MEDIA_FAILED enumerateDevices error without mediaDevices, or when listing fails', async () => {
    await expect(listMediaDevices(undefined)).rejects.toMatchObject({
      code: 'MEDIA_FAILED',
      operation: 'enumerateDevices',
    });
    const failing = { enumerateDevices: () => Promise.reject(new Error('gone')) };
    await expect(listMediaDevices(failing)).rejects.toMatchObject({
      operation: 'enumerateDevices',
      cause: expect.objectContaining({ message: 'gone' }),
    });
  });
});

describe('watchMediaDevices', () => {
  it('lists now and after every devicechange, and stops on unsubscribe', async () => {
    const target = new EventTarget();
    let devices: MediaDeviceInfo[] = [];
    const source = {
      enumerateDevices: async () => devices,
      addEventListener: target.addEventListener.bind(target),
      removeEventListener: target.removeEventListener.bind(target),
    } as DeviceSource;
    const seen: number[] = [];
    const stop = watchMediaDevices((list) => seen.push(list.speakers.length), { source });
    await vi.waitFor(() => expect(seen).toEqual([0]));
    devices = [speaker];
    target.dispatchEvent(new Event('devicechange'));
    await vi.waitFor(() => expect(seen).toEqual([0, 1]));
    stop();
    devices = [];
    target.dispatchEvent(new Event('devicechange'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen).toEqual([0, 1]);
  });
});

describe('setAudioOutput', () => {
  it('calls setSinkId where it exists', async () => {
    const setSinkId = vi.fn(async () => {});
    expect(supportsAudioOutput({ setSinkId })).toBe(true);
    await setAudioOutput({ setSinkId }, 'speaker-1');
    expect(setSinkId).toHaveBeenCalledWith('speaker-1');
  });

  it('says so where the engine has no setSinkId (MEDIA_FAILED setSinkId)', async () => {
    expect(supportsAudioOutput({})).toBe(false);
    await expect(setAudioOutput({}, 'speaker-1')).rejects.toMatchObject({
      code: 'MEDIA_FAILED',
      operation: 'setSinkId',
      message: expect.stringContaining('not supported'),
    });
  });

  it('wraps a refusal (an unknown device) with its cause', async () => {
    const refusal = Object.assign(new Error('no such device'), { name: 'NotFoundError' });
    const setSinkId = () => Promise.reject(refusal);
    await expect(setAudioOutput({ setSinkId }, 'nope')).rejects.toMatchObject({
      operation: 'setSinkId',
      cause: refusal,
    });
  });
});

describe('the muted signaling message', () => {
  it('is accepted with a list of mids, and refused otherwise', () => {
    expect(parseSignalingMessage({ v: 2, type: 'muted', mids: ['0', '1'] })).toMatchObject({
      ok: true,
      message: { type: 'muted', mids: ['0', '1'] },
    });
    for (const mids of [undefined, '0', [1], [''], Array.from({ length: 257 }, (_, i) => `${i}`)]) {
      expect(parseSignalingMessage({ v: 2, type: 'muted', mids }).ok, JSON.stringify(mids)).toBe(
        false,
      );
    }
  });
});
