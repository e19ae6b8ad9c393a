/**
 * The `RTCSessionDescription`s the connection exposes (`localDescription`, …): a local one carries
 * the candidates gathered so far, as browsers add them to it.
 * @module
 */

import { buildSdp } from '../fakeSdp.js';
import { ufragOf } from './sdpView.js';
import type { LocalDescription, PeerSlots, RemoteDescription } from './slots.js';

/** `RTCSessionDescription`. */
class FakeSessionDescription implements RTCSessionDescription {
  readonly type: RTCSdpType;
  readonly sdp: string;

  constructor(type: RTCSdpType, sdp: string) {
    this.type = type;
    this.sdp = sdp;
  }

  toJSON(): RTCSessionDescriptionInit {
    return { type: this.type, sdp: this.sdp };
  }
}

/** The local description as browsers expose it: gathered candidates included. */
export function describeLocal(
  pc: PeerSlots,
  description: LocalDescription | null,
): RTCSessionDescription | null {
  if (description === null) return null;
  const ufrag = ufragOf(description.parsed);
  const candidates = pc.localCandidates.get(ufrag ?? '') ?? [];
  const complete = ufrag !== null && pc.gatheringComplete.has(ufrag);
  if (candidates.length === 0 && !complete) {
    return new FakeSessionDescription(description.type, description.sdp);
  }
  const firstIndex = description.init.sections.findIndex((s) => (s.port ?? 9) !== 0);
  const sections = description.init.sections.map((section, index) =>
    index === firstIndex
      ? {
          ...section,
          candidates: candidates.map((c) => c.candidate),
          endOfCandidates: complete,
        }
      : section,
  );
  return new FakeSessionDescription(description.type, buildSdp({ ...description.init, sections }));
}

/** The remote description as set. */
export function describeRemote(
  description: RemoteDescription | null,
): RTCSessionDescription | null {
  return description === null
    ? null
    : new FakeSessionDescription(description.type, description.sdp);
}
