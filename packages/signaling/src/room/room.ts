/**
 * A room: a full mesh over one WebSocket room. It owns the transport (connects on `start()`),
 * gives every remote participant its own peer as it joins and ends it when it leaves, decides
 * each pair's roles from the two ids, captures the local media once and sends the same tracks
 * to everyone, and enforces the mesh's size limit with a typed error.
 * @module
 */

import { createByeMessage, peerView } from '@peerstatejs/core';
import { RoomFullError, type WebSocketSignalingError } from '../errors.js';
import { reportListenerError } from '../reportListenerError.js';
import { isPolite } from '../session/roles.js';
import { ID_PATTERN } from '../websocket/protocol.js';
import type { PresenceEvent, WebSocketSignaling } from '../websocket/websocketOptions.js';
import { createWebSocketSignaling } from '../websocket/websocketSignaling.js';
import { unwrap, wrap } from './envelope.js';
import { addShared, createMember, isLive, type Member } from './roomMember.js';
import {
  DEFAULT_MAX_PARTICIPANTS,
  ROOM_DATA_LABEL,
  type Room,
  type RoomEvent,
  type RoomOptions,
  type RoomSnapshot,
} from './roomTypes.js';

/**
 * How long a polite peer waits for the impolite participant's first message before it is
 * created anyway: far longer than an offer takes to arrive, even from a loaded machine.
 */
export const POLITE_WAIT_MS = 5_000;

/**
 * Creates a room. Nothing connects until `start()`.
 *
 * @example
 * ```ts
 * const room = createRoom({
 *   url: 'ws://127.0.0.1:8787',
 *   room: 'standup',
 *   media: { audio: true, video: { width: 320, height: 240 } },
 * });
 * room.on((event) => {
 *   if (event.type === 'joined') console.log('joined', event.participant.id);
 *   if (event.type === 'data') console.log(event.from, event.data);
 * });
 * room.start();
 * room.broadcast('hello everyone');
 * ```
 * @throws {TypeError} for a bad room or peer id, or a `maxParticipants` under 2.
 */
export function createRoom(options: RoomOptions): Room {
  const {
    peer: peerOptions,
    media,
    maxParticipants = DEFAULT_MAX_PARTICIPANTS,
    qualityIntervalMs,
    leaveOnPageHide = true,
    createTransport = createWebSocketSignaling,
    getUserMedia = defaultGetUserMedia,
    ...transportOptions
  } = options;
  const peerId = transportOptions.peerId ?? randomId();
  const room = transportOptions.room;
  if (!ID_PATTERN.test(room)) throw new TypeError(`room must match ${ID_PATTERN}, got "${room}"`);
  if (!ID_PATTERN.test(peerId))
    throw new TypeError(`peerId must match ${ID_PATTERN}, got "${peerId}"`);
  if (!Number.isInteger(maxParticipants) || maxParticipants < 2)
    throw new TypeError(`maxParticipants must be an integer ≥ 2, got ${maxParticipants}`);

  const listeners = new Set<() => void>();
  const eventListeners = new Set<(event: RoomEvent) => void>();
  const members = new Map<string, Member>();
  /** Peers that joined a full room: they leave on their own; never called. */
  const refused = new Set<string>();
  let transport: WebSocketSignaling | null = null;
  let detach: (() => void) | null = null;
  /** Bumped by every start and stop: a capture that resolves after them is stale. */
  let generation = 0;
  let ownsStream = false;
  let snapshot: RoomSnapshot = {
    state: 'idle',
    peerId,
    room,
    participants: [],
    localStream: null,
    muted: { audio: false, video: false },
    error: null,
  };

  const update = (next: Partial<RoomSnapshot>): void => {
    snapshot = { ...snapshot, ...next };
    for (const listener of [...listeners]) listener();
  };
  const emit = (event: RoomEvent): void => {
    for (const listener of [...eventListeners]) {
      try {
        listener(event);
      } catch (error) {
        reportListenerError(error);
      }
    }
  };
  const participants = () => [...members.values()].map((member) => member.participant);

  /**
   * Participants met whose peer waits for their first message: those towards whom this peer is
   * polite. Both sides run a room, so the impolite one offers as soon as it meets us; a polite
   * peer created before that offer arrives makes its own once its start-up hold runs out, and on
   * a loaded machine (six pages on two cores) the two collide: a rollback and more SDP work on
   * both sides, in the very seconds everyone is connecting. Created on that first message, it
   * answers; after {@link POLITE_WAIT_MS} without one, it is created anyway (and offers).
   */
  const awaiting = new Map<string, ReturnType<typeof setTimeout>>();
  const stopAwaiting = (remote: string): void => {
    clearTimeout(awaiting.get(remote));
    awaiting.delete(remote);
  };

  const join = (remote: string, now = false): void => {
    const existing = members.get(remote);
    if (existing && isLive(existing)) return;
    if (refused.has(remote) || !transport) return;
    if (awaiting.has(remote) && !now) return;
    const others =
      [...members.values()].filter((member) => member.id !== remote).length +
      [...awaiting.keys()].filter((id) => id !== remote).length;
    if (!existing && !awaiting.has(remote) && others >= maxParticipants - 1) {
      // The newcomer sees the same count in its join and leaves with RoomFullError.
      refused.add(remote);
      return;
    }
    if (!existing && !now && isPolite(peerId, remote)) {
      awaiting.set(
        remote,
        setTimeout(() => join(remote, true), POLITE_WAIT_MS),
      );
      return;
    }
    stopAwaiting(remote);
    if (existing) drop(existing, false);
    const member = createMember(
      peerId,
      remote,
      {
        ...(peerOptions === undefined ? {} : { peer: peerOptions }),
        ...(qualityIntervalMs === undefined ? {} : { qualityIntervalMs }),
      },
      snapshot.localStream,
      {
        send: (message) => transport?.send(message),
        changed: (changed) => {
          if (members.get(changed.id) !== changed) return;
          // A bye: the participant hung up. Its leave may never reach the server (a closing
          // tab can lose the frame), and waiting for the server's grace period shows a ghost.
          if (changed.participant.view.closeReason === 'remote') leave(changed);
          else update({ participants: participants() });
        },
        data: (from, data) => emit({ type: 'data', from, data }),
        error: (error) => emit({ type: 'error', error }),
      },
    );
    members.set(remote, member);
    update({ participants: participants() });
    emit({ type: 'joined', participant: member.participant });
  };

  /** Ends one member: REMOTE_LEFT when its remote is gone, a bye (CLOSE) when we leave. */
  const drop = (member: Member, remoteGone: boolean): void => {
    members.delete(member.id);
    if (isLive(member)) {
      member.peer.send(remoteGone ? { type: 'REMOTE_LEFT' } : { type: 'CLOSE', reason: 'local' });
    }
    member.release();
    member.participant = { ...member.participant, view: peerView(member.peer.getSnapshot()) };
  };

  const onPresence = (event: PresenceEvent): void => {
    if (event.type === 'joined') {
      // The join answer's peers are reported before the state is `open`: onOpen counts them.
      if (snapshot.state !== 'connecting') join(event.peer);
      return;
    }
    refused.delete(event.peer);
    stopAwaiting(event.peer);
    const member = members.get(event.peer);
    if (member) leave(member);
  };

  const leave = (member: Member): void => {
    drop(member, true);
    update({ participants: participants() });
    emit({ type: 'left', participant: member.participant });
  };

  const onMessage = (message: unknown, meta: { readonly from: string }): void => {
    const inner = unwrap(message, peerId);
    if (inner === null) return;
    let member = members.get(meta.from);
    // A message can precede its sender's presence; an ended peer's remote that signals again
    // came back with a new peer of its own (it rejoined while we kept our session).
    if ((!member || !isLive(member)) && transport?.peers.includes(meta.from)) {
      join(meta.from, true);
      member = members.get(meta.from);
    }
    if (member && isLive(member)) member.channel.deliver(inner);
  };

  const onOpen = (next: WebSocketSignaling): void => {
    // Only the join answer counts the room: later, members leave and join one at a time.
    if (snapshot.state !== 'connecting' || next.peers.length < maxParticipants) {
      for (const remote of next.peers) join(remote);
      return;
    }
    const error = new RoomFullError(room, maxParticipants, next.peers.length + 1);
    teardown();
    update({ state: 'full', participants: [], error });
    emit({ type: 'error', error });
  };

  const connect = (): void => {
    const next = createTransport({ ...transportOptions, peerId });
    transport = next;
    const offState = next.onStateChange((state) => {
      if (state === 'open') onOpen(next);
      if (transport === next) update({ state });
    });
    const offPresence = next.onPresence(onPresence);
    const offError = next.onError((error: WebSocketSignalingError) => {
      update({ error });
      emit({ type: 'error', error });
    });
    const offMessages = next.subscribe(onMessage);
    detach = () => {
      offState();
      offPresence();
      offError();
      offMessages();
    };
    update({ state: next.state, error: null });
    if (next.state === 'open') onOpen(next);
  };

  const onPageHide = (): void => stop();
  const pageTarget = globalThis as {
    addEventListener?: (type: string, listener: () => void) => void;
    removeEventListener?: (type: string, listener: () => void) => void;
  };

  function start(): void {
    if (snapshot.state === 'closed' || snapshot.state === 'full') stop();
    if (transport || generation % 2 === 1) return;
    generation += 1;
    const mine = generation;
    if (leaveOnPageHide) pageTarget.addEventListener?.('pagehide', onPageHide);
    update({ state: 'connecting', error: null });
    if (media === undefined || typeof (media as MediaStream).getTracks === 'function') {
      useStream((media as MediaStream | undefined) ?? null, false);
      connect();
      return;
    }
    // Captured before joining: every peer then starts with the tracks, one negotiation per pair.
    getUserMedia(media as MediaStreamConstraints).then(
      (stream) => {
        if (generation !== mine) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        useStream(stream, true);
        connect();
      },
      (error: unknown) => {
        if (generation !== mine) return;
        const failure = error instanceof Error ? error : new Error(String(error));
        // Joined all the same: receiving the others beats an empty room.
        update({ error: failure });
        emit({ type: 'error', error: failure });
        connect();
      },
    );
  }

  const useStream = (stream: MediaStream | null, owned: boolean): void => {
    ownsStream = owned;
    if (stream) {
      for (const track of stream.getTracks()) {
        track.enabled = !snapshot.muted[track.kind as 'audio' | 'video'];
      }
    }
    update({ localStream: stream });
  };

  /** Hangs up everyone and leaves; the snapshot's state is the caller's to set. */
  function teardown(): void {
    const leaving = [...members.values()];
    // Every bye and the leave go out before any connection closes: a CLOSE sends its own bye
    // first, but closing a connection stops its encoders, so five CLOSEs in a row delayed the
    // last byes and the leave by up to 2 s under load (e2e rooms-mesh-6), more than a closing
    // tab may get.
    if (transport && transport.state !== 'closed') {
      for (const member of leaving) {
        if (isLive(member)) transport.send(wrap(member.id, createByeMessage('local')));
      }
    }
    for (const remote of [...awaiting.keys()]) stopAwaiting(remote);
    refused.clear();
    detach?.();
    detach = null;
    transport?.close();
    transport = null;
    for (const member of leaving) {
      // Its bye went out above: the one CLOSE sends goes nowhere.
      member.channel.close();
      drop(member, false);
    }
    if (leaveOnPageHide) pageTarget.removeEventListener?.('pagehide', onPageHide);
  }

  function stop(): void {
    if (generation % 2 === 0) return;
    generation += 1;
    teardown();
    if (ownsStream) for (const track of snapshot.localStream?.getTracks() ?? []) track.stop();
    update({
      state: 'idle',
      participants: [],
      localStream: ownsStream ? null : snapshot.localStream,
    });
    ownsStream = false;
  }

  const send = (member: Member | undefined, data: string): boolean => {
    if (!member || !isLive(member)) return false;
    const open = member.peer
      .getSnapshot()
      .context.dataChannels.some((c) => c.label === ROOM_DATA_LABEL && c.readyState === 'open');
    if (open) member.peer.send({ type: 'SEND_DATA', label: ROOM_DATA_LABEL, data });
    return open;
  };

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
    on(listener) {
      const entry = (event: RoomEvent) => listener(event);
      eventListeners.add(entry);
      return () => {
        eventListeners.delete(entry);
      };
    },
    broadcast: (data) => [...members.values()].filter((m) => send(m, data)).map((m) => m.id),
    sendTo: (participantId, data) => send(members.get(participantId), data),
    setMuted(kind, muted) {
      for (const track of snapshot.localStream?.getTracks() ?? []) {
        if (track.kind === kind) track.enabled = !muted;
      }
      update({ muted: { ...snapshot.muted, [kind]: muted } });
    },
    replaceTrack(track) {
      const stream = snapshot.localStream;
      if (!stream) throw new TypeError('replaceTrack needs local media: the room sends none');
      const old = stream.getTracks().find((t) => t.kind === track.kind);
      track.enabled = !snapshot.muted[track.kind as 'audio' | 'video'];
      for (const member of members.values()) {
        if (!isLive(member)) continue;
        if (old) member.peer.send({ type: 'REPLACE_TRACK', track: old, withTrack: track });
        else addShared(member.peer, track, stream);
      }
      if (old) {
        stream.removeTrack(old);
        if (ownsStream) old.stop();
      }
      stream.addTrack(track);
      update({ localStream: stream });
    },
  };
}

function defaultGetUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
  const devices = (globalThis as { navigator?: { mediaDevices?: MediaDevices } }).navigator
    ?.mediaDevices;
  if (!devices) return Promise.reject(new TypeError('navigator.mediaDevices is not available'));
  return devices.getUserMedia(constraints);
}

function randomId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
