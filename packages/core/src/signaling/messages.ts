/**
 * Builders for outgoing signaling messages.
 * @module
 */
import {
  type ByeMessage,
  type CandidateMessage,
  type CandidatePayload,
  type DescriptionMessage,
  type RebuildMessage,
  SIGNALING_VERSION,
} from './types.js';

/** Builds the message for a local description (`pc.localDescription` or `createOffer()` output). */
export function createDescriptionMessage(
  description: Readonly<RTCSessionDescriptionInit>,
): DescriptionMessage {
  const { type, sdp } = description;
  if (type !== 'offer' && type !== 'answer' && type !== 'pranswer') {
    throw new TypeError(`A "${String(type)}" description is never sent to the remote peer`);
  }
  if (typeof sdp !== 'string') throw new TypeError('The description has no sdp');
  return Object.freeze({
    v: SIGNALING_VERSION,
    type: 'description',
    description: Object.freeze({ type, sdp }),
  });
}

/**
 * Builds the message for a local candidate, from an `RTCIceCandidate`, its `toJSON()` output, or
 * an `RTCIceCandidateInit`. Missing fields become `null` (and a missing `candidate` the empty
 * string), so the result always has the wire shape. `null` announces the end of candidates.
 */
export function createCandidateMessage(
  candidate: Readonly<RTCIceCandidateInit> | null,
): CandidateMessage {
  if (candidate === null) {
    return Object.freeze({ v: SIGNALING_VERSION, type: 'candidate', candidate: null });
  }
  // Plain property reads (not own-property reads) on purpose: RTCIceCandidate exposes its fields
  // as getters on the prototype.
  const payload: CandidatePayload = Object.freeze({
    candidate: candidate.candidate ?? '',
    sdpMid: candidate.sdpMid ?? null,
    sdpMLineIndex: candidate.sdpMLineIndex ?? null,
    usernameFragment: candidate.usernameFragment ?? null,
  });
  return Object.freeze({ v: SIGNALING_VERSION, type: 'candidate', candidate: payload });
}

/** Builds the hang-up message. */
export function createByeMessage(reason?: string): ByeMessage {
  return Object.freeze(
    reason === undefined
      ? { v: SIGNALING_VERSION, type: 'bye' }
      : { v: SIGNALING_VERSION, type: 'bye', reason },
  );
}

/** Builds the message that asks the remote peer to rebuild too (or answers that request). */
export function createRebuildMessage(epoch: number): RebuildMessage {
  return Object.freeze({ v: SIGNALING_VERSION, type: 'rebuild', epoch });
}
