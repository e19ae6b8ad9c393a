/**
 * A room transport with no socket: the test says when it opens and who joins or leaves, and
 * reads what the session sent. Enough of `WebSocketSignaling` for the session on top of it.
 */
import type { SignalingMessage } from '@peerstatejs/core';
import type {
  IncomingSignalMeta,
  PresenceEvent,
  WebSocketSignaling,
  WebSocketSignalingOptions,
  WebSocketSignalingState,
} from '@peerstatejs/signaling';

export interface FakeTransport extends WebSocketSignaling {
  readonly sent: SignalingMessage[];
  open(peers?: readonly string[]): void;
  presence(event: PresenceEvent): void;
}

export function fakeTransports() {
  const created: FakeTransport[] = [];
  const create = (options: WebSocketSignalingOptions): FakeTransport => {
    let state: WebSocketSignalingState = 'connecting';
    let peers: string[] = [];
    const states = new Set<(state: WebSocketSignalingState) => void>();
    const presence = new Set<(event: PresenceEvent) => void>();
    const sent: SignalingMessage[] = [];
    const transport: FakeTransport = {
      peerId: options.peerId ?? 'me',
      room: options.room,
      get state() {
        return state;
      },
      get peers() {
        return peers;
      },
      pending: 0,
      closeInfo: null,
      sent,
      send: (message) => {
        sent.push(message);
      },
      subscribe: (_listener: (message: unknown, meta: IncomingSignalMeta) => void) => () => {},
      onStateChange: (listener) => {
        states.add(listener);
        return () => states.delete(listener);
      },
      onPresence: (listener) => {
        presence.add(listener);
        return () => presence.delete(listener);
      },
      onError: () => () => {},
      close: () => {
        state = 'closed';
        for (const listener of [...states]) listener(state);
      },
      open: (present = []) => {
        peers = [...present];
        state = 'open';
        for (const listener of [...states]) listener(state);
      },
      presence: (event) => {
        peers =
          event.type === 'joined'
            ? [...peers, event.peer]
            : peers.filter((peer) => peer !== event.peer);
        for (const listener of [...presence]) listener(event);
      },
    };
    created.push(transport);
    return transport;
  };
  return { created, create };
}
