/**
 * Fake media: tracks, streams and `getUserMedia`, with the event rules of Media Capture and
 * Streams. Tracks and streams count their listeners for leak tests.
 * @module
 */

import { domError } from './domError.js';
import { FakeEventTarget } from './fakeEventTarget.js';
import { nextTask } from './queueTask.js';

/** The kinds of media a fake track carries. */
export type FakeTrackKind = 'audio' | 'video';

/** How to create a {@link FakeMediaStreamTrack}; everything defaults to a live, unmuted device. */
export interface FakeTrackOptions {
  readonly id?: string;
  readonly label?: string;
  readonly enabled?: boolean;
  readonly muted?: boolean;
  readonly contentHint?: string;
  /** Merged over the defaults of the kind (48 kHz mono audio, 640×480@30 video). */
  readonly settings?: MediaTrackSettings;
}

/** Handler type of the fake track's `on*` properties. */
export type TrackHandler = ((this: MediaStreamTrack, ev: Event) => unknown) | null;
/** Handler type of the fake stream's `on*` properties. */
export type StreamHandler = ((this: MediaStream, ev: MediaStreamTrackEvent) => unknown) | null;

const defaultSettings: Record<FakeTrackKind, MediaTrackSettings> = {
  audio: {
    deviceId: 'fake-audio-input',
    groupId: 'fake-group',
    sampleRate: 48000,
    sampleSize: 16,
    channelCount: 1,
    echoCancellation: true,
    autoGainControl: true,
    noiseSuppression: true,
  },
  video: {
    deviceId: 'fake-video-input',
    groupId: 'fake-group',
    width: 640,
    height: 480,
    aspectRatio: 640 / 480,
    frameRate: 30,
  },
};

/**
 * A `MediaStreamTrack` that never carries media. `stop()` ends it silently, as the spec says;
 * the `simulate*` commands play the part of the device or the network and fire the events.
 */
export class FakeMediaStreamTrack extends FakeEventTarget implements MediaStreamTrack {
  static {
    FakeMediaStreamTrack.defineEventHandlers(FakeMediaStreamTrack.prototype, [
      'ended',
      'mute',
      'unmute',
    ]);
  }

  readonly id: string;
  readonly kind: FakeTrackKind;
  readonly label: string;
  enabled: boolean;
  contentHint: string;
  #muted: boolean;
  #readyState: MediaStreamTrackState = 'live';
  #settings: MediaTrackSettings;
  #constraints: MediaTrackConstraints = {};

  constructor(kind: FakeTrackKind, options: FakeTrackOptions = {}) {
    super();
    this.kind = kind;
    this.id = options.id ?? crypto.randomUUID();
    this.label = options.label ?? (kind === 'audio' ? 'Fake Audio Input' : 'Fake Video Input');
    this.enabled = options.enabled ?? true;
    this.contentHint = options.contentHint ?? '';
    this.#muted = options.muted ?? false;
    this.#settings = { ...defaultSettings[kind], ...options.settings };
  }

  override get fakeDescription(): string {
    return `FakeMediaStreamTrack ${this.kind} ${this.id}`;
  }

  get muted(): boolean {
    return this.#muted;
  }

  get readyState(): MediaStreamTrackState {
    return this.#readyState;
  }

  declare onended: TrackHandler;
  declare onmute: TrackHandler;
  declare onunmute: TrackHandler;

  /** Ends the track. Per the spec no `ended` event fires: the app ended it itself. */
  stop(): void {
    this.#readyState = 'ended';
  }

  /** A new track with a new id and the same source; a clone of an ended track is ended. */
  clone(): FakeMediaStreamTrack {
    const copy = new FakeMediaStreamTrack(this.kind, {
      label: this.label,
      enabled: this.enabled,
      muted: this.#muted,
      contentHint: this.contentHint,
      settings: this.#settings,
    });
    if (this.#readyState === 'ended') copy.stop();
    return copy;
  }

  getSettings(): MediaTrackSettings {
    return { ...this.#settings };
  }

  getConstraints(): MediaTrackConstraints {
    return { ...this.#constraints };
  }

  getCapabilities(): MediaTrackCapabilities {
    return this.kind === 'audio'
      ? { channelCount: { min: 1, max: 2 }, sampleRate: { min: 8000, max: 48000 } }
      : { width: { min: 1, max: 1920 }, height: { min: 1, max: 1080 }, frameRate: { max: 60 } };
  }

  async applyConstraints(constraints: MediaTrackConstraints = {}): Promise<void> {
    await nextTask();
    this.#constraints = { ...constraints };
  }

  /** The source stopped delivering media (or the remote peer stopped sending): fires `mute`. */
  simulateMute(): void {
    if (this.#readyState === 'ended' || this.#muted) return;
    this.#muted = true;
    this.dispatchEvent(new Event('mute'));
  }

  /** Media flows again: fires `unmute`. */
  simulateUnmute(): void {
    if (this.#readyState === 'ended' || !this.#muted) return;
    this.#muted = false;
    this.dispatchEvent(new Event('unmute'));
  }

  /** The source went away (device unplugged, permission revoked): fires `ended`. */
  simulateEnded(): void {
    if (this.#readyState === 'ended') return;
    this.#readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

/**
 * A `MediaStream`. Like in browsers, `addtrack`/`removetrack` fire only when the peer
 * connection changes a remote stream, never for the app's own `addTrack`/`removeTrack` calls.
 */
export class FakeMediaStream extends FakeEventTarget implements MediaStream {
  static {
    FakeMediaStream.defineEventHandlers(FakeMediaStream.prototype, ['addtrack', 'removetrack']);
  }

  readonly id: string;
  readonly #tracks: MediaStreamTrack[];

  constructor(tracks: readonly MediaStreamTrack[] = [], options: { readonly id?: string } = {}) {
    super();
    this.id = options.id ?? crypto.randomUUID();
    this.#tracks = [...new Set(tracks)];
  }

  override get fakeDescription(): string {
    return `FakeMediaStream ${this.id}`;
  }

  /** `true` while at least one track is live. */
  get active(): boolean {
    return this.#tracks.some((track) => track.readyState === 'live');
  }

  declare onaddtrack: StreamHandler;
  declare onremovetrack: StreamHandler;

  getTracks(): MediaStreamTrack[] {
    return [...this.#tracks];
  }

  getAudioTracks(): MediaStreamTrack[] {
    return this.#tracks.filter((track) => track.kind === 'audio');
  }

  getVideoTracks(): MediaStreamTrack[] {
    return this.#tracks.filter((track) => track.kind === 'video');
  }

  getTrackById(trackId: string): MediaStreamTrack | null {
    return this.#tracks.find((track) => track.id === trackId) ?? null;
  }

  addTrack(track: MediaStreamTrack): void {
    if (!this.#tracks.includes(track)) this.#tracks.push(track);
  }

  removeTrack(track: MediaStreamTrack): void {
    const index = this.#tracks.indexOf(track);
    if (index !== -1) this.#tracks.splice(index, 1);
  }

  /** A new stream (new id) holding clones of the tracks. */
  clone(): FakeMediaStream {
    return new FakeMediaStream(this.#tracks.map((track) => track.clone()));
  }
}

/** Creates a live fake track, typed as the DOM's `MediaStreamTrack`. */
export function createFakeTrack(kind: FakeTrackKind, options?: FakeTrackOptions): MediaStreamTrack {
  return new FakeMediaStreamTrack(kind, options);
}

/** Creates a fake stream holding `tracks`, typed as the DOM's `MediaStream`. */
export function createFakeStream(
  tracks: readonly MediaStreamTrack[] = [],
  options?: { readonly id?: string },
): MediaStream {
  return new FakeMediaStream(tracks, options);
}

/** The fake behind a DOM-typed track, to reach its `simulate*` commands; throws for real ones. */
export function asFakeTrack(track: MediaStreamTrack): FakeMediaStreamTrack {
  if (track instanceof FakeMediaStreamTrack) return track;
  throw new TypeError('Not a FakeMediaStreamTrack');
}

/** Which devices exist and whether the user grants access. */
export interface FakeMediaDevicesOptions {
  /** A microphone exists (default `true`). */
  readonly audio?: boolean;
  /** A camera exists (default `true`). */
  readonly video?: boolean;
  /** `'denied'` makes `getUserMedia` reject with `NotAllowedError` (default `'granted'`). */
  readonly permission?: PermissionState;
}

/** A `navigator.mediaDevices` stand-in that hands out fake tracks and records its calls. */
export interface FakeMediaDevices {
  /** Resolves fake tracks for the requested kinds, or rejects like a browser. */
  getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream>;
  /** Lists the fake devices. */
  enumerateDevices(): Promise<MediaDeviceInfo[]>;
  /** How many times `getUserMedia` was called (successful or not). */
  readonly callCount: number;
  /** The constraints of every `getUserMedia` call, in order. */
  readonly calls: readonly MediaStreamConstraints[];
  /** Every track handed out, to assert the app stopped them. */
  readonly tracks: readonly FakeMediaStreamTrack[];
  /** Grants or denies later `getUserMedia` calls. */
  setPermission(permission: PermissionState): void;
  /** Plugs or unplugs the device of a kind for later calls. */
  setAvailable(kind: FakeTrackKind, available: boolean): void;
}

/** Creates a fake `navigator.mediaDevices`. */
export function createFakeMediaDevices(options: FakeMediaDevicesOptions = {}): FakeMediaDevices {
  const available: Record<FakeTrackKind, boolean> = {
    audio: options.audio ?? true,
    video: options.video ?? true,
  };
  let permission: PermissionState = options.permission ?? 'granted';
  const calls: MediaStreamConstraints[] = [];
  const tracks: FakeMediaStreamTrack[] = [];

  return {
    get callCount() {
      return calls.length;
    },
    calls,
    tracks,
    setPermission(next) {
      permission = next;
    },
    setAvailable(kind, next) {
      available[kind] = next;
    },
    async getUserMedia(constraints = {}) {
      calls.push(constraints);
      const kinds = (['audio', 'video'] as const).filter((kind) => isRequested(constraints[kind]));
      await nextTask();
      // Media Capture §10.2: requesting neither kind is a TypeError, checked before permissions.
      if (kinds.length === 0) {
        throw new TypeError('At least one of audio and video must be requested');
      }
      if (permission === 'denied') throw domError('NotAllowedError', 'Permission denied');
      if (kinds.some((kind) => !available[kind])) {
        throw domError('NotFoundError', 'Requested device not found');
      }
      const created = kinds.map(
        (kind) =>
          new FakeMediaStreamTrack(kind, { settings: requestedSettings(constraints[kind]) }),
      );
      tracks.push(...created);
      return new FakeMediaStream(created);
    },
    async enumerateDevices() {
      await nextTask();
      const granted = permission === 'granted';
      const devices: MediaDeviceInfo[] = [];
      for (const kind of ['audio', 'video'] as const) {
        if (!available[kind]) continue;
        const info = {
          deviceId: granted ? `fake-${kind}-input` : '',
          groupId: granted ? 'fake-group' : '',
          kind: `${kind}input` as const,
          label: granted ? (kind === 'audio' ? 'Fake Audio Input' : 'Fake Video Input') : '',
        };
        devices.push({ ...info, toJSON: () => info });
      }
      return devices;
    },
  };
}

function isRequested(value: boolean | MediaTrackConstraints | undefined): boolean {
  return value !== undefined && value !== false;
}

function requestedSettings(value: boolean | MediaTrackConstraints | undefined): MediaTrackSettings {
  if (typeof value !== 'object') return {};
  const settings: MediaTrackSettings = {};
  const width = numeric(value.width);
  const height = numeric(value.height);
  const frameRate = numeric(value.frameRate);
  if (width !== undefined) settings.width = width;
  if (height !== undefined) settings.height = height;
  if (width !== undefined && height !== undefined) settings.aspectRatio = width / height;
  if (frameRate !== undefined) settings.frameRate = frameRate;
  if (typeof value.deviceId === 'string') settings.deviceId = value.deviceId;
  return settings;
}

function numeric(value: ConstrainULong | ConstrainDouble | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'object') return value.exact ?? value.ideal;
  return undefined;
}
