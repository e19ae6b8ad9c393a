/**
 * The aggregate connection state, on engines with or without `connectionState`.
 * @module
 */

/** The members `connectionStateOf` reads. */
export interface ConnectionStateSource {
  readonly connectionState?: RTCPeerConnectionState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly signalingState?: RTCSignalingState;
}

/** What each ICE connection state means for the connection as a whole. */
const FROM_ICE: Readonly<Record<RTCIceConnectionState, RTCPeerConnectionState>> = {
  new: 'new',
  checking: 'connecting',
  connected: 'connected',
  completed: 'connected',
  disconnected: 'disconnected',
  failed: 'failed',
  closed: 'closed',
};

/**
 * `pc.connectionState`, or, on engines that only report `iceConnectionState` (it came later,
 * and also covers DTLS), the state derived from the ICE state. A closed signaling state means
 * closed whatever ICE still reports.
 */
export function connectionStateOf(pc: ConnectionStateSource): RTCPeerConnectionState {
  if (typeof pc.connectionState === 'string') return pc.connectionState;
  if (pc.signalingState === 'closed') return 'closed';
  return FROM_ICE[pc.iceConnectionState] ?? 'new';
}
