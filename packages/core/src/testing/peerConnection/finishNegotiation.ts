/**
 * The end of webrtc-pc §4.4.1.5 "set the session description": the new signaling state, the
 * remote track changes and `track` events, then the negotiation-needed flag.
 * @module
 */

import { FakeMediaStreamTrackEvent, FakeRtcTrackEvent } from '../fakeEvents.js';
import { rtpState } from '../fakeRtp.js';
import { queueNegotiationNeededEvent, updateNegotiationNeeded } from './negotiationNeeded.js';
import { scheduleUnmute, type TrackChanges } from './remoteTracks.js';
import type { PeerSlots } from './slots.js';

/** The end of "set the session description": state, events, then negotiation-needed. */
export function finishNegotiation(
  pc: PeerSlots,
  next: RTCSignalingState,
  changes: TrackChanges,
): void {
  if (next === 'stable') {
    pc.rollback = null;
    // webrtc-pc §4.4.1.5: stopped transceivers disappear once their rejection is negotiated.
    pc.transceivers = pc.transceivers.filter((t) => {
      const state = t[rtpState];
      if (state.stopped) return false;
      if (state.stopping && state.mid === null) {
        state.stopped = true;
        return false;
      }
      return true;
    });
  }
  const wasNeeded = pc.negotiationNeeded;
  setSignalingState(pc, next);
  for (const transceiver of changes.mute) transceiver.receiver.track.simulateMute();
  for (const [stream, track] of changes.remove) {
    if (stream.getTrackById(track.id) === null) continue;
    stream.removeTrack(track);
    stream.dispatchEvent(new FakeMediaStreamTrackEvent('removetrack', track));
  }
  for (const [stream, track] of changes.add) {
    if (stream.getTrackById(track.id) !== null) continue;
    stream.addTrack(track);
    stream.dispatchEvent(new FakeMediaStreamTrackEvent('addtrack', track));
  }
  for (const transceiver of changes.events) {
    if (pc.closed) return;
    pc.target.dispatchEvent(
      new FakeRtcTrackEvent({
        track: transceiver.receiver.track,
        streams: transceiver[rtpState].remoteStreams,
        receiver: transceiver.receiver,
        transceiver,
      }),
    );
  }
  if (pc.signalingState === 'stable') {
    updateNegotiationNeeded(pc);
    // webrtc-pc §4.4.1.5: still needed after this negotiation → fire again.
    if (wasNeeded && pc.negotiationNeeded) queueNegotiationNeededEvent(pc);
  }
  scheduleUnmute(pc);
  pc.link?.changed();
}

/** Moves to `next`, firing `signalingstatechange` on a change. */
export function setSignalingState(pc: PeerSlots, next: RTCSignalingState): void {
  if (pc.signalingState === next) return;
  pc.signalingState = next;
  pc.target.dispatchEvent(new Event('signalingstatechange'));
}
