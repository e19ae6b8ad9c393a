/**
 * Reading a parsed description the way JSEP does: directions seen from either end, m-sections by
 * mid, and the ICE credentials in use.
 * @module
 */

import type { FakeSdp, FakeSdpDirection, FakeSdpSection } from '../fakeSdp.js';

export const sends = (d: string | null): boolean => d === 'sendrecv' || d === 'sendonly';
export const receives = (d: string | null): boolean => d === 'sendrecv' || d === 'recvonly';

function combine(send: boolean, receive: boolean): FakeSdpDirection {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

/** A direction seen from the other end. */
export function reverse(direction: FakeSdpDirection): FakeSdpDirection {
  return combine(receives(direction), sends(direction));
}

/** What both directions allow. */
export function intersect(a: string, b: string): FakeSdpDirection {
  return combine(sends(a) && sends(b), receives(a) && receives(b));
}

/** The m-section with `mid` (JSEP: the index stands in for a missing mid). */
export function sectionByMid(sdp: FakeSdp, mid: string): FakeSdpSection | undefined {
  return sdp.sections.find((s, i) => (s.mid ?? String(i)) === mid);
}

/** The ICE ufrag and password of the first accepted m-section. */
export function credentialsOf(sdp: FakeSdp): { ufrag: string; pwd: string } | null {
  const section = sdp.sections.find((s) => s.port !== 0 && s.iceUfrag !== null);
  if (section?.iceUfrag == null || section.icePwd === null) return null;
  return { ufrag: section.iceUfrag, pwd: section.icePwd };
}

/** The ICE ufrag of the first accepted m-section: the description's ICE generation. */
export function ufragOf(sdp: FakeSdp): string | null {
  return sdp.sections.find((s) => s.port !== 0 && s.iceUfrag !== null)?.iceUfrag ?? null;
}
