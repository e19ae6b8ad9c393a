import { IceCandidateError, isDomError } from '../errors.js';
import type { PeerConnectionLike } from '../platform/types.js';
import { iceUfragsOf } from '../sdp/iceUfrags.js';
import type { CandidatePayload } from '../signaling/types.js';
import type { PeerInternalEvent } from './types.js';

type Report = (event: PeerInternalEvent) => void;

/**
 * Applies one remote candidate (`null`: end of candidates). Failures are expected, and dropped,
 * while an offer is being ignored (its candidates belong to a negotiation we refused) and for a
 * candidate of an older ICE generation (its ufrag is no longer in the remote description);
 * anything else surfaces as `ICE_CANDIDATE_FAILED`.
 */
export function applyRemoteCandidate(
  pc: PeerConnectionLike,
  candidate: CandidatePayload | null,
  ignoreOffer: boolean,
  report: Report,
): void {
  const init: RTCIceCandidateInit = candidate ?? { candidate: '' };
  // Counted as applied by the caller when handed over: an event per acceptance was a macrostep
  // per candidate (#22). A refusal on purpose takes it back (`peer.candidateDiscarded`).
  pc.addIceCandidate(init).catch((cause: unknown) => {
    if (pc.signalingState === 'closed') return;
    report(
      // Expected: an ignored offer's, an end of candidates, or an old ICE generation's.
      ignoreOffer || !candidate?.candidate || isStaleCandidate(pc, candidate)
        ? { type: 'peer.candidateDiscarded' }
        : { type: 'peer.error', error: new IceCandidateError(candidate, cause) },
    );
  });
}

/** A candidate whose ufrag the current remote description no longer has: an old ICE generation. */
export function isStaleCandidate(pc: PeerConnectionLike, candidate: CandidatePayload): boolean {
  const ufrag = candidate.usernameFragment;
  const sdp = pc.remoteDescription?.sdp;
  if (!ufrag || !sdp) return false;
  return !iceUfragsOf(sdp).includes(ufrag);
}

/** Restarts ICE. Engines fire `negotiationneeded`; the machine sends the new offer. */
export function restartIce(pc: PeerConnectionLike, report: Report): void {
  try {
    pc.restartIce();
  } catch (cause) {
    if (isDomError(cause, 'InvalidStateError')) return;
    report({ type: 'peer.error', error: new IceCandidateError(null, cause) });
  }
}
