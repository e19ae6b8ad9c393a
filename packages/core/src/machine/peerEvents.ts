import type { PeerActor } from './createPeer.js';
import type { PeerEmitted } from './types.js';

/** One optional handler per event a peer emits (`error`, `data`, `track`, `dataChannel`, `closed`). */
export type PeerEventHandlers = {
  readonly [K in PeerEmitted['type']]?: (event: Extract<PeerEmitted, { type: K }>) => void;
};

/**
 * Subscribes typed handlers to a peer's emitted events with one listener. `handlers` may be a
 * function returning the current handlers, so a UI can swap them without resubscribing.
 * Returns the unsubscribe function.
 *
 * @example
 * ```ts
 * const off = onPeerEvents(peer, {
 *   data: ({ label, data }) => console.log(label, data),
 *   error: ({ error }) => console.error(error.code),
 * });
 * ```
 */
export function onPeerEvents(
  actor: Pick<PeerActor, 'on'>,
  handlers: PeerEventHandlers | (() => PeerEventHandlers | undefined),
): () => void {
  const current = typeof handlers === 'function' ? handlers : () => handlers;
  const subscription = actor.on('*', (event) => {
    const handler = current()?.[event.type] as ((event: PeerEmitted) => void) | undefined;
    handler?.(event);
  });
  return () => subscription.unsubscribe();
}
