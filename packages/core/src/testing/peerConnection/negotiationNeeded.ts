/**
 * webrtc-pc §4.7.3 "update the negotiation-needed flag" and "check if negotiation is needed".
 * @module
 */

import { rtpState } from '../fakeRtp.js';
import { queueTask } from '../queueTask.js';
import { intersect, reverse, sectionByMid, sends } from './sdpView.js';
import type { LocalDescription, PeerSlots } from './slots.js';

/**
 * webrtc-pc §4.7.3 "update the negotiation-needed flag", as Chromium implements it: the flag
 * is set at once and the event fires from a task that first re-validates it (still the
 * latest event, operations chain empty, signaling state stable, still needed).
 */
export function updateNegotiationNeeded(pc: PeerSlots): void {
  if (pc.closed || pc.signalingState !== 'stable') return;
  if (!checkNegotiationNeeded(pc)) {
    pc.negotiationNeeded = false;
    pc.negotiationNeededEventId += 1;
    return;
  }
  if (pc.negotiationNeeded) return;
  pc.negotiationNeeded = true;
  queueNegotiationNeededEvent(pc);
}

/** Queues the `negotiationneeded` task, which re-validates the flag before firing. */
export function queueNegotiationNeededEvent(pc: PeerSlots): void {
  pc.negotiationNeededEventId += 1;
  const eventId = pc.negotiationNeededEventId;
  queueTask(() => {
    if (pc.closed || eventId !== pc.negotiationNeededEventId) return;
    if (pc.operations.length > 0) {
      // Re-checked when the chain empties; the flag is cleared so that check fires again.
      pc.negotiationNeeded = false;
      pc.updateNegotiationNeededOnEmptyChain = true;
      return;
    }
    if (pc.signalingState !== 'stable') return;
    if (!checkNegotiationNeeded(pc)) {
      pc.negotiationNeeded = false;
      return;
    }
    pc.target.dispatchEvent(new Event('negotiationneeded'));
  });
}

/** webrtc-pc §4.7.3 "check if negotiation is needed". */
function checkNegotiationNeeded(pc: PeerSlots): boolean {
  if (pc.iceCredentialsToReplace.size > 0) return true;
  const local = pc.currentLocal;
  const remote = pc.currentRemote;
  const channelNeeded = pc.dataChannelCreated;
  if (channelNeeded && !hasNegotiatedApplication(local)) return true;
  for (const transceiver of pc.transceivers) {
    const state = transceiver[rtpState];
    if (state.stopping && !state.stopped) return true;
    if (state.stopped) continue;
    if (state.mid === null) return true;
    if (local === null || remote === null) continue;
    const section = sectionByMid(local.parsed, state.mid);
    const remoteSection = sectionByMid(remote.parsed, state.mid);
    if (section === undefined || remoteSection === undefined) continue;
    if (sends(state.direction)) {
      const negotiated = section.msids
        .map((m) => m.streamId)
        .filter((id): id is string => id !== null);
      const wanted = transceiver.sender[rtpState].streamIds;
      if (
        section.msids.length === 0 ||
        negotiated.length !== wanted.length ||
        negotiated.some((id) => !wanted.includes(id))
      ) {
        return true;
      }
    }
    if (local.type === 'offer') {
      // The remote answer's direction is reversed to represent the peer's point of view.
      if (
        section.direction !== state.direction &&
        reverse(remoteSection.direction) !== state.direction
      ) {
        return true;
      }
    } else if (section.direction !== intersect(state.direction, reverse(remoteSection.direction))) {
      return true;
    }
  }
  return false;
}

function hasNegotiatedApplication(local: LocalDescription | null): boolean {
  return local?.parsed.sections.some((s) => s.kind === 'application' && s.port !== 0) ?? false;
}
