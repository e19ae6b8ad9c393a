/**
 * `RTCIceCandidate` for Node: parses the `candidate-attribute` grammar of RFC 8839 into the
 * read-only fields browsers expose.
 * @module
 */

/** The fields of a `candidate:` string. */
export interface ParsedIceCandidate {
  readonly foundation: string;
  readonly component: RTCIceComponent;
  readonly protocol: RTCIceProtocol;
  readonly priority: number;
  readonly address: string;
  readonly port: number;
  readonly type: RTCIceCandidateType;
  readonly relatedAddress: string | null;
  readonly relatedPort: number | null;
  readonly tcpType: RTCIceTcpCandidateType | null;
  readonly usernameFragment: string | null;
}

const TYPES = new Set<string>(['host', 'srflx', 'prflx', 'relay']);

/** Parses a `candidate:…` string (with or without the `a=` prefix); `null` when malformed. */
export function parseIceCandidate(candidate: string): ParsedIceCandidate | null {
  const text = candidate.startsWith('a=') ? candidate.slice(2) : candidate;
  if (!text.startsWith('candidate:')) return null;
  const fields = text.slice('candidate:'.length).split(/\s+/);
  const [foundation, component, transport, priority, address, port, typ, type] = fields;
  if (
    foundation === undefined ||
    address === undefined ||
    typ !== 'typ' ||
    type === undefined ||
    !TYPES.has(type)
  ) {
    return null;
  }
  const protocol = transport?.toLowerCase();
  if (protocol !== 'udp' && protocol !== 'tcp') return null;
  const numbers = [component, priority, port].map(Number);
  if (numbers.some((n) => !Number.isInteger(n))) return null;
  const extensions = new Map<string, string>();
  for (let i = 8; i + 1 < fields.length; i += 2) {
    const key = fields[i];
    const value = fields[i + 1];
    if (key !== undefined && value !== undefined) extensions.set(key, value);
  }
  const rport = extensions.get('rport');
  const tcpType = extensions.get('tcptype');
  return {
    foundation,
    component: numbers[0] === 1 ? 'rtp' : 'rtcp',
    protocol,
    priority: numbers[1] ?? 0,
    address,
    port: numbers[2] ?? 0,
    type: type as RTCIceCandidateType,
    relatedAddress: extensions.get('raddr') ?? null,
    relatedPort: rport === undefined ? null : Number(rport),
    tcpType: tcpType === 'active' || tcpType === 'passive' || tcpType === 'so' ? tcpType : null,
    usernameFragment: extensions.get('ufrag') ?? null,
  };
}

/** An `RTCIceCandidate`, constructed with the same rules as the browser's constructor. */
export class FakeIceCandidate implements RTCIceCandidate {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly usernameFragment: string | null;
  readonly foundation: string | null;
  readonly component: RTCIceComponent | null;
  readonly priority: number | null;
  readonly address: string | null;
  readonly protocol: RTCIceProtocol | null;
  readonly port: number | null;
  readonly type: RTCIceCandidateType | null;
  readonly tcpType: RTCIceTcpCandidateType | null;
  readonly relatedAddress: string | null;
  readonly relatedPort: number | null;

  constructor(init: RTCIceCandidateInit = {}) {
    const sdpMid = init.sdpMid ?? null;
    const sdpMLineIndex = init.sdpMLineIndex ?? null;
    // webrtc-pc §5.4: a candidate must name its m-section one way or the other.
    if (sdpMid === null && sdpMLineIndex === null) {
      throw new TypeError('sdpMid and sdpMLineIndex are both null');
    }
    this.candidate = init.candidate ?? '';
    this.sdpMid = sdpMid;
    this.sdpMLineIndex = sdpMLineIndex;
    const parsed = parseIceCandidate(this.candidate);
    this.usernameFragment = init.usernameFragment ?? parsed?.usernameFragment ?? null;
    this.foundation = parsed?.foundation ?? null;
    this.component = parsed?.component ?? null;
    this.priority = parsed?.priority ?? null;
    this.address = parsed?.address ?? null;
    this.protocol = parsed?.protocol ?? null;
    this.port = parsed?.port ?? null;
    this.type = parsed?.type ?? null;
    this.tcpType = parsed?.tcpType ?? null;
    this.relatedAddress = parsed?.relatedAddress ?? null;
    this.relatedPort = parsed?.relatedPort ?? null;
  }

  toJSON(): RTCIceCandidateInit {
    return {
      candidate: this.candidate,
      sdpMid: this.sdpMid,
      sdpMLineIndex: this.sdpMLineIndex,
      usernameFragment: this.usernameFragment,
    };
  }
}
