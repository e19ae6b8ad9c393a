import { type PeerActions, type PeerCommand, peerActions } from '@peerstatejs/core';
import {
  createSignalingSession,
  type SignalingSession,
  type SignalingSessionOptions,
  type SignalingSessionSnapshot,
} from '@peerstatejs/signaling';
import type { ShallowRef } from 'vue';
import { type FieldRefs, useStartedStore } from './startedStore.js';

/** Each field of the session's snapshot as a computed ref. */
export type CallRefs = FieldRefs<SignalingSessionSnapshot>;

/** What {@link useCall} returns: the snapshot (whole and per field), the session, the actions. */
export interface UseCallReturn extends CallRefs, PeerActions {
  readonly session: SignalingSession;
  readonly snapshot: Readonly<ShallowRef<SignalingSessionSnapshot>>;
  /** Sends a command to the current peer; ignored while there is none (no remote yet). */
  readonly send: (command: PeerCommand) => void;
}

/**
 * A 1:1 call in a room of a signaling server, for a component (or any effect scope): the
 * session joins once mounted (at once outside a component) and leaves when the scope is
 * disposed. It pairs with the remote in the room, gives both peers their roles and creates the
 * peer once the remote is there: an app never sets `polite`. Setup alone, and so server
 * rendering, connects nothing.
 *
 * @example
 * ```ts
 * const { state, remote, view } = useCall({ url: 'ws://127.0.0.1:8787', room: 'demo' });
 * ```
 */
export function useCall(options: SignalingSessionOptions): UseCallReturn {
  const session = createSignalingSession(options);
  const { snapshot, fields } = useStartedStore(session);
  const send = (command: PeerCommand): void => session.getSnapshot().peer?.send(command);
  return { ...fields, ...peerActions(send), session, snapshot, send };
}
