import type { PeerActor } from '@peerstatejs/core';
import { type InjectionKey, inject, provide } from 'vue';

/** The injection key {@link providePeer} and {@link injectPeer} use. */
export const peerKey: InjectionKey<PeerActor> = Symbol('peerstate.peer');

/** Shares a call's peer with the components below (e.g. `providePeer(usePeer(options).actor)`). */
export function providePeer(peer: PeerActor): void {
  provide(peerKey, peer);
}

/** The peer of the nearest {@link providePeer}; pass it to `usePeer`. */
export function injectPeer(): PeerActor {
  const peer = inject(peerKey, null);
  if (!peer) {
    throw new Error(
      'injectPeer() found no peer: call providePeer(actor) in an ancestor component first.',
    );
  }
  return peer;
}
