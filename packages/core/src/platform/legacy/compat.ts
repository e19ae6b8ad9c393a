/**
 * The shims `legacyAdapter` applies last, to every peer connection it adapts: engines from before
 * `restartIce()` (Chrome 77, Firefox 70) and parameterless `setLocalDescription()` (Chrome 80,
 * Firefox 75), and libwebrtc in Node, which still requires the description.
 * @module
 */

import type { PeerConnectionLike } from '../types.js';
import { implicitSetLocalDescription } from './implicitSetLocalDescription.js';
import { restartIceShim } from './restartIceShim.js';

/**
 * Applies each shim the engine needs, and only those: `restartIce()` when it is missing, and
 * parameterless `setLocalDescription()` when the engine declares the description required
 * (`length >= 1`) or lacks `restartIce` (every such engine predates implicit descriptions;
 * the shim then still tries the engine first). A fully modern peer connection is returned as
 * is, so it stays the native object.
 */
export function compat(pc: Omit<PeerConnectionLike, 'restartIce'>): PeerConnectionLike {
  const lacksRestartIce = typeof (pc as Partial<PeerConnectionLike>).restartIce !== 'function';
  const withRestartIce = restartIceShim(pc);
  if (!lacksRestartIce && pc.setLocalDescription.length < 1) return withRestartIce;
  return implicitSetLocalDescription(withRestartIce);
}
