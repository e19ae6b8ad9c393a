'use client';

import { type PeerActions, type PeerCommand, peerActions } from '@peerstatejs/core';
import {
  createSignalingSession,
  type SignalingSession,
  type SignalingSessionOptions,
  type SignalingSessionSnapshot,
} from '@peerstatejs/signaling';
import { useMemo } from 'react';
import { useStartedStore } from './startedStore.js';

/** What {@link useCall} returns: the session's snapshot, the session, and the peer's actions. */
export interface UseCallResult extends SignalingSessionSnapshot, PeerActions {
  readonly session: SignalingSession;
  /** Sends a command to the current peer; ignored while there is none (no remote yet). */
  readonly send: (command: PeerCommand) => void;
}

/**
 * A 1:1 call in a room of a signaling server, for a component: the session is created once
 * (later options are ignored: change the component's `key` for another room), joins after mount
 * and leaves on unmount. It pairs with the remote in the room, gives both peers their roles, and
 * creates the peer once the remote is there: an app never sets `polite`. Nothing runs during
 * render, so server rendering connects nothing; StrictMode's simulated unmount/remount keeps the
 * one session (the stop waits a microtask and is cancelled by the remount).
 *
 * @example
 * ```tsx
 * const call = useCall({ url: 'ws://127.0.0.1:8787', room: 'demo', media: { video: true } });
 * // call.state ('connecting', 'open', …), call.remote, call.view?.phase, call.view?.remoteStreams
 * ```
 */
export function useCall(options: SignalingSessionOptions): UseCallResult {
  const [session, snapshot] = useStartedStore<SignalingSession, SignalingSessionSnapshot>(() =>
    createSignalingSession(options),
  );
  const bound = useMemo(() => {
    const send = (command: PeerCommand): void => session.getSnapshot().peer?.send(command);
    return { send, ...peerActions(send) };
  }, [session]);
  return useMemo(() => ({ ...snapshot, ...bound, session }), [snapshot, bound, session]);
}
