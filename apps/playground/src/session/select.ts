/**
 * Reads a session at a cursor position (a `seq`): what every panel shows, live or replayed.
 * @module
 */
import type {
  DescriptionRef,
  Json,
  PeerRecord,
  Session,
  SessionEntry,
  SnapshotRecord,
  StatsSample,
} from '@peerstatejs/core/recorder';

/** The last `seq` of the session (0 when empty). */
export function lastSeq(session: Session): number {
  let last = 0;
  for (const peer of session.peers) last = Math.max(last, peer.entries.at(-1)?.seq ?? 0);
  return last;
}

/** Index of the last item with `seq ≤ cursor`, or -1. Items are in `seq` order. */
function lastIndexAt(items: readonly { readonly seq: number }[], cursor: number): number {
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((items[middle] as { seq: number }).seq <= cursor) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

export function snapshotAt(peer: PeerRecord, cursor: number): SnapshotRecord | undefined {
  return peer.snapshots[lastIndexAt(peer.snapshots, cursor)];
}

export function entriesUpTo(peer: PeerRecord, cursor: number): readonly SessionEntry[] {
  return peer.entries.slice(0, lastIndexAt(peer.entries, cursor) + 1);
}

export function statsUpTo(peer: PeerRecord, cursor: number): readonly StatsSample[] {
  return peer.stats.slice(0, lastIndexAt(peer.stats, cursor) + 1);
}

/** The entry at exactly `cursor` in any peer, with the peer's index. */
export function entryAt(
  session: Session,
  cursor: number,
): { readonly peer: number; readonly entry: SessionEntry } | undefined {
  for (const [index, peer] of session.peers.entries()) {
    const entry = peer.entries[lastIndexAt(peer.entries, cursor)];
    if (entry?.seq === cursor) return { peer: index, entry };
  }
  return undefined;
}

export interface TransitionMark {
  readonly seq: number;
  readonly from: string;
  readonly to: readonly string[];
  readonly event: string;
}

function asObject(value: Json | undefined): { readonly [key: string]: Json } | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** The last transition to another state at or before `cursor`. */
export function lastTransition(peer: PeerRecord, cursor: number): TransitionMark | undefined {
  for (let index = lastIndexAt(peer.entries, cursor); index >= 0; index -= 1) {
    const entry = peer.entries[index] as SessionEntry;
    if (entry.kind !== 'transition') continue;
    const detail = asObject(entry.detail);
    const from = detail?.from;
    const to = detail?.to;
    if (typeof from !== 'string' || !Array.isArray(to)) continue;
    return {
      seq: entry.seq,
      from,
      to: to.filter((id): id is string => typeof id === 'string'),
      event: entry.type,
    };
  }
  return undefined;
}

export function sdpText(session: Session, ref: DescriptionRef | null): string | null {
  return ref ? (session.sdps[ref.sdp] ?? null) : null;
}

export interface OfferRecord {
  readonly seq: number;
  readonly at: number;
  /** `sent` when this peer made it, `received` when the remote did. */
  readonly direction: 'sent' | 'received';
  readonly sdp: string;
  /** The protocol's description id (`null` in sessions recorded before protocol v2). */
  readonly id: string | null;
  /** How many times the same offer (same id) went out again or came in again. */
  readonly repeats: number;
}

const recordOf = (value: Json | undefined): { readonly [key: string]: Json } | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;

/** The description message an entry carries: one this peer sent, or one it received. */
function descriptionMessage(entry: SessionEntry) {
  const message =
    entry.kind === 'sent' && entry.type === 'description'
      ? recordOf(entry.detail)
      : entry.kind === 'signal' && entry.type === 'signal.message'
        ? recordOf(recordOf(entry.detail)?.message)
        : undefined;
  if (!message || (entry.kind === 'signal' && message.type !== 'description')) return undefined;
  const description = recordOf(message.description);
  const sdp = recordOf(description?.sdp)?.$sdp;
  if (description?.type !== 'offer' || typeof sdp !== 'number') return undefined;
  return {
    direction: entry.kind === 'sent' ? ('sent' as const) : ('received' as const),
    id: typeof message.id === 'string' ? message.id : null,
    sdp,
  };
}

/**
 * Every offer this peer sent or received up to `cursor`, oldest first, one per offer id: a
 * resend of the same offer is counted on it, not listed again. (The local description's text
 * grows as candidates are gathered, so distinct SDP texts are not distinct offers.) Sessions
 * recorded without the messages sent (format 1) fall back to the descriptions the snapshots held.
 */
export function offersUpTo(session: Session, peer: PeerRecord, cursor: number): OfferRecord[] {
  if (!peer.entries.some((entry) => entry.kind === 'sent')) {
    return offersFromSnapshots(session, peer, cursor);
  }
  const byId = new Map<string, OfferRecord>();
  const offers: OfferRecord[] = [];
  for (const entry of peer.entries) {
    if (entry.seq > cursor) break;
    const message = descriptionMessage(entry);
    const sdp = message ? session.sdps[message.sdp] : undefined;
    if (!message || sdp === undefined) continue;
    const key = `${message.direction} ${message.id ?? entry.seq}`;
    const known = byId.get(key);
    if (known) {
      const repeated = { ...known, repeats: known.repeats + 1 };
      byId.set(key, repeated);
      offers[offers.indexOf(known)] = repeated;
      continue;
    }
    const offer = {
      seq: entry.seq,
      at: entry.at,
      direction: message.direction,
      sdp,
      id: message.id,
      repeats: 0,
    };
    byId.set(key, offer);
    offers.push(offer);
  }
  return offers;
}

function offersFromSnapshots(session: Session, peer: PeerRecord, cursor: number): OfferRecord[] {
  const seen = new Set<number>();
  const offers: OfferRecord[] = [];
  for (const snapshot of peer.snapshots) {
    if (snapshot.seq > cursor) break;
    const { localDescription, remoteDescription } = snapshot.context;
    for (const [ref, direction] of [
      [localDescription, 'sent'],
      [remoteDescription, 'received'],
    ] as const) {
      if (ref?.type !== 'offer' || seen.has(ref.sdp)) continue;
      seen.add(ref.sdp);
      const sdp = session.sdps[ref.sdp];
      if (sdp !== undefined) {
        offers.push({ seq: snapshot.seq, at: snapshot.at, direction, sdp, id: null, repeats: 0 });
      }
    }
  }
  return offers;
}

export interface CandidateRecord {
  readonly seq: number;
  readonly at: number;
  readonly origin: 'local' | 'remote';
  /** The `candidate:` attribute text. */
  readonly candidate: string;
}

/** Candidates this peer gathered (`pc.iceCandidate`) and received (signaling) up to `cursor`. */
export function candidatesUpTo(peer: PeerRecord, cursor: number): CandidateRecord[] {
  const out: CandidateRecord[] = [];
  for (const entry of entriesUpTo(peer, cursor)) {
    const detail = asObject(entry.detail);
    let candidate: Json | undefined;
    let origin: 'local' | 'remote' | undefined;
    if (entry.type === 'pc.iceCandidate') {
      candidate = asObject(detail?.candidate)?.candidate;
      origin = 'local';
    } else if (entry.type === 'signal.message') {
      const message = asObject(detail?.message);
      if (message?.type === 'candidate') {
        candidate = asObject(message.candidate)?.candidate;
        origin = 'remote';
      }
    }
    if (origin && typeof candidate === 'string' && candidate !== '') {
      out.push({ seq: entry.seq, at: entry.at, origin, candidate });
    }
  }
  return out;
}
