'use client';

import {
  type CreatePeerOptions,
  createPeer,
  type PeerActor,
  type PeerEventHandlers,
} from '@peerstatejs/core';
import { useEffect, useRef, useState } from 'react';
import { usePeerEvents } from './usePeerEvents.js';

/** Options of the hooks, beside the peer's own. */
export interface UsePeerOptions {
  /** Handlers for the events the peer emits; subscribed before the peer starts. */
  readonly on?: PeerEventHandlers;
}

/** Hangs up: sends bye, closes the connection and its channels, then stops the actor. */
function closePeer(actor: PeerActor): void {
  actor.send({ type: 'CLOSE' });
  actor.stop();
}

/**
 * Starts `actor` (when given) after mount and closes it on unmount. The close waits one microtask
 * and is cancelled if the same component mounts again in between: StrictMode's simulated
 * unmount/remount keeps the one peer connection instead of closing it, sending bye to the remote
 * and opening a second. (`@xstate/react`'s stop-and-rehydrate does not fit: `stop()` runs no exit
 * action, so it would leave the connection open.)
 */
function usePeerLifecycle(actor: PeerActor | null): void {
  const cancelClose = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (!actor) return;
    cancelClose.current?.();
    cancelClose.current = null;
    actor.start();
    return () => {
      let cancelled = false;
      cancelClose.current = () => {
        cancelled = true;
      };
      queueMicrotask(() => {
        if (!cancelled) closePeer(actor);
      });
    };
  }, [actor]);
}

/**
 * Creates a peer from `options` once (later `options` are ignored: change the component's `key`
 * for a new peer), starts it after mount and closes the call on unmount. Rendering alone, and so
 * server rendering, never touches `RTCPeerConnection`. Re-renders nothing: read it with
 * {@link usePeer} or {@link usePeerSelector}, or share it with `PeerProvider`.
 */
export function usePeerActorRef(options: CreatePeerOptions, hooks: UsePeerOptions = {}): PeerActor {
  return usePeerSource(options, hooks.on);
}

function isPeerActor(source: CreatePeerOptions | PeerActor): source is PeerActor {
  return typeof (source as Partial<PeerActor>).getSnapshot === 'function';
}

/** @internal The peer itself when given one (the caller owns it), else one created and owned here. */
export function usePeerSource(
  source: CreatePeerOptions | PeerActor,
  on: PeerEventHandlers | undefined,
): PeerActor {
  const [owned] = useState(() => (isPeerActor(source) ? null : createPeer(source)));
  const actor = owned ?? (source as PeerActor);
  usePeerEvents(actor, on);
  usePeerLifecycle(owned);
  return actor;
}
