import { describe, expect, it } from 'vitest';
import { iceUfragsOf, parseSdp } from '../parseSdp.js';
import { CHROME_OFFER, FIREFOX_ANSWER } from './fixtures.js';

const STREAM = '3f5ab2b4-6d0e-4c4e-9b52-3ad5e0d4a1c7';

describe('parseSdp: Chromium offer', () => {
  const parsed = parseSdp(CHROME_OFFER);
  const [audio, video, data] = parsed.mediaSections;

  it('reads the session level', () => {
    expect(parsed.version).toBe(0);
    expect(parsed.origin).toEqual({
      username: '-',
      sessionId: '4611731400430051336', // beyond Number.MAX_SAFE_INTEGER: kept as text
      sessionVersion: '2',
      netType: 'IN',
      addressType: 'IP4',
      address: '127.0.0.1',
    });
    expect(parsed.bundle).toEqual(['0', '1', '2']);
    expect(parsed).not.toHaveProperty('iceUfrag');
    expect(parsed).not.toHaveProperty('icePwd');
    expect(parsed.mediaSections).toHaveLength(3);
  });

  it('reads the audio section', () => {
    expect(audio).toEqual({
      kind: 'audio',
      mid: '0',
      port: 9,
      protocol: 'UDP/TLS/RTP/SAVPF',
      direction: 'sendrecv',
      iceUfrag: 'Hk4x',
      icePwd: '2Mq7w1V5bX9yJ3kL8nP0rT6u',
      setup: 'actpass',
      msids: [{ streamId: STREAM, trackId: '5c0e2f43-1a4b-4b8e-a6a0-9a3f1e2d4c5b' }],
      codecs: [
        { payloadType: 111, name: 'opus', clockRate: 48000, channels: 2 },
        { payloadType: 63, name: 'red', clockRate: 48000, channels: 2 },
        { payloadType: 9, name: 'G722', clockRate: 8000 },
        { payloadType: 0, name: 'PCMU', clockRate: 8000 },
        { payloadType: 8, name: 'PCMA', clockRate: 8000 },
        { payloadType: 13, name: 'CN', clockRate: 8000 },
        { payloadType: 110, name: 'telephone-event', clockRate: 48000 },
        { payloadType: 126, name: 'telephone-event', clockRate: 8000 },
      ],
      candidates: [
        'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 network-cost 999',
        'candidate:1467250027 1 udp 2122260223 3b1c5a4e-8f4d-4a42-a0a1-2a4b9c2d7e11.local 54321 typ host generation 0 network-id 1',
      ],
      endOfCandidates: false,
    });
  });

  it('reads the video section: codecs in m-line order, msid not duplicated by ssrc lines', () => {
    expect(video?.kind).toBe('video');
    expect(video?.mid).toBe('1');
    expect(video?.codecs.map((codec) => `${codec.payloadType} ${codec.name}`)).toEqual([
      '96 VP8',
      '97 rtx',
      '102 H264',
      '103 rtx',
      '45 AV1',
      '46 rtx',
    ]);
    expect(video?.msids).toEqual([
      { streamId: STREAM, trackId: '9d2c1b0a-7e6f-4a5b-8c9d-0e1f2a3b4c5d' },
    ]);
    expect(video?.candidates).toEqual([]);
  });

  it('reads the data channel section', () => {
    expect(data).toMatchObject({
      kind: 'application',
      mid: '2',
      protocol: 'UDP/DTLS/SCTP',
      direction: 'sendrecv',
      codecs: [],
      msids: [],
      iceUfrag: 'Hk4x',
    });
  });

  it('returns frozen data', () => {
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.mediaSections)).toBe(true);
    expect(Object.isFrozen(audio)).toBe(true);
    expect(Object.isFrozen(audio?.codecs)).toBe(true);
    expect(Object.isFrozen(audio?.codecs[0])).toBe(true);
  });

  it('reads the same with LF line endings', () => {
    expect(parseSdp(CHROME_OFFER.replaceAll('\r\n', '\n'))).toEqual(parsed);
    expect(parseSdp(CHROME_OFFER.replaceAll('\r\n', '\r'))).toEqual(parsed);
  });
});

describe('parseSdp: Firefox answer', () => {
  const parsed = parseSdp(FIREFOX_ANSWER);
  const [audio, video, data] = parsed.mediaSections;

  it('reads the session level', () => {
    expect(parsed.version).toBe(0);
    expect(parsed.origin?.username).toBe('mozilla...THIS_IS_SDPARTA-99.0');
    expect(parsed.bundle).toEqual(['0', '1', '2']);
  });

  it('reads the audio section, with braces in msids and end-of-candidates', () => {
    expect(audio).toMatchObject({
      kind: 'audio',
      mid: '0',
      direction: 'sendrecv',
      iceUfrag: '5c1e3a9f',
      setup: 'active',
      msids: [
        {
          streamId: '{7d3a2e4b-9c1f-4e8a-b6d5-0f2e1c3b4a59}',
          trackId: '{a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d}',
        },
      ],
      endOfCandidates: true,
    });
    expect(audio?.candidates).toHaveLength(3);
    expect(audio?.codecs).toContainEqual({
      payloadType: 9,
      name: 'G722',
      clockRate: 8000,
      channels: 1,
    });
  });

  it('reads a recvonly video section without msid', () => {
    expect(video).toMatchObject({ direction: 'recvonly', msids: [], endOfCandidates: false });
    expect(video?.codecs.map((codec) => codec.name)).toEqual(['VP8', 'rtx', 'H264', 'rtx']);
  });

  it('reads the data channel section', () => {
    expect(data).toMatchObject({ kind: 'application', mid: '2', setup: 'active', codecs: [] });
  });
});

describe('parseSdp: inheritance and tolerance', () => {
  const sdp = [
    'v=0',
    'o=- 1 1 IN IP4 0.0.0.0',
    's=-',
    'a=ice-ufrag:session',
    'a=ice-pwd:sessionpwd',
    'a=setup:passive',
    'a=recvonly',
    'a=end-of-candidates',
    'a=group:BUNDLE a',
    'a=group:BUNDLE b a',
    'a=group:LS a b',
    'x-unknown line',
    '',
    'z=whatever',
    'm=audio 49170 RTP/AVP 0 8 97 98',
    'a=rtpmap:97 iLBC/8000',
    'a=rtpmap:97 duplicate/8000',
    'a=rtpmap:bogus',
    'a=mid:a',
    'a=msid:onlystream',
    'a=msid:',
    'a=ice-ufrag:media   ',
    'm=video 0 RTP/AVP 31',
    'a=mid:b',
    'a=sendonly',
    'a=ice-pwd:mediapwd',
    'a=setup:active',
    'a=ssrc:1 msid:plan-b-stream plan-b-track',
    'a=ssrc:2 msid:plan-b-stream plan-b-track',
    'a=ssrc:3 cname:x',
    'm=text',
    'a=mid:ignored-with-its-broken-section',
    'm=video 2/2 RTP/AVP 96',
    'a=inactive',
  ].join('\n');
  const parsed = parseSdp(sdp);
  const [audio, video, paired] = parsed.mediaSections;

  it('applies session-level values unless the section overrides them', () => {
    expect(parsed.iceUfrag).toBe('session');
    expect(parsed.icePwd).toBe('sessionpwd');
    expect(audio).toMatchObject({
      iceUfrag: 'media',
      icePwd: 'sessionpwd',
      setup: 'passive',
      direction: 'recvonly',
      endOfCandidates: true,
    });
    expect(video).toMatchObject({
      iceUfrag: 'session',
      icePwd: 'mediapwd',
      setup: 'active',
      direction: 'sendonly',
    });
  });

  it('merges BUNDLE groups and ignores other groups', () => {
    expect(parsed.bundle).toEqual(['a', 'b']);
  });

  it('knows static payload types and keeps the first rtpmap of a payload type', () => {
    expect(audio?.codecs).toEqual([
      { payloadType: 0, name: 'PCMU', clockRate: 8000, channels: 1 },
      { payloadType: 8, name: 'PCMA', clockRate: 8000, channels: 1 },
      { payloadType: 97, name: 'iLBC', clockRate: 8000 },
    ]);
    expect(video?.codecs).toEqual([]); // 31 is neither mapped nor in the static table
  });

  it('reads msids with a stream only, and Plan B ssrc msids when there is no a=msid', () => {
    expect(audio?.msids).toEqual([{ streamId: 'onlystream', trackId: '' }]);
    expect(video?.msids).toEqual([{ streamId: 'plan-b-stream', trackId: 'plan-b-track' }]);
  });

  it('reads the port of a port/count pair, and a port of 0', () => {
    expect(video?.port).toBe(0);
    expect(paired?.port).toBe(2);
    expect(paired?.direction).toBe('inactive');
    expect(paired).not.toHaveProperty('mid');
  });

  it('skips a malformed m= line together with its attributes', () => {
    expect(parsed.mediaSections).toHaveLength(3);
    expect(parsed.mediaSections.map((section) => section.mid)).toEqual(['a', 'b', undefined]);
  });

  it('skips formats that are not payload types', () => {
    const [section] = parseSdp('v=0\nm=audio 9 RTP/AVP 0 x-fmt\n').mediaSections;
    expect(section?.codecs.map((codec) => codec.name)).toEqual(['PCMU']);
  });

  it('does not apply static payload types to non-RTP sections', () => {
    const [section] = parseSdp('v=0\nm=application 9 UDP/DTLS/SCTP 0\n').mediaSections;
    expect(section?.codecs).toEqual([]);
  });

  it('rejects a port over 65535 or a non-numeric port', () => {
    expect(parseSdp('v=0\nm=audio 70000 RTP/AVP 0\n').mediaSections).toEqual([]);
    expect(parseSdp('v=0\nm=audio nine RTP/AVP 0\n').mediaSections).toEqual([]);
  });

  it('never throws on garbage', () => {
    expect(parseSdp('')).toEqual({ version: null, bundle: [], mediaSections: [] });
    expect(parseSdp('hello\nworld')).toEqual({ version: null, bundle: [], mediaSections: [] });
    expect(parseSdp('v=x\no=too few fields\n').origin).toBeUndefined();
    expect(parseSdp('v=x').version).toBeNull();
  });

  it('only reads v= and o= at the session level', () => {
    const late = parseSdp('v=0\nm=audio 9 RTP/AVP 0\nv=1\no=- 1 1 IN IP4 0.0.0.0\n');
    expect(late.version).toBe(0);
    expect(late.origin).toBeUndefined();
  });
});

describe('iceUfragsOf', () => {
  it('lists each distinct ufrag once', () => {
    expect(iceUfragsOf(CHROME_OFFER)).toEqual(['Hk4x']);
    expect(iceUfragsOf(FIREFOX_ANSWER)).toEqual(['5c1e3a9f']);
  });

  it('includes the session level and media-level overrides', () => {
    const sdp = 'v=0\na=ice-ufrag:s\nm=audio 9 RTP/AVP 0\na=ice-ufrag:m\nm=video 9 RTP/AVP 96\n';
    expect(iceUfragsOf(sdp)).toEqual(['s', 'm']);
  });

  it('is empty without ufrags', () => {
    expect(iceUfragsOf('v=0\nm=audio 9 RTP/AVP 0\n')).toEqual([]);
  });
});
