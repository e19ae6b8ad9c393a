/**
 * The causes the error classes put into their messages (errors.ts `describeError`): an engine's
 * message may quote a whole SDP, and whatever a transport rejects with may not even print.
 */
import { describe, expect, it } from 'vitest';
import {
  IceCandidateError,
  NegotiationError,
  PeerConnectionError,
  SignalingTransportError,
} from '../errors.js';

describe('an error built from its cause', () => {
  it('does not throw on a cause that cannot be printed, and says so', () => {
    // `String()` throws on an object without a prototype (no toString), as on a revoked proxy.
    const unprintable = Object.create(null) as object;
    expect(new NegotiationError('setRemoteDescription', unprintable).message).toBe(
      'setRemoteDescription failed: an unprintable error',
    );
    expect(new SignalingTransportError('send', 'description', unprintable).message).toBe(
      'Sending a "description" signaling message failed: an unprintable error',
    );
  });

  it("cuts a long cause's message at 200 characters, naming its length; the cause keeps it whole", () => {
    const sdp = `v=0\r\n${'a=candidate:1 1 udp 1 192.0.2.1 9 typ host\r\n'.repeat(300)}`;
    const cause = new DOMException(`Failed to parse SessionDescription. ${sdp}`, 'OperationError');
    const error = new NegotiationError('setRemoteDescription', cause);
    const described = `${cause.name}: ${cause.message}`;
    expect(error.message).toBe(
      `setRemoteDescription failed: ${described.slice(0, 200)}… [${described.length} characters]`,
    );
    expect(error.cause).toBe(cause);
  });

  it('reads a message off a non-error object, and prints anything else', () => {
    expect(new IceCandidateError(null, { message: 'unknown sdpMid' }).message).toBe(
      'addIceCandidate failed: unknown sdpMid',
    );
    expect(new PeerConnectionError('bad url').message).toBe(
      'Creating the peer connection failed: bad url',
    );
  });
});
