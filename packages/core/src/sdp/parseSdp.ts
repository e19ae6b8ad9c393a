/**
 * A small, tolerant SDP reader: enough of RFC 8866 and JSEP (RFC 8829) to show what a session
 * description negotiates. It never throws; lines it does not know are skipped.
 * @module
 */

export { iceUfragsOf } from './iceUfrags.js';

/** The media direction of a section (RFC 8866 §6.7). */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The `o=` line. Ids stay strings: browsers use 64-bit numbers that do not fit a `number`. */
export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addressType: string;
  readonly address: string;
}

/** An `a=msid` pairing (RFC 8830). `streamId` is `-` for a track without a stream. */
export interface SdpMsid {
  readonly streamId: string;
  /** Empty when the line names only a stream. */
  readonly trackId: string;
}

/** An RTP payload format from `a=rtpmap` (or a static payload type without one). */
export interface SdpCodec {
  readonly payloadType: number;
  readonly name: string;
  readonly clockRate: number;
  /** Audio channels, when the rtpmap gives them. */
  readonly channels?: number;
}

/** One `m=` section with the session-level defaults it inherits already applied. */
export interface SdpMediaSection {
  readonly kind: 'audio' | 'video' | 'application' | (string & Record<never, never>);
  readonly mid?: string;
  /** `0` means the section is rejected or stopped. */
  readonly port: number;
  readonly protocol: string;
  readonly direction: SdpDirection;
  readonly iceUfrag?: string;
  readonly icePwd?: string;
  /** The DTLS role offered or chosen: `actpass`, `active`, `passive`. */
  readonly setup?: string;
  readonly msids: readonly SdpMsid[];
  /** In the order of preference of the `m=` line. */
  readonly codecs: readonly SdpCodec[];
  /** The `a=candidate` values, as `RTCIceCandidate.candidate` spells them (`candidate:…`). */
  readonly candidates: readonly string[];
  readonly endOfCandidates: boolean;
}

/** What {@link parseSdp} found in a session description. */
export interface ParsedSdp {
  /** The `v=` value (always `0` in practice); `null` when there is no valid `v=` line. */
  readonly version: number | null;
  readonly origin?: SdpOrigin;
  /** Session-level `a=ice-ufrag`; each media section shows the value that applies to it. */
  readonly iceUfrag?: string;
  readonly icePwd?: string;
  /** The mids of the `a=group:BUNDLE` groups, in order. */
  readonly bundle: readonly string[];
  readonly mediaSections: readonly SdpMediaSection[];
}

/**
 * The RTP/AVP static payload types (RFC 3551 §6) a section may list without an `a=rtpmap`.
 * Browsers always write the rtpmap, but older endpoints do not.
 */
const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, SdpCodec> = new Map(
  (
    [
      [0, 'PCMU', 8000, 1],
      [3, 'GSM', 8000, 1],
      [4, 'G723', 8000, 1],
      [8, 'PCMA', 8000, 1],
      [9, 'G722', 8000, 1],
      [13, 'CN', 8000, 1],
      [18, 'G729', 8000, 1],
      [26, 'JPEG', 90000, undefined],
      [34, 'H263', 90000, undefined],
    ] as const
  ).map(([payloadType, name, clockRate, channels]) => [
    payloadType,
    channels === undefined
      ? { payloadType, name, clockRate }
      : { payloadType, name, clockRate, channels },
  ]),
);

const DIRECTIONS: ReadonlySet<string> = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

interface SectionDraft {
  kind: string;
  port: number;
  protocol: string;
  formats: string[];
  mid?: string;
  direction?: SdpDirection;
  iceUfrag?: string;
  icePwd?: string;
  setup?: string;
  msids: SdpMsid[];
  ssrcMsids: SdpMsid[];
  rtpmaps: Map<number, SdpCodec>;
  candidates: string[];
  endOfCandidates: boolean;
}

interface SessionDraft {
  version: number | null;
  origin?: SdpOrigin;
  iceUfrag?: string;
  icePwd?: string;
  setup?: string;
  direction?: SdpDirection;
  bundle: string[];
  endOfCandidates: boolean;
}

/**
 * Parses SDP text. Accepts CRLF or LF line endings, skips unknown and malformed lines, and
 * resolves inheritance: a media-level `a=ice-ufrag`, `a=ice-pwd`, `a=setup` or direction
 * overrides the session-level one.
 *
 * @example
 * ```ts
 * const { mediaSections } = parseSdp(pc.localDescription.sdp);
 * mediaSections.map((section) => `${section.mid} ${section.kind} ${section.direction}`);
 * ```
 */
export function parseSdp(sdp: string): ParsedSdp {
  const session: SessionDraft = { version: null, bundle: [], endOfCandidates: false };
  const sections: SectionDraft[] = [];
  let current: SectionDraft | undefined;

  for (const rawLine of sdp.split(/\r\n|\r|\n/)) {
    const line = rawLine.trimEnd();
    if (line.length < 2 || line[1] !== '=') continue;
    const value = line.slice(2);
    switch (line[0]) {
      case 'v':
        if (current === undefined && /^\d+$/.test(value.trim())) {
          session.version = Number(value.trim());
        }
        break;
      case 'o':
        if (current === undefined) {
          const origin = parseOrigin(value);
          if (origin !== undefined) session.origin = origin;
        }
        break;
      case 'm': {
        const section = parseMediaLine(value);
        // A malformed m= line still starts a new section scope, so its attributes are not
        // mistaken for the previous section's; they are read into a draft that is discarded.
        current = section ?? createDraft('', 0, '', []);
        if (section !== undefined) sections.push(section);
        break;
      }
      case 'a':
        if (current === undefined) readSessionAttribute(session, value);
        else readMediaAttribute(current, value);
        break;
      default:
        break;
    }
  }

  const result: ParsedSdp = {
    version: session.version,
    ...(session.origin && { origin: session.origin }),
    ...(session.iceUfrag !== undefined && { iceUfrag: session.iceUfrag }),
    ...(session.icePwd !== undefined && { icePwd: session.icePwd }),
    bundle: Object.freeze(session.bundle),
    mediaSections: Object.freeze(sections.map((section) => finishSection(section, session))),
  };
  return Object.freeze(result);
}

function createDraft(
  kind: string,
  port: number,
  protocol: string,
  formats: string[],
): SectionDraft {
  return {
    kind,
    port,
    protocol,
    formats,
    msids: [],
    ssrcMsids: [],
    rtpmaps: new Map(),
    candidates: [],
    endOfCandidates: false,
  };
}

function parseOrigin(value: string): SdpOrigin | undefined {
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 6) return undefined;
  const [username, sessionId, sessionVersion, netType, addressType, address] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return Object.freeze({ username, sessionId, sessionVersion, netType, addressType, address });
}

function parseMediaLine(value: string): SectionDraft | undefined {
  // m=<media> <port>[/<number of ports>] <proto> <fmt> ...
  const [kind, portField, protocol, ...formats] = value.trim().split(/\s+/);
  const port =
    portField !== undefined && /^\d+(\/\d+)?$/.test(portField)
      ? Number.parseInt(portField, 10)
      : Number.NaN;
  if (!kind || !protocol || !(port <= 65535)) return undefined;
  return createDraft(kind, port, protocol, formats);
}

/** Splits `name:value` (`value` is `''` for a flag such as `a=sendrecv`). */
function splitAttribute(attribute: string): [name: string, value: string] {
  const colon = attribute.indexOf(':');
  return colon === -1
    ? [attribute, '']
    : [attribute.slice(0, colon), attribute.slice(colon + 1).trim()];
}

function readSessionAttribute(session: SessionDraft, attribute: string): void {
  const [name, value] = splitAttribute(attribute);
  switch (name) {
    case 'ice-ufrag':
      session.iceUfrag = value;
      break;
    case 'ice-pwd':
      session.icePwd = value;
      break;
    case 'setup':
      session.setup = value;
      break;
    case 'end-of-candidates':
      session.endOfCandidates = true;
      break;
    case 'group': {
      const [semantics, ...mids] = value.split(/\s+/);
      if (semantics === 'BUNDLE') {
        for (const mid of mids)
          if (mid !== '' && !session.bundle.includes(mid)) session.bundle.push(mid);
      }
      break;
    }
    default:
      if (DIRECTIONS.has(name)) session.direction = name as SdpDirection;
      break;
  }
}

function readMediaAttribute(section: SectionDraft, attribute: string): void {
  const [name, value] = splitAttribute(attribute);
  switch (name) {
    case 'mid':
      section.mid = value;
      break;
    case 'ice-ufrag':
      section.iceUfrag = value;
      break;
    case 'ice-pwd':
      section.icePwd = value;
      break;
    case 'setup':
      section.setup = value;
      break;
    case 'candidate':
      section.candidates.push(`candidate:${value}`);
      break;
    case 'end-of-candidates':
      section.endOfCandidates = true;
      break;
    case 'msid': {
      const msid = parseMsid(value);
      if (msid !== undefined) section.msids.push(msid);
      break;
    }
    case 'ssrc': {
      // a=ssrc:<ssrc> msid:<stream> <track> — the Plan B era spelling Chrome still writes.
      const match = /^\d+\s+msid:(.*)$/.exec(value);
      const msid = match?.[1] === undefined ? undefined : parseMsid(match[1]);
      if (msid !== undefined) section.ssrcMsids.push(msid);
      break;
    }
    case 'rtpmap': {
      const codec = parseRtpmap(value);
      if (codec !== undefined && !section.rtpmaps.has(codec.payloadType)) {
        section.rtpmaps.set(codec.payloadType, codec);
      }
      break;
    }
    default:
      if (DIRECTIONS.has(name)) section.direction = name as SdpDirection;
      break;
  }
}

function parseMsid(value: string): SdpMsid | undefined {
  const [streamId, trackId = ''] = value.trim().split(/\s+/);
  if (!streamId) return undefined;
  return Object.freeze({ streamId, trackId });
}

function parseRtpmap(value: string): SdpCodec | undefined {
  // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
  const match = /^(\d+)\s+([^/\s]+)\/(\d+)(?:\/(\d+))?$/.exec(value);
  if (match === null) return undefined;
  const [, payloadType, name, clockRate, channels] = match as unknown as [
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  const codec = { payloadType: Number(payloadType), name, clockRate: Number(clockRate) };
  return Object.freeze(channels === undefined ? codec : { ...codec, channels: Number(channels) });
}

function finishSection(section: SectionDraft, session: SessionDraft): SdpMediaSection {
  const isRtp = section.protocol.includes('RTP');
  const codecs: SdpCodec[] = [];
  if (isRtp) {
    for (const format of section.formats) {
      if (!/^\d+$/.test(format)) continue;
      const payloadType = Number(format);
      const codec = section.rtpmaps.get(payloadType) ?? STATIC_PAYLOAD_TYPES.get(payloadType);
      if (codec !== undefined) codecs.push(codec);
    }
  }
  // a=msid is authoritative; the ssrc-level spelling only fills in for endpoints without it.
  const msids: SdpMsid[] = [];
  for (const msid of section.msids.length > 0 ? section.msids : section.ssrcMsids) {
    if (!msids.some((seen) => seen.streamId === msid.streamId && seen.trackId === msid.trackId)) {
      msids.push(msid);
    }
  }
  const iceUfrag = section.iceUfrag ?? session.iceUfrag;
  const icePwd = section.icePwd ?? session.icePwd;
  const setup = section.setup ?? session.setup;
  return Object.freeze({
    kind: section.kind,
    ...(section.mid !== undefined && { mid: section.mid }),
    port: section.port,
    protocol: section.protocol,
    direction: section.direction ?? session.direction ?? 'sendrecv',
    ...(iceUfrag !== undefined && { iceUfrag }),
    ...(icePwd !== undefined && { icePwd }),
    ...(setup !== undefined && { setup }),
    msids: Object.freeze(msids),
    codecs: Object.freeze(codecs),
    candidates: Object.freeze(section.candidates),
    endOfCandidates: section.endOfCandidates || session.endOfCandidates,
  });
}
