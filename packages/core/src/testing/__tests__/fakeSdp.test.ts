import { describe, expect, it } from 'vitest';
import { parseIceCandidate } from '../fakeIceCandidate.js';
import { buildSdp, FakeSdpSyntaxError, parseSdp } from '../fakeSdp.js';

const FIREFOX_OFFER = [
  'v=0',
  'o=mozilla...THIS_IS_SDPARTA-99.0 6016469585858586245 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'a=sendrecv',
  'a=fingerprint:sha-256 0A:1B:2C:3D',
  'a=group:BUNDLE 0 1',
  'a=ice-options:trickle',
  'a=msid-semantic:WMS *',
  'm=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101',
  'c=IN IP4 0.0.0.0',
  'a=sendonly',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1',
  'a=ice-pwd:2e4d8c2ba0a9f8b4f4c1e5b9f1c6d3a7',
  'a=ice-ufrag:9a1c4e2f',
  'a=mid:0',
  'a=msid:{5b2c3d4e-aaaa-bbbb-cccc-000000000001} {6c3d4e5f-aaaa-bbbb-cccc-000000000002}',
  'a=rtcp-mux',
  'a=rtpmap:109 opus/48000/2',
  'a=rtpmap:9 G722/8000/1',
  'a=setup:actpass',
  'a=ssrc:3735928559 cname:{abc}',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=sendrecv',
  'a=ice-pwd:2e4d8c2ba0a9f8b4f4c1e5b9f1c6d3a7',
  'a=ice-ufrag:9a1c4e2f',
  'a=mid:1',
  'a=setup:actpass',
  'a=sctp-port:5000',
  'a=max-message-size:1073741823',
  '',
].join('\r\n');

const LEGACY_CHROME_PLAN_B = [
  'v=0',
  'o=- 123 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=ice-ufrag:Ab12',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'm=video 9 UDP/TLS/RTP/SAVPF 100',
  'c=IN IP4 0.0.0.0',
  'a=fingerprint:sha-256 AA:BB',
  'a=rtpmap:100 VP8/90000',
  'a=ssrc:1 msid:stream-1 track-1',
  'a=ssrc:1 mslabel:stream-1',
  'a=ssrc:2 msid:stream-1 track-1',
  'm=application 9 DTLS/SCTP 5000',
  'a=sctpmap:5000 webrtc-datachannel 1024',
  '',
].join('\n');

describe('fake SDP', () => {
  it('builds Chromium-shaped SDP that parses back to the same model', () => {
    const sdp = buildSdp({
      sessionId: '42',
      sessionVersion: 3,
      iceUfrag: 'uFrg',
      icePwd: 'p'.repeat(24),
      fingerprint: { algorithm: 'sha-256', value: 'AB:CD' },
      sections: [
        {
          kind: 'audio',
          mid: '0',
          direction: 'sendonly',
          msids: [{ streamId: 's1', trackId: 't1' }],
          candidates: ['candidate:1 1 udp 1 127.0.0.1 5000 typ host'],
          endOfCandidates: true,
        },
        { kind: 'video', mid: '1', direction: 'recvonly', setup: 'active' },
        { kind: 'video', mid: '2', port: 0, direction: 'inactive' },
        { kind: 'application', mid: '3' },
        { kind: 'audio', mid: '4', msids: [{ streamId: null, trackId: 't2' }] },
      ],
    });
    expect(sdp.startsWith('v=0\r\no=- 42 3 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n')).toBe(true);
    expect(sdp).toContain('a=group:BUNDLE 0 1 3 4\r\n');
    expect(sdp).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n');
    expect(sdp).toContain('m=video 9 UDP/TLS/RTP/SAVPF 96\r\n');
    expect(sdp).toContain('m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n');
    expect(sdp).toContain('a=sctp-port:5000\r\n');
    expect(sdp).toContain('a=msid:s1 t1\r\n');
    expect(sdp).toContain('a=msid:- t2\r\n');
    expect(sdp).toContain('a=rtpmap:111 opus/48000/2\r\n');
    expect(sdp).toContain('a=msid-semantic: WMS s1\r\n');
    expect(sdp.endsWith('\r\n')).toBe(true);

    const parsed = parseSdp(sdp);
    expect(parsed.sessionId).toBe('42');
    expect(parsed.sessionVersion).toBe(3);
    expect(parsed.bundle).toEqual(['0', '1', '3', '4']);
    expect(parsed.sections.map((s) => [s.kind, s.mid, s.port, s.direction, s.setup])).toEqual([
      ['audio', '0', 9, 'sendonly', 'actpass'],
      ['video', '1', 9, 'recvonly', 'active'],
      ['video', '2', 0, 'inactive', 'actpass'],
      ['application', '3', 9, 'sendrecv', 'actpass'],
      ['audio', '4', 9, 'sendrecv', 'actpass'],
    ]);
    const [audio, video, , application, unnamed] = parsed.sections;
    expect(audio?.iceUfrag).toBe('uFrg');
    expect(audio?.icePwd).toBe('p'.repeat(24));
    expect(audio?.fingerprint).toEqual({ algorithm: 'sha-256', value: 'AB:CD' });
    expect(audio?.msids).toEqual([{ streamId: 's1', trackId: 't1' }]);
    expect(audio?.candidates).toEqual(['candidate:1 1 udp 1 127.0.0.1 5000 typ host']);
    expect(audio?.endOfCandidates).toBe(true);
    expect(audio?.codecs).toEqual([
      {
        payloadType: 111,
        name: 'opus',
        clockRate: 48000,
        channels: 2,
        parameters: 'minptime=10;useinbandfec=1',
      },
    ]);
    expect(video?.codecs).toEqual([{ payloadType: 96, name: 'VP8', clockRate: 90000 }]);
    expect(application?.sctpPort).toBe(5000);
    expect(application?.maxMessageSize).toBe(262144);
    expect(application?.protocol).toBe('UDP/DTLS/SCTP');
    expect(unnamed?.msids).toEqual([{ streamId: null, trackId: 't2' }]);
  });

  it("parses Firefox's SDP: session-level fingerprint, unknown lines ignored", () => {
    const parsed = parseSdp(FIREFOX_OFFER);
    expect(parsed.bundle).toEqual(['0', '1']);
    const [audio, data] = parsed.sections;
    expect(audio?.direction).toBe('sendonly');
    expect(audio?.fingerprint).toEqual({ algorithm: 'sha-256', value: '0A:1B:2C:3D' });
    expect(audio?.iceUfrag).toBe('9a1c4e2f');
    expect(audio?.msids).toEqual([
      {
        streamId: '{5b2c3d4e-aaaa-bbbb-cccc-000000000001}',
        trackId: '{6c3d4e5f-aaaa-bbbb-cccc-000000000002}',
      },
    ]);
    expect(audio?.codecs.map((c) => c.name)).toEqual(['opus', 'G722']);
    expect(audio?.codecs[0]?.parameters).toBe('maxplaybackrate=48000;stereo=1;useinbandfec=1');
    expect(audio?.formats).toEqual(['109', '9', '0', '8', '101']);
    expect(data?.maxMessageSize).toBe(1073741823);
  });

  it('parses legacy SDP: LF endings, ssrc msids, sctpmap, no mids', () => {
    const parsed = parseSdp(LEGACY_CHROME_PLAN_B);
    const [video, data] = parsed.sections;
    expect(parsed.bundle).toEqual([]);
    expect(video?.mid).toBeNull();
    expect(video?.iceUfrag).toBe('Ab12');
    expect(video?.direction).toBe('sendrecv');
    expect(video?.msids).toEqual([{ streamId: 'stream-1', trackId: 'track-1' }]);
    expect(data?.sctpPort).toBe(5000);
  });

  it('reports syntax errors with their line number', () => {
    expect(() => parseSdp('')).toThrow(FakeSdpSyntaxError);
    expect(() => parseSdp('hello')).toThrow(expect.objectContaining({ lineNumber: 1 }));
    expect(() => parseSdp('v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nnot sdp\r\n')).toThrow(
      expect.objectContaining({ lineNumber: 3 }),
    );
    expect(() => parseSdp('v=0\r\nm=audio\r\n')).toThrow(
      expect.objectContaining({ lineNumber: 2 }),
    );
  });

  it('parses ICE candidate strings', () => {
    expect(
      parseIceCandidate(
        'a=candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 10.0.0.2 rport 61665 generation 0 ufrag EsAw network-cost 999',
      ),
    ).toEqual({
      foundation: '842163049',
      component: 'rtp',
      protocol: 'udp',
      priority: 1677729535,
      address: '203.0.113.7',
      port: 61665,
      type: 'srflx',
      relatedAddress: '10.0.0.2',
      relatedPort: 61665,
      tcpType: null,
      usernameFragment: 'EsAw',
    });
    expect(parseIceCandidate('candidate:1 2 TCP 1 ::1 9 typ host tcptype passive')).toMatchObject({
      component: 'rtcp',
      protocol: 'tcp',
      tcpType: 'passive',
    });
    expect(parseIceCandidate('candidate:1 1 sctp 1 ::1 9 typ host')).toBeNull();
    expect(parseIceCandidate('candidate:1 1 udp 1 ::1 9 typ weird')).toBeNull();
    expect(parseIceCandidate('candidate:1 1 udp x ::1 9 typ host')).toBeNull();
    expect(parseIceCandidate('nonsense')).toBeNull();
  });
});
