/**
 * Signaling through a room on a WebSocket server (the reference server is
 * `apps/signaling-server`): reconnects with backoff, keeps what is not acknowledged across drops
 * and sends it again in order, heartbeats to notice half-open sockets, and reports its state.
 * @module
 */

import type { SignalingMessage } from '@peerstatejs/core';
import { WebSocketSignalingError } from '../errors.js';
import { decodeServerFrame, frameSize, signalFrame } from './framing.js';
import { Inbox } from './inbox.js';
import { type Listener, Listeners } from './listeners.js';
import { Outbox, type Outgoing } from './outbox.js';
import { CLOSE_CODES, ID_PATTERN, ROOM_PROTOCOL_VERSION, type ServerFrame } from './protocol.js';
import { RoomSocket } from './roomSocket.js';
import {
  DEFAULT_HEARTBEAT,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_RECONNECT,
  type PresenceEvent,
  type WebSocketCloseInfo,
  type WebSocketSignaling,
  type WebSocketSignalingOptions,
  type WebSocketSignalingState,
} from './websocketOptions.js';

/**
 * Creates the channel and starts connecting at once. For a call, `createSignalingSession` wraps
 * it: it connects on `start()`, pairs with the remote it sees in the room and picks the roles.
 *
 * @example
 * ```ts
 * const signaling = createWebSocketSignaling({ url: 'ws://127.0.0.1:8787', room: 'demo' });
 * signaling.onStateChange((state) => console.log('signaling', state));
 * const peer = createPeer({ signaling, polite: true });
 * ```
 */
export function createWebSocketSignaling(options: WebSocketSignalingOptions): WebSocketSignaling {
  const reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
  const heartbeat = { ...DEFAULT_HEARTBEAT, ...options.heartbeat };
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const random = options.random ?? Math.random;
  const urls = (Array.isArray(options.url) ? options.url : [options.url]).map(String);
  if (urls.length === 0) throw new TypeError('url must name at least one server');
  const room = options.room;
  const peerId = options.peerId ?? randomId();
  const session = randomId();
  const instance = randomId();
  if (!ID_PATTERN.test(room)) throw new TypeError(`room must match ${ID_PATTERN}, got "${room}"`);
  if (!ID_PATTERN.test(peerId))
    throw new TypeError(`peerId must match ${ID_PATTERN}, got "${peerId}"`);
  if (options.to !== undefined && !ID_PATTERN.test(options.to))
    throw new TypeError(`to must match ${ID_PATTERN}, got "${options.to}"`);

  let state: WebSocketSignalingState = 'connecting';
  let closeInfo: WebSocketCloseInfo | null = null;
  let peers: string[] = [];
  const outbox = new Outbox();
  const inbox = new Inbox();
  const stateListeners = new Listeners<WebSocketSignalingState>();
  const presenceListeners = new Listeners<PresenceEvent>();
  const errorListeners = new Listeners<WebSocketSignalingError>();

  const setState = (next: WebSocketSignalingState): void => {
    if (state === next) return;
    state = next;
    stateListeners.notify(next);
  };
  const reportError = (error: WebSocketSignalingError): void => errorListeners.notify(error);
  const writeSignal = (item: Outgoing): void =>
    socket.write(signalFrame(item.seq, item.mid, item.data, options.to));

  const socket: RoomSocket = new RoomSocket(
    { urls, WebSocket: options.WebSocket, reconnect, heartbeat, random },
    {
      isClosed: () => state === 'closed',
      opened: () =>
        socket.write({
          t: 'join',
          v: ROOM_PROTOCOL_VERSION,
          room,
          peer: peerId,
          session,
          instance,
          received: inbox.received,
          ...(options.token === undefined ? {} : { token: options.token }),
        }),
      frame: (data) => {
        const decoded = decodeServerFrame(data, maxBytes);
        if (decoded.ok) handle(decoded.frame);
        else reportError(decoded.error);
      },
      reconnecting: () => setState('reconnecting'),
      failed: (code, reason, error) => finish(code, reason, error),
    },
  );

  // Signals wait in the outbox while the room holds nobody who could receive them: the server
  // relays to the peers present and acknowledges a frame that reached nobody, so an offer sent
  // before the remote joined was lost until the machine's next resend (about 10 s later). A flush
  // after a rejoin writes every unacknowledged item again; the server drops a seq it has seen
  // (and acknowledges it).
  const hasRecipient = (): boolean =>
    options.to === undefined ? peers.length > 0 : peers.includes(options.to);
  const flush = (): void => {
    if (!socket.joined || !hasRecipient()) return;
    for (const item of outbox.items) writeSignal(item);
  };

  const joined = (frame: Extract<ServerFrame, { t: 'joined' }>): void => {
    if (!frame.resumed) {
      inbox.restart();
      outbox.renumber();
    } else {
      outbox.acknowledge(frame.acked);
      if (frame.gap) {
        const { from, to } = frame.gap;
        reportError(
          new WebSocketSignalingError(
            'WS_MESSAGES_LOST',
            `The server dropped ${to - from + 1} message(s) for us (seq ${from}–${to}) while we were away: renegotiate`,
            { gap: frame.gap },
          ),
        );
      }
    }
    socket.markJoined();
    const before = new Set(peers);
    peers = frame.peers.filter((peer) => peer !== peerId);
    for (const peer of peers)
      if (!before.has(peer)) presenceListeners.notify({ type: 'joined', peer });
    for (const peer of before)
      if (!peers.includes(peer)) presenceListeners.notify({ type: 'left', peer });
    flush();
    socket.startPinging(() => ({ t: 'ping', ack: inbox.received }));
    setState('open');
  };

  const handle = (frame: ServerFrame): void => {
    switch (frame.t) {
      case 'joined':
        joined(frame);
        return;
      case 'signal':
        inbox.accept(
          frame.seq,
          frame.data,
          frame.from,
          frame.instance !== undefined && frame.mid !== undefined
            ? { from: frame.from, instance: frame.instance, mid: frame.mid }
            : undefined,
        );
        // Acknowledged even when it is a duplicate: the server sent it again because our
        // previous acknowledgement was lost.
        socket.write({ t: 'ack', seq: frame.seq });
        return;
      case 'ack':
        outbox.acknowledge(frame.seq);
        return;
      case 'peer-joined': {
        // Only the room's first recipient releases held signals: a later joiner would get the
        // already-written ones only as duplicates the server drops.
        const held = !hasRecipient();
        if (!peers.includes(frame.peer)) peers = [...peers, frame.peer];
        presenceListeners.notify({ type: 'joined', peer: frame.peer });
        if (held) flush();
        return;
      }
      case 'peer-left':
        peers = peers.filter((peer) => peer !== frame.peer);
        presenceListeners.notify({ type: 'left', peer: frame.peer });
        return;
      case 'error':
        reportError(
          new WebSocketSignalingError(
            'WS_SERVER_ERROR',
            `The server refused a frame: ${frame.code}: ${frame.message}`,
          ),
        );
        return;
      case 'pong':
        return;
    }
  };

  const finish = (code: number, reason: string, error: WebSocketSignalingError | null): void => {
    if (state === 'closed') return;
    socket.shutdown(reason);
    closeInfo = { code, reason, error };
    inbox.clear();
    outbox.clear();
    if (error) reportError(error);
    setState('closed');
    stateListeners.clear();
    presenceListeners.clear();
    errorListeners.clear();
  };

  /** Listeners added after the channel closed are never called. */
  const listen = <T>(listeners: Listeners<T>, listener: Listener<T>): (() => void) =>
    state === 'closed' ? () => {} : listeners.add(listener);

  socket.connect();

  return {
    peerId,
    room,
    get state() {
      return state;
    },
    get peers() {
      return peers;
    },
    get pending() {
      return outbox.size;
    },
    get closeInfo() {
      return closeInfo;
    },
    send(message: SignalingMessage): void {
      if (state === 'closed') {
        throw new WebSocketSignalingError(
          'WS_CLOSED',
          `The WebSocket signaling of room "${room}" is closed`,
          closeInfo?.error ? { cause: closeInfo.error } : {},
        );
      }
      const item: Outgoing = { seq: outbox.nextSeq, mid: outbox.nextMid, data: message };
      // Measured as it will travel, so the server's limit can never close the socket on us.
      const size = frameSize(signalFrame(item.seq, item.mid, message, options.to));
      if (size > maxBytes) {
        throw new WebSocketSignalingError(
          'WS_MESSAGE_TOO_LARGE',
          `A ${size}-byte "${message.type}" message is over maxMessageBytes (${maxBytes})`,
        );
      }
      outbox.push(item);
      if (socket.joined && hasRecipient()) writeSignal(item);
    },
    subscribe(listener): () => void {
      if (state === 'closed') return () => {};
      return inbox.subscribe(listener);
    },
    onStateChange: (listener) => listen(stateListeners, listener),
    onPresence: (listener) => listen(presenceListeners, listener),
    onError: (listener) => listen(errorListeners, listener),
    close(): void {
      if (state === 'closed') return;
      if (socket.joined) socket.write({ t: 'leave' });
      finish(CLOSE_CODES.NORMAL, 'closed', null);
    },
  };
}

function randomId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
