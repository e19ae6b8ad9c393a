'use client';

import {
  type MediaDeviceList,
  type MediaError,
  NO_DEVICES,
  setAudioOutput,
  supportsAudioOutput,
  watchMediaDevices,
} from '@peerstatejs/core';
import { useCallback, useEffect, useState } from 'react';

/** What {@link useMediaDevices} returns. */
export interface UseMediaDevicesResult extends MediaDeviceList {
  /** The last listing error (no `navigator.mediaDevices`, a failed `enumerateDevices`). */
  readonly error: MediaError | null;
  /** `setSinkId` exists here (not in Safari): {@link UseMediaDevicesResult.setSpeaker} works. */
  readonly canPickSpeaker: boolean;
  /** The speaker chosen with `setSpeaker` (`''`: the default output). */
  readonly speaker: string;
  /**
   * Plays remote media on `deviceId`: every `<audio>`/`<video>` element of the page unless
   * `elements` are given. Rejects with `MEDIA_FAILED` (`setSinkId`) where it is not supported.
   */
  readonly setSpeaker: (deviceId: string, elements?: Iterable<HTMLMediaElement>) => Promise<void>;
}

function pageMediaElements(): HTMLMediaElement[] {
  return typeof document === 'undefined'
    ? []
    : ([...document.querySelectorAll('audio, video')] as HTMLMediaElement[]);
}

/**
 * The cameras, microphones and speakers, kept current through `devicechange`. Lists nothing
 * during server rendering. Labels appear once the page was granted a capture.
 */
export function useMediaDevices(): UseMediaDevicesResult {
  const [devices, setDevices] = useState<MediaDeviceList>(NO_DEVICES);
  const [error, setError] = useState<MediaError | null>(null);
  const [speaker, setSpeakerId] = useState('');
  useEffect(
    () =>
      watchMediaDevices(
        (list) => {
          setDevices(list);
          setError(null);
        },
        { onError: setError },
      ),
    [],
  );
  const setSpeaker = useCallback(
    async (deviceId: string, elements: Iterable<HTMLMediaElement> = pageMediaElements()) => {
      // Refused here, not only per element: a page without media elements yet learns it too.
      if (!supportsAudioOutput()) await setAudioOutput({}, deviceId);
      await Promise.all([...elements].map((element) => setAudioOutput(element, deviceId)));
      setSpeakerId(deviceId);
    },
    [],
  );
  return { ...devices, error, canPickSpeaker: supportsAudioOutput(), speaker, setSpeaker };
}
