/**
 * The events the machine handles (the app's commands and its own internal events) and emits.
 * @module
 */
import type { PeerStateError } from '../../errors.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import type { SignalingMessage } from '../../signaling/types.js';
import type { AppliedRemoteDescription, MadeAnswer } from '../actors/negotiation.js';
import type {
  MediaIntent,
  MuteMode,
  PeerConnectionStates,
  PlatformInfo,
  SenderParameters,
} from './context.js';
import type { RebuildReason } from './options.js';

/**
 * What every command may carry: an `id` the peer names again in the command's `settled` event,
 * so an app can tell when (and how) that command finished.
 */
export interface CommandMeta {
  readonly id?: string;
}

/**
 * Events an application sends to a peer. Commands sent before the peer connection exists (in
 * `idle` or `starting`) or while it is rebuilt are kept and applied in order once it does.
 * Each command is settled exactly once, with a `settled` event.
 */
export type PeerCommand = CommandMeta &
  /** Start when created with `autoStart: false`. */
  (
    | { readonly type: 'START' }
    /** Send a track. Renegotiates. */
    | {
        readonly type: 'ADD_TRACK';
        readonly track: MediaStreamTrack;
        readonly streams?: readonly MediaStream[];
      }
    /**
     * Add a transceiver, e.g. `{ trackOrKind: 'video', init: { direction: 'recvonly' } }` to receive
     * without sending (WHEP viewers). Renegotiates.
     */
    | {
        readonly type: 'ADD_TRANSCEIVER';
        readonly trackOrKind: MediaStreamTrack | 'audio' | 'video';
        readonly init?: RTCRtpTransceiverInit;
      }
    /** Stop sending a track. Renegotiates; the remote track is muted and leaves its streams. */
    | { readonly type: 'REMOVE_TRACK'; readonly track: MediaStreamTrack }
    /** Swap a sent track for another of the same kind without renegotiation (`null` sends nothing). */
    | {
        readonly type: 'REPLACE_TRACK';
        readonly track: MediaStreamTrack;
        readonly withTrack: MediaStreamTrack | null;
      }
    /** Capture media with `getUserMedia` and send it. The SDK owns these tracks and stops them on close. */
    | { readonly type: 'START_MEDIA'; readonly constraints?: MediaStreamConstraints }
    | {
        readonly type: 'CREATE_DATA_CHANNEL';
        readonly label: string;
        readonly options?: RTCDataChannelInit;
      }
    /** Send on the open data channel with this label. */
    | {
        readonly type: 'SEND_DATA';
        readonly label: string;
        readonly data: string | ArrayBuffer | ArrayBufferView | Blob;
      }
    /** Restart ICE now. */
    | { readonly type: 'RESTART_ICE' }
    /**
     * Mute or unmute the sent tracks of `kind` (or one `track`); the remote is told with a
     * `muted` message. `mode` (default `soft`): see {@link SendControls.mute}. Unmuting undoes
     * whichever mode muted. No renegotiation either way. Guide 14.
     */
    | {
        readonly type: 'SET_MUTED';
        readonly muted: boolean;
        readonly kind?: 'audio' | 'video';
        readonly track?: MediaStreamTrack;
        readonly mode?: MuteMode;
      }
    /**
     * Capture `deviceId` and send it on the sender of the SDK-captured track of `kind`, in place
     * (same sender, no renegotiation); the old capture is stopped, the choice kept in the intent.
     */
    | {
        readonly type: 'SWITCH_DEVICE';
        readonly kind: 'audio' | 'video';
        readonly deviceId: string;
      }
    /**
     * Capture the screen (`getDisplayMedia`) and send it: as a track of its own, or
     * (`replace: true`) on the camera's sender, the camera put back when the share ends.
     */
    | {
        readonly type: 'START_SCREEN_SHARE';
        readonly options?: DisplayMediaStreamOptions;
        /** @defaultValue 'detail' */
        readonly contentHint?: string;
        readonly replace?: boolean;
      }
    /** Stop the screen share (as the browser's own "stop sharing" button does). */
    | { readonly type: 'STOP_SCREEN_SHARE' }
    /** `setParameters` on the senders of `kind` (or `track`), kept for every connection. */
    | {
        readonly type: 'SET_SENDER_PARAMETERS';
        readonly parameters: SenderParameters;
        readonly kind?: 'audio' | 'video';
        readonly track?: MediaStreamTrack;
      }
    /**
     * Put these codecs (MIME types such as `video/VP9`) first on every transceiver of `kind`,
     * on every connection; renegotiates. An empty list goes back to the engine's order.
     */
    | {
        readonly type: 'SET_CODEC_PREFERENCES';
        readonly kind: 'audio' | 'video';
        readonly mimeTypes: readonly string[];
      }
    /** Hang up: sends bye, closes the connection, stops SDK-owned tracks (all tracks with `stopTracks`). */
    | { readonly type: 'CLOSE'; readonly reason?: string; readonly stopTracks?: boolean }
    /**
     * The remote peer is gone from the room (it left, or its socket stayed away past the server's
     * resume grace period), as a signaling session tells from presence: the peer ends in `closed`
     * with the reason `remote-left` at once, without a bye (nobody would hear it; a peer that
     * joins later must not), instead of failing ICE tens of seconds later.
     */
    | { readonly type: 'REMOTE_LEFT' }
  );

/** Events the machine sends itself from the peer connection, signaling and async work. */
export type PeerInternalEvent =
  | { readonly type: 'pc.negotiationNeeded' }
  | { readonly type: 'pc.iceCandidate'; readonly candidate: RTCIceCandidate | null }
  | { readonly type: 'pc.statesChanged'; readonly states: PeerConnectionStates }
  | {
      readonly type: 'pc.track';
      readonly track: MediaStreamTrack;
      readonly streams: readonly MediaStream[];
      readonly mid: string | null;
    }
  | { readonly type: 'pc.trackChanged'; readonly track: MediaStreamTrack }
  | { readonly type: 'pc.dataChannel'; readonly channel: RTCDataChannel }
  | { readonly type: 'pc.dataChannelChanged'; readonly channel: RTCDataChannel }
  | {
      readonly type: 'pc.dataChannelMessage';
      readonly channel: RTCDataChannel;
      readonly data: unknown;
    }
  /** A negotiation step's result (actors/negotiation.ts), for the signaling state that asked. */
  | {
      readonly type: 'pc.stepDone';
      /** The offer or answer made, or what applying a remote description took; `{}` after a rollback. */
      readonly output: Partial<MadeAnswer & AppliedRemoteDescription>;
    }
  | { readonly type: 'pc.stepFailed'; readonly error: PeerStateError }
  /**
   * The result of our offer's step after a colliding remote offer was chained behind it (the
   * polite peer, actors/peerConnectionEvents.ts): the offer to send, or why it failed.
   */
  | {
      readonly type: 'pc.offerBehind';
      readonly output?: Partial<MadeAnswer & AppliedRemoteDescription>;
      readonly error?: PeerStateError;
    }
  | { readonly type: 'signal.message'; readonly message: SignalingMessage }
  | { readonly type: 'signal.invalid'; readonly error: PeerStateError }
  | { readonly type: 'peer.error'; readonly error: PeerStateError }
  | { readonly type: 'peer.candidateDiscarded' }
  /** A command finished: `error` null when it did what it asked. */
  | {
      readonly type: 'peer.settled';
      readonly id: string | null;
      readonly command: PeerCommand['type'];
      readonly error: PeerStateError | null;
    }
  | {
      readonly type: 'peer.trackReplaced';
      readonly track: MediaStreamTrack;
      readonly withTrack: MediaStreamTrack | null;
      /** The new track is SDK-captured too (a device captured again): it stays owned. */
      readonly owned?: boolean;
    }
  | {
      readonly type: 'peer.trackAdded';
      readonly track: MediaStreamTrack;
      readonly streams: readonly MediaStream[];
      readonly sender: RTCRtpSender;
      readonly owned: boolean;
    }
  | { readonly type: 'peer.trackRemoved'; readonly track: MediaStreamTrack }
  | { readonly type: 'peer.dataChannelCreated'; readonly channel: RTCDataChannel }
  /** The oldest `SEND_DATA` waiting for this label's channel has waited long enough (data/outbox.ts). */
  | { readonly type: 'peer.outboxExpired'; readonly label: string }
  | {
      readonly type: 'peer.mediaReady';
      readonly stream: MediaStream;
      /**
       * Set by `START_SCREEN_SHARE`'s capture (the media controls): the stream is a screen,
       * which this places in the intent (on the camera's entry, or as entries of its own).
       */
      readonly place?: (intent: MediaIntent) => MediaIntent;
    }
  /** A track captured again (unmute after a hard mute, `SWITCH_DEVICE`), to take `track`'s place. */
  | {
      readonly type: 'peer.trackRecaptured';
      readonly track: MediaStreamTrack;
      readonly withTrack: MediaStreamTrack;
      readonly constraints: MediaTrackConstraints;
      /** The command's reporter: its outcome settles the command that asked for the capture. */
      readonly report: (event: PeerInternalEvent) => void;
      /** Called once the new track is sent (or could not be). */
      readonly done: () => void;
    }
  /** A screen track ended: by the browser's own UI (`ended`), or `STOP_SCREEN_SHARE`. */
  | {
      readonly type: 'peer.screenShareEnded';
      readonly track: MediaStreamTrack;
      readonly reason: 'ended' | 'stopped';
    }
  | {
      readonly type: 'peer.created';
      readonly pc: PeerConnectionLike;
      readonly platform: PlatformInfo;
    }
  /** Raised when an offer/answer exchange completed and signaling is stable again. */
  | { readonly type: 'peer.negotiated'; readonly connection: RTCPeerConnectionState }
  /** Raised when the machine starts an offer, which satisfies any pending renegotiation. */
  | { readonly type: 'peer.offerStarted' }
  /** Raised when making an offer failed; the renegotiation region retries after a delay. */
  | { readonly type: 'peer.offerFailed' }
  /** Raised when the peer connection cannot be saved by ICE restarts: rebuild it. */
  | { readonly type: 'peer.rebuildNeeded'; readonly reason: Exclude<RebuildReason, 'remote'> };

/** Every event the machine handles. */
export type PeerEvent = PeerCommand | PeerInternalEvent;

/** Events the machine emits; listen with `actor.on(type, handler)`. */
export type PeerEmitted =
  /** Something went wrong; the machine stays consistent. `error.code` is stable. */
  | { readonly type: 'error'; readonly error: PeerStateError }
  /** A message arrived on a data channel. */
  | {
      readonly type: 'data';
      readonly label: string;
      readonly data: unknown;
      readonly channel: RTCDataChannel;
    }
  /** A remote track arrived. */
  | {
      readonly type: 'track';
      readonly track: MediaStreamTrack;
      readonly streams: readonly MediaStream[];
    }
  /** A remote data channel arrived. */
  | { readonly type: 'dataChannel'; readonly channel: RTCDataChannel }
  /**
   * The peer connection is being replaced by a new one (see {@link RebuildOptions}): remote
   * tracks and data channels of the old one end, new ones arrive as `track` / `dataChannel`.
   */
  | {
      readonly type: 'rebuilding';
      readonly reason: RebuildReason;
      /** The connection generation being built. */
      readonly epoch: number;
    }
  /**
   * A command finished, once per command: `ok`, or the typed error that also went out as an
   * `error` event. `id` is the command's own, `null` when it had none.
   */
  | {
      readonly type: 'settled';
      readonly id: string | null;
      readonly command: PeerCommand['type'];
      readonly ok: boolean;
      readonly error?: PeerStateError;
    }
  /** The peer closed (for any reason). */
  | { readonly type: 'closed'; readonly reason: string }
  /**
   * A screen share ended: `ended` when the user stopped it from the browser's own UI,
   * `stopped` for `STOP_SCREEN_SHARE`; the track was removed, or the camera put back.
   */
  | {
      readonly type: 'screenShareEnded';
      readonly track: MediaStreamTrack;
      readonly reason: 'ended' | 'stopped';
    }
  /** The remote peer muted or unmuted what it sends (its `muted` message); `mids` are muted. */
  | { readonly type: 'peerMuted'; readonly mids: readonly string[] };
