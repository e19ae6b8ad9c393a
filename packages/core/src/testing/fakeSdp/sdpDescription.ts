/**
 * The shape of a session description as the fakes read and write it: m-sections with their
 * direction, msids, codecs and ICE/DTLS attributes (RFC 8866, JSEP §5).
 * @module
 */

/** A media direction as written in SDP. */
export type FakeSdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** A DTLS role attribute (RFC 8842). */
export type FakeSdpSetup = 'actpass' | 'active' | 'passive' | 'holdconn';

/** One `a=msid:<stream> <track>` line; `streamId` is `null` for Chromium's `-` (no stream). */
export interface FakeSdpMsid {
  readonly streamId: string | null;
  readonly trackId: string;
}

/** One payload type: `a=rtpmap` plus its optional `a=fmtp`. */
export interface FakeSdpCodec {
  readonly payloadType: number;
  readonly name: string;
  readonly clockRate: number;
  readonly channels?: number;
  readonly parameters?: string;
}

/** A certificate fingerprint (`a=fingerprint:<algorithm> <value>`). */
export interface FakeSdpFingerprint {
  readonly algorithm: string;
  readonly value: string;
}

/** One m-section as parsed, with session-level ICE/DTLS attributes already inherited. */
export interface FakeSdpSection {
  /** `audio`, `video`, `application`, or whatever else the m-line says. */
  readonly kind: string;
  /** `0` means the section is rejected (or its transceiver stopped). */
  readonly port: number;
  readonly protocol: string;
  readonly formats: readonly string[];
  readonly mid: string | null;
  readonly direction: FakeSdpDirection;
  readonly iceUfrag: string | null;
  readonly icePwd: string | null;
  readonly fingerprint: FakeSdpFingerprint | null;
  readonly setup: FakeSdpSetup | null;
  readonly msids: readonly FakeSdpMsid[];
  readonly codecs: readonly FakeSdpCodec[];
  readonly sctpPort: number | null;
  readonly maxMessageSize: number | null;
  /** `candidate:…` strings, without the `a=` prefix. */
  readonly candidates: readonly string[];
  readonly endOfCandidates: boolean;
}

/** A parsed session description. */
export interface FakeSdp {
  readonly sessionId: string;
  readonly sessionVersion: number;
  /** The mids of the first `a=group:BUNDLE` line, empty without one. */
  readonly bundle: readonly string[];
  readonly sections: readonly FakeSdpSection[];
}

/** What {@link buildSdp} needs for one m-section; omitted fields get Chromium's defaults. */
export interface FakeSdpSectionInit {
  readonly kind: 'audio' | 'video' | 'application' | (string & {});
  readonly mid: string;
  /** Default `9` (the "discard" port trickle ICE uses); `0` rejects the section. */
  readonly port?: number;
  readonly direction?: FakeSdpDirection;
  readonly iceUfrag?: string;
  readonly icePwd?: string;
  readonly fingerprint?: FakeSdpFingerprint;
  /** Default `actpass`, what an offer carries. */
  readonly setup?: FakeSdpSetup;
  readonly msids?: readonly FakeSdpMsid[];
  /** Default opus/111 for audio, VP8/96 for video. */
  readonly codecs?: readonly FakeSdpCodec[];
  /** Default `5000` for application sections. */
  readonly sctpPort?: number;
  /** Default `262144` for application sections. */
  readonly maxMessageSize?: number;
  readonly candidates?: readonly string[];
  readonly endOfCandidates?: boolean;
}

/** What {@link buildSdp} needs; ICE and DTLS fields set here apply to every section. */
export interface FakeSdpInit {
  readonly sessionId?: string;
  readonly sessionVersion?: number;
  /** Default: the mids of every section whose port is not 0. */
  readonly bundle?: readonly string[];
  readonly iceUfrag?: string;
  readonly icePwd?: string;
  readonly fingerprint?: FakeSdpFingerprint;
  readonly sections: readonly FakeSdpSectionInit[];
}
