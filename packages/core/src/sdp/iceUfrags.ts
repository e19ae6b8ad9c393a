/**
 * Every distinct `a=ice-ufrag` value in the description, in order (session level first, then
 * each m-section's). A line scan rather than `parseSdp`: the machine calls it on every
 * description, and it keeps the full parser out of the main entry.
 */
export function iceUfragsOf(sdp: string): string[] {
  const ufrags = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.startsWith('a=ice-ufrag:')) continue;
    const ufrag = line.slice('a=ice-ufrag:'.length).trim();
    if (ufrag) ufrags.add(ufrag);
  }
  return [...ufrags];
}
