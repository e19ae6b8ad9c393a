/**
 * Builds and parses session descriptions shaped like Chromium's (BUNDLE, rtcp-mux, trickle ICE,
 * one `a=msid` per sending stream, SCTP data channels). The parser reads only what the fakes
 * need and skips every line it does not know, so real browsers' SDP parses too.
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

/** Thrown by {@link parseSdp}; `lineNumber` is 1-based, like `RTCError.sdpLineNumber`. */
export class FakeSdpSyntaxError extends Error {
  readonly lineNumber: number;

  constructor(lineNumber: number, message: string) {
    super(`SDP line ${lineNumber}: ${message}`);
    this.name = 'FakeSdpSyntaxError';
    this.lineNumber = lineNumber;
  }
}

/** The default codecs of a media kind, as Chromium lists them first. */
export function defaultCodecs(kind: string): readonly FakeSdpCodec[] {
  if (kind === 'audio') {
    return [
      {
        payloadType: 111,
        name: 'opus',
        clockRate: 48000,
        channels: 2,
        parameters: 'minptime=10;useinbandfec=1',
      },
    ];
  }
  if (kind === 'video') return [{ payloadType: 96, name: 'VP8', clockRate: 90000 }];
  return [];
}

const DEFAULT_FINGERPRINT: FakeSdpFingerprint = {
  algorithm: 'sha-256',
  value: Array.from({ length: 32 }, () => '00').join(':'),
};

/** Serializes a description with CRLF line endings, in the attribute order Chromium uses. */
export function buildSdp(init: FakeSdpInit): string {
  const bundle =
    init.bundle ?? init.sections.filter((section) => section.port !== 0).map((s) => s.mid);
  const streamIds = new Set<string>();
  for (const section of init.sections) {
    for (const msid of section.msids ?? [])
      if (msid.streamId !== null) streamIds.add(msid.streamId);
  }
  const lines = [
    'v=0',
    `o=- ${init.sessionId ?? '1'} ${init.sessionVersion ?? 1} IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
  ];
  if (bundle.length > 0) lines.push(`a=group:BUNDLE ${bundle.join(' ')}`);
  lines.push(
    'a=extmap-allow-mixed',
    `a=msid-semantic: WMS${[...streamIds].map((id) => ` ${id}`).join('')}`,
  );
  for (const section of init.sections) lines.push(...sectionLines(init, section));
  return `${lines.join('\r\n')}\r\n`;
}

function sectionLines(init: FakeSdpInit, section: FakeSdpSectionInit): string[] {
  const port = section.port ?? 9;
  const application = section.kind === 'application';
  const codecs = section.codecs ?? defaultCodecs(section.kind);
  const lines = application
    ? [`m=application ${port} UDP/DTLS/SCTP webrtc-datachannel`]
    : [
        `m=${section.kind} ${port} UDP/TLS/RTP/SAVPF ${codecs.map((c) => c.payloadType).join(' ')}`.trimEnd(),
      ];
  lines.push('c=IN IP4 0.0.0.0');
  if (!application) lines.push('a=rtcp:9 IN IP4 0.0.0.0');
  for (const candidate of section.candidates ?? []) lines.push(`a=${candidate}`);
  if (section.endOfCandidates === true) lines.push('a=end-of-candidates');
  const ufrag = section.iceUfrag ?? init.iceUfrag;
  const pwd = section.icePwd ?? init.icePwd;
  if (ufrag !== undefined) lines.push(`a=ice-ufrag:${ufrag}`);
  if (pwd !== undefined) lines.push(`a=ice-pwd:${pwd}`);
  lines.push('a=ice-options:trickle');
  const fingerprint = section.fingerprint ?? init.fingerprint ?? DEFAULT_FINGERPRINT;
  lines.push(`a=fingerprint:${fingerprint.algorithm} ${fingerprint.value}`);
  lines.push(`a=setup:${section.setup ?? 'actpass'}`, `a=mid:${section.mid}`);
  if (application) {
    lines.push(`a=sctp-port:${section.sctpPort ?? 5000}`);
    lines.push(`a=max-message-size:${section.maxMessageSize ?? 262144}`);
    return lines;
  }
  lines.push(`a=${section.direction ?? 'sendrecv'}`);
  for (const msid of section.msids ?? [])
    lines.push(`a=msid:${msid.streamId ?? '-'} ${msid.trackId}`);
  lines.push('a=rtcp-mux', 'a=rtcp-rsize');
  for (const codec of codecs) {
    const channels = codec.channels === undefined ? '' : `/${codec.channels}`;
    lines.push(`a=rtpmap:${codec.payloadType} ${codec.name}/${codec.clockRate}${channels}`);
    if (section.kind === 'video') {
      lines.push(`a=rtcp-fb:${codec.payloadType} nack`, `a=rtcp-fb:${codec.payloadType} nack pli`);
    }
    lines.push(`a=rtcp-fb:${codec.payloadType} transport-cc`);
    if (codec.parameters !== undefined) {
      lines.push(`a=fmtp:${codec.payloadType} ${codec.parameters}`);
    }
  }
  return lines;
}

interface MutableSection {
  kind: string;
  port: number;
  protocol: string;
  formats: string[];
  mid: string | null;
  direction: FakeSdpDirection | null;
  iceUfrag: string | null;
  icePwd: string | null;
  fingerprint: FakeSdpFingerprint | null;
  setup: FakeSdpSetup | null;
  msids: FakeSdpMsid[];
  ssrcMsids: FakeSdpMsid[];
  codecs: Map<number, { name: string; clockRate: number; channels?: number; parameters?: string }>;
  fmtp: Map<number, string>;
  sctpPort: number | null;
  maxMessageSize: number | null;
  candidates: string[];
  endOfCandidates: boolean;
}

const DIRECTIONS = new Set<string>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);
const SETUPS = new Set<string>(['actpass', 'active', 'passive', 'holdconn']);

/**
 * Parses a description. Throws {@link FakeSdpSyntaxError} for text that is not SDP (a line not
 * shaped `x=…`, a first line other than `v=0`, a malformed `m=` line); unknown attributes and
 * line types are ignored.
 */
export function parseSdp(text: string): FakeSdp {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== 'v=0') throw new FakeSdpSyntaxError(1, 'expected "v=0"');

  let sessionId = '';
  let sessionVersion = 0;
  let bundle: string[] = [];
  const session: Pick<MutableSection, 'iceUfrag' | 'icePwd' | 'fingerprint' | 'setup'> = {
    iceUfrag: null,
    icePwd: null,
    fingerprint: null,
    setup: null,
  };
  const sections: MutableSection[] = [];
  let current: MutableSection | null = null;

  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const match = /^([a-z])=(.*)$/.exec(line);
    if (match === null) throw new FakeSdpSyntaxError(lineNumber, `not an SDP line: "${line}"`);
    const [, type, value = ''] = match;
    if (type === 'o') {
      const fields = value.split(' ');
      sessionId = fields[1] ?? '';
      sessionVersion = Number(fields[2] ?? 0);
      return;
    }
    if (type === 'm') {
      current = parseMediaLine(value, lineNumber);
      sections.push(current);
      return;
    }
    if (type !== 'a') return;
    const colon = value.indexOf(':');
    const name = colon === -1 ? value : value.slice(0, colon);
    const arg = colon === -1 ? '' : value.slice(colon + 1);
    if (current === null) {
      if (name === 'group' && arg.startsWith('BUNDLE') && bundle.length === 0) {
        bundle = arg.split(' ').slice(1).filter(Boolean);
      } else {
        parseTransportAttribute(session, name, arg);
      }
      return;
    }
    parseSectionAttribute(current, name, arg, value);
  });

  return {
    sessionId,
    sessionVersion,
    bundle,
    sections: sections.map((section) => finishSection(section, session)),
  };
}

function parseMediaLine(value: string, lineNumber: number): MutableSection {
  const match = /^(\S+) (\d+)(?:\/\d+)? (\S+)(?: (.*))?$/.exec(value);
  if (match === null) throw new FakeSdpSyntaxError(lineNumber, `malformed m= line: "${value}"`);
  const [, kind = '', port = '0', protocol = '', formats = ''] = match;
  return {
    kind,
    port: Number(port),
    protocol,
    formats: formats.split(' ').filter(Boolean),
    mid: null,
    direction: null,
    iceUfrag: null,
    icePwd: null,
    fingerprint: null,
    setup: null,
    msids: [],
    ssrcMsids: [],
    codecs: new Map(),
    fmtp: new Map(),
    sctpPort: null,
    maxMessageSize: null,
    candidates: [],
    endOfCandidates: false,
  };
}

function parseTransportAttribute(
  target: Pick<MutableSection, 'iceUfrag' | 'icePwd' | 'fingerprint' | 'setup'>,
  name: string,
  arg: string,
): boolean {
  switch (name) {
    case 'ice-ufrag':
      target.iceUfrag = arg;
      return true;
    case 'ice-pwd':
      target.icePwd = arg;
      return true;
    case 'fingerprint': {
      const [algorithm = '', fingerprint = ''] = arg.split(' ');
      target.fingerprint = { algorithm, value: fingerprint };
      return true;
    }
    case 'setup':
      if (SETUPS.has(arg)) target.setup = arg as FakeSdpSetup;
      return true;
    default:
      return false;
  }
}

function parseSectionAttribute(
  section: MutableSection,
  name: string,
  arg: string,
  value: string,
): void {
  if (parseTransportAttribute(section, name, arg)) return;
  if (DIRECTIONS.has(value)) {
    section.direction = value as FakeSdpDirection;
    return;
  }
  switch (name) {
    case 'mid':
      section.mid = arg;
      return;
    case 'msid': {
      const [streamId = '-', trackId = ''] = arg.split(' ');
      section.msids.push({ streamId: streamId === '-' ? null : streamId, trackId });
      return;
    }
    case 'ssrc': {
      // Plan B and older engines carry the msid on the SSRC instead of the section.
      const ssrcMsid = /^\d+ msid:(\S+)(?: (\S+))?/.exec(arg);
      if (ssrcMsid !== null) {
        const streamId = ssrcMsid[1] ?? '-';
        const trackId = ssrcMsid[2] ?? '';
        const known = section.ssrcMsids.some(
          (m) => m.streamId === streamId && m.trackId === trackId,
        );
        if (!known) section.ssrcMsids.push({ streamId, trackId });
      }
      return;
    }
    case 'rtpmap': {
      const rtpmap = /^(\d+) ([^/]+)\/(\d+)(?:\/(\d+))?/.exec(arg);
      if (rtpmap !== null) {
        const channels = rtpmap[4] === undefined ? {} : { channels: Number(rtpmap[4]) };
        section.codecs.set(Number(rtpmap[1]), {
          name: rtpmap[2] ?? '',
          clockRate: Number(rtpmap[3]),
          ...channels,
        });
      }
      return;
    }
    case 'fmtp': {
      const space = arg.indexOf(' ');
      if (space !== -1) section.fmtp.set(Number(arg.slice(0, space)), arg.slice(space + 1));
      return;
    }
    case 'sctp-port':
      section.sctpPort = Number(arg);
      return;
    case 'sctpmap': {
      // Pre-standard (draft-05) data channel SDP still sent by old engines.
      const port = Number(arg.split(' ')[0]);
      if (!Number.isNaN(port)) section.sctpPort = port;
      return;
    }
    case 'max-message-size':
      section.maxMessageSize = Number(arg);
      return;
    case 'candidate':
      section.candidates.push(value);
      return;
    case 'end-of-candidates':
      section.endOfCandidates = true;
      return;
    default:
      return;
  }
}

function finishSection(
  section: MutableSection,
  session: Pick<MutableSection, 'iceUfrag' | 'icePwd' | 'fingerprint' | 'setup'>,
): FakeSdpSection {
  const codecs: FakeSdpCodec[] = [...section.codecs].map(([payloadType, codec]) => {
    const parameters = section.fmtp.get(payloadType);
    return parameters === undefined
      ? { payloadType, ...codec }
      : { payloadType, ...codec, parameters };
  });
  return {
    kind: section.kind,
    port: section.port,
    protocol: section.protocol,
    formats: section.formats,
    mid: section.mid,
    // RFC 8866 §6.7: a section without a direction attribute is sendrecv.
    direction: section.direction ?? 'sendrecv',
    iceUfrag: section.iceUfrag ?? session.iceUfrag,
    icePwd: section.icePwd ?? session.icePwd,
    fingerprint: section.fingerprint ?? session.fingerprint,
    setup: section.setup ?? session.setup,
    msids:
      section.msids.length > 0
        ? section.msids
        : section.ssrcMsids.map((m) => ({
            streamId: m.streamId === '-' ? null : m.streamId,
            trackId: m.trackId,
          })),
    codecs,
    sctpPort: section.sctpPort,
    maxMessageSize: section.maxMessageSize,
    candidates: section.candidates,
    endOfCandidates: section.endOfCandidates,
  };
}
