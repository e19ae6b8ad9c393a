/**
 * What an app passes to run on engines older than the promise and track APIs: the adapter that
 * `detectPeerConnection` applies to them, and a `peerConnection` factory for `createPeer`.
 * @module
 */

import { type DetectPeerConnectionOptions, detectPeerConnection } from '../detectPeerConnection.js';
import type { PeerConnectionAdapter, PeerConnectionFactory, PeerConnectionLike } from '../types.js';
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

/**
 * Wraps a callback-API engine's peer connection in promises (with the engine's own, possibly
 * prefixed, `RTCSessionDescription` and `RTCIceCandidate`, which such engines insisted on), then
 * emulates `addTrack`/`ontrack` over `addStream`/`onaddstream` where the track API is missing
 * (with the engine's `MediaStream` or `webkitMediaStream`), and adds `restartIce()` and
 * parameterless `setLocalDescription()` where they are missing (libwebrtc in Node, browsers
 * before 2020). Pass it as `adapter` to `detectPeerConnection`, or use {@link legacyPeerConnection}.
 */
export const legacyAdapter: PeerConnectionAdapter = (native, engine) => {
  // The casts state what detection found the instance to be; it carries no static type.
  let pc = native;
  if (engine.api === 'legacy-callback') {
    const SessionDescription = engine.companion('RTCSessionDescription');
    const IceCandidate = engine.companion('RTCIceCandidate');
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
  if (engine.streamApi) {
    const MediaStream = engine.companion('MediaStream');
    pc = streamApiPeerConnection(pc as StreamApiPeerConnectionLike, {
      ...(MediaStream && { MediaStream: MediaStream as MediaStreamConstructor }),
    });
  }
  return compat(pc as Omit<PeerConnectionLike, 'restartIce'>);
};

/** Options of {@link legacyPeerConnection}: where to look, and the detection overrides. */
export interface LegacyPeerConnectionOptions extends Omit<DetectPeerConnectionOptions, 'adapter'> {
  /** Where to look for the peer connection constructor. @defaultValue globalThis */
  readonly scope?: object;
}

/**
 * A `peerConnection` factory for `createPeer` that runs wherever the default detection does, and
 * also on engines that only take callbacks or only have `addStream` (adapted by
 * {@link legacyAdapter}). Detection runs on each call, that is when a peer starts or rebuilds its
 * connection, never on import. With no constructor at all it throws the same `UNSUPPORTED` error
 * as the default detection, which the peer reports.
 *
 * `context.platform.name` then reads `custom`, as for any factory; `findPeerConnection(scope)`
 * still tells which engine and calling convention are there.
 */
export function legacyPeerConnection(
  options: LegacyPeerConnectionOptions = {},
): PeerConnectionFactory {
  const { scope = globalThis, ...overrides } = options;
  return (configuration) =>
    detectPeerConnection(scope, { ...overrides, adapter: legacyAdapter }).create(configuration);
}
