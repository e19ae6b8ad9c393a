/**
 * The devices a call can use, outside the peer machine: cameras, microphones and speakers from
 * `enumerateDevices`, followed through `devicechange`; the audio output of a media element
 * (`setSinkId`). Guide 14.
 * @module
 */
import { MediaError } from '../errors.js';

/** The devices of each kind, in the engine's order (its default first). */
export interface MediaDeviceList {
  readonly cameras: readonly MediaDeviceInfo[];
  readonly microphones: readonly MediaDeviceInfo[];
  readonly speakers: readonly MediaDeviceInfo[];
}

/** What the device helpers use of `navigator.mediaDevices`. */
export type DeviceSource = Pick<MediaDevices, 'enumerateDevices'> &
  Partial<Pick<MediaDevices, 'addEventListener' | 'removeEventListener'>>;

/** No device of any kind: what a list shows before the first listing (and on the server). */
export const NO_DEVICES: MediaDeviceList = Object.freeze({
  cameras: [],
  microphones: [],
  speakers: [],
});

function defaultSource(): DeviceSource | undefined {
  return (globalThis as { navigator?: { mediaDevices?: MediaDevices } }).navigator?.mediaDevices;
}

/**
 * Lists the devices. Before the page was granted a capture, engines list few devices and no
 * labels (Safari and Firefox list one device of each kind, with an empty label).
 * @throws {MediaError} `enumerateDevices` when there is no `navigator.mediaDevices` or it fails.
 */
export async function listMediaDevices(
  source: DeviceSource | undefined = defaultSource(),
): Promise<MediaDeviceList> {
  if (!source)
    throw new MediaError('enumerateDevices', 'navigator.mediaDevices is not available here');
  let devices: MediaDeviceInfo[];
  try {
    devices = await source.enumerateDevices();
  } catch (cause) {
    throw new MediaError('enumerateDevices', 'could not list the devices', cause);
  }
  return Object.freeze({
    cameras: devices.filter((d) => d.kind === 'videoinput'),
    microphones: devices.filter((d) => d.kind === 'audioinput'),
    speakers: devices.filter((d) => d.kind === 'audiooutput'),
  });
}

/** Options of {@link watchMediaDevices}. */
export interface WatchMediaDevicesOptions {
  readonly source?: DeviceSource;
  /** A failed listing (the first, or one after a `devicechange`). */
  readonly onError?: (error: MediaError) => void;
}

/**
 * Calls `listener` with the devices now and after every `devicechange` (a device plugged in or
 * out, a permission granted). Returns the function that stops watching; a listing still under
 * way when it is called is not delivered.
 */
export function watchMediaDevices(
  listener: (devices: MediaDeviceList) => void,
  options: WatchMediaDevicesOptions = {},
): () => void {
  const source = options.source ?? defaultSource();
  let active = true;
  // Listings can settle out of order; only the newest is delivered.
  let latest = 0;
  const refresh = () => {
    const ticket = ++latest;
    listMediaDevices(source).then(
      (devices) => {
        if (active && ticket === latest) listener(devices);
      },
      (error: MediaError) => {
        if (active) options.onError?.(error);
      },
    );
  };
  refresh();
  source?.addEventListener?.('devicechange', refresh);
  return () => {
    active = false;
    source?.removeEventListener?.('devicechange', refresh);
  };
}

/** An element that may route its audio (`HTMLMediaElement` where `setSinkId` exists). */
export interface AudioOutputElement {
  /** `HTMLMediaElement.setSinkId`: plays the element's audio on the output `sinkId`. */
  setSinkId?(sinkId: string): Promise<void>;
}

/**
 * Whether remote audio can be sent to a chosen speaker here: `setSinkId` exists on media
 * elements (Chromium 49+, Firefox 116+, Safari 18.4+, per MDN).
 */
export function supportsAudioOutput(
  element: AudioOutputElement | undefined = (
    globalThis as { HTMLMediaElement?: { prototype: AudioOutputElement } }
  ).HTMLMediaElement?.prototype,
): boolean {
  return typeof element?.setSinkId === 'function';
}

/**
 * Plays `element`'s audio on `deviceId` (a speaker of {@link listMediaDevices}; `''` is the
 * default output).
 * @throws {MediaError} `setSinkId`: not supported by this engine, or refused (NotFoundError for
 * an unknown device, NotAllowedError without permission).
 */
export async function setAudioOutput(element: AudioOutputElement, deviceId: string): Promise<void> {
  if (!supportsAudioOutput(element)) {
    throw new MediaError('setSinkId', 'choosing the audio output is not supported by this engine');
  }
  try {
    await (element.setSinkId as (id: string) => Promise<void>).call(element, deviceId);
  } catch (cause) {
    throw new MediaError('setSinkId', `could not play on device "${deviceId}"`, cause);
  }
}
