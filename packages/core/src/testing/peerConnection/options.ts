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
   * Whether a data channel created while `setLocalDescription()` makes an offer gets negotiated
   * (default `true`: the fake makes the offer a task after the call, so the channel is in it;
   * one created once the offer is applied gets `negotiationneeded` back in stable, as the spec
   * says). `false`: as Firefox 153 does, the offer is made when the call starts, the channel is
   * left out of it, and `negotiationneeded` never fires for the channel (only a later change
   * fires it).
   */
  readonly negotiatesChannelsCreatedDuringOffer?: boolean;
}
