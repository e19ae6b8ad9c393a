import {
  type MediaDeviceList,
  type MediaError,
  NO_DEVICES,
  setAudioOutput,
  supportsAudioOutput,
  watchMediaDevices,
} from '@peerstatejs/core';
import {
  getCurrentInstance,
  getCurrentScope,
  onMounted,
  onScopeDispose,
  type Ref,
  ref,
  shallowRef,
} from 'vue';

/** What {@link useMediaDevices} returns. */
export interface UseMediaDevicesReturn {
  readonly devices: Readonly<Ref<MediaDeviceList>>;
  /** The last listing error (no `navigator.mediaDevices`, a failed `enumerateDevices`). */
  readonly error: Readonly<Ref<MediaError | null>>;
  /** `setSinkId` exists here (not in Safari). */
  readonly canPickSpeaker: boolean;
  /** The speaker chosen with `setSpeaker` (`''`: the default output). */
  readonly speaker: Readonly<Ref<string>>;
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
 * The cameras, microphones and speakers, kept current through `devicechange` once mounted (at
 * once outside a component); nothing is listed during server rendering.
 */
export function useMediaDevices(): UseMediaDevicesReturn {
  const devices = shallowRef<MediaDeviceList>(NO_DEVICES);
  const error = shallowRef<MediaError | null>(null);
  const speaker = ref('');
  let stop: (() => void) | null = null;
  const watch = () => {
    stop = watchMediaDevices(
      (list) => {
        devices.value = list;
        error.value = null;
      },
      {
        onError: (e) => {
          error.value = e;
        },
      },
    );
  };
  if (getCurrentInstance()) onMounted(watch);
  else watch();
  if (getCurrentScope()) onScopeDispose(() => stop?.());
  return {
    devices,
    error,
    canPickSpeaker: supportsAudioOutput(),
    speaker,
    setSpeaker: async (deviceId, elements = pageMediaElements()) => {
      if (!supportsAudioOutput()) await setAudioOutput({}, deviceId);
      await Promise.all([...elements].map((element) => setAudioOutput(element, deviceId)));
      speaker.value = deviceId;
    },
  };
}
