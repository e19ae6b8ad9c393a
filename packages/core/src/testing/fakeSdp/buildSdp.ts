/**
 * Writing a session description the way Chromium does (BUNDLE, rtcp-mux, trickle ICE, one
 * `a=msid` per sending stream, SCTP data channels).
 * @module
 */

import type {
  FakeSdpCodec,
  FakeSdpFingerprint,
  FakeSdpInit,
  FakeSdpSectionInit,
} from './sdpDescription.js';

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
