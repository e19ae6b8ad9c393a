/**
 * `@peerstatejs/core/testing`: a faithful fake of Chromium's WebRTC API for tests in Node.
 *
 * @example
 * ```ts
 * const { a, b } = createFakePeerPair();
 * // wire a and b through your signaling, then:
 * expect(openFakePeerConnections()).toEqual([]);
 * expect(liveFakeListenerCount()).toBe(0);
 * ```
 * @module
 */

export type { FakeDomErrorName, FakeRtcErrorFields } from './domError.js';
export {
  createFakeCall,
  type FakeCall,
  type FakeCallOptions,
  type FakeCallSide,
} from './fakeCall.js';
export {
  FakeDataChannel,
  type FakeDataChannelConfig,
  type FakeDataChannelLink,
  type FakeDataChannelPayload,
  type Handler as FakeDataChannelHandler,
} from './fakeDataChannel.js';
export {
  FakeMediaStreamTrackEvent,
  FakeRtcDataChannelEvent,
  FakeRtcErrorEvent,
  FakeRtcPeerConnectionIceEvent,
  FakeRtcTrackEvent,
} from './fakeEvents.js';
export { FakeEventTarget } from './fakeEventTarget.js';
export {
  FakeIceCandidate,
  type ParsedIceCandidate,
  parseIceCandidate,
} from './fakeIceCandidate.js';
export {
  asFakeTrack,
  createFakeMediaDevices,
  createFakeStream,
  createFakeTrack,
  type FakeMediaDevices,
  type FakeMediaDevicesOptions,
  FakeMediaStream,
  FakeMediaStreamTrack,
  type FakeTrackKind,
  type FakeTrackOptions,
  type StreamHandler as FakeStreamHandler,
  type TrackHandler as FakeTrackHandler,
} from './fakeMedia.js';
export {
  createFakeNetwork,
  createFakePeerPair,
  FakeNetwork,
  type FakeNetworkOptions,
  type FakeNetworkState,
  type FakeNetworkUpOptions,
  type FakePeerConnectionFactory,
  type FakePeerPairOptions,
  type FakePeerSide,
  linkFakePeers,
} from './fakeNetwork.js';
export {
  createFakePeerConnectionFactory,
  type FakeAddedCandidate,
  type FakeConnectionState,
  FakePeerConnection,
  type FakePeerConnectionFactoryLog,
  type FakePeerConnectionHandler,
  type FakePeerConnectionOptions,
} from './fakePeerConnection.js';
export {
  describeFakeListeners,
  type FakeListenerReport,
  liveFakeListenerCount,
  openFakePeerConnections,
  resetFakeRegistry,
  type TrackedTarget,
} from './fakeRegistry.js';
export {
  type FakeRtpOwner,
  FakeRtpReceiver,
  FakeRtpSender,
  FakeRtpTransceiver,
} from './fakeRtp.js';
export {
  buildSdp,
  defaultCodecs,
  type FakeSdp,
  type FakeSdpCodec,
  type FakeSdpDirection,
  type FakeSdpFingerprint,
  type FakeSdpInit,
  type FakeSdpMsid,
  type FakeSdpSection,
  type FakeSdpSectionInit,
  type FakeSdpSetup,
  FakeSdpSyntaxError,
  parseSdp,
} from './fakeSdp.js';
export {
  FakeDtlsTransport,
  FakeIceTransport,
  FakeSctpTransport,
  type Handler as FakeTransportHandler,
} from './fakeTransports.js';
