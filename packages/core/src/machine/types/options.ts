/**
 * The options of one peer, as given and with every default filled in.
 * @module
 */
import type { PeerConnectionFactory } from '../../platform/types.js';
import type { SignalingLimits } from '../../signaling/limits.js';
import type { SignalingChannel } from '../../signaling/types.js';
import type { MediaControls } from '../media/controls.js';

/** How the machine restarts ICE when the connection breaks. */
export interface IceRestartOptions {
  /**
   * How long ICE may stay `disconnected` before the machine restarts it, in ms. Short outages
   * recover by themselves; Chromium may also stay `disconnected` forever, so this must be finite.
   * @defaultValue 1000
   */
  readonly disconnectedGracePeriod: number;
  /**
   * How long a negotiated connection may stay `new` or `connecting` before the machine restarts
   * ICE, in ms. An engine with no usable candidate (its TURN server was down when it gathered)
   * may never leave `new` by itself, and never gather again without a restart.
   * @defaultValue 5000
   */
  readonly connectTimeout: number;
  /**
   * Restarts tried before the machine rebuilds the connection (or, with no rebuild left, enters
   * `failed`). Only the impolite peer restarts; the polite one answers, and restarts by itself
   * after `disconnectedGracePeriod + 2 * maxDelay` without a restart offer.
   * @defaultValue 60
   */
  readonly maxAttempts: number;
  /**
   * How long one attempt may take before the next starts, in ms: attempt `n` waits
   * `min(initialDelay * factor^(n-1), maxDelay)`. The defaults restart once a second: at most
   * one restart offer per second of outage, and the newest attempt is never more than a second
   * old when the network returns.
   * @defaultValue 1000
   */
  readonly initialDelay: number;
  /** @defaultValue 1 */
  readonly factor: number;
  /** @defaultValue 1000 */
  readonly maxDelay: number;
}

/**
 * How the machine replaces a peer connection that an ICE restart cannot save: its DTLS transport
 * failed (`connectionState` `failed` while ICE is connected, as Firefox does after a long outage),
 * or ICE restarts ran out. Both peers close their connection and create a new one (agreed over
 * signaling with a `rebuild` message), add the same local tracks and data channels again, and
 * negotiate from scratch.
 */
export interface RebuildOptions {
  /**
   * Rebuilds this peer may start before it gives up (a rebuild that reaches `connected` gives
   * the allowance back). `0` turns rebuilds off: a dead transport then ends in `failed` after
   * the ICE restarts, as before.
   * @defaultValue 2
   */
  readonly maxAttempts: number;
  /**
   * How long to wait for the remote peer to join a rebuild, in ms, before entering `failed`
   * with `REBUILD_FAILED`.
   * @defaultValue 10000
   */
  readonly timeout: number;
}

/** Why a peer rebuilds its connection. */
export type RebuildReason =
  /** The DTLS transport failed under a connected ICE path. */
  | 'transport-failed'
  /** ICE restarts ran out. */
  | 'ice-restart-exhausted'
  /**
   * The engine refused a description and then refused to roll back, leaving the connection stuck
   * outside `stable` (Chromium facing Firefox's ICE-restart answer: "Failed to set SSL role").
   */
  | 'negotiation-stuck'
  /**
   * The peer connection was closed underneath the machine: by the app (`pc.close()`), or at the
   * remote's end without a bye (its DTLS transport sent `close_notify`).
   */
  | 'connection-closed'
  /** The remote peer started the rebuild. */
  | 'remote';

/**
 * How a polite peer undoes its own offer when the remote offer wins a collision.
 * `implicit`: `setRemoteDescription(offer)` rolls back by itself (modern engines).
 * `explicit`: `setLocalDescription({type: 'rollback'})` first (older engines).
 * `auto`: implicit, falling back to explicit once the engine refuses it.
 */
export type RollbackMode = 'auto' | 'implicit' | 'explicit';

/**
 * The peer connection's configuration, or a function (sync or async) that returns it: called for
 * every new peer connection (the first one, each rebuild) and before every ICE restart, so that
 * short-lived TURN credentials are fresh whenever the peer gathers again. A throw or a rejection
 * is a `PEER_CONNECTION_FAILED` error (the peer ends in `failed` when it had no connection yet).
 */
export type PeerConfiguration =
  | RTCConfiguration
  | (() => RTCConfiguration | Promise<RTCConfiguration>);
/** What a peer uses of `navigator.mediaDevices`: `getDisplayMedia` only for screen share. */
export type PeerMediaDevices = Pick<MediaDevices, 'getUserMedia'> &
  Partial<Pick<MediaDevices, 'getDisplayMedia'>>;

/** Options of one peer. Only `signaling` and `polite` are required. */
export interface PeerOptions {
  /** Carries descriptions, candidates and bye to the remote peer. */
  readonly signaling: SignalingChannel;
  /**
   * The perfect-negotiation role. Exactly one of the two peers must be polite: on an offer
   * collision the polite peer rolls back its own offer, the impolite one ignores the remote offer.
   */
  readonly polite: boolean;
  /**
   * Passed to the peer connection (ICE servers, transport policy, …); a function is called again
   * for each new connection and before each ICE restart (see {@link PeerConfiguration}).
   */
  readonly configuration?: PeerConfiguration;
  /**
   * Creates the peer connection. Defaults to the constructor found by `detectPeerConnection`
   * in `scope`. Tests pass a fake from `@peerstatejs/core/testing`.
   */
  readonly peerConnection?: PeerConnectionFactory;
  /** Where to look for `RTCPeerConnection` and `navigator.mediaDevices`. @defaultValue globalThis */
  readonly scope?: object;
  /**
   * Used by `START_MEDIA` (and by `SWITCH_DEVICE`, `START_SCREEN_SHARE`, unmuting a hard mute).
   * @defaultValue scope.navigator.mediaDevices
   */
  readonly mediaDevices?: PeerMediaDevices;
  readonly iceRestart?: Partial<IceRestartOptions>;
  /** When and how to replace a peer connection that ICE restarts cannot save. */
  readonly rebuild?: Partial<RebuildOptions>;
  /** @defaultValue 'auto' */
  readonly rollback?: RollbackMode;
  /**
   * How long an offer may wait for its answer, in ms, before the machine rolls it back and
   * offers again (the answer was lost, or the remote restarted).
   * @defaultValue 10000
   */
  readonly answerTimeout?: number;
  readonly signalingLimits?: Partial<SignalingLimits>;
  /** Start negotiating as soon as the actor starts; otherwise wait for `START`. @defaultValue true */
  readonly autoStart?: boolean;
  /** Clock for timestamps. @defaultValue Date.now */
  readonly now?: () => number;
  /** Print development warnings (misuse such as events after close). @defaultValue NODE_ENV !== 'production' */
  readonly dev?: boolean;
  /**
   * The media controls (`SET_MUTED`, `SWITCH_DEVICE`, screen share, `SET_SENDER_PARAMETERS`,
   * `SET_CODEC_PREFERENCES`): `mediaControls` from `@peerstatejs/core/media-controls`. Without
   * them those commands settle with `UNSUPPORTED` (guide 14).
   */
  readonly mediaControls?: MediaControls;
}

/** Options with every default filled in. */
export interface ResolvedPeerOptions {
  readonly signaling: SignalingChannel;
  readonly polite: boolean;
  readonly configuration: PeerConfiguration;
  readonly peerConnection: PeerConnectionFactory | undefined;
  readonly scope: object;
  readonly mediaDevices: PeerMediaDevices | undefined;
  readonly iceRestart: IceRestartOptions;
  readonly rebuild: RebuildOptions;
  readonly rollback: RollbackMode;
  readonly answerTimeout: number;
  readonly signalingLimits: Partial<SignalingLimits>;
  readonly autoStart: boolean;
  /** Clock for timestamps. */
  readonly now: () => number;
  readonly dev: boolean;
  readonly mediaControls: MediaControls | undefined;
}
