// Stats scenarios: real getStats() reports of Chromium and Firefox through the SDK's normalizer
// (`@peerstatejs/core/stats`, as built in dist/). They also record the reports the core's
// normalizer unit tests run on: `UPDATE_STATS_FIXTURES=1 node test/run.mjs stats` rewrites
// packages/core/src/stats/__tests__/fixtures/<engine>.json (two reports 2 s apart, per side).

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSession } from '@peerstatejs/core/recorder';
import { callQuality, normalizeStats } from '@peerstatejs/core/stats';
import { freeUdpPort } from './lib/servers.mjs';
import { sleep, summary, WAIT_MS, wait } from './lib/steps.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(here, '../../../packages/core/src/stats/__tests__/fixtures');
/** The recording the playground's browser test imports and replays. */
const playgroundSession = path.resolve(
  here,
  '../../playground/browser/fixtures/quality-outage.json',
);
const SAMPLE_GAP_MS = 2_000;

/** a (impolite) sends camera + mic, b (polite) too; both connected with 2 live remote tracks. */
async function mediaCall(pa, pb, signaling, a = {}) {
  await pa.call('create', { name: 'a', polite: false, signaling: signaling('a'), ...a });
  await pb.call('create', { name: 'b', polite: true, signaling: signaling('b') });
  await Promise.all([
    pa.call('addMedia', { name: 'a', audio: true, video: true }),
    pb.call('addMedia', { name: 'b', audio: true, video: true }),
  ]);
  await Promise.all([
    wait(pa, 'a', { connection: 'connected' }),
    wait(pb, 'b', { connection: 'connected' }),
  ]);
  await Promise.all([
    wait(pa, 'a', { liveRemoteTracks: 2 }),
    wait(pb, 'b', { liveRemoteTracks: 2 }),
  ]);
  // Video needs a moment to ramp up before frames are counted.
  await Promise.all([
    pa.call('playVideo', { name: 'a', timeoutMs: WAIT_MS }),
    pb.call('playVideo', { name: 'b', timeoutMs: WAIT_MS }),
  ]);
}

/** Two reports SAMPLE_GAP_MS apart from one side, normalized and checked like an app would. */
async function sampleTwice(page, name, engine) {
  const first = await page.call('stats', { name });
  await sleep(SAMPLE_GAP_MS);
  const second = await page.call('stats', { name });
  const s1 = normalizeStats(first);
  const s2 = normalizeStats(second, { previous: s1 });
  const where = `${engine} ${name}`;
  assert.ok(s2.intervalMs !== null && s2.intervalMs > 1000, `${where}: interval from timestamps`);
  for (const kind of ['audio', 'video']) {
    const inbound = s2.inbound.find((s) => s.kind === kind);
    assert.ok(inbound, `${where}: an inbound ${kind} sample`);
    assert.equal(inbound.flowing, true, `${where}: inbound ${kind} flowing`);
    assert.ok(inbound.bitrate > 0, `${where}: inbound ${kind} bitrate ${inbound.bitrate}`);
    assert.match(String(inbound.codec), new RegExp(`^${kind}/`, 'i'), `${where}: ${kind} codec`);
    const outbound = s2.outbound.find((s) => s.kind === kind);
    assert.ok(outbound?.flowing, `${where}: outbound ${kind} flowing`);
  }
  const video = s2.inbound.find((s) => s.kind === 'video');
  assert.ok(video.framesPerSecond > 0, `${where}: inbound fps ${video.framesPerSecond}`);
  assert.ok(video.frameWidth > 0, `${where}: inbound frame width`);
  assert.ok(video.framesDecoded > (s1.inbound.find((s) => s.kind === 'video')?.framesDecoded ?? 0));
  const pair = s2.connection.selectedPair;
  assert.ok(pair, `${where}: a selected candidate pair`);
  assert.equal(pair.localType, 'host', `${where}: host pair on loopback`);
  assert.ok(s2.connection.receiveBitrate > 0, `${where}: connection receive bitrate`);
  const quality = callQuality(s2);
  // Loopback: no loss, a millisecond of RTT, so the rating is excellent whatever the load; a
  // video freeze while the stream ramps up (seen under load) lowers it by one level.
  for (const direction of ['receive', 'send']) {
    const q = quality[direction];
    assert.ok(q.rating >= 80, `${where}: ${direction} rating ${q.rating}`);
    assert.ok(['excellent', 'good'].includes(q.level), `${where}: ${direction} ${q.level}`);
  }
  return { reports: [first, second], sample: s2 };
}

async function saveFixture(engine, version, sides) {
  if (process.env.UPDATE_STATS_FIXTURES !== '1') return;
  const file = path.join(
    fixturesDir,
    `${engine}-${version.match(engine === 'chromium' ? /Chrome\/(\d+)/ : /Firefox\/(\d+)/)?.[1]}.json`,
  );
  await writeFile(
    file,
    `${JSON.stringify({ engine: version, sampleGapMs: SAMPLE_GAP_MS, sides }, null, 1)}\n`,
  );
  console.log(`    wrote ${path.relative(process.cwd(), file)}`);
}

/** Polls until `predicate(log)` holds; the log is the page's quality changes. */
async function untilQuality(page, name, predicate, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = await page.call('qualityLog', { name });
    if (predicate(log)) return log;
    if (Date.now() > deadline)
      throw new Error(
        `${name}: no ${what} within ${timeoutMs} ms; quality log ${JSON.stringify(log)}`,
      );
    await sleep(200);
  }
}

const usable = (entry) => entry && ['excellent', 'good'].includes(entry.receive);
const CAP = 250_000;

/**
 * A call through TURN only, b's camera capped at 250 kbit/s, recorded with the SDK's recorder;
 * TURN dies (nothing can arrive) and comes back. The sampler's quality goes usable → lost →
 * usable on both sides; the export parses and ends in the states the live peers are in.
 */
async function qualityOutage(t) {
  const turnPort = await freeUdpPort();
  let turn = await t.turn(turnPort);
  const configuration = {
    iceServers: [
      { urls: `turn:127.0.0.1:${turnPort}?transport=udp`, username: 'u', credential: 'p' },
    ],
    iceTransportPolicy: 'relay',
  };
  const iceRestart = {
    disconnectedGracePeriod: 1_000,
    connectTimeout: 4_000,
    initialDelay: 1_000,
    maxDelay: 2_000,
    maxAttempts: 30,
  };
  const p = await t.chromium('page');
  await p.call('startRecording', {
    peers: [
      { name: 'a', polite: false },
      { name: 'b', polite: true },
    ],
  });
  const signaling = () => ({ kind: 'memory', pair: 'quality' });
  await p.call('create', {
    name: 'a',
    polite: false,
    signaling: signaling(),
    configuration,
    iceRestart,
  });
  await p.call('create', {
    name: 'b',
    polite: true,
    signaling: signaling(),
    configuration,
    iceRestart,
  });
  await p.call('addMedia', { name: 'a', audio: true, video: true });
  await p.call('addCappedVideo', { name: 'b', maxBitrate: CAP });
  await Promise.all([
    wait(p, 'a', { connection: 'connected' }),
    wait(p, 'b', { connection: 'connected' }),
  ]);
  await Promise.all([wait(p, 'a', { liveRemoteTracks: 1 }), wait(p, 'b', { liveRemoteTracks: 2 })]);

  for (const name of ['a', 'b'])
    await untilQuality(p, name, (log) => usable(log.at(-1)), 'usable quality', WAIT_MS);
  // The cap holds: what b sends and a receives of it stays under it (plus RTP overhead).
  // A sender's first sample has no rate yet (its stream may start after the audio's): wait
  // for one that does.
  let sent;
  for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; await sleep(200)) {
    const capped = await p.call('latestSample', { name: 'b' });
    sent = capped?.outbound.find((s) => s.kind === 'video');
    if (sent?.bitrate != null) break;
  }
  assert.ok(
    sent?.bitrate > 0 && sent.bitrate < CAP * 1.25,
    `b sends video at ${sent?.bitrate} bit/s under the ${CAP} cap`,
  );

  const killedAt = Date.now();
  await turn.kill();
  for (const name of ['a', 'b'])
    await untilQuality(
      p,
      name,
      (log) => log.some((e) => e.at >= killedAt && e.receive === 'lost'),
      'lost quality',
      20_000,
    );
  turn = await t.turn(turnPort);
  const upAt = Date.now();
  await Promise.all([
    wait(p, 'a', { connection: 'connected' }),
    wait(p, 'b', { connection: 'connected' }),
  ]);
  const logs = {};
  for (const name of ['a', 'b']) {
    logs[name] = await untilQuality(
      p,
      name,
      (log) => usable(log.at(-1)) && log.some((e) => e.at >= upAt),
      'usable quality again',
      30_000,
    );
    // The receive level over the call (a change of the send level alone repeats it): usable
    // before TURN died, lost after, usable at the end (checked by the wait above).
    const levels = logs[name].map((e) => e.receive);
    const before = logs[name].filter((e) => e.at < killedAt).map((e) => e.receive);
    const after = logs[name].filter((e) => e.at >= killedAt).map((e) => e.receive);
    assert.ok(usable({ receive: before.at(-1) }), `${name}: usable before TURN died: ${levels}`);
    assert.ok(after.includes('lost'), `${name}: lost while TURN was down: ${levels}`);
  }
  t.figure(
    'qualityLog',
    Object.fromEntries(
      Object.entries(logs).map(([n, l]) => [n, l.map((e) => e.receive).join('→')]),
    ),
  );

  // The recording: it parses, it holds what was sent, errors and stats, and it ends where the
  // live peers are.
  const [text, sa, sb] = await Promise.all([
    p.call('exportSession'),
    summary(p, 'a'),
    summary(p, 'b'),
  ]);
  const session = parseSession(text);
  for (const [index, live] of [
    [0, sa],
    [1, sb],
  ]) {
    const peer = session.peers[index];
    assert.deepEqual(
      peer.snapshots.at(-1).value,
      live.value,
      `${peer.name}: recorded end state = live state`,
    );
    const kinds = new Set(peer.entries.map((e) => e.kind));
    for (const kind of ['command', 'signal', 'sent', 'pc', 'transition'])
      assert.ok(kinds.has(kind), `${peer.name}: the recording has ${kind} entries`);
    assert.ok(
      peer.stats.length >= 4,
      `${peer.name}: stats samples recorded (${peer.stats.length})`,
    );
    const states = peer.entries
      .filter((e) => e.kind === 'transition')
      .map((e) => JSON.stringify(e.detail.to));
    assert.ok(
      states.some((s) => s.includes('restartingIce')),
      `${peer.name}: the restart is recorded`,
    );
  }
  if (process.env.UPDATE_STATS_FIXTURES === '1') {
    await writeFile(playgroundSession, `${text}\n`);
    console.log(`    wrote ${path.relative(process.cwd(), playgroundSession)}`);
  }
}

export const STATS_SCENARIOS = [
  {
    name: 'stats-chromium',
    async run(t) {
      const p = await t.chromium('page');
      await mediaCall(p, p, () => ({ kind: 'memory', pair: 'stats' }));
      const a = await sampleTwice(p, 'a', 'chromium');
      const b = await sampleTwice(p, 'b', 'chromium');
      t.figure('inboundVideo', `${a.sample.inbound.find((s) => s.kind === 'video').bitrate} bit/s`);
      await saveFixture('chromium', await p.evaluate(() => navigator.userAgent), {
        a: a.reports,
        b: b.reports,
      });
    },
  },
  {
    name: 'stats-firefox',
    async run(t) {
      const relay = await t.relay();
      const pa = await t.chromium('a');
      const pb = await t.firefox('b');
      // VP8 only, set on the Chromium side: H264/AV1 crash this pairing (see the README).
      await mediaCall(pa, pb, () => ({ kind: 'ws', url: relay.url, room: 'stats' }), {
        vp8Only: true,
      });
      const b = await sampleTwice(pb, 'b', 'firefox');
      t.figure('inboundVideo', `${b.sample.inbound.find((s) => s.kind === 'video').bitrate} bit/s`);
      await saveFixture('firefox', await pb.evaluate(() => navigator.userAgent), { b: b.reports });
    },
  },
  {
    name: 'stats-quality-outage-recorded',
    timeoutMs: 150_000,
    run: qualityOutage,
  },
];
