/**
 * Reading a session description: only what the fakes need, skipping every line it does not
 * know, so that real browsers' SDP parses too.
 * @module
 */

import type {
  FakeSdp,
  FakeSdpCodec,
  FakeSdpDirection,
  FakeSdpFingerprint,
  FakeSdpMsid,
  FakeSdpSection,
  FakeSdpSetup,
} from './sdpDescription.js';

/** Thrown by {@link parseSdp}; `lineNumber` is 1-based, like `RTCError.sdpLineNumber`. */
export class FakeSdpSyntaxError extends Error {
  readonly lineNumber: number;

  constructor(lineNumber: number, message: string) {
    super(`SDP line ${lineNumber}: ${message}`);
    this.name = 'FakeSdpSyntaxError';
    this.lineNumber = lineNumber;
  }
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
