/**
 * Parameterless `setLocalDescription()` for engines that require a description.
 * @module
 */

import { offersInTwoSteps } from '../offersInTwoSteps.js';
import type { PeerConnectionLike } from '../types.js';
import { overlay } from './overlay.js';

/** Signaling states in which the implicit description is an answer; it is an offer otherwise. */
const ANSWERING: ReadonlySet<RTCSignalingState> = new Set([
  'have-remote-offer',
  'have-local-pranswer',
]);

/**
 * Makes `setLocalDescription()` (or a description without `sdp`) work on engines that
 * require a full description, by creating the offer or answer the signaling state calls for
 * and setting it.
 *
 * Support is decided from the engine itself: a `setLocalDescription` whose WebIDL `length` is
 * at least 1 declares the description required, and is shimmed from the first call. Otherwise
 * the engine is tried first, and only if it throws or rejects with a `TypeError` (how WebIDL
 * reports a missing required argument) is the shim used, from then on.
 */
export function implicitSetLocalDescription<T extends PeerConnectionLike>(pc: T): T {
  let supported: boolean | undefined = pc.setLocalDescription.length >= 1 ? false : undefined;

  const emulate = async (type: RTCSdpType | undefined): Promise<void> => {
    const implicitType = type ?? (ANSWERING.has(pc.signalingState) ? 'answer' : 'offer');
    const created = implicitType === 'offer' ? await pc.createOffer() : await pc.createAnswer();
    // A `pranswer` is created as an answer and applied under its own type.
    await pc.setLocalDescription({ ...created, type: implicitType });
  };

  const shimmed = overlay<T>(pc, {
    setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
      const implicit = description == null || (description.type !== 'rollback' && !description.sdp);
      if (!implicit || supported === true) return pc.setLocalDescription(description);
      if (supported === false) return emulate(description?.type);
      let attempt: Promise<void>;
      try {
        attempt = pc.setLocalDescription(description);
      } catch (error) {
        attempt = Promise.reject(error);
      }
      return attempt.then(
        () => {
          supported = true;
        },
        (error: unknown) => {
          if (!(error instanceof TypeError)) throw error;
          supported = false;
          return emulate(description?.type);
        },
      );
    },
  });
  offersInTwoSteps.add(shimmed);
  return shimmed;
}
