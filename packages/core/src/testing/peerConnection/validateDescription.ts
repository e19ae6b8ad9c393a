/**
 * Checks before a description is applied: SDP syntax (an `RTCError` with `sdp-syntax-error`),
 * ICE and DTLS attributes, and the m-line order JSEP §5.8 requires.
 * @module
 */

import { domError, rtcError } from '../domError.js';
import { type FakeSdp, FakeSdpSyntaxError, parseSdp } from '../fakeSdp.js';
import type { PeerSlots } from './slots.js';

/** An engine without the parameterless form reads the empty description as SDP, and fails. */
export function requireImplicitDescription(pc: PeerSlots): void {
  if (!pc.options.parameterlessSetLocalDescription) {
    throw rtcError('Failed to parse SessionDescription.  Expect line: v=', {
      errorDetail: 'sdp-syntax-error',
      sdpLineNumber: 1,
    });
  }
}

/** Parses a remote description; bad SDP is an `RTCError` with `sdp-syntax-error`. */
export function parseRemote(sdp: string): FakeSdp {
  try {
    return parseSdp(sdp);
  } catch (error) {
    if (error instanceof FakeSdpSyntaxError) {
      throw rtcError(`Failed to parse SessionDescription. ${error.message}`, {
        errorDetail: 'sdp-syntax-error',
        sdpLineNumber: error.lineNumber,
      });
    }
    throw error;
  }
}

/** webrtc-pc §4.4.1.5: content the engine cannot use is an InvalidAccessError. */
export function validateRemote(pc: PeerSlots, type: 'offer' | 'answer', parsed: FakeSdp): void {
  for (const section of parsed.sections) {
    if (section.port === 0) continue;
    if (section.iceUfrag === null || section.icePwd === null) {
      throw domError('InvalidAccessError', 'Called with SDP without ice-ufrag and ice-pwd.');
    }
    if (section.fingerprint === null) {
      throw domError('InvalidAccessError', 'Called with SDP without DTLS fingerprint.');
    }
  }
  const mids = (sdp: FakeSdp): string[] => sdp.sections.map((s, i) => s.mid ?? String(i));
  const received = mids(parsed);
  if (type === 'answer') {
    const offered = pc.pendingLocal === null ? [] : mids(pc.pendingLocal.parsed);
    if (offered.length !== received.length || offered.some((mid, i) => received[i] !== mid)) {
      throw domError(
        'InvalidAccessError',
        "The order of m-lines in answer doesn't match order in offer. Rejecting answer.",
      );
    }
    return;
  }
  const negotiated = pc.currentRemote === null ? [] : mids(pc.currentRemote.parsed);
  if (negotiated.some((mid, i) => received[i] !== mid)) {
    throw domError(
      'InvalidAccessError',
      "The order of m-lines in subsequent offer doesn't match order from previous offer/answer.",
    );
  }
}
