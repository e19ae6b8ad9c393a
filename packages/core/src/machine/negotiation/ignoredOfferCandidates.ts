/**
 * Candidates of an offer this peer ignored, which outlive the ignore. Firefox keeps the ICE
 * credentials of an offer it rolled back (the polite side of a collision): its answer carries the
 * same ufrag as the offer the impolite peer ignored, so the candidates it trickled for that
 * offer's m-lines look current once the answer is applied. The engine refuses them ("Error
 * processing ICE candidate": no such m-line); they are dropped like any ignored offer's
 * (W3C perfect negotiation suppresses them only while ignoring). Seen Chromium impolite ↔
 * Firefox polite in apps/e2e `23-startup-glare-chromium-firefox-10x`.
 * @module
 */
import type { CandidatePayload } from '../../signaling/types.js';
import type { PeerContext } from '../types.js';

function midsOf(sdp: string): string[] {
  return [...sdp.matchAll(/^a=mid:(\S+)/gm)].map((match) => match[1] ?? '');
}

/** A candidate of a ufrag once ignored, for an m-line the remote description does not have. */
export function isCandidateOfIgnoredOffer(
  context: PeerContext,
  candidate: CandidatePayload | null,
  ufrag: string | null,
): boolean {
  const sdp = context.pc?.remoteDescription?.sdp;
  if (!candidate || !ufrag || !sdp || !context.pastRemoteUfrags.includes(ufrag)) return false;
  const mids = midsOf(sdp);
  if (candidate.sdpMid !== null) return !mids.includes(candidate.sdpMid);
  return candidate.sdpMLineIndex !== null && candidate.sdpMLineIndex >= mids.length;
}
