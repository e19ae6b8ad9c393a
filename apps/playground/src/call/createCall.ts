/**
 * One call: its signaling, its peers' specs and the recorder that watches them. "Start over"
 * makes a new one.
 * @module
 */
import {
  createBroadcastChannelSignaling,
  createInMemorySignalingPair,
  type SignalingChannel,
} from '@peerstatejs/core';
import { createSessionRecorder, type SessionRecorder } from '@peerstatejs/core/recorder';
import { createWebSocketSignaling } from '@peerstatejs/signaling';
import { PEER_NAMES, type PlaygroundConfig } from './config.js';

export interface PeerSpec {
  readonly name: string;
  readonly polite: boolean;
  readonly signaling: SignalingChannel;
}

export interface Call {
  readonly id: number;
  readonly peers: readonly PeerSpec[];
  readonly recorder: SessionRecorder;
  /** Releases the signaling; call after the peers closed (their bye must still go out). */
  dispose(): void;
}

let nextId = 1;

export function createCall(config: PlaygroundConfig): Call {
  let peers: PeerSpec[];
  let dispose: () => void;
  if (config.mode === 'in-memory') {
    const [left, right] = createInMemorySignalingPair();
    peers = [
      { name: PEER_NAMES.impolite, polite: false, signaling: left },
      { name: PEER_NAMES.polite, polite: true, signaling: right },
    ];
    dispose = () => {
      left.close();
      right.close();
    };
  } else {
    const channel =
      config.mode === 'broadcast-channel'
        ? createBroadcastChannelSignaling({ name: config.room })
        : createWebSocketSignaling({ url: config.url, room: config.room });
    peers = [
      { name: PEER_NAMES[config.role], polite: config.role === 'polite', signaling: channel },
    ];
    dispose = () => channel.close();
  }
  const recorder = createSessionRecorder({
    signaling: config.mode,
    peers: peers.map(({ name, polite }) => ({ name, polite })),
  });
  // Every message a peer sends goes into the recording (the ones it receives are its events).
  peers = peers.map((peer, index) => ({
    ...peer,
    signaling: recorder.tapSignaling(index, peer.signaling),
  }));
  return { id: nextId++, peers, recorder, dispose };
}
