/**
 * The event interfaces WebRTC dispatches that Node lacks (`RTCTrackEvent`,
 * `RTCPeerConnectionIceEvent`, `RTCDataChannelEvent`, `MediaStreamTrackEvent`, `RTCErrorEvent`).
 * Each is a plain `Event` with the same read-only fields; none bubbles or is cancelable, as in
 * the specs.
 * @module
 */

/** `MediaStreamTrackEvent`: `addtrack`/`removetrack` on a stream. */
export class FakeMediaStreamTrackEvent extends Event implements MediaStreamTrackEvent {
  readonly track: MediaStreamTrack;

  constructor(type: 'addtrack' | 'removetrack', track: MediaStreamTrack) {
    super(type);
    this.track = track;
  }
}

/** `RTCTrackEvent`: a transceiver started receiving a remote track. */
export class FakeRtcTrackEvent extends Event implements RTCTrackEvent {
  readonly track: MediaStreamTrack;
  readonly streams: ReadonlyArray<MediaStream>;
  readonly receiver: RTCRtpReceiver;
  readonly transceiver: RTCRtpTransceiver;

  constructor(init: {
    track: MediaStreamTrack;
    streams: readonly MediaStream[];
    receiver: RTCRtpReceiver;
    transceiver: RTCRtpTransceiver;
  }) {
    super('track');
    this.track = init.track;
    this.streams = Object.freeze([...init.streams]);
    this.receiver = init.receiver;
    this.transceiver = init.transceiver;
  }
}

/** `RTCPeerConnectionIceEvent`: a gathered candidate, or `null` at the end of gathering. */
export class FakeRtcPeerConnectionIceEvent extends Event implements RTCPeerConnectionIceEvent {
  readonly candidate: RTCIceCandidate | null;
  /** Deprecated in the spec; browsers report `null` for host candidates. */
  readonly url: string | null = null;

  constructor(candidate: RTCIceCandidate | null) {
    super('icecandidate');
    this.candidate = candidate;
  }
}

/** `RTCDataChannelEvent`: the remote peer opened a (non-negotiated) channel. */
export class FakeRtcDataChannelEvent extends Event implements RTCDataChannelEvent {
  readonly channel: RTCDataChannel;

  constructor(channel: RTCDataChannel) {
    super('datachannel');
    this.channel = channel;
  }
}

/** `RTCErrorEvent`: `error` on a data channel, carrying an `RTCError`-like `OperationError`. */
export class FakeRtcErrorEvent extends Event {
  readonly error: DOMException;

  constructor(error: DOMException) {
    super('error');
    this.error = error;
  }
}
