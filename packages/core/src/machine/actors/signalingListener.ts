import { fromCallback } from 'xstate';
import { PeerStateError, SignalingTransportError } from '../../errors.js';
import type { SignalingLimits } from '../../signaling/limits.js';
import { parseSignalingMessage } from '../../signaling/parseSignalingMessage.js';
import type { SignalingChannel } from '../../signaling/types.js';
import type { PeerInternalEvent } from '../types.js';

/**
 * Subscribes to the signaling channel while the peer is active and validates every incoming
 * value before the machine sees it: a malformed message becomes `signal.invalid` and nothing else.
 */
export const signalingListener = fromCallback<
  { readonly type: never },
  { readonly signaling: SignalingChannel; readonly limits: Partial<SignalingLimits> }
>(({ input: { signaling, limits }, sendBack }) => {
  const send = (event: PeerInternalEvent) => sendBack(event);
  let unsubscribe: () => void = () => {};
  try {
    unsubscribe = signaling.subscribe((raw) => {
      const result = parseSignalingMessage(raw, limits);
      if (result.ok) send({ type: 'signal.message', message: result.message });
      else send({ type: 'signal.invalid', error: result.error });
    });
  } catch (cause) {
    const error =
      cause instanceof PeerStateError
        ? cause
        : new SignalingTransportError('subscribe', null, cause);
    send({ type: 'peer.error', error });
  }
  return () => unsubscribe();
});
