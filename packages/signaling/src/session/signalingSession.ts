/**
 * A signaling session: one room, and the call with the other peer in it. It owns the transport
 * (connects on `start()`, not on creation, so a component can create it during render and a
 * server render connects nothing), pairs with the remote the room reports, gives both peers
 * their roles from their ids (an app never sets `polite`), creates the peer only once the remote
 * is present (no offer into an empty room), and tells the peer when the remote left.
 * @module
 */

import { createByeMessage, createPeer, type PeerActor, peerView } from '@peerstatejs/core';
import type { WebSocketSignalingError } from '../errors.js';
import { ID_PATTERN } from '../websocket/protocol.js';
import type { PresenceEvent, WebSocketSignaling } from '../websocket/websocketOptions.js';
import { createWebSocketSignaling } from '../websocket/websocketSignaling.js';
import { createPeerChannel, type PeerChannel } from './peerChannel.js';
import { isPolite } from './roles.js';
import type {
  SignalingSession,
  SignalingSessionOptions,
  SignalingSessionSnapshot,
} from './sessionTypes.js';

interface Call {
  readonly remote: string;
  readonly peer: PeerActor;
  readonly channel: PeerChannel;
  readonly unsubscribe: () => void;
}

/**
 * Creates a session. Nothing connects until `start()`.
 *
 * @example
 * ```ts
 * const session = createSignalingSession({
 *   url: 'ws://127.0.0.1:8787',
 *   room: 'demo',
 *   media: { audio: true, video: true },
 * });
 * session.subscribe(() => {
 *   const { state, remote, view } = session.getSnapshot();
 *   console.log(state, remote, view?.phase, view?.closeReason);
 * });
 * session.start();
 * ```
 */
export function createSignalingSession(options: SignalingSessionOptions): SignalingSession {
  const {
    peer: peerOptions,
    media,
    leaveOnPageHide = true,
    createTransport = createWebSocketSignaling,
    ...transportOptions
  } = options;
  const peerId = transportOptions.peerId ?? randomId();
  const room = transportOptions.room;
  // Checked at creation, not at start(): a bad id is the app's bug, better found at once.
  if (!ID_PATTERN.test(room)) throw new TypeError(`room must match ${ID_PATTERN}, got "${room}"`);
  if (!ID_PATTERN.test(peerId))
    throw new TypeError(`peerId must match ${ID_PATTERN}, got "${peerId}"`);
  const listeners = new Set<() => void>();
  let transport: WebSocketSignaling | null = null;
  let detachTransport: (() => void) | null = null;
  let call: Call | null = null;
  let snapshot: SignalingSessionSnapshot = {
    state: 'idle',
    peerId,
    room,
    peers: [],
    remote: null,
    polite: null,
    peer: null,
    view: null,
    error: null,
  };

  const update = (next: Partial<SignalingSessionSnapshot>): void => {
    snapshot = { ...snapshot, ...next };
    for (const listener of [...listeners]) listener();
  };

  const isLive = (current: Call | null): boolean =>
    current !== null && current.peer.getSnapshot().status === 'active';

  /** Ends the current call's wiring; the ended peer stays in the snapshot for the UI. */
  const release = (current: Call): void => {
    current.channel.close();
    current.unsubscribe();
  };

  const startCall = (remote: string): void => {
    if (call) release(call);
    const polite = isPolite(peerId, remote);
    const channel = createPeerChannel((message) => transport?.send(message));
    const peer = createPeer({
      ...peerOptions,
      id: peerOptions?.id ?? `${peerId}→${remote}`,
      signaling: channel,
      polite,
    });
    const subscription = peer.subscribe((next) => {
      if (call?.peer !== peer) return;
      update({ view: peerView(next) });
      // A bye ended it: the remote may stay in the room and call again (a new peer on rejoin).
      if (next.status === 'done') release(call);
    });
    call = { remote, peer, channel, unsubscribe: () => subscription.unsubscribe() };
    update({ remote, polite, peer, view: peerView(peer.getSnapshot()) });
    peer.start();
    if (media !== undefined && peer.getSnapshot().status === 'active') {
      peer.send({ type: 'START_MEDIA', constraints: media });
    }
  };

  /** Pairs with the first other peer of the room when there is no live call. */
  const pair = (): void => {
    if (isLive(call)) return;
    const remote = snapshot.peers[0];
    // An ended call with a remote still present (it hung up but stayed) waits for it to rejoin.
    if (remote === undefined || call?.remote === remote) return;
    startCall(remote);
  };

  const onPresence = (event: PresenceEvent): void => {
    const peers = transport?.peers ?? [];
    if (event.type === 'left' && call?.remote === event.peer) {
      const ended = call;
      // Off the call first: the snapshot update REMOTE_LEFT causes must not pair again.
      call = null;
      if (isLive(ended)) ended.peer.send({ type: 'REMOTE_LEFT' });
      release(ended);
      const view = peerView(ended.peer.getSnapshot());
      update({ peers, remote: null, polite: null, peer: ended.peer, view });
      pair();
      return;
    }
    update({ peers });
    pair();
  };

  const onMessage = (message: unknown, meta: { readonly from: string }): void => {
    // Only the paired remote's messages reach the peer; another peer of the room is not called.
    if (call && isLive(call) && meta.from === call.remote) call.channel.deliver(message);
  };

  // Also for a page going into the back/forward cache: its peer connection would be frozen, and
  // a remote waiting the server's grace period for it would only see the call fail.
  const onPageHide = (): void => stop();
  const pageTarget = globalThis as {
    addEventListener?: (type: string, listener: () => void) => void;
    removeEventListener?: (type: string, listener: () => void) => void;
  };

  function start(): void {
    if (transport?.state === 'closed') stop();
    if (transport) return;
    const next = createTransport({ ...transportOptions, peerId });
    transport = next;
    const offState = next.onStateChange((state) => {
      update({ state, peers: next.peers });
      pair();
    });
    const offPresence = next.onPresence(onPresence);
    const offError = next.onError((error: WebSocketSignalingError) => update({ error }));
    const offMessages = next.subscribe(onMessage);
    if (leaveOnPageHide) pageTarget.addEventListener?.('pagehide', onPageHide);
    detachTransport = () => {
      offState();
      offPresence();
      offError();
      offMessages();
      if (leaveOnPageHide) pageTarget.removeEventListener?.('pagehide', onPageHide);
    };
    update({ state: next.state, peers: next.peers, error: null });
  }

  function stop(): void {
    if (!transport) return;
    const current = call;
    call = null;
    const live = current !== null && isLive(current);
    // The bye and the leave go out before the connection closes, on the transport we are
    // about to close: closing stops encoders (slow on a loaded machine), and a tab closing
    // meanwhile (pagehide) may get no later turn for the leave.
    if (live && transport.state !== 'closed') transport.send(createByeMessage('local'));
    detachTransport?.();
    detachTransport = null;
    transport.close();
    transport = null;
    if (current) {
      // Its bye went out above: the one CLOSE sends goes nowhere.
      release(current);
      if (live) current.peer.send({ type: 'CLOSE', reason: 'local' });
    }
    update({
      state: 'idle',
      peers: [],
      remote: null,
      polite: null,
      peer: current?.peer ?? snapshot.peer,
      view: current ? peerView(current.peer.getSnapshot()) : snapshot.view,
    });
  }

  return {
    peerId,
    room,
    start,
    stop,
    getSnapshot: () => snapshot,
    subscribe(listener) {
      const entry = () => listener();
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
  };
}

function randomId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
