/**
 * `restartIce()` for engines that predate it (it shipped after `iceRestart` offer options).
 * @module
 */

import type { PeerConnectionLike } from '../types.js';
import { overlay } from './overlay.js';

/**
 * Adds `restartIce()` to a peer connection that lacks it; returns `pc` itself when it has one.
 *
 * As specified for the native method, a restart is pending until the next offer: the next
 * `createOffer` (with or without options, including the one made by an implicit
 * `setLocalDescription()`) carries `{ iceRestart: true }`, and a `negotiationneeded` event is
 * dispatched, once the signaling state is `stable`, so that negotiation creates that offer.
 */
export function restartIceShim<T extends Omit<PeerConnectionLike, 'restartIce'>>(
  pc: T,
): T & Pick<PeerConnectionLike, 'restartIce'> {
  if (typeof (pc as Partial<PeerConnectionLike>).restartIce === 'function') {
    return pc as T & Pick<PeerConnectionLike, 'restartIce'>;
  }
  let pending = false;
  // An offer carrying the restart is being created: negotiation is already under way.
  let offering = false;
  let scheduled = false;

  const announce = (): void => {
    scheduled = false;
    if (!pending || offering || pc.signalingState === 'closed') return;
    // Mid-negotiation the offer cannot be made yet; the native method also waits for stable.
    if (pc.signalingState !== 'stable') {
      pc.addEventListener('signalingstatechange', schedule, { once: true });
      return;
    }
    pc.dispatchEvent(new Event('negotiationneeded'));
  };
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // Asynchronous like the native event, so a caller can finish its own work first.
    queueMicrotask(announce);
  }

  return overlay(pc, {
    restartIce(): void {
      if (pc.signalingState === 'closed') return;
      pending = true;
      schedule();
    },
    createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit> {
      if (!pending) return pc.createOffer(options);
      const creating = pc.createOffer({ ...options, iceRestart: true });
      offering = true;
      return creating.then(
        (offer) => {
          // The restart is carried by this offer; a failed createOffer leaves it pending.
          pending = false;
          offering = false;
          return offer;
        },
        (error: unknown) => {
          offering = false;
          throw error;
        },
      );
    },
  });
}
