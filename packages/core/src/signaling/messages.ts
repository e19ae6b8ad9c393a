/**
 * Builders for outgoing signaling messages.
 * @module
 */
import {
  type ByeMessage,
  type CandidateMessage,
  type CandidatePayload,
  type DescriptionMessage,
  type MutedMessage,
  type RebuildMessage,
  SIGNALING_VERSION,
} from './types.js';

/** How a description message is named: its own id, and for an answer the offer it answers. */
export interface DescriptionIds {
  /** Unique per sender and connection epoch; a resent offer keeps its id. */
  readonly id: string;
  /** Required on an answer or pranswer: the `id` of the offer it answers. */
  readonly inReplyTo?: string | null;
}

/**
 * Builds the message for a local description (`pc.localDescription` or `createOffer()` output).
 * An answer must name the offer it answers (`inReplyTo`): without it, the offerer drops it.
 */
export function createDescriptionMessage(
  description: Readonly<RTCSessionDescriptionInit>,
  ids: DescriptionIds,
): DescriptionMessage {
  const { type, sdp } = description;
  if (type !== 'offer' && type !== 'answer' && type !== 'pranswer') {
    throw new TypeError(`A "${String(type)}" description is never sent to the remote peer`);
  }
  if (typeof sdp !== 'string') throw new TypeError('The description has no sdp');
  const inReplyTo = type === 'offer' ? null : ids.inReplyTo;
  // What the remote would refuse: fail here, where the caller sees why.
  if (!ids.id || !inReplyTo === (type !== 'offer')) {
    throw new TypeError(`The ${type} has no id${type === 'offer' ? '' : ' or no inReplyTo'}`);
  }
  return Object.freeze({
    v: SIGNALING_VERSION,
    type: 'description',
    id: ids.id,
    inReplyTo: inReplyTo ?? null,
    description: Object.freeze({ type, sdp }),
  });
}

/** Where a candidate belongs: its ICE generation and connection epoch. */
export interface CandidateGeneration {
  /** The sender's `a=ice-ufrag`; defaults to the candidate's `usernameFragment`, else `null`. */
  readonly ufrag?: string | null;
  /** The sender's connection epoch; defaults to 0 (no rebuild yet). */
  readonly epoch?: number;
}

/**
 * Builds the message for a local candidate, from an `RTCIceCandidate`, its `toJSON()` output, or
 * an `RTCIceCandidateInit`. Missing fields become `null` (and a missing `candidate` the empty
 * string), so the result always has the wire shape. `null` announces the end of candidates: give
 * it the `ufrag` of the generation it ends, or a late one would end the next generation too.
 */
export function createCandidateMessage(
  candidate: Readonly<RTCIceCandidateInit> | null,
  generation: CandidateGeneration = {},
): CandidateMessage {
  // Plain property reads (not own-property reads) on purpose: RTCIceCandidate exposes its fields
  // as getters on the prototype.
  const payload: CandidatePayload | null =
    candidate &&
    Object.freeze({
      candidate: candidate.candidate ?? '',
      sdpMid: candidate.sdpMid ?? null,
      sdpMLineIndex: candidate.sdpMLineIndex ?? null,
      usernameFragment: candidate.usernameFragment ?? null,
    });
  return Object.freeze({
    v: SIGNALING_VERSION,
    type: 'candidate',
    candidate: payload,
    ufrag: generation.ufrag ?? payload?.usernameFragment ?? null,
    epoch: generation.epoch ?? 0,
  });
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

/** Builds the message that tells the remote which of our transceivers (by `mid`) are muted. */
export function createMutedMessage(mids: readonly string[]): MutedMessage {
  return Object.freeze({ v: SIGNALING_VERSION, type: 'muted', mids: Object.freeze([...mids]) });
}
