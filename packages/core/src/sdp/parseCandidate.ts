/**
 * Reads an ICE candidate attribute (RFC 8839 §5.1), as found in `RTCIceCandidate.candidate`
 * or an `a=candidate:` SDP line.
 * @module
 */

/** The fields of a candidate line. */
export interface ParsedCandidate {
  readonly foundation: string;
  /** 1 for RTP (or everything, with rtcp-mux), 2 for RTCP. */
  readonly component: number;
  readonly protocol: 'udp' | 'tcp';
  readonly priority: number;
  /** An IPv4 or IPv6 address, or a host name such as an mDNS `….local` name. */
  readonly address: string;
  readonly port: number;
  readonly type: 'host' | 'srflx' | 'prflx' | 'relay';
  readonly relatedAddress?: string;
  readonly relatedPort?: number;
  readonly tcpType?: 'active' | 'passive' | 'so';
  /** Chrome's candidate generation, bumped on every ICE restart. */
  readonly generation?: number;
  readonly ufrag?: string;
  readonly networkId?: number;
  readonly networkCost?: number;
}

const CANDIDATE_TYPES: ReadonlySet<string> = new Set(['host', 'srflx', 'prflx', 'relay']);
const TCP_TYPES: ReadonlySet<string> = new Set(['active', 'passive', 'so']);
/** RFC 8839 ice-char: ALPHA / DIGIT / "+" / "/", 1 to 32 of them. */
const FOUNDATION = /^[A-Za-z0-9+/]{1,32}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
/** Loose on purpose: hex groups and colons, an optional embedded IPv4 tail and zone id. */
const IPV6 = /^(?=.*:)[0-9A-Fa-f:]+(?:\.\d{1,3}){0,3}(?:%[A-Za-z0-9_.-]+)?$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)*\.?$/;
const UINT = /^\d{1,10}$/;

/**
 * Parses a candidate string, with or without the `a=` and `candidate:` prefixes. Returns `null`
 * when the line is not a well-formed candidate; unknown extensions are ignored.
 *
 * @example
 * ```ts
 * parseCandidate('candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0')
 * // → { foundation: '842163049', component: 1, protocol: 'udp', type: 'srflx', … }
 * ```
 */
export function parseCandidate(candidate: string): ParsedCandidate | null {
  if (typeof candidate !== 'string') return null;
  let text = candidate.trim();
  if (text.startsWith('a=')) text = text.slice(2);
  if (text.toLowerCase().startsWith('candidate:')) text = text.slice('candidate:'.length);
  const tokens = text.trim().split(/\s+/);
  // foundation component transport priority address port "typ" type, then extensions.
  if (tokens.length < 8) return null;
  const [foundation, component, transport, priority, address, port, typ, type, ...extensions] =
    tokens as [string, string, string, string, string, string, string, string, ...string[]];
  if (!FOUNDATION.test(foundation) || typ.toLowerCase() !== 'typ') return null;
  const componentId = integer(component, 1, 256);
  const protocol = transport.toLowerCase();
  const priorityValue = integer(priority, 0, 0xffffffff);
  const portValue = integer(port, 0, 65535);
  const candidateType = type.toLowerCase();
  if (
    componentId === undefined ||
    (protocol !== 'udp' && protocol !== 'tcp') ||
    priorityValue === undefined ||
    !isAddress(address) ||
    portValue === undefined ||
    !CANDIDATE_TYPES.has(candidateType)
  ) {
    return null;
  }

  const result: {
    -readonly [K in keyof ParsedCandidate]: ParsedCandidate[K];
  } = {
    foundation,
    component: componentId,
    protocol,
    priority: priorityValue,
    address,
    port: portValue,
    type: candidateType as ParsedCandidate['type'],
  };

  // The rest is name/value pairs. A known extension with a malformed value makes the whole
  // line suspect; an unknown one is skipped, as RFC 8839 asks.
  for (let index = 0; index + 1 < extensions.length; index += 2) {
    const name = (extensions[index] as string).toLowerCase();
    const value = extensions[index + 1] as string;
    switch (name) {
      case 'raddr':
        if (!isAddress(value)) return null;
        result.relatedAddress = value;
        break;
      case 'rport': {
        const relatedPort = integer(value, 0, 65535);
        if (relatedPort === undefined) return null;
        result.relatedPort = relatedPort;
        break;
      }
      case 'tcptype': {
        const tcpType = value.toLowerCase();
        if (!TCP_TYPES.has(tcpType)) return null;
        result.tcpType = tcpType as NonNullable<ParsedCandidate['tcpType']>;
        break;
      }
      case 'generation': {
        const generation = integer(value, 0, 0xffffffff);
        if (generation === undefined) return null;
        result.generation = generation;
        break;
      }
      case 'ufrag':
        result.ufrag = value;
        break;
      case 'network-id': {
        const networkId = integer(value, 0, 0xffffffff);
        if (networkId === undefined) return null;
        result.networkId = networkId;
        break;
      }
      case 'network-cost': {
        const networkCost = integer(value, 0, 0xffffffff);
        if (networkCost === undefined) return null;
        result.networkCost = networkCost;
        break;
      }
      default:
        break;
    }
  }
  return Object.freeze(result);
}

function integer(token: string, min: number, max: number): number | undefined {
  if (!UINT.test(token)) return undefined;
  const value = Number(token);
  return value >= min && value <= max ? value : undefined;
}

function isAddress(token: string): boolean {
  if (token.includes(':')) return IPV6.test(token);
  // All-digit dotted names are IPv4 attempts; 999.1.1.1 must not pass as a host name.
  if (/^[\d.]+$/.test(token)) return IPV4.test(token);
  return HOSTNAME.test(token);
}
