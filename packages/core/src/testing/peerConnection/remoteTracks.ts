/**
 * Remote tracks (webrtc-pc §4.4.1.5 "process the addition/removal of a remote track"): which
 * remote streams a receiver's track belongs to, the changes a description makes to them, and
 * unmuting once media would flow.
 * @module
 */

import { FakeMediaStream } from '../fakeMedia.js';
import { type FakeRtpTransceiver, rtpState } from '../fakeRtp.js';
import type { FakeSdpDirection, FakeSdpMsid } from '../fakeSdp.js';
import { queueTask } from '../queueTask.js';
import { intersect, receives } from './sdpView.js';
import type { PeerSlots } from './slots.js';

/** Remote-track changes of one description, applied after `signalingstatechange`. */
export interface TrackChanges {
  readonly mute: FakeRtpTransceiver[];
  readonly remove: Array<[FakeMediaStream, MediaStreamTrack]>;
  readonly add: Array<[FakeMediaStream, MediaStreamTrack]>;
  readonly events: FakeRtpTransceiver[];
}

/** An empty change set, for one description to fill. */
export function noTrackChanges(): TrackChanges {
  return { mute: [], remove: [], add: [], events: [] };
}

/**
 * webrtc-pc §4.4.1.5 "set the associated remote streams" and "process the addition/removal
 * of a remote track". `direction` is the transceiver's receive view of the m-section.
 */
export function processRemoteTrack(
  pc: PeerSlots,
  transceiver: FakeRtpTransceiver,
  direction: FakeSdpDirection,
  msids: readonly FakeSdpMsid[],
  changes: TrackChanges,
): void {
  const state = transceiver[rtpState];
  if (!receives(direction)) {
    if (receives(state.firedDirection)) removeRemoteTrack(transceiver, changes);
    state.firedDirection = direction;
    return;
  }
  // The remote sender no longer announces any msid: Chromium treats the track as removed.
  if (msids.length === 0 && state.remoteTrackIds.length > 0 && receives(state.firedDirection)) {
    removeRemoteTrack(transceiver, changes);
    state.firedDirection = 'inactive';
    return;
  }
  const track = transceiver.receiver.track;
  const streamIds = [
    ...new Set(msids.map((m) => m.streamId).filter((id): id is string => id !== null)),
  ];
  const streams = streamIds.map((id) => remoteStream(pc, id));
  const added = streams.filter((s) => !state.remoteStreams.includes(s));
  for (const stream of state.remoteStreams) {
    if (!streams.includes(stream)) changes.remove.push([stream, track]);
  }
  for (const stream of added) changes.add.push([stream, track]);
  state.remoteStreams = streams;
  state.remoteTrackIds = msids.map((m) => m.trackId);
  if (!receives(state.firedDirection) || added.length > 0) changes.events.push(transceiver);
  state.firedDirection = direction;
}

/** The remote track of `transceiver` is gone: it mutes and leaves its streams. */
export function removeRemoteTrack(transceiver: FakeRtpTransceiver, changes: TrackChanges): void {
  const state = transceiver[rtpState];
  changes.mute.push(transceiver);
  for (const stream of state.remoteStreams)
    changes.remove.push([stream, transceiver.receiver.track]);
  state.remoteStreams = [];
  state.remoteTrackIds = [];
  state.firedDirection = intersect(state.firedDirection ?? 'inactive', 'sendonly');
}

function remoteStream(pc: PeerSlots, id: string): FakeMediaStream {
  let stream = pc.remoteStreams.get(id);
  if (stream === undefined) {
    stream = new FakeMediaStream([], { id });
    pc.remoteStreams.set(id, stream);
  }
  return stream;
}

/** Receiver tracks unmute once connected and the remote sends, as when RTP arrives. */
export function scheduleUnmute(pc: PeerSlots): void {
  if (pc.connectionState !== 'connected') return;
  queueTask(() => {
    if (pc.closed || pc.connectionState !== 'connected') return;
    for (const transceiver of pc.transceivers) {
      if (receives(transceiver[rtpState].firedDirection))
        transceiver.receiver.track.simulateUnmute();
    }
  });
}
