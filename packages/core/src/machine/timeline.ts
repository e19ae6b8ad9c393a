/**
 * The machine's own history: the last {@link TIMELINE_LIMIT} states entered, with the time of
 * each. It lives beside the actor, not in its context: an entry is written on every state entry,
 * and a context field would copy the whole array into a new context (and a new snapshot for the
 * app to re-render) each time (#22: ~200 entries copied per state entry, the largest single
 * allocation of a connect).
 * @module
 */
import type { AnyActorRef } from 'xstate';
import type { TransitionRecord } from './types.js';

/** How many state entries {@link peerTimeline} keeps. */
export const TIMELINE_LIMIT = 200;

const timelines = new WeakMap<object, TransitionRecord[]>();

/** Appends a state entry to `actor`'s timeline (the machine's `record` action). */
export function recordTransition(actor: AnyActorRef, entry: TransitionRecord): void {
  const list = timelines.get(actor) ?? [];
  if (list.length === 0) timelines.set(actor, list);
  list.push(entry);
  // Trimmed in batches: O(1) amortised per entry, never more than 2 × TIMELINE_LIMIT held.
  if (list.length >= 2 * TIMELINE_LIMIT) list.splice(0, TIMELINE_LIMIT);
}

/**
 * The most recent state entries of a peer actor (at most {@link TIMELINE_LIMIT}), oldest first:
 * which region entered which state, and when (`options.now()`). A copy; empty for an actor that
 * has entered no recorded state. For a full, ordered history (events, snapshots, signaling),
 * use `@peerstatejs/core/recorder`.
 *
 * @example
 * ```ts
 * const restarts = peerTimeline(peer).filter((e) => e.state === 'restartingIce').length;
 * ```
 */
export function peerTimeline(actor: object): readonly TransitionRecord[] {
  return (timelines.get(actor) ?? []).slice(-TIMELINE_LIMIT);
}
