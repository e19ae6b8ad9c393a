import { vi } from 'vitest';
import type { FakePeerConnection } from '../fakePeerConnection.js';

/** Runs every pending timer (fake timers) and returns the settled promise's value. */
export async function settle<T>(promise: Promise<T>): Promise<T> {
  const outcome = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await vi.runAllTimersAsync();
  const result = await outcome;
  if (!result.ok) throw result.error;
  return result.value;
}

/** Runs every pending timer and returns the rejection of `promise` (fails if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await settle(promise);
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Records the event types fired on `target`. */
export function recordEvents(target: EventTarget, types: readonly string[]): string[] {
  const seen: string[] = [];
  for (const type of types) target.addEventListener(type, () => seen.push(type));
  return seen;
}

/** Collects the non-null candidates `pc` gathers until `stop()` is called. */
export function collectCandidates(pc: FakePeerConnection): {
  candidates: RTCIceCandidateInit[];
  stop: () => void;
} {
  const candidates: RTCIceCandidateInit[] = [];
  const listener = (event: Event): void => {
    const { candidate } = event as RTCPeerConnectionIceEvent;
    if (candidate !== null) candidates.push(candidate.toJSON());
  };
  pc.addEventListener('icecandidate', listener);
  return { candidates, stop: () => pc.removeEventListener('icecandidate', listener) };
}

/** A full offer/answer from `offerer` to `answerer`, then every gathered candidate exchanged. */
export async function negotiate(
  offerer: FakePeerConnection,
  answerer: FakePeerConnection,
  options: RTCOfferOptions = {},
): Promise<void> {
  const fromOfferer = collectCandidates(offerer);
  const fromAnswerer = collectCandidates(answerer);
  const offer = await settle(offerer.createOffer(options));
  await settle(offerer.setLocalDescription(offer));
  await settle(answerer.setRemoteDescription(offer));
  const answer = await settle(answerer.createAnswer());
  await settle(answerer.setLocalDescription(answer));
  await settle(offerer.setRemoteDescription(answer));
  fromOfferer.stop();
  fromAnswerer.stop();
  for (const candidate of fromOfferer.candidates) await settle(answerer.addIceCandidate(candidate));
  for (const candidate of fromAnswerer.candidates) await settle(offerer.addIceCandidate(candidate));
  await vi.runAllTimersAsync();
}

export function domName(error: unknown): string | undefined {
  return error instanceof DOMException ? error.name : undefined;
}
