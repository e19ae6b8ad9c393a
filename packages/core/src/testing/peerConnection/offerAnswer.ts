/**
 * The JSEP operations of webrtc-pc §4.4.1: `createOffer`, `createAnswer`, `setLocalDescription`
 * and `setRemoteDescription`, with the signaling-state rules that decide which are allowed.
 * @module
 */

import { domError } from '../domError.js';
import { nextTask } from '../queueTask.js';
import { applyLegacyOfferOptions, buildAnswer, buildOffer } from './createDescription.js';
import { chain } from './operationsChain.js';
import { applyRollback } from './rollback.js';
import {
  applyLocalAnswer,
  applyLocalOffer,
  applyRemoteAnswer,
  applyRemoteOffer,
} from './setDescription.js';
import type { PeerSlots } from './slots.js';
import { parseRemote, requireImplicitDescription, validateRemote } from './validateDescription.js';

/** As `RTCPeerConnection.createOffer`, following the spec. */
export function createOffer(
  pc: PeerSlots,
  options: RTCOfferOptions = {},
): Promise<RTCSessionDescriptionInit> {
  if (!pc.closed) applyLegacyOfferOptions(pc, options);
  return chain(pc, async () => {
    await nextTask();
    const offer = buildOffer(pc, options.iceRestart === true);
    pc.lastOffer = offer;
    return { type: 'offer', sdp: offer.sdp };
  });
}

/** As `RTCPeerConnection.createAnswer`, following the spec. */
export function createAnswer(pc: PeerSlots): Promise<RTCSessionDescriptionInit> {
  return chain(pc, async () => {
    await nextTask();
    // webrtc-pc §4.4.1.6: an answer needs a remote offer to answer.
    if (pc.signalingState !== 'have-remote-offer' && pc.signalingState !== 'have-local-pranswer') {
      throw domError(
        'InvalidStateError',
        `Cannot create an answer in signalingState '${pc.signalingState}'`,
      );
    }
    const answer = buildAnswer(pc);
    pc.lastAnswer = answer;
    return { type: 'answer', sdp: answer.sdp };
  });
}

/** As `RTCPeerConnection.setLocalDescription`, following the spec (parameterless form included). */
export function setLocalDescription(
  pc: PeerSlots,
  description?: RTCLocalSessionDescriptionInit,
): Promise<void> {
  if (description === undefined && !pc.options.parameterlessSetLocalDescription) {
    return Promise.reject(
      new TypeError(
        "Failed to execute 'setLocalDescription' on 'RTCPeerConnection': 1 argument required, but only 0 present.",
      ),
    );
  }
  return chain(pc, async () => {
    const startedIn = pc.signalingState;
    // Firefox makes the offer of a parameterless call when the operation starts; what changes
    // before it is applied is not in it (`negotiatesChannelsCreatedDuringDescription: false`).
    const early =
      !pc.options.negotiatesChannelsCreatedDuringDescription &&
      description === undefined &&
      startedIn === 'stable'
        ? buildOffer(pc, false)
        : null;
    // Firefox loses a channel created while an offer or a rollback is applied (not an answer).
    const answering =
      description?.type === 'answer' ||
      description?.type === 'pranswer' ||
      (description?.type === undefined &&
        (startedIn === 'have-remote-offer' || startedIn === 'have-local-pranswer'));
    pc.descriptionInFlight = !answering;
    try {
      await nextTask(pc.options.descriptionMs);
    } finally {
      pc.descriptionInFlight = false;
    }
    const state = pc.signalingState;
    // webrtc-pc §4.4.1.5: without a type, the signaling state picks offer or answer.
    const type =
      description?.type ??
      (state === 'stable' || state === 'have-local-offer' || state === 'have-remote-pranswer'
        ? 'offer'
        : 'answer');
    const sdp = description?.sdp ?? '';
    if (type === 'rollback') {
      applyRollback(pc);
      return;
    }
    if (type === 'offer') {
      if (state !== 'stable' && state !== 'have-local-offer') {
        throw domError('InvalidStateError', `Cannot set a local offer in state '${state}'`);
      }
      if (sdp === '') {
        requireImplicitDescription(pc);
        pc.lastOffer = early ?? buildOffer(pc, false);
      } else if (sdp !== pc.lastOffer?.sdp) {
        // JSEP §5.4: the offer must be the last one createOffer returned, unmodified.
        throw domError(
          'InvalidModificationError',
          'The SDP does not match the previously generated SDP for this type',
        );
      }
      applyLocalOffer(pc, pc.lastOffer);
      return;
    }
    if (state !== 'have-remote-offer' && state !== 'have-local-pranswer') {
      throw domError('InvalidStateError', `Cannot set a local ${type} in state '${state}'`);
    }
    if (sdp === '') {
      requireImplicitDescription(pc);
      pc.lastAnswer = buildAnswer(pc);
    } else if (sdp !== pc.lastAnswer?.sdp) {
      throw domError(
        'InvalidModificationError',
        'The SDP does not match the previously generated SDP for this type',
      );
    }
    applyLocalAnswer(pc, type, pc.lastAnswer);
  });
}

/** As `RTCPeerConnection.setRemoteDescription`, following the spec. */
export function setRemoteDescription(
  pc: PeerSlots,
  description: RTCSessionDescriptionInit,
): Promise<void> {
  return chain(pc, async () => {
    // Firefox loses a data channel created while any remote description is applied.
    pc.descriptionInFlight = true;
    try {
      await nextTask(pc.options.descriptionMs);
    } finally {
      pc.descriptionInFlight = false;
    }
    const type = description.type;
    if (type === 'rollback') {
      applyRollback(pc);
      return;
    }
    const parsed = parseRemote(description.sdp ?? '');
    const state = pc.signalingState;
    if (type === 'offer') {
      if (state === 'have-local-offer') {
        // webrtc-pc §4.4.1.6: modern engines roll the local offer back (glare handling).
        if (!pc.options.implicitRollback) {
          throw domError('InvalidStateError', "Cannot set a remote offer in 'have-local-offer'");
        }
        validateRemote(pc, 'offer', parsed);
        applyRollback(pc);
      } else if (state !== 'stable' && state !== 'have-remote-offer') {
        throw domError('InvalidStateError', `Cannot set a remote offer in state '${state}'`);
      }
      validateRemote(pc, 'offer', parsed);
      applyRemoteOffer(pc, { type, sdp: description.sdp ?? '', parsed });
      return;
    }
    if (state !== 'have-local-offer' && state !== 'have-remote-pranswer') {
      throw domError('InvalidStateError', `Cannot set a remote ${type} in state '${state}'`);
    }
    validateRemote(pc, 'answer', parsed);
    applyRemoteAnswer(pc, { type, sdp: description.sdp ?? '', parsed });
  });
}
