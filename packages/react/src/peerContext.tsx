'use client';

import type { PeerActor } from '@peerstatejs/core';
import { createContext, type ReactNode, useContext } from 'react';

const PeerContext = createContext<PeerActor | null>(null);

/** Props of {@link PeerProvider}: the actor to share and the tree that uses it. */
export interface PeerProviderProps {
  /** The call's peer, e.g. from `usePeerActorRef(options)`. */
  readonly peer: PeerActor;
  readonly children?: ReactNode;
}

/** Shares a call's peer with the tree below; read it with {@link usePeerContext}. */
export function PeerProvider({ peer, children }: PeerProviderProps): ReactNode {
  return <PeerContext.Provider value={peer}>{children}</PeerContext.Provider>;
}

/** The peer of the nearest `PeerProvider`; pass it to `usePeer` or `usePeerSelector`. */
export function usePeerContext(): PeerActor {
  const peer = useContext(PeerContext);
  if (!peer) {
    throw new Error(
      'usePeerContext() found no peer: render this component inside <PeerProvider peer={actor}>.',
    );
  }
  return peer;
}
