import { ENTRY_KINDS, type PeerRecord, type SessionEntry } from '@peerstatejs/core/recorder';
import { describe, expect, it } from 'vitest';
import { filterEntries, nextError } from '../session/filter.js';

const entry = (
  seq: number,
  kind: SessionEntry['kind'],
  type: string,
  detail: SessionEntry['detail'] = null,
): SessionEntry => ({
  seq,
  at: seq,
  kind,
  type,
  detail,
});

const peer: PeerRecord = {
  name: 'Alice',
  polite: false,
  snapshots: [],
  stats: [],
  entries: [
    entry(1, 'command', 'RESTART_ICE'),
    entry(2, 'transition', 'RESTART_ICE', {
      from: 'peer.active.connection.connected',
      to: ['peer.active.connection.restartingIce'],
    }),
    entry(3, 'pc', 'pc.statesChanged'),
    entry(4, 'transition', 'pc.statesChanged', {
      from: 'peer.active.signaling.stable',
      to: ['peer.active.signaling.makingOffer'],
    }),
    entry(5, 'error', 'NEGOTIATION_TIMEOUT'),
  ],
};
const all = { kinds: new Set(ENTRY_KINDS), region: null, query: '' };

describe('timeline filter', () => {
  it('keeps a region’s transitions and the events that caused them', () => {
    const rows = filterEntries(peer, { ...all, region: 'peer.active.connection' });
    expect(rows.map((row) => row.seq)).toEqual([1, 2]);
  });

  it('searches the event, its label and the summary, case-insensitively', () => {
    expect(filterEntries(peer, { ...all, query: 'makingoffer' }).map((row) => row.seq)).toEqual([
      4,
    ]);
    expect(filterEntries(peer, { ...all, query: 'negotiation_' }).map((row) => row.seq)).toEqual([
      5,
    ]);
  });

  it('finds the next error after the cursor, none past the last', () => {
    expect(nextError([peer], 0)?.seq).toBe(5);
    expect(nextError([peer], 5)).toBeUndefined();
  });
});
