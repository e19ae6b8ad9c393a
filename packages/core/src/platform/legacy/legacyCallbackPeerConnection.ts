/**
 * Adapts a peer connection that only speaks the pre-promise callback API (early
 * `webkitRTCPeerConnection` and `mozRTCPeerConnection`) to the promise API.
 * @module
 */

import type { PeerConnectionLike } from '../types.js';
import { legacyStatsReport } from './legacyStatsReport.js';
import { overlay } from './overlay.js';

/** Called with the engine's error object, whatever it is (a `DOMError`, a string, …). */
export type LegacyFailureCallback = (error: unknown) => void;

/** The callback-style members of a legacy peer connection, the ones this adapter replaces. */
export interface LegacyCallbackPeerConnectionLike extends EventTarget {
  createOffer(
    success: (description: RTCSessionDescriptionInit) => void,
    failure: LegacyFailureCallback,
    options?: RTCOfferOptions,
  ): void;
  createAnswer(
    success: (description: RTCSessionDescriptionInit) => void,
    failure: LegacyFailureCallback,
    options?: RTCAnswerOptions,
  ): void;
  setLocalDescription(
    description: RTCSessionDescriptionInit,
    success: () => void,
    failure: LegacyFailureCallback,
  ): void;
  setRemoteDescription(
    description: RTCSessionDescriptionInit,
    success: () => void,
    failure: LegacyFailureCallback,
  ): void;
  addIceCandidate(
    candidate: RTCIceCandidateInit,
    success: () => void,
    failure: LegacyFailureCallback,
  ): void;
  /**
   * Legacy Chrome: `getStats(success, selector?)`. Prefixed Firefox:
   * `getStats(selector, success, failure)`.
   */
  getStats(...args: unknown[]): unknown;
}

/** Constructors legacy engines insisted on instead of plain dictionaries. */
export interface LegacyCallbackOptions {
  /** E.g. `RTCSessionDescription` or `mozRTCSessionDescription`. */
  readonly SessionDescription?: new (
    init: RTCSessionDescriptionInit,
  ) => RTCSessionDescription;
  /** E.g. `RTCIceCandidate` or `mozRTCIceCandidate`. */
  readonly IceCandidate?: new (
    init: RTCIceCandidateInit,
  ) => RTCIceCandidate;
}

/** The promise-API members the adapter adds; everything else comes from the native object. */
export type PromiseApiMembers = Pick<
  PeerConnectionLike,
  | 'createOffer'
  | 'createAnswer'
  | 'setLocalDescription'
  | 'setRemoteDescription'
  | 'addIceCandidate'
  | 'getStats'
>;

/**
 * Wraps a callback-only peer connection so that its negotiation methods and `getStats` return
 * promises. Every other member (state attributes, `on*` handlers, `addEventListener`,
 * `createDataChannel`, `close`, …) is forwarded to the native instance with the native
 * instance as `this`. Failures reject with the engine's own error object, untouched.
 */
export function legacyCallbackPeerConnection<T extends LegacyCallbackPeerConnectionLike>(
  native: T,
  options: LegacyCallbackOptions = {},
): Omit<T, keyof PromiseApiMembers> & PromiseApiMembers {
  const { SessionDescription, IceCandidate } = options;

  // Legacy engines rejected plain dictionaries where they expected their own objects.
  const description = (init: RTCSessionDescriptionInit): RTCSessionDescriptionInit =>
    SessionDescription && !(init instanceof SessionDescription)
      ? new SessionDescription(init)
      : init;
  const candidate = (init: RTCIceCandidateInit): RTCIceCandidateInit =>
    IceCandidate && !(init instanceof IceCandidate) ? new IceCandidate(init) : init;

  const members: PromiseApiMembers = {
    createOffer(offerOptions?: RTCOfferOptions) {
      return new Promise((resolve, reject) => {
        const success = (created: RTCSessionDescriptionInit) => resolve(plain(created));
        // Some legacy engines choked on an explicit `undefined` for the optional argument.
        if (offerOptions === undefined) native.createOffer(success, reject);
        else native.createOffer(success, reject, offerOptions);
      });
    },
    createAnswer(answerOptions?: RTCAnswerOptions) {
      return new Promise((resolve, reject) => {
        const success = (created: RTCSessionDescriptionInit) => resolve(plain(created));
        if (answerOptions === undefined) native.createAnswer(success, reject);
        else native.createAnswer(success, reject, answerOptions);
      });
    },
    setLocalDescription(local?: RTCLocalSessionDescriptionInit) {
      // Legacy engines predate implicit descriptions; a TypeError is what a modern engine
      // that requires the argument throws, and what the implicit-description shim recognizes.
      if (local?.type === undefined) {
        return Promise.reject(
          new TypeError('setLocalDescription requires a description on this engine'),
        );
      }
      const init: RTCSessionDescriptionInit =
        local.sdp === undefined ? { type: local.type } : { type: local.type, sdp: local.sdp };
      return new Promise((resolve, reject) => {
        native.setLocalDescription(description(init), () => resolve(), reject);
      });
    },
    setRemoteDescription(remote: RTCSessionDescriptionInit) {
      return new Promise((resolve, reject) => {
        native.setRemoteDescription(description(remote), () => resolve(), reject);
      });
    },
    addIceCandidate(init?: RTCIceCandidateInit | null) {
      // End-of-candidates (null, or an empty candidate string) postdates these engines,
      // which threw on it; there is nothing for them to do, so it succeeds.
      if (init == null || !init.candidate) return Promise.resolve();
      return new Promise((resolve, reject) => {
        native.addIceCandidate(candidate(init), () => resolve(), reject);
      });
    },
    getStats(selector?: MediaStreamTrack | null) {
      return new Promise((resolve, reject) => {
        const success = (response: unknown) => resolve(legacyStatsReport(response));
        // WebIDL length tells the two legacy signatures apart: prefixed Firefox's
        // (selector, success, failure) has three required arguments, Chrome's
        // (success, selector?) one.
        const result =
          native.getStats.length >= 3
            ? native.getStats(selector ?? null, success, reject)
            : selector == null
              ? native.getStats(success)
              : native.getStats(success, selector);
        // Transitional engines answered with a promise as well; either settles it.
        if (isThenable(result)) result.then(success, reject);
      });
    },
  };
  return overlay(native, members);
}

/** Legacy engines resolved `RTCSessionDescription` objects; the promise API hands out inits. */
function plain(created: RTCSessionDescriptionInit): RTCSessionDescriptionInit {
  return created.sdp === undefined
    ? { type: created.type }
    : { type: created.type, sdp: created.sdp };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
