/**
 * How async work and signaling report back to the machine, and how failures become typed errors.
 * @module
 */
import { PeerStateError, SignalingTransportError } from '../errors.js';
import { createByeMessage } from '../signaling/messages.js';
import type { SignalingChannel, SignalingMessage } from '../signaling/types.js';
import type { PeerEvent, PeerInternalEvent } from './types.js';

export type Report = (event: PeerInternalEvent) => void;

export function asPeerError(
  error: unknown,
  fallback: (cause: unknown) => PeerStateError,
): PeerStateError {
  return error instanceof PeerStateError ? error : fallback(error);
}

export function reporter(self: {
  send: (event: PeerEvent) => void;
  getSnapshot: () => { status: string };
}): Report {
  // Async work (a candidate, replaceTrack, getUserMedia) may settle after the actor ended.
  return (event) => {
    if (self.getSnapshot().status === 'active') self.send(event);
    // Media captured for a peer that has ended is ours alone: release the devices.
    else if (event.type === 'peer.mediaReady')
      for (const track of event.stream.getTracks()) track.stop();
  };
}

/** Sends one message; a throw or a rejection becomes a typed error event. */
export function sendSignalMessage(
  signaling: SignalingChannel,
  message: SignalingMessage,
  report: Report,
): void {
  const fail = (cause: unknown) =>
    report({ type: 'peer.error', error: new SignalingTransportError('send', message.type, cause) });
  try {
    const result = signaling.send(message);
    if (result && typeof result.then === 'function') result.then(undefined, fail);
  } catch (cause) {
    fail(cause);
  }
}

export function invalidStateError(message: string): Error {
  const DomException = (globalThis as { DOMException?: typeof DOMException }).DOMException;
  if (DomException) return new DomException(message, 'InvalidStateError');
  return Object.assign(new Error(message), { name: 'InvalidStateError' });
}

/** Action params: the error an event carries. */
export function errorOfEvent({ event }: { event: { error: PeerStateError } }) {
  return { error: event.error };
}

/** Action params: the bye a `CLOSE` sends. */
export function byeOfClose({ event }: { event: { reason?: string } }) {
  return createByeMessage(event.reason);
}
