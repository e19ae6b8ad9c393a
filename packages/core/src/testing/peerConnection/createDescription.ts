/**
 * Creating descriptions (JSEP §5.2 "generating an initial offer", §5.3 "generating an answer"):
 * one m-section per transceiver or data channel, in the order already negotiated, with the
 * directions, msids, codecs and ICE/DTLS attributes Chromium writes.
 * @module
 */

import { domError } from '../domError.js';
import type { FakeTrackKind } from '../fakeMedia.js';
import { type FakeRtpTransceiver, rtpState } from '../fakeRtp.js';
import {
  buildSdp,
  type FakeSdpDirection,
  type FakeSdpInit,
  type FakeSdpMsid,
  type FakeSdpSection,
  type FakeSdpSectionInit,
} from '../fakeSdp.js';
import { answerIceCredentials, offerIceCredentials } from './iceAgent.js';
import { intersect, receives, reverse, sends } from './sdpView.js';
import {
  type CreatedDescription,
  type CreatedOffer,
  DEFAULT_MAX_MESSAGE_SIZE,
  type PeerSlots,
  type SectionOwner,
} from './slots.js';
import { addTransceiver } from './transceivers.js';

/** Legacy `offerToReceiveAudio/Video` (webrtc-pc §11.2), still honoured by Chromium. */
export function applyLegacyOfferOptions(pc: PeerSlots, options: RTCOfferOptions): void {
  const legacy: Array<[FakeTrackKind, boolean | undefined]> = [
    ['audio', options.offerToReceiveAudio],
    ['video', options.offerToReceiveVideo],
  ];
  for (const [kind, wanted] of legacy) {
    if (wanted !== true) continue;
    const ofKind = pc.transceivers.filter(
      (t) => t[rtpState].kind === kind && !t[rtpState].stopping,
    );
    if (ofKind.some((t) => receives(t[rtpState].direction))) continue;
    const sendOnly = ofKind.find((t) => t[rtpState].direction === 'sendonly');
    const inactive = ofKind.find((t) => t[rtpState].direction === 'inactive');
    if (sendOnly !== undefined) sendOnly[rtpState].direction = 'sendrecv';
    else if (inactive !== undefined) inactive[rtpState].direction = 'recvonly';
    else addTransceiver(pc, kind, { direction: 'recvonly' });
  }
}

function freshMid(pc: PeerSlots, used: ReadonlySet<string>): string {
  while (used.has(String(pc.nextMid))) pc.nextMid += 1;
  const mid = String(pc.nextMid);
  pc.nextMid += 1;
  return mid;
}

/**
 * JSEP §5.2: the m-sections already negotiated keep their place, new transceivers and the first
 * data channel add sections with fresh mids.
 */
export function buildOffer(pc: PeerSlots, iceRestart: boolean): CreatedOffer {
  const base = (pc.pendingLocal ?? pc.pendingRemote ?? pc.currentLocal)?.parsed;
  const owners = new Map<string, SectionOwner>();
  const used = new Set<string>();
  const sections: FakeSdpSectionInit[] = [];
  const ice = offerIceCredentials(pc, iceRestart);
  const common = {
    iceUfrag: ice.ufrag,
    icePwd: ice.pwd,
    fingerprint: { algorithm: 'sha-256', value: pc.fingerprint },
    setup: 'actpass' as const,
  };
  const addSection = (mid: string, kind: string, owner: SectionOwner): void => {
    used.add(mid);
    owners.set(mid, owner);
    sections.push({ ...sectionFor(mid, kind, owner, null), ...common });
  };
  base?.sections.forEach((section, index) => {
    const mid = section.mid ?? String(index);
    if (section.kind === 'application') {
      addSection(mid, section.kind, mid === pc.appMid ? 'data' : null);
      return;
    }
    const owner = pc.transceivers.find((t) => t[rtpState].mid === mid) ?? null;
    addSection(mid, section.kind, owner);
  });
  for (const transceiver of pc.transceivers) {
    const state = transceiver[rtpState];
    if (state.stopping || (state.mid !== null && used.has(state.mid))) continue;
    addSection(state.mid ?? freshMid(pc, used), state.kind, transceiver);
  }
  if (pc.dataChannelCreated && (pc.appMid === null || !used.has(pc.appMid))) {
    addSection(pc.appMid ?? freshMid(pc, used), 'application', 'data');
  }
  const init: FakeSdpInit = {
    sessionId: pc.sessionId,
    sessionVersion: pc.sessionVersion++,
    sections,
  };
  return { sdp: buildSdp(init), init, owners };
}

/** One m-section of a local description; `offered` is the remote offer's section. */
function sectionFor(
  mid: string,
  kind: string,
  owner: SectionOwner,
  offered: FakeSdpSection | null,
): FakeSdpSectionInit {
  if (owner === 'data') {
    return { kind: 'application', mid, maxMessageSize: DEFAULT_MAX_MESSAGE_SIZE };
  }
  const codecs = offered !== null && offered.codecs.length > 0 ? { codecs: offered.codecs } : {};
  if (owner === null || owner[rtpState].stopping || owner[rtpState].stopped) {
    // A rejected or stopped section stays in place (JSEP §5.2.2) with port 0.
    return { kind, mid, port: 0, direction: 'inactive', ...codecs };
  }
  const state = owner[rtpState];
  const direction =
    offered === null
      ? intersect(state.direction, 'sendrecv')
      : intersect(state.direction, reverse(offered.direction));
  return { kind, mid, direction, msids: msidsFor(owner, direction), ...codecs };
}

function msidsFor(transceiver: FakeRtpTransceiver, direction: FakeSdpDirection): FakeSdpMsid[] {
  if (!sends(direction)) return [];
  const { streamIds, msidTrackId } = transceiver.sender[rtpState];
  // Chromium writes `a=msid:- <track>` for a sender without streams.
  if (streamIds.length === 0) return [{ streamId: null, trackId: msidTrackId }];
  return streamIds.map((streamId) => ({ streamId, trackId: msidTrackId }));
}

/**
 * JSEP §5.3: one section per offered section, in order; what we cannot accept is rejected
 * with port 0, and our DTLS role is `active` unless the offer took it (RFC 8842).
 */
export function buildAnswer(pc: PeerSlots): CreatedDescription {
  const offer = pc.pendingRemote;
  if (offer === null) throw domError('InvalidStateError', 'No remote offer to answer');
  const ice = answerIceCredentials(pc, offer.parsed);
  const remoteSetup = offer.parsed.sections.find((s) => s.port !== 0)?.setup;
  const setup = remoteSetup === 'active' ? ('passive' as const) : ('active' as const);
  const sections = offer.parsed.sections.map((section, index): FakeSdpSectionInit => {
    const mid = section.mid ?? String(index);
    const common = {
      iceUfrag: ice.ufrag,
      icePwd: ice.pwd,
      fingerprint: { algorithm: 'sha-256', value: pc.fingerprint },
      setup,
    };
    if (section.kind === 'application') {
      const owner = section.port !== 0 && mid === pc.appMid ? 'data' : null;
      return { ...sectionFor(mid, 'application', owner, section), ...common };
    }
    if (section.kind !== 'audio' && section.kind !== 'video') {
      return { kind: section.kind, mid, port: 0, direction: 'inactive', ...common };
    }
    const owner =
      section.port === 0 ? null : (pc.transceivers.find((t) => t[rtpState].mid === mid) ?? null);
    return { ...sectionFor(mid, section.kind, owner, section), ...common };
  });
  const accepted = sections.filter((s) => s.port !== 0).map((s) => s.mid);
  const bundle = accepted.filter((mid) => offer.parsed.bundle.includes(mid));
  const init: FakeSdpInit = {
    sessionId: pc.sessionId,
    sessionVersion: pc.sessionVersion++,
    bundle,
    sections,
  };
  return { sdp: buildSdp(init), init };
}
