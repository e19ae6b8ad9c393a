/**
 * Finds the peer connection constructor of a scope (a window, a worker, `globalThis`, or a
 * test double) and builds peer connections that speak the modern promise/track API on it.
 *
 * Nothing here runs on import: globals are read only when a function is called, so importing
 * the SDK in Node or during server-side rendering is safe.
 * @module
 */

import { UnsupportedError } from '../errors.js';
import { compat } from './compat.js';
import {
  type LegacyCallbackOptions,
  type LegacyCallbackPeerConnectionLike,
  legacyCallbackPeerConnection,
} from './legacyCallbackPeerConnection.js';
import {
  type MediaStreamConstructor,
  type StreamApiPeerConnectionLike,
  streamApiPeerConnection,
} from './streamApiPeerConnection.js';
import type {
  DetectedPeerConnection,
  PeerConnectionApi,
  PeerConnectionLike,
  PeerConnectionName,
} from './types.js';

/** The global names looked for, in order of preference. */
export const PEER_CONNECTION_NAMES: readonly PeerConnectionName[] = Object.freeze([
  'RTCPeerConnection',
  'webkitRTCPeerConnection',
  'mozRTCPeerConnection',
]);

/** A peer connection constructor as found in a scope; its instances are inspected, not trusted. */
export type PeerConnectionConstructor = new (configuration?: RTCConfiguration) => object;

/** Overrides for what detection infers from the constructor's prototype. */
export interface DetectPeerConnectionOptions {
  /** Force the calling convention instead of inferring it from `createOffer.length`. */
  readonly api?: PeerConnectionApi;
  /** Force (or disable) the `addTrack`/`ontrack` emulation over `addStream`/`onaddstream`. */
  readonly streamApi?: boolean;
}

/** The vendor prefix of each name; the companion constructors carry the same one. */
const PREFIXES: Readonly<Record<PeerConnectionName, string>> = {
  RTCPeerConnection: '',
  webkitRTCPeerConnection: 'webkit',
  mozRTCPeerConnection: 'moz',
};

/**
 * Finds the preferred peer connection constructor in `scope` (`RTCPeerConnection`, else
 * `webkitRTCPeerConnection`, else `mozRTCPeerConnection`).
 * @throws {UnsupportedError} when the scope has none of them.
 */
export function detectPeerConnection(
  scope: object = globalThis,
  options: DetectPeerConnectionOptions = {},
): DetectedPeerConnection {
  const detected = findPeerConnection(scope, options);
  if (!detected) throw new UnsupportedError([...PEER_CONNECTION_NAMES]);
  return detected;
}

/** Like {@link detectPeerConnection}, but returns `undefined` instead of throwing. */
export function findPeerConnection(
  scope: object = globalThis,
  options: DetectPeerConnectionOptions = {},
): DetectedPeerConnection | undefined {
  for (const name of PEER_CONNECTION_NAMES) {
    const found = lookup(scope, [name]);
    if (!found) continue;
    const Constructor = found as PeerConnectionConstructor;
    const api = options.api ?? (isLegacyCallbackApi(Constructor) ? 'legacy-callback' : 'promise');
    const streamApi = options.streamApi ?? isStreamApiOnly(Constructor);
    return {
      name,
      api,
      streamApi,
      create: (configuration) =>
        create(Constructor, configuration, { scope, prefix: PREFIXES[name], api, streamApi }),
    };
  }
  return undefined;
}

/**
 * `true` when the constructor only speaks the callback API. WebIDL gives an overloaded
 * operation the `length` of its shortest overload: engines with the promise API have
 * `createOffer(options?)` and a length of 0, while callback-only engines have nothing shorter
 * than `createOffer(success, failure, options?)`, a length of 2.
 */
export function isLegacyCallbackApi(Constructor: PeerConnectionConstructor): boolean {
  const createOffer = prototypeMember(Constructor, 'createOffer');
  return typeof createOffer === 'function' && createOffer.length >= 1;
}

/** `true` when the constructor has `addStream` but not `addTrack` (the track API is emulated). */
export function isStreamApiOnly(Constructor: PeerConnectionConstructor): boolean {
  return (
    typeof prototypeMember(Constructor, 'addTrack') !== 'function' &&
    typeof prototypeMember(Constructor, 'addStream') === 'function'
  );
}

/** Some constructor; what it constructs is decided by where it was found. */
type AnyConstructor = abstract new (...args: never[]) => unknown;

interface CreateContext {
  readonly scope: object;
  readonly prefix: string;
  readonly api: PeerConnectionApi;
  readonly streamApi: boolean;
}

function create(
  Constructor: PeerConnectionConstructor,
  configuration: RTCConfiguration,
  { scope, prefix, api, streamApi }: CreateContext,
): PeerConnectionLike {
  // The instance's shape is what detection (or the caller's override) said it is; the casts
  // below state that, since a constructor found at run time carries no static type.
  let pc: object = new Constructor(configuration);
  if (api === 'legacy-callback') {
    const SessionDescription = lookup(scope, companions(prefix, 'RTCSessionDescription'));
    const IceCandidate = lookup(scope, companions(prefix, 'RTCIceCandidate'));
    pc = legacyCallbackPeerConnection(pc as LegacyCallbackPeerConnectionLike, {
      ...(SessionDescription && {
        SessionDescription: SessionDescription as NonNullable<
          LegacyCallbackOptions['SessionDescription']
        >,
      }),
      ...(IceCandidate && {
        IceCandidate: IceCandidate as NonNullable<LegacyCallbackOptions['IceCandidate']>,
      }),
    });
  }
  if (streamApi) {
    const MediaStream = lookup(scope, companions(prefix, 'MediaStream'));
    pc = streamApiPeerConnection(pc as StreamApiPeerConnectionLike, {
      ...(MediaStream && { MediaStream: MediaStream as MediaStreamConstructor }),
    });
  }
  return compat(pc as Omit<PeerConnectionLike, 'restartIce'>);
}

/** The prefixed companion first (`mozRTCSessionDescription`), then the standard one. */
function companions(prefix: string, name: string): readonly string[] {
  return prefix ? [`${prefix}${name}`, name] : [name];
}

/** The first of `names` that is a constructor in `scope`. */
function lookup(scope: object, names: readonly string[]): AnyConstructor | undefined {
  for (const name of names) {
    let value: unknown;
    try {
      value = Reflect.get(scope, name);
    } catch {
      // A throwing getter (e.g. a cross-origin window) means the name is not usable here.
      continue;
    }
    if (typeof value === 'function') return value as AnyConstructor;
  }
  return undefined;
}

/** Reads a method off the prototype; accessors are never read, since they brand-check `this`. */
function prototypeMember(Constructor: PeerConnectionConstructor, name: string): unknown {
  const prototype: unknown = Constructor.prototype;
  if (typeof prototype !== 'object' || prototype === null) return undefined;
  for (let object: object | null = prototype; object; object = Object.getPrototypeOf(object)) {
    const descriptor = Object.getOwnPropertyDescriptor(object, name);
    if (descriptor) return descriptor.value;
  }
  return undefined;
}
