import { describe, expect, it } from 'vitest';
import { diffSessionDescriptions } from '../diffSdp.js';
import { CHROME_OFFER, FIREFOX_ANSWER } from './fixtures.js';

const VIDEO_TRACK = '9d2c1b0a-7e6f-4a5b-8c9d-0e1f2a3b4c5d';
const STREAM = '3f5ab2b4-6d0e-4c4e-9b52-3ad5e0d4a1c7';

/** The Chromium offer with the given section's line replaced (first occurrence after its m= line). */
function editSection(sdp: string, mid: string, from: string, to: string): string {
  const start = sdp.indexOf(`a=mid:${mid}\r\n`);
  const sectionStart = sdp.lastIndexOf('\r\nm=', start);
  const at = sdp.indexOf(from, sectionStart);
  if (sectionStart === -1 || at === -1) throw new Error(`no ${from} in section ${mid}`);
  return sdp.slice(0, at) + to + sdp.slice(at + from.length);
}

const NEW_VIDEO_SECTION = [
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Hk4x',
  'a=mid:3',
  'a=sendonly',
  'a=msid:screen-stream screen-track',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  '',
].join('\r\n');

describe('diffSessionDescriptions', () => {
  it('with no previous description, every section is added', () => {
    expect(diffSessionDescriptions(null, CHROME_OFFER)).toEqual([
      { type: 'section-added', index: 0, mid: '0', kind: 'audio', direction: 'sendrecv' },
      { type: 'section-added', index: 1, mid: '1', kind: 'video', direction: 'sendrecv' },
      { type: 'section-added', index: 2, mid: '2', kind: 'application', direction: 'sendrecv' },
    ]);
  });

  it('finds nothing between identical descriptions, whatever the line endings', () => {
    expect(diffSessionDescriptions(CHROME_OFFER, CHROME_OFFER)).toEqual([]);
    expect(diffSessionDescriptions(CHROME_OFFER, CHROME_OFFER.replaceAll('\r\n', '\n'))).toEqual(
      [],
    );
  });

  it('reports an ICE restart per section', () => {
    const restarted = CHROME_OFFER.replaceAll('a=ice-ufrag:Hk4x', 'a=ice-ufrag:R3st');
    expect(diffSessionDescriptions(CHROME_OFFER, restarted)).toEqual([
      { type: 'ice-restart', index: 0, mid: '0', kind: 'audio', from: 'Hk4x', to: 'R3st' },
      { type: 'ice-restart', index: 1, mid: '1', kind: 'video', from: 'Hk4x', to: 'R3st' },
      { type: 'ice-restart', index: 2, mid: '2', kind: 'application', from: 'Hk4x', to: 'R3st' },
    ]);
  });

  it('reports a direction change (video put on hold)', () => {
    const hold = editSection(CHROME_OFFER, '1', 'a=sendrecv', 'a=sendonly');
    expect(diffSessionDescriptions(CHROME_OFFER, hold)).toEqual([
      {
        type: 'direction-changed',
        index: 1,
        mid: '1',
        kind: 'video',
        from: 'sendrecv',
        to: 'sendonly',
      },
    ]);
  });

  it('reports codecs added and removed by name, not payload type', () => {
    const withoutAv1 = editSection(
      CHROME_OFFER,
      '1',
      'm=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 45 46',
      'm=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 98',
    ).replace('a=rtpmap:45 AV1/90000', 'a=rtpmap:98 VP9/90000');
    expect(diffSessionDescriptions(CHROME_OFFER, withoutAv1)).toEqual([
      {
        type: 'codecs-changed',
        index: 1,
        mid: '1',
        kind: 'video',
        added: [{ payloadType: 98, name: 'VP9', clockRate: 90000 }],
        removed: [{ payloadType: 45, name: 'AV1', clockRate: 90000 }],
      },
    ]);
    // A name offered under several payload types (rtx here) is listed once.
    const vp8Only = editSection(
      CHROME_OFFER,
      '1',
      'm=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 45 46',
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
    );
    expect(diffSessionDescriptions(CHROME_OFFER, vp8Only)).toMatchObject([
      {
        type: 'codecs-changed',
        added: [],
        removed: [{ name: 'rtx' }, { name: 'H264' }, { name: 'AV1' }],
      },
    ]);
    // Renumbering alone is no change.
    const renumbered = CHROME_OFFER.replace('111 63', '109 63').replace(
      'a=rtpmap:111 opus',
      'a=rtpmap:109 opus',
    );
    expect(diffSessionDescriptions(CHROME_OFFER, renumbered)).toEqual([]);
  });

  it('reports msid changes (a new track in the section)', () => {
    const replaced = CHROME_OFFER.replace(
      `a=msid:${STREAM} ${VIDEO_TRACK}`,
      `a=msid:${STREAM} new-track`,
    );
    expect(diffSessionDescriptions(CHROME_OFFER, replaced)).toEqual([
      {
        type: 'msids-changed',
        index: 1,
        mid: '1',
        kind: 'video',
        added: [{ streamId: STREAM, trackId: 'new-track' }],
        removed: [{ streamId: STREAM, trackId: VIDEO_TRACK }],
      },
    ]);
  });

  it('reports an added section and the BUNDLE change', () => {
    const next =
      CHROME_OFFER.replace('a=group:BUNDLE 0 1 2', 'a=group:BUNDLE 0 1 2 3') + NEW_VIDEO_SECTION;
    expect(diffSessionDescriptions(CHROME_OFFER, next)).toEqual([
      { type: 'bundle-changed', from: ['0', '1', '2'], to: ['0', '1', '2', '3'] },
      { type: 'section-added', index: 3, mid: '3', kind: 'video', direction: 'sendonly' },
    ]);
  });

  it('reports a rejected section once, and nothing else about it', () => {
    const stopped = editSection(
      CHROME_OFFER,
      '1',
      'm=video 9 UDP/TLS/RTP/SAVPF',
      'm=video 0 UDP/TLS/RTP/SAVPF',
    ).replace(`a=msid:${STREAM} ${VIDEO_TRACK}\r\n`, '');
    const withInactive = editSection(stopped, '1', 'a=sendrecv', 'a=inactive');
    expect(diffSessionDescriptions(CHROME_OFFER, withInactive)).toEqual([
      { type: 'section-rejected', index: 1, mid: '1', kind: 'video' },
    ]);
    expect(diffSessionDescriptions(withInactive, withInactive)).toEqual([]);
  });

  it('shows a recycled section (new mid at the same position) as removed and added', () => {
    const recycled = CHROME_OFFER.replace('a=mid:1\r\n', 'a=mid:3\r\n').replace(
      'a=group:BUNDLE 0 1 2',
      'a=group:BUNDLE 0 3 2',
    );
    expect(diffSessionDescriptions(CHROME_OFFER, recycled)).toEqual([
      { type: 'bundle-changed', from: ['0', '1', '2'], to: ['0', '3', '2'] },
      { type: 'section-added', index: 1, mid: '3', kind: 'video', direction: 'sendrecv' },
      { type: 'section-removed', index: 1, mid: '1', kind: 'video' },
    ]);
  });

  it('matches sections without a mid by position', () => {
    const previous = 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=sendrecv\r\nm=video 9 RTP/AVP 96\r\n';
    const next = 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=recvonly\r\n';
    expect(diffSessionDescriptions(previous, next)).toEqual([
      { type: 'direction-changed', index: 0, kind: 'audio', from: 'sendrecv', to: 'recvonly' },
      { type: 'section-removed', index: 1, kind: 'video' },
    ]);
  });

  it('reports an ICE ufrag appearing where there was none', () => {
    const previous = 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n';
    const next = 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=ice-ufrag:abcd\r\n';
    expect(diffSessionDescriptions(previous, next)).toEqual([
      { type: 'ice-restart', index: 0, mid: '0', kind: 'audio', from: undefined, to: 'abcd' },
    ]);
  });

  it('compares an offer with its answer from another browser', () => {
    const changes = diffSessionDescriptions(CHROME_OFFER, FIREFOX_ANSWER);
    expect(changes.filter((change) => change.type === 'ice-restart')).toHaveLength(3);
    expect(changes).toContainEqual({
      type: 'direction-changed',
      index: 1,
      mid: '1',
      kind: 'video',
      from: 'sendrecv',
      to: 'recvonly',
    });
    const audioCodecs = changes.find(
      (change) => change.type === 'codecs-changed' && change.mid === '0',
    );
    expect(audioCodecs).toMatchObject({
      added: [],
      removed: [{ name: 'red' }, { name: 'CN' }, { name: 'telephone-event', clockRate: 48000 }],
    });
    expect(changes.some((change) => change.type === 'bundle-changed')).toBe(false);
  });
});
