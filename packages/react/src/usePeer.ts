'use client';

import {
  type CreatePeerOptions,
  type PeerActions,
  type PeerActor,
  type PeerCommand,
  type PeerSnapshot,
  type PeerView,
  peerActions,
  peerView,
} from '@peerstatejs/core';
import { useSelector } from '@xstate/react';
import { useMemo } from 'react';
import { type UsePeerOptions, usePeerSource } from './usePeerActorRef.js';

/** What {@link usePeer} returns: the derived view (spread and whole), the snapshot and the actions. */
export interface UsePeerResult extends PeerView, PeerActions {
  readonly actor: PeerActor;
  readonly snapshot: PeerSnapshot;
  /** `peerView(snapshot)`: the same object the view's fields are spread from. */
  readonly view: PeerView;
  /** The machine's state value, e.g. `{ active: { connection: 'connected', … } }`. */
  readonly state: PeerSnapshot['value'];
  /** `snapshot.matches`: whether the machine is in a state. */
  readonly matches: PeerSnapshot['matches'];
  /** Sends any command to the peer. */
  readonly send: (command: PeerCommand) => void;
}

const identity = (snapshot: PeerSnapshot): PeerSnapshot => snapshot;

/**
 * A peer for a component. Given options, creates the peer once, starts it after mount and closes
 * the call on unmount (StrictMode-safe; nothing runs during render, so server rendering never
 * touches `RTCPeerConnection`). Given an actor (from `usePeerActorRef` or `usePeerContext`),
 * only reads it: its owner starts and closes it. Re-renders on every snapshot; use
 * `usePeerSelector` to re-render on less.
 *
 * @example
 * ```tsx
 * import type { SignalingChannel } from '@peerstatejs/core';
 * import { usePeer } from '@peerstatejs/react';
 * import { useState } from 'react';
 *
 * function Chat({ signaling }: { signaling: SignalingChannel }) {
 *   const [messages, setMessages] = useState<string[]>([]);
 *   const { phase, createDataChannel, sendData } = usePeer(
 *     { signaling, polite: true },
 *     { on: { data: ({ data }) => setMessages((m) => [...m, String(data)]) } },
 *   );
 *   // render `phase` and `messages`; call createDataChannel('chat'), sendData('chat', text)
 * }
 * ```
 */
export function usePeer(
  source: CreatePeerOptions | PeerActor,
  hooks: UsePeerOptions = {},
): UsePeerResult {
  const actor = usePeerSource(source, hooks.on);
  const snapshot = useSelector(actor, identity);
  const bound = useMemo(() => {
    const send = (command: PeerCommand): void => actor.send(command);
    return { send, ...peerActions(send) };
  }, [actor]);
  return useMemo(() => {
    const view = peerView(snapshot);
    const matches: PeerSnapshot['matches'] = (value) => snapshot.matches(value);
    return { ...view, ...bound, actor, snapshot, view, state: snapshot.value, matches };
  }, [actor, snapshot, bound]);
}
