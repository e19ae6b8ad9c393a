/**
 * Applying a description (webrtc-pc §4.4.1.5 "set the session description"): local and remote
 * offers and answers (pranswers included) associate transceivers with m-sections (JSEP §5.10),
 * update their directions and remote tracks, and move the signaling state.
 * @module
 */

import { FakeRtpTransceiver, rtpState } from '../fakeRtp.js';
import { parseSdp } from '../fakeSdp.js';
import { negotiateSctp } from './dataChannels.js';
import { finishNegotiation, setSignalingState } from './finishNegotiation.js';
import { afterLocalCredentials, startGathering } from './iceAgent.js';
import { noTrackChanges, processRemoteTrack, removeRemoteTrack } from './remoteTracks.js';
import { snapshotForRollback } from './rollback.js';
import { receives, reverse, sends } from './sdpView.js';
import type {
  CreatedDescription,
  CreatedOffer,
  LocalDescription,
  PeerSlots,
  RemoteDescription,
} from './slots.js';
import { markStopped } from './transceivers.js';

/** `setLocalDescription(offer)`: transceivers take the mids of the offer, gathering starts. */
export function applyLocalOffer(pc: PeerSlots, offer: CreatedOffer): void {
  snapshotForRollback(pc);
  for (const [mid, owner] of offer.owners) {
    if (owner === 'data') pc.appMid = mid;
    else if (owner !== null && owner[rtpState].mid === null) owner[rtpState].mid = mid;
    if (owner !== null && owner !== 'data') owner.sender[rtpState].transport = pc.dtlsTransport;
    if (owner !== null && owner !== 'data') owner.receiver[rtpState].transport = pc.dtlsTransport;
  }
  pc.pendingLocal = {
    type: 'offer',
    sdp: offer.sdp,
    parsed: parseSdp(offer.sdp),
    init: offer.init,
  };
  afterLocalCredentials(pc, pc.pendingLocal.parsed);
  setSignalingState(pc, 'have-local-offer');
  startGathering(pc);
  pc.link?.changed();
}

/**
 * `setLocalDescription(answer | pranswer)`: directions and remote tracks follow our answer;
 * a final answer makes both descriptions current.
 */
export function applyLocalAnswer(
  pc: PeerSlots,
  type: RTCSdpType,
  answer: CreatedDescription,
): void {
  const parsed = parseSdp(answer.sdp);
  const description: LocalDescription = { type, sdp: answer.sdp, parsed, init: answer.init };
  const changes = noTrackChanges();
  parsed.sections.forEach((section, index) => {
    const mid = section.mid ?? String(index);
    if (section.kind === 'application') return;
    const transceiver = pc.transceivers.find((t) => t[rtpState].mid === mid);
    if (transceiver === undefined) return;
    const state = transceiver[rtpState];
    transceiver.sender[rtpState].transport = pc.dtlsTransport;
    transceiver.receiver[rtpState].transport = pc.dtlsTransport;
    // webrtc-pc §4.4.1.5: our answer no longer receiving ends the remote track's flow.
    if (receives(state.firedDirection) && !receives(section.direction)) {
      removeRemoteTrack(transceiver, changes);
    }
    if (type === 'answer') {
      state.firedDirection = section.direction;
      if (section.port === 0) markStopped(transceiver);
      else {
        state.currentDirection = section.direction;
        if (sends(section.direction)) state.hasSent = true;
      }
    }
  });
  afterLocalCredentials(pc, parsed);
  if (type === 'answer') {
    pc.currentLocal = description;
    pc.currentRemote = pc.pendingRemote;
    pc.pendingLocal = null;
    pc.pendingRemote = null;
    if (pc.currentRemote !== null) negotiateSctp(pc, parsed, pc.currentRemote.parsed);
    finishNegotiation(pc, 'stable', changes);
  } else {
    pc.pendingLocal = description;
    finishNegotiation(pc, 'have-local-pranswer', changes);
  }
  startGathering(pc);
}

/**
 * `setRemoteDescription(offer)`: each offered media section finds or creates its transceiver
 * (JSEP §5.10), a rejected one stops it, and remote tracks follow the offer's msids.
 */
export function applyRemoteOffer(pc: PeerSlots, offer: RemoteDescription): void {
  snapshotForRollback(pc);
  const changes = noTrackChanges();
  offer.parsed.sections.forEach((section, index) => {
    const mid = section.mid ?? String(index);
    if (section.kind === 'application') {
      if (section.port !== 0) pc.appMid = mid;
      return;
    }
    if (section.kind !== 'audio' && section.kind !== 'video') return;
    let transceiver = pc.transceivers.find((t) => t[rtpState].mid === mid);
    if (transceiver === undefined && section.port !== 0) {
      // JSEP §5.10: an unassociated addTrack transceiver of the same kind takes the section.
      transceiver = receives(section.direction)
        ? pc.transceivers.find(
            (t) =>
              t[rtpState].createdByAddTrack &&
              t[rtpState].mid === null &&
              !t[rtpState].stopping &&
              t[rtpState].kind === section.kind,
          )
        : undefined;
      if (transceiver === undefined) {
        transceiver = new FakeRtpTransceiver(pc.owner, {
          kind: section.kind,
          direction: 'recvonly',
          track: null,
          streamIds: [],
          createdByAddTrack: false,
          createdByRemote: true,
        });
        pc.transceivers.push(transceiver);
      }
      transceiver[rtpState].mid = mid;
    }
    if (transceiver === undefined) return;
    transceiver.sender[rtpState].transport = pc.dtlsTransport;
    transceiver.receiver[rtpState].transport = pc.dtlsTransport;
    if (section.port === 0) {
      removeRemoteTrack(transceiver, changes);
      transceiver[rtpState].stopping = true;
      transceiver[rtpState].direction = 'stopped';
      transceiver.receiver.track.stop();
      return;
    }
    processRemoteTrack(pc, transceiver, reverse(section.direction), section.msids, changes);
  });
  pc.pendingRemote = offer;
  finishNegotiation(pc, 'have-remote-offer', changes);
}

/**
 * `setRemoteDescription(answer | pranswer)`: directions and remote tracks follow the answer; a
 * final answer makes both descriptions current and negotiates SCTP.
 */
export function applyRemoteAnswer(pc: PeerSlots, answer: RemoteDescription): void {
  const changes = noTrackChanges();
  const final = answer.type === 'answer';
  answer.parsed.sections.forEach((section, index) => {
    const mid = section.mid ?? String(index);
    const transceiver = pc.transceivers.find((t) => t[rtpState].mid === mid);
    if (section.kind === 'application' || transceiver === undefined) return;
    const state = transceiver[rtpState];
    if (section.port === 0) {
      removeRemoteTrack(transceiver, changes);
      if (final) markStopped(transceiver);
      return;
    }
    const direction = reverse(section.direction);
    processRemoteTrack(pc, transceiver, direction, section.msids, changes);
    if (final) {
      state.currentDirection = direction;
      if (sends(direction)) state.hasSent = true;
    }
  });
  if (final) {
    pc.currentLocal = pc.pendingLocal;
    pc.currentRemote = answer;
    pc.pendingLocal = null;
    pc.pendingRemote = null;
    if (pc.currentLocal !== null) negotiateSctp(pc, pc.currentLocal.parsed, answer.parsed);
    finishNegotiation(pc, 'stable', changes);
  } else {
    pc.pendingRemote = answer;
    finishNegotiation(pc, 'have-remote-pranswer', changes);
  }
}
