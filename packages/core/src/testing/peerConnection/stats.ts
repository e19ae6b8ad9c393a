/**
 * webrtc-pc §8 `getStats`: the stats report Chromium produces for this connection (webrtc-stats
 * types `peer-connection`, `transport`, `candidate-pair`, `inbound-rtp`, `outbound-rtp`).
 * @module
 */

import { domError } from '../domError.js';
import { rtpState } from '../fakeRtp.js';
import { nextTask } from '../queueTask.js';
import { localUfrag } from './iceAgent.js';
import { receives, sends } from './sdpView.js';
import type { PeerSlots } from './slots.js';

/** As `RTCPeerConnection.getStats`, following the spec. */
export async function getStats(
  pc: PeerSlots,
  selector: MediaStreamTrack | null = null,
): Promise<RTCStatsReport> {
  if (selector !== null) {
    const known = pc.transceivers.some(
      (t) => t.sender.track === selector || t.receiver.track === selector,
    );
    if (!known) throw domError('InvalidAccessError', 'The track is not used by this connection');
  }
  await nextTask();
  const timestamp = performance.timeOrigin + performance.now();
  const report = new Map<string, Record<string, unknown>>();
  const add = (entry: Record<string, unknown> & { id: string }): void => {
    report.set(entry.id, { timestamp, ...entry });
  };
  if (selector === null) {
    add({
      id: 'P',
      type: 'peer-connection',
      dataChannelsOpened: pc.dataChannelsOpened,
      dataChannelsClosed: pc.dataChannels.filter((c) => c.readyState === 'closed').length,
    });
    add({
      id: 'T01',
      type: 'transport',
      dtlsState: pc.dtlsTransport.state,
      iceState: pc.iceTransport.state,
      iceLocalUsernameFragment: localUfrag(pc) ?? '',
      selectedCandidatePairId: pc.everConnected ? 'CP01' : undefined,
      bytesSent: 0,
      bytesReceived: 0,
    });
    if (pc.everConnected) {
      add({
        id: 'CP01',
        type: 'candidate-pair',
        transportId: 'T01',
        localCandidateId: 'L01',
        remoteCandidateId: 'R01',
        state: pc.iceConnectionState === 'failed' ? 'failed' : 'succeeded',
        nominated: true,
        currentRoundTripTime: pc.roundTripTime,
        totalRoundTripTime: pc.roundTripTime,
        responsesReceived: 1,
        availableOutgoingBitrate: 3_000_000,
      });
    }
  }
  for (const t of pc.transceivers) {
    const state = t[rtpState];
    if (state.mid === null || state.stopped) continue;
    if (receives(state.firedDirection) && (selector === null || selector === t.receiver.track)) {
      add({
        id: `IT${state.mid}`,
        type: 'inbound-rtp',
        kind: state.kind,
        mid: state.mid,
        trackIdentifier: t.receiver.track.id,
        transportId: 'T01',
        packetsReceived: 0,
        bytesReceived: 0,
        packetsLost: 0,
        jitter: 0,
      });
    }
    const track = t.sender.track;
    if (
      sends(state.currentDirection) &&
      track !== null &&
      (selector === null || selector === track)
    ) {
      add({
        id: `OT${state.mid}`,
        type: 'outbound-rtp',
        kind: state.kind,
        mid: state.mid,
        transportId: 'T01',
        packetsSent: 0,
        bytesSent: 0,
      });
    }
  }
  // A Map is what browsers return (RTCStatsReport is a maplike); only the DOM typing differs.
  return report as unknown as RTCStatsReport;
}
