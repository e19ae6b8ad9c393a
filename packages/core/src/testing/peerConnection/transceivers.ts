/**
 * RTP media (webrtc-pc §5): `addTrack` (with transceiver reuse), `removeTrack`,
 * `addTransceiver` and the sender/receiver/transceiver lists.
 * @module
 */

import { domError } from '../domError.js';
import type { FakeTrackKind } from '../fakeMedia.js';
import { FakeRtpSender, FakeRtpTransceiver, rtpState } from '../fakeRtp.js';
import { updateNegotiationNeeded } from './negotiationNeeded.js';
import { closedError, type PeerSlots } from './slots.js';

/** As `RTCPeerConnection.addTrack`, following the spec. */
export function addTrack(
  pc: PeerSlots,
  track: MediaStreamTrack,
  ...streams: MediaStream[]
): RTCRtpSender {
  if (pc.closed) throw closedError();
  const kind = trackKind(track);
  const streamIds = [...new Set(streams.map((s) => s.id))];
  const live = pc.transceivers.filter((t) => !t[rtpState].stopped);
  if (live.some((t) => t.sender.track === track)) {
    throw domError('InvalidAccessError', 'A sender already exists for the track.');
  }
  // webrtc-pc §4.4.2 addTrack: reuse a transceiver that never sent and has no track.
  const reusable = live.find(
    (t) =>
      t[rtpState].kind === kind &&
      t.sender.track === null &&
      !t[rtpState].stopping &&
      !t[rtpState].hasSent,
  );
  if (reusable !== undefined) {
    const state = reusable[rtpState];
    reusable.sender[rtpState].track = track;
    reusable.sender[rtpState].streamIds = streamIds;
    state.createdByRemote = false;
    if (state.direction === 'recvonly') state.direction = 'sendrecv';
    if (state.direction === 'inactive') state.direction = 'sendonly';
    updateNegotiationNeeded(pc);
    return reusable.sender;
  }
  const transceiver = new FakeRtpTransceiver(pc.owner, {
    kind,
    direction: 'sendrecv',
    track,
    streamIds,
    createdByAddTrack: true,
    createdByRemote: false,
  });
  pc.transceivers.push(transceiver);
  updateNegotiationNeeded(pc);
  return transceiver.sender;
}

/** As `RTCPeerConnection.removeTrack`, following the spec. */
export function removeTrack(pc: PeerSlots, sender: RTCRtpSender): void {
  if (pc.closed) throw closedError();
  const transceiver = pc.transceivers.find((t) => t.sender === sender);
  if (transceiver === undefined || !(sender instanceof FakeRtpSender)) {
    throw domError('InvalidAccessError', 'The sender was not created by this peer connection.');
  }
  const state = transceiver[rtpState];
  if (state.stopping || sender.track === null) return;
  sender[rtpState].track = null;
  if (state.direction === 'sendrecv') state.direction = 'recvonly';
  else if (state.direction === 'sendonly') state.direction = 'inactive';
  updateNegotiationNeeded(pc);
}

/** As `RTCPeerConnection.addTransceiver`, following the spec. */
export function addTransceiver(
  pc: PeerSlots,
  trackOrKind: MediaStreamTrack | string,
  init: RTCRtpTransceiverInit = {},
): RTCRtpTransceiver {
  if (pc.closed) throw closedError();
  const track = typeof trackOrKind === 'string' ? null : trackOrKind;
  const kind = track === null ? trackOrKind : track.kind;
  if (kind !== 'audio' && kind !== 'video') {
    throw new TypeError(`Invalid media kind '${String(kind)}'`);
  }
  const direction = init.direction ?? 'sendrecv';
  if (direction === 'stopped') throw new TypeError("Invalid direction 'stopped'");
  const transceiver = new FakeRtpTransceiver(pc.owner, {
    kind,
    direction,
    track,
    streamIds: [...new Set((init.streams ?? []).map((s) => s.id))],
    createdByAddTrack: false,
    createdByRemote: false,
  });
  pc.transceivers.push(transceiver);
  updateNegotiationNeeded(pc);
  return transceiver;
}

/** As `RTCPeerConnection.getSenders`, following the spec. */
export function getSenders(pc: PeerSlots): RTCRtpSender[] {
  return pc.transceivers.filter((t) => !t[rtpState].stopped).map((t) => t.sender);
}

/** As `RTCPeerConnection.getReceivers`, following the spec. */
export function getReceivers(pc: PeerSlots): RTCRtpReceiver[] {
  return pc.transceivers.filter((t) => !t[rtpState].stopped).map((t) => t.receiver);
}

/** As `RTCPeerConnection.getTransceivers`, following the spec. */
export function getTransceivers(pc: PeerSlots): RTCRtpTransceiver[] {
  return [...pc.transceivers];
}

function trackKind(track: MediaStreamTrack): FakeTrackKind {
  if (track.kind !== 'audio' && track.kind !== 'video') {
    throw new TypeError(`Invalid track kind '${track.kind}'`);
  }
  return track.kind;
}

/** The transceiver is stopped for good (its rejection negotiated, or the connection closed). */
export function markStopped(transceiver: FakeRtpTransceiver): void {
  const state = transceiver[rtpState];
  state.stopping = true;
  state.stopped = true;
  state.direction = 'stopped';
  state.currentDirection = 'stopped';
  transceiver.receiver.track.stop();
}
