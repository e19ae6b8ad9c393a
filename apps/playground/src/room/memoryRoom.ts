/**
 * A room server in the page: what `createRoom` needs of the reference server (join, presence,
 * relay to the others, leave), with no socket. Each participant's transport is one
 * `WebSocketSignaling` made by {@link MemoryRoomServer.createTransport}, so the SDK's room runs
 * unchanged (its `createTransport` option) and the page needs no server.
 * @module
 */
import type {
  IncomingSignalMeta,
  PresenceEvent,
  WebSocketSignaling,
  WebSocketSignalingOptions,
  WebSocketSignalingState,
} from '@peerstatejs/signaling';

type Listener<T extends unknown[]> = (...args: T) => void;

interface Client {
  readonly peerId: string;
  readonly receive: (message: unknown, from: string) => void;
  readonly presence: (event: PresenceEvent) => void;
}

export interface MemoryRoomServer {
  /** The `createTransport` option of `createRoom`: joins `options.room` as `options.peerId`. */
  createTransport(options: WebSocketSignalingOptions): WebSocketSignaling;
  /** Who is in `room` now, in join order. */
  members(room: string): readonly string[];
  /** Called with every message a participant sends, before it is relayed (the recording). */
  onSend(listener: (from: string, message: unknown) => void): () => void;
}

export function createMemoryRoomServer(): MemoryRoomServer {
  const rooms = new Map<string, Map<string, Client>>();
  const sendListeners = new Set<(from: string, message: unknown) => void>();

  // Every delivery waits a task, as a socket's would: no listener runs inside the sender's call.
  const later = (run: () => void): void => void setTimeout(run, 0);

  function createTransport(options: WebSocketSignalingOptions): WebSocketSignaling {
    const { room, peerId = crypto.randomUUID() } = options;
    const stateListeners = new Set<Listener<[WebSocketSignalingState]>>();
    const presenceListeners = new Set<Listener<[PresenceEvent]>>();
    const messageListeners = new Set<Listener<[unknown, IncomingSignalMeta]>>();
    /** Messages that arrived before the first subscriber (the interface's promise). */
    const backlog: [unknown, IncomingSignalMeta][] = [];
    let state: WebSocketSignalingState = 'connecting';
    let peers: string[] = [];

    const setState = (next: WebSocketSignalingState): void => {
      state = next;
      for (const listener of [...stateListeners]) listener(next);
    };
    const client: Client = {
      peerId,
      receive(message, from) {
        if (state !== 'open') return;
        const meta = { from };
        if (messageListeners.size === 0) backlog.push([message, meta]);
        for (const listener of [...messageListeners]) listener(message, meta);
      },
      presence(event) {
        if (state !== 'open') return;
        peers =
          event.type === 'joined'
            ? [...peers.filter((p) => p !== event.peer), event.peer]
            : peers.filter((p) => p !== event.peer);
        for (const listener of [...presenceListeners]) listener(event);
      },
    };

    later(() => {
      if (state !== 'connecting') return;
      let members = rooms.get(room);
      if (!members) {
        members = new Map();
        rooms.set(room, members);
      }
      peers = [...members.keys()].filter((id) => id !== peerId);
      members.set(peerId, client);
      for (const other of members.values()) {
        if (other !== client) later(() => other.presence({ type: 'joined', peer: peerId }));
      }
      setState('open');
    });

    const transport: WebSocketSignaling = {
      peerId,
      room,
      get state() {
        return state;
      },
      get peers() {
        return peers;
      },
      pending: 0,
      closeInfo: null,
      send(message) {
        if (state !== 'open') return;
        for (const listener of [...sendListeners]) listener(peerId, message);
        for (const other of rooms.get(room)?.values() ?? []) {
          if (other !== client) later(() => other.receive(message, peerId));
        }
      },
      subscribe(listener) {
        messageListeners.add(listener);
        for (const [message, meta] of backlog.splice(0)) later(() => listener(message, meta));
        return () => void messageListeners.delete(listener);
      },
      onStateChange(listener) {
        stateListeners.add(listener);
        return () => void stateListeners.delete(listener);
      },
      onPresence(listener) {
        presenceListeners.add(listener);
        return () => void presenceListeners.delete(listener);
      },
      onError() {
        // Nothing here fails: no socket, no frame to parse.
        return () => {};
      },
      close() {
        if (state === 'closed') return;
        const members = rooms.get(room);
        if (members?.get(peerId) === client) {
          members.delete(peerId);
          for (const other of members.values()) {
            later(() => other.presence({ type: 'left', peer: peerId }));
          }
          if (members.size === 0) rooms.delete(room);
        }
        setState('closed');
      },
    };
    return transport;
  }

  return {
    createTransport,
    members: (room) => [...(rooms.get(room)?.keys() ?? [])],
    onSend(listener) {
      sendListeners.add(listener);
      return () => void sendListeners.delete(listener);
    },
  };
}
