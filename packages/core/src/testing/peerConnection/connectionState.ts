/**
 * The ICE agent's view of connectivity and what follows from it (webrtc-pc §4.3.3 "update the
 * connection state"): `iceConnectionState`, the DTLS transport, `connectionState`, the selected
 * candidate pair, `close()`; and the test controls that drive them (`setConnectionState`,
 * `failDtls`).
 * @module
 */

import { FakeIceCandidate } from '../fakeIceCandidate.js';
import { sctpConnected } from './dataChannels.js';
import { firstBundledSection, localUfrag } from './iceAgent.js';
import { scheduleUnmute } from './remoteTracks.js';
import type { PeerSlots } from './slots.js';
import { markStopped } from './transceivers.js';

/** The states {@link FakePeerConnection.setConnectionState} accepts (`close()` closes). */
export type FakeConnectionState = Exclude<RTCPeerConnectionState, 'closed'>;

/**
 * Test command: sets `connectionState` and the matching `iceConnectionState` (`connecting` ↔
 * `checking`) and fires their change events, as the ICE agent would. Use it on a connection
 * that is not linked to a fake network.
 */
export function setConnectionState(pc: PeerSlots, state: FakeConnectionState): void {
  const ice: Record<FakeConnectionState, RTCIceConnectionState> = {
    new: 'new',
    connecting: 'checking',
    connected: 'connected',
    disconnected: 'disconnected',
    failed: 'failed',
  };
  driveIceState(pc, ice[state]);
}

/**
 * Test command: the DTLS transport fails (a fatal alert, or an engine giving up on it after a
 * long outage, as Firefox does) while ICE carries on: `connectionState` becomes and stays
 * `failed` with `iceConnectionState` unchanged, the SCTP transport closes, data channels fail
 * and remote tracks mute. No ICE restart revives it; only a new peer connection does. The
 * remote side notices nothing (as Chromium facing a Firefox whose DTLS died).
 */
export function failDtls(pc: PeerSlots): void {
  if (pc.closed || pc.dtlsFailed) return;
  pc.dtlsFailed = true;
  pc.dtlsTransport.driveState('failed');
  pc.sctp?.driveState('closed');
  for (const channel of pc.dataChannels) channel.simulateError('DTLS transport failed');
  for (const transceiver of pc.transceivers) transceiver.receiver.track.simulateMute();
  if (pc.connectionState !== 'failed') {
    pc.connectionState = 'failed';
    if (pc.options.connectionState) pc.target.dispatchEvent(new Event('connectionstatechange'));
  }
}

/**
 * The ICE agent reached `ice`: the transports, `iceConnectionState` and the derived
 * `connectionState` follow (webrtc-pc §4.3.3), each with its change event.
 */
export function driveIceState(pc: PeerSlots, ice: RTCIceConnectionState): void {
  if (pc.closed || ice === 'closed') return;
  const connected = ice === 'connected' || ice === 'completed';
  if (ice === 'checking' && pc.dtlsTransport.state === 'new') {
    pc.dtlsTransport.driveState('connecting');
  }
  pc.iceTransport.driveState(ice);
  if (connected) {
    pc.iceTransport.driveSelectedPair(
      pc.iceTransport.getSelectedCandidatePair() ?? candidatePair(pc),
    );
  }
  if (pc.iceConnectionState !== ice) {
    pc.iceConnectionState = ice;
    pc.target.dispatchEvent(new Event('iceconnectionstatechange'));
  }
  if (connected && !pc.dtlsFailed && pc.dtlsTransport.state !== 'connected') {
    pc.dtlsTransport.driveState('connected');
  }
  const derived: Record<Exclude<RTCIceConnectionState, 'closed'>, RTCPeerConnectionState> = {
    new: 'new',
    checking: 'connecting',
    connected: 'connected',
    completed: 'connected',
    disconnected: 'disconnected',
    failed: 'failed',
  };
  // A failed transport makes the connection failed, whatever ICE does (as in the spec).
  const next = pc.dtlsFailed ? 'failed' : derived[ice];
  if (pc.connectionState !== next) {
    pc.connectionState = next;
    if (pc.options.connectionState) pc.target.dispatchEvent(new Event('connectionstatechange'));
  }
  if (connected && !pc.dtlsFailed) {
    pc.everConnected = true;
    sctpConnected(pc);
    scheduleUnmute(pc);
  }
}

function candidatePair(pc: PeerSlots): RTCIceCandidatePair {
  const first = firstBundledSection(pc);
  const local = pc.localCandidates.get(localUfrag(pc) ?? '')?.[0];
  const remote = pc.addedRemoteCandidates.at(-1);
  const fallback = (address: string): FakeIceCandidate =>
    new FakeIceCandidate({
      candidate: `candidate:1 1 udp 2122260223 ${address} 9 typ host generation 0`,
      sdpMid: first?.mid ?? '0',
      sdpMLineIndex: first?.index ?? 0,
    });
  return {
    local: local ?? fallback('127.0.0.1'),
    remote: remote === undefined ? fallback('127.0.0.2') : new FakeIceCandidate(remote),
  };
}

/**
 * webrtc-pc §4.4.1.6 close: everything moves to closed *without* firing events, pending
 * operations never settle, transceivers stop and receiver tracks end silently.
 */
export function closeConnection(pc: PeerSlots): void {
  pc.closed = true;
  pc.signalingState = 'closed';
  for (const transceiver of pc.transceivers) markStopped(transceiver);
  for (const channel of pc.dataChannels) channel.driveAbort();
  pc.sctp?.driveState('closed', false);
  pc.dtlsTransport.driveState('closed', false);
  pc.iceTransport.driveState('closed', false);
  pc.iceConnectionState = 'closed';
  pc.connectionState = 'closed';
}
