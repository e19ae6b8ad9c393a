// Issue #18: a six-participant mesh through `createRoom` over the reference server
// (@peerstatejs/signaling-server on 127.0.0.1), six browser contexts, 160×120 video at 15 fps and
// audio. Five join, then a late sixth: all 15 pairs connected with audio and video flowing
// within 5 s of that last join. One participant's connections are closed underneath: only its
// links rebuild, the other links never stop delivering frames. One leaves: every other
// participant drops it within 2 s.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startSignalingServer } from '@peerstatejs/signaling-server';
import { WAIT_MS } from './lib/steps.mjs';

/** The bounds. */
const ALL_PAIRS_AFTER_LAST_JOIN_MS = 5_000;
const LEFT_DROPPED_MS = 2_000;
/** Frames at 15 fps come every 67 ms; a link that stops for this long has been disturbed. */
const MAX_STALL_MS = 1_000;
const WATCH_MS = 6_000;

const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
const othersOf = (id, among = ids) => among.filter((other) => other !== id);

export const ROOM_SCENARIOS = [
  {
    name: 'rooms-mesh-6',
    timeoutMs: 120_000,
    async run(t) {
      const server = await startSignalingServer({ port: 0, host: '127.0.0.1' });
      try {
        const room = `mesh-${randomUUID().slice(0, 8)}`;
        const pages = {};
        for (const id of ids) pages[id] = await t.chromium(id);
        const start = (id) => pages[id].call('roomStart', { url: server.url, room, peerId: id });
        const connected = (id, among, timeoutMs = WAIT_MS) =>
          pages[id].call('roomWaitConnected', { ids: othersOf(id, among), timeoutMs });

        // Five first, all connected to each other.
        const first = ids.slice(0, 5);
        for (const id of first) await start(id);
        await Promise.all(first.map((id) => connected(id, first)));

        // The late sixth: every pair, old and new, connected with media flowing.
        const joinedAt = Date.now();
        await start('p6');
        const all = await Promise.all(ids.map((id) => connected(id, ids)));
        const took = Math.max(...all.map((s) => s.at)) - joinedAt;
        t.figure('allPairsAfterLastJoinMs', took);
        for (const s of all) {
          assert.equal(s.participants.length, 5, `${s.peerId} has a peer for each of the others`);
          for (const p of s.participants) {
            assert.deepEqual([...p.remoteKinds].sort(), ['audio', 'video'], `${s.peerId}←${p.id}`);
          }
        }
        const polite = new Map(
          all.flatMap((s) => s.participants.map((p) => [`${s.peerId}|${p.id}`, p.polite])),
        );
        for (const [pair, value] of polite) {
          const [a, b] = pair.split('|');
          assert.equal(polite.get(`${b}|${a}`), !value, `one polite peer in ${a}–${b}`);
        }
        assert.ok(
          took <= ALL_PAIRS_AFTER_LAST_JOIN_MS,
          `all 15 pairs connected ${took} ms after the last join`,
        );

        // p3's connections close underneath: its five peers rebuild, nobody else's.
        const watched = othersOf('p3');
        const watches = watched.map((id) => pages[id].call('roomWatchFrames', { ms: WATCH_MS }));
        const brokenAt = Date.now();
        await pages.p3.call('roomBreakConnections');
        const rebuilt = await connected('p3', ids);
        t.figure('brokenLinksRecoveredMs', rebuilt.at - brokenAt);
        const seen = await Promise.all(watches);
        watched.forEach((id, index) => {
          const frames = seen[index];
          for (const other of othersOf(id)) {
            const link = frames[other];
            assert.ok(link, `${id} watched ${other}`);
            if (other === 'p3') {
              assert.ok(link.epochs.length > 1, `${id}→p3 was rebuilt (epochs ${link.epochs})`);
              continue;
            }
            assert.deepEqual(link.epochs.length, 1, `${id}→${other} was not rebuilt`);
            assert.ok(
              link.maxStallMs < MAX_STALL_MS,
              `${id}←${other}: frames stopped for ${link.maxStallMs} ms while p3 recovered`,
            );
          }
        });
        t.figure(
          'untouchedLinksMaxStallMs',
          Math.max(
            ...watched.flatMap((id, i) =>
              othersOf(id, watched).map((other) => seen[i][other].maxStallMs),
            ),
          ),
        );
        await Promise.all(watched.map((id) => connected(id, ids)));

        // p6 leaves (the app's hang-up: bye to each, then leave): everyone else drops it.
        const closedAt = Date.now();
        await pages.p6.call('roomStop');
        const gone = await Promise.all(
          othersOf('p6').map((id) =>
            pages[id].call('roomWaitGone', { id: 'p6', timeoutMs: 5_000 }),
          ),
        );
        const dropped = Math.max(...gone.map((s) => s.at)) - closedAt;
        t.figure('leftDroppedMs', dropped);
        assert.ok(
          dropped <= LEFT_DROPPED_MS,
          `p6 dropped by all ${dropped} ms after its tab closed`,
        );
        for (const s of gone) assert.equal(s.participants.length, 4, `${s.peerId} kept the others`);
      } finally {
        await server.close(1_000);
      }
    },
  },
];
