'use client';

import type { PeerActor, PeerSnapshot } from '@peerstatejs/core';
import { useSelector } from '@xstate/react';

/**
 * Reads one value from a peer's snapshot and re-renders only when it changes (by `compare`,
 * `Object.is` by default).
 *
 * @example
 * ```tsx
 * const phase = usePeerSelector(actor, (snapshot) => peerView(snapshot).phase);
 * ```
 */
export function usePeerSelector<T>(
  actor: PeerActor,
  selector: (snapshot: PeerSnapshot) => T,
  compare?: (a: T, b: T) => boolean,
): T {
  return useSelector(actor, selector, compare);
}
