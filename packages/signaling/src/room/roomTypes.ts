/**
 * The public shape of a room: its options, the participant a UI reads, the snapshot and the
 * object. A room is a full mesh: one peer connection per pair of participants.
 * @module
 */

import type { CreatePeerOptions, PeerActor, PeerView } from '@peerstatejs/core';
import type { CallQuality } from '@peerstatejs/core/stats';
import type { RoomFullError, WebSocketSignalingError } from '../errors.js';
import type { SignalingSessionState } from '../session/sessionTypes.js';
import type {
  WebSocketSignaling,
  WebSocketSignalingOptions,
} from '../websocket/websocketOptions.js';

/** The largest mesh a room allows by default, this peer included. See `maxParticipants`. */
export const DEFAULT_MAX_PARTICIPANTS = 8;

/** The label of the data channel every peer of a room opens (negotiated, so both sides share it). */
export const ROOM_DATA_LABEL = 'peerstate-room';

/** The options of one participant's peer. */
export type RoomPeerOptions = Omit<CreatePeerOptions, 'signaling' | 'polite'>;

/** Options of {@link createRoom}. */
export interface RoomOptions extends Omit<WebSocketSignalingOptions, 'to'> {
  /**
   * The options of each participant's peer (all but `signaling` and `polite`, which the room
   * decides per pair), or a function giving them for one participant's id. `configuration` may
   * be a function (fresh TURN credentials per connection).
   */
  readonly peer?: RoomPeerOptions | ((participantId: string) => RoomPeerOptions);
  /**
   * The local media, sent to every participant: constraints the room captures once on `start()`
   * (the room owns those tracks and stops them on `stop()`), or a stream the app captured (the
   * app's to stop). `undefined`: nothing is sent; the room only receives.
   */
  readonly media?: MediaStreamConstraints | MediaStream;
  /**
   * The largest mesh, this peer included. A peer that joins a room already holding
   * `maxParticipants` leaves it at once with a `RoomFullError`; the members never call it.
   * Every participant of a room should use the same value. @defaultValue 8
   */
  readonly maxParticipants?: number;
  /**
   * How often each participant's connection is sampled for `quality`, in ms; 0 samples nothing.
   * @defaultValue 2000
   */
  readonly qualityIntervalMs?: number;
  /** Leave the room when the page goes away (`pagehide`). @defaultValue true */
  readonly leaveOnPageHide?: boolean;
  /** Makes the transport; tests pass one over a mock server. @defaultValue createWebSocketSignaling */
  readonly createTransport?: (options: WebSocketSignalingOptions) => WebSocketSignaling;
  /** Captures `media` constraints. @defaultValue navigator.mediaDevices.getUserMedia */
  readonly getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
}

/** One remote participant and the peer this room runs with it. */
export interface Participant {
  /** Its peer id in the room. */
  readonly id: string;
  /** This peer's role towards it (see `isPolite`). */
  readonly polite: boolean;
  readonly peer: PeerActor;
  /** `peerView` of the peer's latest snapshot: phase, remote tracks and streams, error. */
  readonly view: PeerView;
  /** The latest call-quality score of its connection, `null` before the first sample. */
  readonly quality: CallQuality | null;
}

/**
 * `idle`, then the transport's states (`connecting`, `open`, `reconnecting`, `closed`);
 * `full`: the room held `maxParticipants` already, so this peer left it (see `error`).
 */
export type RoomState = SignalingSessionState | 'full';

/** What a UI reads from a room: plain values, a new object on every change. */
export interface RoomSnapshot {
  readonly state: RoomState;
  readonly peerId: string;
  readonly room: string;
  /**
   * The remote participants with a peer, in the order their peers were created: at once for a
   * participant this peer is impolite towards; on its first message (its offer) for one this
   * peer is polite towards, so the two never offer at once (or after 5 s without one).
   */
  readonly participants: readonly Participant[];
  /** The media sent to every participant, once captured. */
  readonly localStream: MediaStream | null;
  /** Whether the local audio and video are muted (sent as silence and black to everyone). */
  readonly muted: { readonly audio: boolean; readonly video: boolean };
  /** The last error: the transport's, the capture's, or `RoomFullError`. */
  readonly error: WebSocketSignalingError | RoomFullError | Error | null;
}

/** What a room emits. */
export type RoomEvent =
  | { readonly type: 'joined'; readonly participant: Participant }
  | { readonly type: 'left'; readonly participant: Participant }
  | { readonly type: 'data'; readonly from: string; readonly data: unknown }
  | { readonly type: 'error'; readonly error: Error };

/** A full-mesh room. Connects on `start()`, never on creation. */
export interface Room {
  readonly peerId: string;
  readonly room: string;
  /** Captures the media (if any) and joins the room. Idempotent while started. */
  start(): void;
  /** Hangs up every participant, leaves the room, stops media the room captured. Idempotent. */
  stop(): void;
  /** The current snapshot: the same object until something changes. */
  getSnapshot(): RoomSnapshot;
  /** Calls `listener` after every change of the snapshot; the shape `useSyncExternalStore` takes. */
  subscribe(listener: () => void): () => void;
  /** Calls `listener` on every {@link RoomEvent}; returns the unsubscribe function. */
  on(listener: (event: RoomEvent) => void): () => void;
  /**
   * Sends to every connected participant on the room's data channel. Returns the ids it went
   * to; a participant whose channel is not open yet is skipped (and not in the list).
   */
  broadcast(data: string): readonly string[];
  /** Sends to one participant; `false` when it has no open channel (or is not in the room). */
  sendTo(participantId: string, data: string): boolean;
  /** Mutes or unmutes the local track(s) of `kind` for everyone at once. */
  setMuted(kind: 'audio' | 'video', muted: boolean): void;
  /**
   * Swaps the local track of `track.kind` for `track` on every peer (`REPLACE_TRACK`, no
   * renegotiation); later participants get it too. A track the room captured is stopped.
   * @throws {TypeError} when the room sends no media (`media` unset, or not captured yet).
   */
  replaceTrack(track: MediaStreamTrack): void;
}
