/**
 * Which timeline rows show: by kind, by region of the statechart, and by text.
 * @module
 */
import type { EntryKind, PeerRecord, SessionEntry } from '@peerstatejs/core/recorder';
import { eventLabel } from '../diagram/machineGraph.js';
import { summarize } from '../panels/format.js';

export interface TimelineFilter {
  readonly kinds: ReadonlySet<EntryKind>;
  /** A state id (a region, say): only transitions in it and the events that caused them. */
  readonly region: string | null;
  /** Matched, case-insensitive, against the event, its label and the row's summary. */
  readonly query: string;
}

function inRegion(entry: SessionEntry, region: string): boolean {
  const detail = entry.detail;
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return false;
  const ids = [detail.from, ...(Array.isArray(detail.to) ? detail.to : [])];
  return ids.some((id) => typeof id === 'string' && (id === region || id.startsWith(`${region}.`)));
}

export function rowText(entry: SessionEntry): string {
  return `${entry.type} ${eventLabel(entry.type)} ${summarize(entry, 400)}`.toLowerCase();
}

/** The rows of one peer the filter keeps, in the recording's (the machine's) order. */
export function filterEntries(peer: PeerRecord, filter: TimelineFilter): SessionEntry[] {
  const { region } = filter;
  let keep: Set<number> | null = null;
  if (region) {
    keep = new Set();
    // An event's transitions follow its row: keep the event of a transition in the region.
    let event: SessionEntry | undefined;
    for (const entry of peer.entries) {
      if (entry.kind !== 'transition') {
        event = entry;
        continue;
      }
      if (!inRegion(entry, region)) continue;
      keep.add(entry.seq);
      if (event && event.type === entry.type) keep.add(event.seq);
    }
  }
  const query = filter.query.trim().toLowerCase();
  return peer.entries.filter(
    (entry) =>
      filter.kinds.has(entry.kind) &&
      (!keep || keep.has(entry.seq)) &&
      (!query || rowText(entry).includes(query)),
  );
}

/** The first error row of any peer after `cursor`, or undefined. */
export function nextError(peers: readonly PeerRecord[], cursor: number): SessionEntry | undefined {
  let best: SessionEntry | undefined;
  for (const peer of peers) {
    const found = peer.entries.find((entry) => entry.kind === 'error' && entry.seq > cursor);
    if (found && (!best || found.seq < best.seq)) best = found;
  }
  return best;
}
