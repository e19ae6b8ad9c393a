/**
 * `@peerstatejs/core/recorder`: records a call for a bug report. Every event the peer's machine
 * processed, every transition, a plain snapshot after each event, every signaling message sent,
 * every error emitted and the stats samples, bounded, exported as JSON the playground imports and
 * replays.
 *
 * ```ts
 * import { createPeer } from '@peerstatejs/core';
 * import { createSessionRecorder, serializeSession } from '@peerstatejs/core/recorder';
 * import { createStatsSampler } from '@peerstatejs/core/stats';
 *
 * const recorder = createSessionRecorder({ signaling: 'websocket', peers: [{ name: 'me', polite: true }] });
 * const peer = createPeer({ polite: true, signaling: recorder.tapSignaling(0, signaling), inspect: recorder.inspector(0) });
 * recorder.watch(0, peer);
 * createStatsSampler(peer).subscribe((sample) => recorder.addStats(0, sample));
 * // later: attach serializeSession(recorder.session) to the bug report
 * ```
 * @module
 */
export { parseSession, SessionFileError, serializeSession } from './io.js';
export { type InternSdp, kindOf, projectContext, summarizeTrack, toPlain } from './project.js';
export {
  createSessionRecorder,
  type RecorderLimits,
  type RecorderOptions,
  type SessionRecorder,
  type SessionStore,
  staticStore,
} from './recorder.js';
export { recordedStats } from './stats.js';
export * from './types.js';
