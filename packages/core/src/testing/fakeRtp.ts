/**
 * `RTCRtpSender`, `RTCRtpReceiver` and `RTCRtpTransceiver`. They hold their negotiation state in
 * a symbol-keyed record that only the owning {@link FakePeerConnection} touches, and call back
 * into it for the operations chain and the negotiation-needed flag.
 * @module
 */

import { domError } from './domError.js';
import type { FakeMediaStream, FakeTrackKind } from './fakeMedia.js';
import { FakeMediaStreamTrack } from './fakeMedia.js';
import type { FakeDtlsTransport } from './fakeTransports.js';

/** The key of the internal state of senders, receivers and transceivers. */
export const rtpState = Symbol('peerstate.fakeRtpState');

/** What a transceiver needs from the peer connection that owns it. */
export interface FakeRtpOwner {
  readonly isClosed: boolean;
  /** Runs an operation on the owner's operations chain. */
  chain<T>(operation: () => Promise<T>): Promise<T>;
  /** Re-evaluates the negotiation-needed flag (spec: update the negotiation-needed flag). */
  updateNegotiationNeeded(): void;
  /** The owner's statistics, optionally for one track. */
  getStats(selector?: MediaStreamTrack | null): Promise<RTCStatsReport>;
}

/** @internal */
export interface SenderState {
  track: MediaStreamTrack | null;
  /** The spec's [[AssociatedMediaStreamIds]]. */
  streamIds: string[];
  /** The track id written in `a=msid`, fixed for the sender's life like in Chromium. */
  readonly msidTrackId: string;
  transport: FakeDtlsTransport | null;
}

/** @internal */
export interface TransceiverState {
  readonly kind: FakeTrackKind;
  mid: string | null;
  direction: RTCRtpTransceiverDirection;
  currentDirection: RTCRtpTransceiverDirection | null;
  /** The spec's [[FiredDirection]]: the receive half last reported through `track`. */
  firedDirection: RTCRtpTransceiverDirection | null;
  stopping: boolean;
  stopped: boolean;
  /** Created by `addTrack`, so a remote offer may claim it (JSEP §5.10). */
  readonly createdByAddTrack: boolean;
  /** Created by `setRemoteDescription(offer)`, so a rollback removes it. */
  createdByRemote: boolean;
  /** Has ever negotiated sending; such a transceiver is never reused by `addTrack`. */
  hasSent: boolean;
  /** The spec's [[AssociatedRemoteMediaStreams]]. */
  remoteStreams: FakeMediaStream[];
  /** The remote `a=msid` track ids last applied, to notice a new remote track. */
  remoteTrackIds: string[];
}

/** `RTCRtpSender`. */
export class FakeRtpSender implements RTCRtpSender {
  readonly dtmf: RTCDTMFSender | null = null;
  transform: RTCRtpSenderTransform | null = null;
  /** @internal */
  readonly [rtpState]: SenderState;
  readonly #owner: FakeRtpOwner;
  readonly #kind: FakeTrackKind;
  #transceiver: FakeRtpTransceiver | null = null;

  constructor(owner: FakeRtpOwner, kind: FakeTrackKind, track: MediaStreamTrack | null) {
    this.#owner = owner;
    this.#kind = kind;
    this[rtpState] = {
      track,
      streamIds: [],
      msidTrackId: track?.id ?? crypto.randomUUID(),
      transport: null,
    };
  }

  get track(): MediaStreamTrack | null {
    return this[rtpState].track;
  }

  get transport(): FakeDtlsTransport | null {
    return this[rtpState].transport;
  }

  /** @internal */
  attach(transceiver: FakeRtpTransceiver): void {
    this.#transceiver = transceiver;
  }

  getParameters(): RTCRtpSendParameters {
    return {
      transactionId: crypto.randomUUID(),
      encodings: [{ active: true }],
      codecs: [],
      headerExtensions: [],
      rtcp: { cname: 'fake', reducedSize: true },
    };
  }

  async setParameters(_parameters: RTCRtpSendParameters): Promise<void> {
    if (this.#owner.isClosed) throw domError('InvalidStateError', 'The peer connection is closed');
  }

  getStats(): Promise<RTCStatsReport> {
    return this.#owner.getStats(this.track);
  }

  /**
   * Swaps the sent track without renegotiation (webrtc-pc §5.2). A track of the other kind is
   * a TypeError; a stopped transceiver or closed connection an InvalidStateError.
   */
  replaceTrack(withTrack: MediaStreamTrack | null): Promise<void> {
    if (withTrack !== null && withTrack.kind !== this.#kind) {
      return Promise.reject(
        new TypeError(`Cannot replace a ${this.#kind} track with a ${withTrack.kind} track`),
      );
    }
    return this.#owner.chain(async () => {
      if (this.#transceiver?.[rtpState].stopping === true) {
        throw domError('InvalidStateError', 'The transceiver is stopped');
      }
      this[rtpState].track = withTrack;
    });
  }

  /** Changes the streams announced in `a=msid`, which needs renegotiation. */
  setStreams(...streams: MediaStream[]): void {
    if (this.#owner.isClosed) throw domError('InvalidStateError', 'The peer connection is closed');
    const ids = [...new Set(streams.map((stream) => stream.id))];
    this[rtpState].streamIds = ids;
    this.#owner.updateNegotiationNeeded();
  }
}

/** `RTCRtpReceiver`; its track exists from the start, muted until media arrives. */
export class FakeRtpReceiver implements RTCRtpReceiver {
  readonly track: FakeMediaStreamTrack;
  transform: RTCRtpReceiverTransform | null = null;
  jitterBufferTarget: number | null = null;
  /** @internal */
  readonly [rtpState]: { transport: FakeDtlsTransport | null } = { transport: null };
  readonly #owner: FakeRtpOwner;

  constructor(owner: FakeRtpOwner, kind: FakeTrackKind) {
    this.#owner = owner;
    // webrtc-pc §5.3: the receiver's track starts muted; it unmutes when packets arrive.
    this.track = new FakeMediaStreamTrack(kind, { label: `remote ${kind}`, muted: true });
  }

  get transport(): FakeDtlsTransport | null {
    return this[rtpState].transport;
  }

  getParameters(): RTCRtpReceiveParameters {
    return { codecs: [], headerExtensions: [], rtcp: { reducedSize: true } };
  }

  getContributingSources(): RTCRtpContributingSource[] {
    return [];
  }

  getSynchronizationSources(): RTCRtpSynchronizationSource[] {
    return [];
  }

  getStats(): Promise<RTCStatsReport> {
    return this.#owner.getStats(this.track);
  }
}

/** `RTCRtpTransceiver`. */
export class FakeRtpTransceiver implements RTCRtpTransceiver {
  readonly sender: FakeRtpSender;
  readonly receiver: FakeRtpReceiver;
  /** @internal */
  readonly [rtpState]: TransceiverState;
  readonly #owner: FakeRtpOwner;

  constructor(
    owner: FakeRtpOwner,
    init: {
      kind: FakeTrackKind;
      direction: RTCRtpTransceiverDirection;
      track: MediaStreamTrack | null;
      streamIds: readonly string[];
      createdByAddTrack: boolean;
      createdByRemote: boolean;
    },
  ) {
    this.#owner = owner;
    this.sender = new FakeRtpSender(owner, init.kind, init.track);
    this.sender[rtpState].streamIds = [...init.streamIds];
    this.sender.attach(this);
    this.receiver = new FakeRtpReceiver(owner, init.kind);
    this[rtpState] = {
      kind: init.kind,
      mid: null,
      direction: init.direction,
      currentDirection: null,
      firedDirection: null,
      stopping: false,
      stopped: false,
      createdByAddTrack: init.createdByAddTrack,
      createdByRemote: init.createdByRemote,
      hasSent: false,
      remoteStreams: [],
      remoteTrackIds: [],
    };
  }

  get mid(): string | null {
    return this[rtpState].mid;
  }

  get currentDirection(): RTCRtpTransceiverDirection | null {
    return this[rtpState].currentDirection;
  }

  get direction(): RTCRtpTransceiverDirection {
    return this[rtpState].direction;
  }

  /** webrtc-pc §5.4: changing the direction needs renegotiation; a stopped one cannot change. */
  set direction(value: RTCRtpTransceiverDirection) {
    if (this.#owner.isClosed) throw domError('InvalidStateError', 'The peer connection is closed');
    if (this[rtpState].stopping) throw domError('InvalidStateError', 'The transceiver is stopped');
    if (value === 'stopped') throw new TypeError('Use stop() to stop a transceiver');
    if (value === this[rtpState].direction) return;
    this[rtpState].direction = value;
    this.#owner.updateNegotiationNeeded();
  }

  setCodecPreferences(codecs: Iterable<RTCRtpCodec>): void {
    for (const codec of codecs) {
      if (!codec.mimeType.toLowerCase().startsWith(`${this[rtpState].kind}/`)) {
        throw domError('InvalidModificationError', `Unsupported codec ${codec.mimeType}`);
      }
    }
  }

  /**
   * Stops sending and receiving at once; the m-section is rejected at the next negotiation.
   * The receiver's track ends without an `ended` event, as the spec's "stop sending and
   * receiving" does.
   */
  stop(): void {
    if (this.#owner.isClosed) throw domError('InvalidStateError', 'The peer connection is closed');
    const state = this[rtpState];
    if (state.stopping) return;
    state.stopping = true;
    state.direction = 'stopped';
    this.receiver.track.stop();
    this.#owner.updateNegotiationNeeded();
  }
}
