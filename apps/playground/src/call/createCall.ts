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
import { createWebSocketSignaling, type WebSocketSignaling } from '@peerstatejs/signaling';
import { PEER_NAMES, type PlaygroundConfig, rtcConfiguration } from './config.js';
import { createFaults, type Faults } from './faults.js';

export interface PeerSpec {
  readonly name: string;
  readonly polite: boolean;
  readonly signaling: SignalingChannel;
}

export interface Call {
  readonly id: number;
  readonly peers: readonly PeerSpec[];
  readonly recorder: SessionRecorder;
  readonly faults: Faults;
  /** The peer connection's configuration (relay-only, a TURN server), if not the default. */
  readonly configuration: RTCConfiguration | undefined;
  /** The room channel in WebSocket mode: its state and who is in the room are shown. */
  readonly websocket: WebSocketSignaling | null;
  /** Releases the signaling; call after the peers closed (their bye must still go out). */
  dispose(): void;
}

let nextId = 1;

export function createCall(config: PlaygroundConfig): Call {
  let peers: PeerSpec[];
  let dispose: () => void;
  let websocket: WebSocketSignaling | null = null;
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
    if (config.mode === 'websocket') {
      websocket = createWebSocketSignaling({ url: config.url, room: config.room });
    }
    const channel = websocket ?? createBroadcastChannelSignaling({ name: config.room });
    peers = [
      { name: PEER_NAMES[config.role], polite: config.role === 'polite', signaling: channel },
    ];
    dispose = () => channel.close();
  }
  const recorder = createSessionRecorder({
    signaling: config.mode,
    peers: peers.map(({ name, polite }) => ({ name, polite })),
  });
  // Faults apply on the way out, after the recording: the timeline shows a message sent, then
  // lost or held back by the wire (the page owns the wire only with in-memory signaling).
  const faults = createFaults(recorder, peers.length, { wire: config.mode === 'in-memory' });
  // Every message a peer sends goes into the recording (the ones it receives are its events).
  peers = peers.map((peer, index) => ({
    ...peer,
    signaling: recorder.tapSignaling(index, faults.wrap(index, peer.signaling)),
  }));
  const configuration = rtcConfiguration(config);
  if (config.transport === 'relay') {
    for (const index of peers.keys()) {
      recorder.addFault(index, 'ice.relayOnly', {
        iceTransportPolicy: 'relay',
        turn: config.turn || null,
      });
    }
  }
  return { id: nextId++, peers, recorder, faults, configuration, websocket, dispose };
}
