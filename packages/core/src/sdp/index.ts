/**
 * `@peerstatejs/core/sdp`: read session descriptions and candidates the way a debugging UI needs
 * them (m-lines, directions, codecs, ICE credentials, DTLS roles, what changed between two
 * descriptions). The machine itself needs none of this, so it lives in its own entry and an app
 * that only negotiates does not ship it.
 *
 * @example
 * ```ts
 * import { diffSessionDescriptions, parseCandidate, parseSdp } from '@peerstatejs/core/sdp';
 *
 * declare const pc: RTCPeerConnection;
 * const local = parseSdp(pc.localDescription?.sdp ?? '');
 * console.log(local.media.map((m) => `${m.kind} ${m.direction}`));
 * ```
 * @module
 */
export { diffSessionDescriptions, type SdpChange, type SdpSectionRef } from './diffSdp.js';
export { type ParsedCandidate, parseCandidate } from './parseCandidate.js';
export {
  iceUfragsOf,
  type ParsedSdp,
  parseSdp,
  type SdpCodec,
  type SdpDirection,
  type SdpMediaSection,
  type SdpMsid,
  type SdpOrigin,
} from './parseSdp.js';
