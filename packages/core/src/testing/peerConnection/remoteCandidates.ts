/**
 * webrtc-pc §4.4.1.6 `addIceCandidate`: a remote candidate names its m-section and ICE generation
 * (ufrag) of the remote description; it is recorded for the fake network.
 * @module
 */

import { domError } from '../domError.js';
import { parseIceCandidate } from '../fakeIceCandidate.js';
import { rtpState } from '../fakeRtp.js';
import type { FakeSdp } from '../fakeSdp.js';
import { nextTask } from '../queueTask.js';
import { chain } from './operationsChain.js';
import type { PeerSlots } from './slots.js';

/** As `RTCPeerConnection.addIceCandidate`, following the spec. */
export function addIceCandidate(
  pc: PeerSlots,
  candidate?: RTCIceCandidateInit | null,
): Promise<void> {
  const init = candidate ?? {};
  const text = init.candidate ?? '';
  const sdpMid = init.sdpMid ?? null;
  const sdpMLineIndex = init.sdpMLineIndex ?? null;
  // webrtc-pc §4.4.1.6 addIceCandidate step 3: a candidate must name its m-section.
  if (text !== '' && sdpMid === null && sdpMLineIndex === null) {
    return Promise.reject(
      new TypeError('Candidate missing values for both sdpMid and sdpMLineIndex'),
    );
  }
  return chain(pc, async () => {
    await nextTask();
    const remote = pc.pendingRemote ?? pc.currentRemote;
    if (remote === null) {
      throw domError('InvalidStateError', 'The remote description was null');
    }
    const sections = remote.parsed.sections;
    let index: number | null = null;
    if (sdpMid !== null) {
      index = sections.findIndex((s, i) => (s.mid ?? String(i)) === sdpMid);
      if (index === -1) throw domError('OperationError', `Unknown sdpMid '${sdpMid}'`);
    } else if (sdpMLineIndex !== null) {
      if (sdpMLineIndex >= sections.length) {
        throw domError('OperationError', `sdpMLineIndex ${sdpMLineIndex} is out of range`);
      }
      index = sdpMLineIndex;
    }
    if (index !== null && isRejectedSection(pc, remote.parsed, index)) return;
    const ufrag = init.usernameFragment ?? parseIceCandidate(text)?.usernameFragment ?? null;
    if (ufrag !== null && !remoteHasUfrag(pc, ufrag, index)) {
      throw domError('OperationError', `Unknown ufrag '${ufrag}'`);
    }
    if (text === '') return;
    if (parseIceCandidate(text) === null) {
      throw domError('OperationError', 'Error processing ICE candidate');
    }
    const mid = sdpMid ?? sections[index ?? 0]?.mid ?? null;
    pc.addedRemoteCandidates.push({
      candidate: text,
      sdpMid: mid,
      sdpMLineIndex: index,
      usernameFragment: ufrag,
    });
    pc.link?.changed();
  });
}

function isRejectedSection(pc: PeerSlots, sdp: FakeSdp, index: number): boolean {
  const section = sdp.sections[index];
  if (section === undefined || section.port === 0) return true;
  const mid = section.mid ?? String(index);
  const transceiver = pc.transceivers.find((t) => t[rtpState].mid === mid);
  return transceiver?.[rtpState].stopped === true;
}

function remoteHasUfrag(pc: PeerSlots, ufrag: string, index: number | null): boolean {
  return [pc.pendingRemote, pc.currentRemote].some((description) => {
    if (description === null) return false;
    const sections =
      index === null ? description.parsed.sections : [description.parsed.sections[index]];
    return sections.some((s) => s?.iceUfrag === ufrag);
  });
}
