/**
 * webrtc-pc §4.4.1.5 rollback: the state saved when leaving `stable` and restoring it.
 * @module
 */

import { domError } from '../domError.js';
import { type FakeRtpTransceiver, rtpState } from '../fakeRtp.js';
import { finishNegotiation } from './finishNegotiation.js';
import { noTrackChanges, removeRemoteTrack } from './remoteTracks.js';
import { receives } from './sdpView.js';
import type { PeerSlots, TransceiverSnapshot } from './slots.js';

/** Saves what a rollback restores, when leaving `stable`. */
export function snapshotForRollback(pc: PeerSlots): void {
  if (pc.signalingState !== 'stable') return;
  const transceivers = new Map<FakeRtpTransceiver, TransceiverSnapshot>();
  for (const t of pc.transceivers) {
    const state = t[rtpState];
    transceivers.set(t, {
      mid: state.mid,
      firedDirection: state.firedDirection,
      remoteStreams: [...state.remoteStreams],
      remoteTrackIds: [...state.remoteTrackIds],
      stopping: state.stopping,
    });
  }
  pc.rollback = { transceivers, appMid: pc.appMid };
}

/** webrtc-pc §4.4.1.5 rollback: restores the state before the pending offer. */
export function applyRollback(pc: PeerSlots): void {
  const state = pc.signalingState;
  if (state !== 'have-local-offer' && state !== 'have-remote-offer') {
    throw domError('InvalidStateError', `Cannot rollback in signalingState '${state}'`);
  }
  const changes = noTrackChanges();
  const snapshot = pc.rollback;
  const kept: FakeRtpTransceiver[] = [];
  for (const transceiver of pc.transceivers) {
    const before = snapshot?.transceivers.get(transceiver);
    const t = transceiver[rtpState];
    if (receives(t.firedDirection) && !receives(before?.firedDirection ?? null)) {
      removeRemoteTrack(transceiver, changes);
    }
    if (before === undefined) {
      // Created by the remote offer being rolled back: gone unless addTrack claimed it.
      if (t.createdByRemote) {
        transceiver.receiver.track.stop();
        continue;
      }
      t.mid = null;
    } else {
      t.mid = before.mid;
      t.firedDirection = before.firedDirection;
      t.remoteStreams = [...before.remoteStreams];
      t.remoteTrackIds = [...before.remoteTrackIds];
      if (t.stopping && !before.stopping && !t.stopped) {
        t.stopping = false;
        t.direction = 'recvonly';
      }
    }
    kept.push(transceiver);
  }
  pc.transceivers = kept;
  pc.appMid = snapshot?.appMid ?? pc.appMid;
  pc.pendingLocal = null;
  pc.pendingRemote = null;
  pc.rollback = null;
  finishNegotiation(pc, 'stable', changes);
}
