import { describe, expect, it } from 'vitest';
import { parseCandidate } from '../parseCandidate.js';
import { parseSdp } from '../parseSdp.js';
import { CHROME_OFFER, FIREFOX_ANSWER } from './fixtures.js';

describe('parseCandidate', () => {
  it('reads a Chromium srflx candidate', () => {
    expect(
      parseCandidate(
        'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag Hk4x network-id 1 network-cost 10',
      ),
    ).toEqual({
      foundation: '842163049',
      component: 1,
      protocol: 'udp',
      priority: 1677729535,
      address: '203.0.113.7',
      port: 46154,
      type: 'srflx',
      relatedAddress: '0.0.0.0',
      relatedPort: 0,
      generation: 0,
      ufrag: 'Hk4x',
      networkId: 1,
      networkCost: 10,
    });
  });

  it('reads an mDNS host candidate', () => {
    expect(
      parseCandidate(
        'candidate:1467250027 1 udp 2122260223 3b1c5a4e-8f4d-4a42-a0a1-2a4b9c2d7e11.local 54321 typ host generation 0',
      ),
    ).toEqual({
      foundation: '1467250027',
      component: 1,
      protocol: 'udp',
      priority: 2122260223,
      address: '3b1c5a4e-8f4d-4a42-a0a1-2a4b9c2d7e11.local',
      port: 54321,
      type: 'host',
      generation: 0,
    });
  });

  it('reads IPv6 addresses', () => {
    expect(
      parseCandidate('candidate:3 1 udp 2122197247 2001:db8::1a2b:3c4d 50000 typ host')?.address,
    ).toBe('2001:db8::1a2b:3c4d');
    expect(parseCandidate('candidate:3 1 udp 1 fe80::1%en0 5 typ host')?.address).toBe(
      'fe80::1%en0',
    );
    expect(parseCandidate('candidate:3 1 udp 1 ::ffff:192.0.2.1 5 typ host')?.address).toBe(
      '::ffff:192.0.2.1',
    );
    expect(
      parseCandidate(
        'candidate:4 1 udp 1686052607 2001:db8::2 3478 typ srflx raddr 2001:db8::1 rport 50000',
      ),
    ).toMatchObject({ relatedAddress: '2001:db8::1', relatedPort: 50000 });
  });

  it('reads Firefox TCP and relay candidates (upper-case transport)', () => {
    expect(
      parseCandidate('candidate:2 1 TCP 2105524479 192.168.1.23 9 typ host tcptype active'),
    ).toEqual({
      foundation: '2',
      component: 1,
      protocol: 'tcp',
      priority: 2105524479,
      address: '192.168.1.23',
      port: 9,
      type: 'host',
      tcpType: 'active',
    });
    expect(
      parseCandidate(
        'candidate:5 2 UDP 92217086 198.51.100.77 61234 typ relay raddr 198.51.100.20 rport 62403',
      ),
    ).toMatchObject({ component: 2, type: 'relay', relatedAddress: '198.51.100.20' });
    expect(parseCandidate('candidate:6 1 udp 1845501695 192.0.2.9 6000 typ prflx')?.type).toBe(
      'prflx',
    );
  });

  it('accepts the a= and candidate: prefixes, or neither, and surrounding whitespace', () => {
    const body = '0 1 UDP 2122252543 192.168.1.23 62403 typ host';
    const expected = parseCandidate(`candidate:${body}`);
    expect(expected).not.toBeNull();
    expect(parseCandidate(`a=candidate:${body}`)).toEqual(expected);
    expect(parseCandidate(body)).toEqual(expected);
    expect(parseCandidate(`  a=candidate:${body}\r\n`)).toEqual(expected);
  });

  it('reads every candidate of the browser fixtures', () => {
    const candidates = [CHROME_OFFER, FIREFOX_ANSWER].flatMap((sdp) =>
      parseSdp(sdp).mediaSections.flatMap((section) => section.candidates),
    );
    expect(candidates).toHaveLength(5);
    for (const candidate of candidates) expect(parseCandidate(candidate)).not.toBeNull();
  });

  it('ignores unknown extensions and a dangling token', () => {
    expect(
      parseCandidate('candidate:1 1 udp 1 192.0.2.1 5 typ host x-ext value generation 3 dangling'),
    ).toMatchObject({ generation: 3 });
  });

  it('returns a frozen result', () => {
    expect(Object.isFrozen(parseCandidate('candidate:1 1 udp 1 192.0.2.1 5 typ host'))).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['end of candidates', 'a=end-of-candidates'],
    ['words', 'hello world'],
    ['too few fields', 'candidate:1 1 udp 1 192.0.2.1 5 typ'],
    ['no typ keyword', 'candidate:1 1 udp 1 192.0.2.1 5 kind host'],
    ['bad foundation', 'candidate:f@o 1 udp 1 192.0.2.1 5 typ host'],
    ['long foundation', `candidate:${'a'.repeat(33)} 1 udp 1 192.0.2.1 5 typ host`],
    ['component 0', 'candidate:1 0 udp 1 192.0.2.1 5 typ host'],
    ['component 257', 'candidate:1 257 udp 1 192.0.2.1 5 typ host'],
    ['unknown transport', 'candidate:1 1 sctp 1 192.0.2.1 5 typ host'],
    ['negative priority', 'candidate:1 1 udp -1 192.0.2.1 5 typ host'],
    ['priority over 32 bits', 'candidate:1 1 udp 4294967296 192.0.2.1 5 typ host'],
    ['bad IPv4', 'candidate:1 1 udp 1 999.0.2.1 5 typ host'],
    ['bad IPv6', 'candidate:1 1 udp 1 2001:db8::zz 5 typ host'],
    ['bad host name', 'candidate:1 1 udp 1 <script> 5 typ host'],
    ['port over 65535', 'candidate:1 1 udp 1 192.0.2.1 65536 typ host'],
    ['port not a number', 'candidate:1 1 udp 1 192.0.2.1 five typ host'],
    ['unknown type', 'candidate:1 1 udp 1 192.0.2.1 5 typ turn'],
    ['bad raddr', 'candidate:1 1 udp 1 192.0.2.1 5 typ srflx raddr 300.1.1.1 rport 0'],
    ['bad rport', 'candidate:1 1 udp 1 192.0.2.1 5 typ srflx raddr 0.0.0.0 rport -'],
    ['bad tcptype', 'candidate:1 1 tcp 1 192.0.2.1 9 typ host tcptype sideways'],
    ['bad generation', 'candidate:1 1 udp 1 192.0.2.1 5 typ host generation x'],
    ['bad network-id', 'candidate:1 1 udp 1 192.0.2.1 5 typ host network-id -1'],
    ['bad network-cost', 'candidate:1 1 udp 1 192.0.2.1 5 typ host network-cost 1.5'],
  ])('returns null for garbage: %s', (_name, candidate) => {
    expect(parseCandidate(candidate)).toBeNull();
  });

  it('returns null for a non-string from untyped callers', () => {
    expect(parseCandidate(42 as unknown as string)).toBeNull();
  });
});
