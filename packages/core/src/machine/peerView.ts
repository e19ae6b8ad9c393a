import type { PeerStateError } from '../errors.js';
import type { PeerSnapshot } from './createPeer.js';
import type {
  DataChannelInfo,
  LocalTrack,
  MuteMode,
  PeerCommand,
  RemoteTrack,
  SenderParameters,
} from './types.js';

/** `START_SCREEN_SHARE`'s options, as {@link PeerActions.startScreenShare} takes them. */
export interface ScreenShareOptions {
  readonly options?: DisplayMediaStreamOptions;
  readonly contentHint?: string;
  readonly replace?: boolean;
}

/** The phase a UI shows, derived from the machine's state. */
export type PeerPhase =
  | 'idle'
  | 'starting'
  | 'negotiating'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'failed'
  | 'closed';

/** What a UI reads from a peer: plain values derived from one snapshot. */
export interface PeerView {
  readonly phase: PeerPhase;
  readonly isConnected: boolean;
  readonly isClosed: boolean;
  /** The signaling region's state (`stable`, `makingOffer`, …) while active. */
  readonly signalingState: string | null;
  /** The connection region's state (`new`, `connected`, `restartingIce`, …) while active. */
  readonly connectionState: string | null;
  readonly localTracks: readonly LocalTrack[];
  /** Streams the local tracks are sent in (what a local preview shows). */
  readonly localStreams: readonly MediaStream[];
  readonly remoteTracks: readonly RemoteTrack[];
  /** Remote streams that still carry at least one track. */
  readonly remoteStreams: readonly MediaStream[];
  readonly dataChannels: readonly DataChannelInfo[];
  /** Negotiated, yet no local ICE candidate sent for a while (GATHERING_STALL_MS): see ice/gathering.states.ts. */
  readonly gatheringStalled: boolean;
  readonly error: PeerStateError | null;
  /**
   * Why the peer ended, once it has: `local` (or the reason given to `close`), `remote` (the
   * remote's bye), `remote-left` (the remote left the room: `REMOTE_LEFT`), `ice-failed`,
   * `rebuild-failed`, or an error code in lower case. `null` while it runs.
   */
  readonly closeReason: string | null;
}

/**
 * The actions a UI calls; each sends one command. `R` is what an action returns: nothing for
 * {@link peerActions}, a promise of the command's outcome for {@link peerCommands}. The media
 * controls (`setMuted` to `setCodecPreferences`) need the peer created with `mediaControls`
 * from `@peerstatejs/core/media-controls`; without them each settles with `UNSUPPORTED`.
 */
export interface PeerActions<R = void> {
  /** Sends `ADD_TRACK`: send a track (renegotiates). */
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): R;
  /** Sends `ADD_TRANSCEIVER`: e.g. `addTransceiver('video', { direction: 'recvonly' })`. */
  addTransceiver(
    trackOrKind: MediaStreamTrack | 'audio' | 'video',
    init?: RTCRtpTransceiverInit,
  ): R;
  /** Sends `REMOVE_TRACK`: stop sending a track (renegotiates). */
  removeTrack(track: MediaStreamTrack): R;
  /** Sends `REPLACE_TRACK`: swap a sent track without renegotiation. */
  replaceTrack(track: MediaStreamTrack, withTrack: MediaStreamTrack | null): R;
  /** Sends `START_MEDIA`: capture with `getUserMedia` (the SDK owns and stops these tracks). */
  startMedia(constraints?: MediaStreamConstraints): R;
  /** Sends `CREATE_DATA_CHANNEL`. */
  createDataChannel(label: string, options?: RTCDataChannelInit): R;
  /** Sends `SEND_DATA`: send on the open channel with this label. */
  sendData(label: string, data: string | ArrayBuffer | ArrayBufferView | Blob): R;
  /** Sends `RESTART_ICE`. */
  restartIce(): R;
  /** Sends `CLOSE`: hang up (bye, close, release). */
  close(options?: { reason?: string; stopTracks?: boolean }): R;
  /** Sends `SET_MUTED`: mute (`soft` by default, or `hard`) or unmute a kind or one track. */
  setMuted(kindOrTrack: 'audio' | 'video' | MediaStreamTrack, muted: boolean, mode?: MuteMode): R;
  /** Sends `SWITCH_DEVICE`: capture another camera or microphone on the same sender. */
  switchDevice(kind: 'audio' | 'video', deviceId: string): R;
  /** Sends `START_SCREEN_SHARE`. */
  startScreenShare(options?: ScreenShareOptions): R;
  /** Sends `STOP_SCREEN_SHARE`. */
  stopScreenShare(): R;
  /** Sends `SET_SENDER_PARAMETERS`: bitrate, framerate, degradation, kept across rebuilds. */
  setSenderParameters(
    kindOrTrack: 'audio' | 'video' | MediaStreamTrack,
    parameters: SenderParameters,
  ): R;
  /** Sends `SET_CODEC_PREFERENCES`: these MIME types first, e.g. `['video/VP9']`. */
  setCodecPreferences(kind: 'audio' | 'video', mimeTypes: readonly string[]): R;
}

const target = (kindOrTrack: 'audio' | 'video' | MediaStreamTrack) =>
  typeof kindOrTrack === 'string' ? { kind: kindOrTrack } : { track: kindOrTrack };

function regionState(snapshot: PeerSnapshot, region: 'signaling' | 'connection'): string | null {
  const { value } = snapshot;
  if (typeof value === 'string' || !('active' in value)) return null;
  const active = value.active as Record<string, unknown>;
  const state = active[region];
  if (typeof state === 'string') return state;
  // A compound state (`haveLocalOffer`'s awaitingAnswer / unanswered): the region's own state.
  return state && typeof state === 'object' ? (Object.keys(state)[0] ?? null) : null;
}

function uniqueStreams(entries: readonly { streams: readonly MediaStream[] }[]): MediaStream[] {
  const streams: MediaStream[] = [];
  for (const entry of entries) {
    for (const stream of entry.streams) if (!streams.includes(stream)) streams.push(stream);
  }
  return streams;
}

/**
 * Derives what a UI shows from a snapshot. Pure: the React and Vue adapters both use it, so the
 * two can never disagree.
 */
export function peerView(snapshot: PeerSnapshot): PeerView {
  const { context } = snapshot;
  const signalingState = regionState(snapshot, 'signaling');
  const connectionState = regionState(snapshot, 'connection');
  // From the states' tags, not their names: the chart may change without changing the phase.
  let phase: PeerPhase;
  if (snapshot.hasTag('idle')) phase = 'idle';
  else if (snapshot.hasTag('starting')) phase = 'starting';
  else if (snapshot.hasTag('failed')) phase = 'failed';
  else if (snapshot.hasTag('closed')) phase = 'closed';
  else if (snapshot.hasTag('connected')) phase = 'connected';
  else if (
    snapshot.hasTag('reconnecting') ||
    // A rebuild: from the old connection's end until the new one is connected.
    context.rebuildStartedAt !== null
  )
    phase = 'reconnecting';
  else if (snapshot.hasTag('connecting')) phase = 'connecting';
  else phase = 'negotiating';

  const remoteStreams = uniqueStreams(context.remoteTracks.filter((entry) => !entry.ended));
  const localStreams = uniqueStreams(context.localTracks);
  return {
    phase,
    isConnected: phase === 'connected',
    isClosed: phase === 'closed' || phase === 'failed',
    signalingState,
    connectionState,
    localTracks: context.localTracks,
    localStreams,
    remoteTracks: context.remoteTracks,
    remoteStreams,
    dataChannels: context.dataChannels,
    gatheringStalled: snapshot.matches({ active: { gathering: 'stalled' } }),
    error: context.lastError,
    closeReason: phase === 'closed' || phase === 'failed' ? (context.closeReason ?? 'local') : null,
  };
}

/** Binds the {@link PeerActions} to an actor's `send`. */
export function peerActions<R = void>(send: (command: PeerCommand) => R): PeerActions<R> {
  return {
    addTrack: (track, ...streams) => send({ type: 'ADD_TRACK', track, streams }),
    addTransceiver: (trackOrKind, init) =>
      send(
        init === undefined
          ? { type: 'ADD_TRANSCEIVER', trackOrKind }
          : { type: 'ADD_TRANSCEIVER', trackOrKind, init },
      ),
    removeTrack: (track) => send({ type: 'REMOVE_TRACK', track }),
    replaceTrack: (track, withTrack) => send({ type: 'REPLACE_TRACK', track, withTrack }),
    startMedia: (constraints) =>
      send(
        constraints === undefined ? { type: 'START_MEDIA' } : { type: 'START_MEDIA', constraints },
      ),
    createDataChannel: (label, options) =>
      send(
        options === undefined
          ? { type: 'CREATE_DATA_CHANNEL', label }
          : { type: 'CREATE_DATA_CHANNEL', label, options },
      ),
    sendData: (label, data) => send({ type: 'SEND_DATA', label, data }),
    restartIce: () => send({ type: 'RESTART_ICE' }),
    close: (options) => send({ type: 'CLOSE', ...options }),
    setMuted: (kindOrTrack, muted, mode) =>
      send({ type: 'SET_MUTED', muted, ...target(kindOrTrack), ...(mode ? { mode } : {}) }),
    switchDevice: (kind, deviceId) => send({ type: 'SWITCH_DEVICE', kind, deviceId }),
    startScreenShare: (options) => send({ type: 'START_SCREEN_SHARE', ...options }),
    stopScreenShare: () => send({ type: 'STOP_SCREEN_SHARE' }),
    setSenderParameters: (kindOrTrack, parameters) =>
      send({ type: 'SET_SENDER_PARAMETERS', parameters, ...target(kindOrTrack) }),
    setCodecPreferences: (kind, mimeTypes) =>
      send({ type: 'SET_CODEC_PREFERENCES', kind, mimeTypes }),
  };
}
