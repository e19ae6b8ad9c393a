/**
 * The local ICE agent: credentials (new ones on `restartIce()` and for an ICE-restart offer,
 * JSEP §5.2.1/§5.3.1), gathering of host candidates per ICE generation, `icegatheringstatechange`
 * and `icecandidate`; and the `emitIceCandidate` test control.
 * @module
 */

import { FakeRtcPeerConnectionIceEvent } from '../fakeEvents.js';
import { FakeIceCandidate } from '../fakeIceCandidate.js';
import type { FakeSdp } from '../fakeSdp.js';
import { queueTask } from '../queueTask.js';
import { updateNegotiationNeeded } from './negotiationNeeded.js';
import { credentialsOf, ufragOf } from './sdpView.js';
import type { PeerSlots } from './slots.js';

function randomToken(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** webrtc-pc §4.4.1.6 `restartIce()`. */
export function restartIce(pc: PeerSlots): void {
  if (pc.closed) return;
  // webrtc-pc §4.4.1.6 restartIce: the next offer must replace every credential in use.
  for (const description of [pc.currentLocal, pc.pendingLocal]) {
    const ufrag = description === null ? null : ufragOf(description.parsed);
    if (ufrag !== null) pc.iceCredentialsToReplace.add(ufrag);
  }
  updateNegotiationNeeded(pc);
}

/** New credentials when restarting (or never negotiated), else the ones in use. */
export function offerIceCredentials(
  pc: PeerSlots,
  iceRestart: boolean,
): { ufrag: string; pwd: string } {
  const current = pc.pendingLocal ?? pc.currentLocal;
  const inUse = current === null ? null : credentialsOf(current.parsed);
  if (inUse !== null && !iceRestart && pc.iceCredentialsToReplace.size === 0) return inUse;
  if (
    pc.newIceCredentials === null ||
    pc.iceCredentialsToReplace.has(pc.newIceCredentials.ufrag) ||
    pc.newIceCredentials.ufrag === inUse?.ufrag
  ) {
    pc.newIceCredentials = { ufrag: randomToken(4), pwd: randomToken(24) };
  }
  return pc.newIceCredentials;
}

/** JSEP §5.3.1: an answer to an ICE-restart offer carries new credentials too. */
export function answerIceCredentials(
  pc: PeerSlots,
  offer: FakeSdp,
): { ufrag: string; pwd: string } {
  const current = pc.currentLocal === null ? null : credentialsOf(pc.currentLocal.parsed);
  const previousRemote = pc.currentRemote === null ? null : ufragOf(pc.currentRemote.parsed);
  const restart = previousRemote !== null && ufragOf(offer) !== previousRemote;
  if (current !== null && !restart && pc.iceCredentialsToReplace.size === 0) return current;
  return offerIceCredentials(pc, true);
}

/** The ICE ufrag of the local description in force (pending first). */
export function localUfrag(pc: PeerSlots): string | null {
  const description = pc.pendingLocal ?? pc.currentLocal;
  return description === null ? null : ufragOf(description.parsed);
}

/** A local description with the credentials of `parsed` was applied. */
export function afterLocalCredentials(pc: PeerSlots, parsed: FakeSdp): void {
  const ufrag = ufragOf(parsed);
  if (ufrag === null) return;
  if (pc.newIceCredentials?.ufrag === ufrag) pc.newIceCredentials = null;
  // webrtc-pc §4.4.1.5: applying fresh credentials satisfies a pending restartIce().
  if (!pc.iceCredentialsToReplace.has(ufrag)) pc.iceCredentialsToReplace.clear();
}

/** The m-section candidates belong to: the first accepted one, which carries the BUNDLE transport. */
export function firstBundledSection(pc: PeerSlots): { mid: string; index: number } | null {
  const description = pc.pendingLocal ?? pc.currentLocal;
  if (description === null) return null;
  const index = description.parsed.sections.findIndex((s) => s.port !== 0);
  const section = description.parsed.sections[index];
  if (section === undefined) return null;
  return { mid: section.mid ?? String(index), index };
}

/** A new ICE generation starts gathering host candidates: `gathering`, candidates, `complete`. */
export function startGathering(pc: PeerSlots): void {
  const ufrag = localUfrag(pc);
  if (ufrag === null || ufrag === pc.gatheringUfrag) return;
  pc.gatheringUfrag = ufrag;
  if (!pc.options.autoGather) return;
  const current = (): boolean => !pc.closed && pc.gatheringUfrag === ufrag;
  const port = pc.candidatePort;
  pc.candidatePort += 2;
  const candidates = [
    `candidate:1 1 udp 2122260223 127.0.0.1 ${port} typ host generation 0 ufrag ${ufrag}`,
    `candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 ufrag ${ufrag}`,
  ];
  queueTask(() => {
    if (current()) setGatheringState(pc, 'gathering');
  });
  for (const text of candidates) {
    queueTask(() => {
      const first = firstBundledSection(pc);
      if (!current() || first === null) return;
      const candidate = new FakeIceCandidate({
        candidate: text,
        sdpMid: first.mid,
        sdpMLineIndex: first.index,
        usernameFragment: ufrag,
      });
      recordLocalCandidate(pc, ufrag, candidate);
      pc.target.dispatchEvent(new FakeRtcPeerConnectionIceEvent(candidate));
    });
  }
  queueTask(() => {
    if (!current()) return;
    pc.gatheringComplete.add(ufrag);
    // Chromium: the state change to complete comes first, then the null candidate.
    setGatheringState(pc, 'complete');
    if (current()) pc.target.dispatchEvent(new FakeRtcPeerConnectionIceEvent(null));
  });
}

function recordLocalCandidate(pc: PeerSlots, ufrag: string, candidate: FakeIceCandidate): void {
  const list = pc.localCandidates.get(ufrag) ?? [];
  list.push(candidate);
  pc.localCandidates.set(ufrag, list);
}

function setGatheringState(pc: PeerSlots, state: RTCIceGatheringState): void {
  if (pc.iceGatheringState === state) return;
  pc.iceGatheringState = state;
  pc.iceTransport.driveGatheringState(state);
  pc.target.dispatchEvent(new Event('icegatheringstatechange'));
}

/**
 * Test command: fires `icecandidate` for `init` (defaults: the first m-section and the current
 * local ufrag) or, for `null`, completes gathering and fires the end-of-candidates event.
 */
export function emitIceCandidate(pc: PeerSlots, init: RTCIceCandidateInit | null): void {
  if (pc.closed) return;
  if (init === null) {
    const ufrag = localUfrag(pc);
    if (ufrag !== null) pc.gatheringComplete.add(ufrag);
    setGatheringState(pc, 'complete');
    pc.target.dispatchEvent(new FakeRtcPeerConnectionIceEvent(null));
    return;
  }
  const first = firstBundledSection(pc);
  const ufrag = init.usernameFragment ?? localUfrag(pc);
  const candidate = new FakeIceCandidate({
    candidate: init.candidate ?? '',
    sdpMid: init.sdpMid ?? first?.mid ?? '0',
    sdpMLineIndex: init.sdpMLineIndex ?? first?.index ?? 0,
    usernameFragment: ufrag,
  });
  if (ufrag !== null) recordLocalCandidate(pc, ufrag, candidate);
  if (pc.iceGatheringState !== 'gathering') setGatheringState(pc, 'gathering');
  pc.target.dispatchEvent(new FakeRtcPeerConnectionIceEvent(candidate));
}
