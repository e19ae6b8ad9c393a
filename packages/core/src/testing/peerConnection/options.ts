/**
 * The behaviour switches of the fake `RTCPeerConnection`.
 * @module
 */

/**
 * Behaviour switches. Every option defaults to what current browsers do; turn one off to
 * emulate an older engine when testing the SDK's fallbacks.
 */
export interface FakePeerConnectionOptions {
  /**
   * `setRemoteDescription(offer)` in `have-local-offer` rolls the local offer back first
   * (default `true`). `false`: it rejects with `InvalidStateError`, as before Chrome 80.
   */
  readonly implicitRollback?: boolean;
  /**
   * `setLocalDescription()` without a description creates one (default `true`). `false`: it
   * rejects with `TypeError`, and a description without `sdp` fails to parse.
   */
  readonly parameterlessSetLocalDescription?: boolean;
  /** `restartIce()` exists (default `true`). `false`: the instance has no such method. */
  readonly restartIce?: boolean;
  /** `connectionState` exists (default `true`). `false`: only `iceConnectionState` is reported. */
  readonly connectionState?: boolean;
  /**
   * ICE candidates are gathered by themselves after `setLocalDescription` (default `true`).
   * `false`: nothing is gathered until `emitIceCandidate` is called.
   */
  readonly autoGather?: boolean;
  /**
   * Whether the first data channel, created while a description operation runs, gets negotiated
   * (default `true`, as the spec says: the fake makes a parameterless offer a task after the
   * call, so the channel is in it; one created later gets `negotiationneeded` back in stable).
   * `false`: as Firefox 153 does, a channel created while `setLocalDescription` applies an offer
   * or a rollback, or while `setRemoteDescription` runs, is lost to negotiation for good:
   * `negotiationneeded` never fires for it and no later offer carries an application m-section,
   * until another channel is created once the operation is over. A parameterless offer is made
   * when the call starts.
   */
  readonly negotiatesChannelsCreatedDuringDescription?: boolean;
  /**
   * How long (ms) `setLocalDescription` and `setRemoteDescription` take to apply a description
   * (default `0`: the next task). Chromium takes ~4 ms each in a busy page (apps/bench
   * `--trace=glare`): long enough for a remote offer to arrive while our own is being set.
   */
  readonly descriptionMs?: number;
}
