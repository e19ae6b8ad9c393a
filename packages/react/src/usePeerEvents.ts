'use client';

import { onPeerEvents, type PeerActor, type PeerEventHandlers } from '@peerstatejs/core';
import { useEffect, useRef } from 'react';

/**
 * Calls `handlers` for the events `actor` emits. The handlers may change on every render without
 * resubscribing: the latest ones are called.
 */
export function usePeerEvents(actor: PeerActor, handlers: PeerEventHandlers | undefined): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => onPeerEvents(actor, () => latest.current), [actor]);
}
