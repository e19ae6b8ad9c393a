import { describe, expect, it } from 'vitest';
import { createInMemorySignalingPair } from '../../signaling/inMemorySignaling.js';
import { createFakeNetwork } from '../../testing/index.js';
import { createPeer } from '../createPeer.js';
import { peerTimeline, recordTransition, TIMELINE_LIMIT } from '../timeline.js';

describe('peerTimeline', () => {
  it('keeps the last TIMELINE_LIMIT entries, oldest first, across the ring wrapping', () => {
    const actor = {} as Parameters<typeof recordTransition>[0];
    for (let i = 0; i < TIMELINE_LIMIT + 37; i++) {
      recordTransition(actor, { region: 'r', state: `s${i}`, at: i });
    }
    const timeline = peerTimeline(actor);
    expect(timeline).toHaveLength(TIMELINE_LIMIT);
    expect(timeline[0]?.state).toBe('s37');
    expect(timeline.at(-1)?.state).toBe(`s${TIMELINE_LIMIT + 36}`);
    expect(timeline.map((e) => e.at)).toEqual(
      Array.from({ length: TIMELINE_LIMIT }, (_, i) => i + 37),
    );
  });

  it('returns a copy, and nothing for an actor that recorded nothing', () => {
    const actor = {} as Parameters<typeof recordTransition>[0];
    expect(peerTimeline(actor)).toEqual([]);
    recordTransition(actor, { region: 'r', state: 'a', at: 0 });
    const first = peerTimeline(actor) as unknown[];
    first.length = 0;
    expect(peerTimeline(actor)).toHaveLength(1);
  });

  it("records a peer's state entries without touching its context", async () => {
    const network = createFakeNetwork();
    const [left] = createInMemorySignalingPair();
    const peer = createPeer({
      signaling: left,
      polite: false,
      peerConnection: network.factory('a'),
    });
    const contextBefore = peer.getSnapshot().context;
    expect(peerTimeline(peer)).toEqual([]); // entry actions run when the actor starts
    peer.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const entries = peerTimeline(peer).map((e) => `${e.region}.${e.state}`);
    expect(entries.slice(0, 3)).toEqual(['peer.idle', 'peer.starting', 'peer.active']);
    expect(entries).toContain('signaling.stable');
    expect(entries).toContain('connection.new');
    expect('timeline' in peer.getSnapshot().context).toBe(false);
    expect('timeline' in contextBefore).toBe(false);
    peer.send({ type: 'CLOSE' });
  });
});
