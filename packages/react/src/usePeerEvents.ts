import type { PeerActor, PeerEmitted } from '@peerstate/core';
import { useEffect, useRef } from 'react';

/** One optional handler per event a peer emits (`error`, `data`, `track`, `dataChannel`, `closed`). */
export type PeerEventHandlers = {
  readonly [K in PeerEmitted['type']]?: (event: Extract<PeerEmitted, { type: K }>) => void;
};

/**
 * Calls `handlers` for the events `actor` emits. The handlers may change on every render without
 * resubscribing: the latest ones are called.
 */
export function usePeerEvents(actor: PeerActor, handlers: PeerEventHandlers | undefined): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const subscription = actor.on('*', (event) => {
      const handler = latest.current?.[event.type] as ((event: PeerEmitted) => void) | undefined;
      handler?.(event);
    });
    return () => subscription.unsubscribe();
  }, [actor]);
}
