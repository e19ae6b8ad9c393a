/**
 * Leak accounting for every fake: which objects still hold listeners, and which peer
 * connections were never closed. A test calls {@link resetFakeRegistry} before the code under
 * test runs and asserts {@link liveFakeListenerCount} is `0` after it is torn down.
 * @module
 */

import type { FakePeerConnection } from './fakePeerConnection.js';

/** What the registry needs to know about a tracked event target. */
export interface TrackedTarget {
  /** Listeners currently registered on the target (handler attributes included). */
  readonly fakeListenerCount: number;
  /** Listener count per event type, for error messages. */
  fakeListenerTypes(): ReadonlyMap<string, number>;
  /** A short human-readable name, e.g. `FakeDataChannel "chat"`. */
  readonly fakeDescription: string;
}

/** One object still holding listeners, as reported by {@link describeFakeListeners}. */
export interface FakeListenerReport {
  /** The object, e.g. `FakePeerConnection #3`. */
  readonly target: string;
  /** The event type listened to. */
  readonly type: string;
  /** How many listeners of that type remain. */
  readonly count: number;
}

let epoch = 0;
const targets = new Set<TrackedTarget>();
const peerConnections = new Set<FakePeerConnection>();

/** The current epoch; objects created in an older one are forgotten by the registry. */
export function registryEpoch(): number {
  return epoch;
}

/** Called by a target whenever its listener count changes. */
export function noteListenerCount(target: TrackedTarget, targetEpoch: number): void {
  if (targetEpoch !== epoch) return;
  if (target.fakeListenerCount > 0) targets.add(target);
  else targets.delete(target);
}

/** Called by a peer connection when it is created and when it closes. */
export function notePeerConnection(pc: FakePeerConnection, open: boolean, pcEpoch: number): void {
  if (pcEpoch !== epoch) return;
  if (open) peerConnections.add(pc);
  else peerConnections.delete(pc);
}

/** Total listeners still registered on fakes created since the last {@link resetFakeRegistry}. */
export function liveFakeListenerCount(): number {
  let total = 0;
  for (const target of targets) total += target.fakeListenerCount;
  return total;
}

/** Every listener still registered, grouped by object and event type (for assertion messages). */
export function describeFakeListeners(): FakeListenerReport[] {
  const reports: FakeListenerReport[] = [];
  for (const target of targets) {
    for (const [type, count] of target.fakeListenerTypes()) {
      reports.push({ target: target.fakeDescription, type, count });
    }
  }
  return reports;
}

/** Fake peer connections created since the last {@link resetFakeRegistry} and not closed. */
export function openFakePeerConnections(): FakePeerConnection[] {
  return [...peerConnections].filter((pc) => pc.signalingState !== 'closed');
}

/** Forgets every fake created so far; objects created before the reset are no longer counted. */
export function resetFakeRegistry(): void {
  epoch += 1;
  targets.clear();
  peerConnections.clear();
}
