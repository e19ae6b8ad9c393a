import { connectionStateOf } from '../platform/connectionStateOf.js';
import type { PeerConnectionLike } from '../platform/types.js';
import type { PeerConnectionStates } from './types.js';

/** The peer connection's states right now. */
export function readPeerConnectionStates(pc: PeerConnectionLike): PeerConnectionStates {
  return {
    signaling: pc.signalingState,
    connection: connectionStateOf(pc),
    iceConnection: pc.iceConnectionState,
    iceGathering: pc.iceGatheringState,
  };
}

/** States of a peer that has no connection yet. */
export const INITIAL_PEER_CONNECTION_STATES: PeerConnectionStates = {
  signaling: 'stable',
  connection: 'new',
  iceConnection: 'new',
  iceGathering: 'new',
};
