/**
 * Stand-ins for `RTCRtpSender`, `RTCRtpReceiver` and `RTCRtpTransceiver` on engines that
 * predate them (the `addStream` era). They carry the track and answer the read-only queries;
 * anything that would need the missing engine support rejects with `NotSupportedError`.
 * @module
 */

/** Reads stats for one track; the peer connection's own `getStats(track)`. */
export type TrackStats = (track: MediaStreamTrack | null) => Promise<RTCStatsReport>;

/** `NotSupportedError`, the error a modern engine uses for an operation it cannot do. */
export function notSupported(operation: string): DOMException {
  return new DOMException(
    `${operation} is not supported by this engine (it predates addTrack)`,
    'NotSupportedError',
  );
}

/**
 * A sender-like object for a track added through `addStream`. `track` becomes `null` once the
 * track is removed, as on a real sender.
 */
export function emulatedSender(track: MediaStreamTrack | null, stats: TrackStats): RTCRtpSender {
  const sender = {
    track,
    transport: null,
    dtmf: null,
    replaceTrack(): Promise<void> {
      // Swapping a track would need a stream swap and a renegotiation, which
      // replaceTrack promises not to cause; refuse rather than silently renegotiate.
      return Promise.reject(notSupported('replaceTrack'));
    },
    setParameters(): Promise<void> {
      return Promise.reject(notSupported('setParameters'));
    },
    getParameters(): RTCRtpSendParameters {
      return { transactionId: '', encodings: [], codecs: [], headerExtensions: [], rtcp: {} };
    },
    setStreams(): void {
      throw notSupported('setStreams');
    },
    getStats(): Promise<RTCStatsReport> {
      return stats(sender.track);
    },
  };
  return sender as unknown as RTCRtpSender;
}

/** A receiver-like object for a track that arrived in an `addstream` event. */
export function emulatedReceiver(
  track: MediaStreamTrack | null,
  stats: TrackStats,
): RTCRtpReceiver {
  const receiver = {
    track,
    transport: null,
    jitterBufferTarget: null,
    getParameters(): RTCRtpReceiveParameters {
      return { codecs: [], headerExtensions: [], rtcp: {} };
    },
    getContributingSources(): RTCRtpContributingSource[] {
      return [];
    },
    getSynchronizationSources(): RTCRtpSynchronizationSource[] {
      return [];
    },
    getStats(): Promise<RTCStatsReport> {
      return stats(track);
    },
  };
  return receiver as unknown as RTCRtpReceiver;
}

/**
 * A transceiver-like pairing of a sender and a receiver. Stream-era engines negotiated
 * streams, not m-lines, so `mid` is unknown and each transceiver carries one direction only;
 * the other half is an idle stand-in whose track is `null`.
 */
export function emulatedTransceiver(
  sender: RTCRtpSender,
  receiver: RTCRtpReceiver,
  direction: 'sendonly' | 'recvonly',
): RTCRtpTransceiver {
  const transceiver = {
    mid: null,
    sender,
    receiver,
    direction,
    currentDirection: null,
    stopped: false,
    setCodecPreferences(): void {
      throw notSupported('setCodecPreferences');
    },
    stop(): void {
      throw notSupported('RTCRtpTransceiver.stop');
    },
  };
  return transceiver as unknown as RTCRtpTransceiver;
}
