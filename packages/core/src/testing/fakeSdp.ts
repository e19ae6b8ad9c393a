/**
 * Builds and parses session descriptions shaped like Chromium's (BUNDLE, rtcp-mux, trickle ICE,
 * one `a=msid` per sending stream, SCTP data channels). The parser reads only what the fakes
 * need and skips every line it does not know, so real browsers' SDP parses too.
 * @module
 */

export { buildSdp, defaultCodecs } from './fakeSdp/buildSdp.js';
export { FakeSdpSyntaxError, parseSdp } from './fakeSdp/parseSdp.js';
export type {
  FakeSdp,
  FakeSdpCodec,
  FakeSdpDirection,
  FakeSdpFingerprint,
  FakeSdpInit,
  FakeSdpMsid,
  FakeSdpSection,
  FakeSdpSectionInit,
  FakeSdpSetup,
} from './fakeSdp/sdpDescription.js';
