/**
 * Finds the peer connection constructor of a scope (a window, a worker, `globalThis`, or a
 * test double) and builds peer connections that speak the modern promise/track API on it. Engines
 * older than that API (or than `restartIce()` and parameterless `setLocalDescription()`) need an
 * adapter from `@peerstatejs/core/legacy`, passed in explicitly, so that the adapters and shims
 * never reach the bundle of an app that does not ask for them.
 *
 * Nothing here runs on import: globals are read only when a function is called, so importing
 * the SDK in Node or during server-side rendering is safe.
 * @module
 */

import { UnsupportedError } from '../errors.js';
import type {
  DetectedPeerConnection,
  PeerConnectionAdapter,
  PeerConnectionApi,
  PeerConnectionEngine,
  PeerConnectionLike,
  PeerConnectionName,
  ScopeConstructor,
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
  /**
   * Adapts engines that predate the promise or track API, `restartIce()` or parameterless
   * `setLocalDescription()`: `legacyAdapter` from `@peerstatejs/core/legacy`. Without one,
   * `create` throws {@link UnsupportedError} on such an engine instead of handing out a peer
   * connection the machine cannot drive.
   */
  readonly adapter?: PeerConnectionAdapter;
}

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
    // The vendor prefix ('', 'webkit', 'moz'): the companion constructors carry the same one.
    const prefix = name.slice(0, name.indexOf('RTC'));
    const engine: PeerConnectionEngine = {
      name,
      api,
      streamApi,
      companion: (companion) =>
        lookup(scope, prefix ? [prefix + companion, companion] : [companion]),
    };
    return {
      name,
      api,
      streamApi,
      create: (configuration) => create(Constructor, configuration, engine, options.adapter),
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

function create(
  Constructor: PeerConnectionConstructor,
  configuration: RTCConfiguration,
  engine: PeerConnectionEngine,
  adapter: PeerConnectionAdapter | undefined,
): PeerConnectionLike {
  const legacy = engine.api !== 'promise' || engine.streamApi;
  // Refused before constructing: an unusable engine leaves no native connection behind.
  if (legacy && !adapter)
    throw new UnsupportedError([...PEER_CONNECTION_NAMES], needsLegacy(engine));
  const pc = new Constructor(configuration) as PeerConnectionLike;
  // Read on the instance: an engine (or a test double) may define them as own members.
  if (!legacy && typeof pc.restartIce === 'function' && pc.setLocalDescription.length < 1) {
    return pc;
  }
  if (adapter) return adapter(pc, engine);
  pc.close();
  throw new UnsupportedError([...PEER_CONNECTION_NAMES], needsLegacy(engine));
}

function needsLegacy({ name, api, streamApi }: PeerConnectionEngine): string {
  const missing =
    api === 'legacy-callback'
      ? 'the promise API (it only takes success/failure callbacks)'
      : streamApi
        ? 'the track API (it has addStream, not addTrack)'
        : 'restartIce() or parameterless setLocalDescription()';
  return (
    `${name} predates ${missing}. Pass \`peerConnection: legacyPeerConnection()\` from ` +
    '@peerstatejs/core/legacy to adapt it.'
  );
}

/** The first of `names` that is a constructor in `scope`. */
function lookup(scope: object, names: readonly string[]): ScopeConstructor | undefined {
  for (const name of names) {
    let value: unknown;
    try {
      value = Reflect.get(scope, name);
    } catch {
      // A throwing getter (e.g. a cross-origin window) means the name is not usable here.
      continue;
    }
    if (typeof value === 'function') return value as ScopeConstructor;
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
