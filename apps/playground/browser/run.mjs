#!/usr/bin/env node

// Browser test of the playground: builds it with Vite, serves dist/ on 127.0.0.1 and drives it in
// headless Chromium (fake camera and microphone) as a user would: connect, chat, start and switch
// media, read the SDP/ICE/stats panels, cause glare, restart ICE, export the session and replay
// it, break the connection, start over, and run one peer per tab over BroadcastChannel. Every
// check asserts on what the page shows. Screenshots of the main views go to test-results/.
//
//   node browser/run.mjs            production build, development build (StrictMode mounts twice),
//                                   then a short call under Vite's dev server (`npm run dev`)
//   BUILD_MODES=production node browser/run.mjs
//
// Env: CHROMIUM_PATH (default /usr/bin/chromium), STEP_TIMEOUT_MS (default 10000),
// PLAYGROUND_ONLY (only the checks whose name contains one of `|`-separated texts, e.g.
// `room view|no console errors`).
// Prints one line per check, then `N passed, N failed`; exits 1 if any failed.

import { mkdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSignalingServer } from '@peerstatejs/signaling-server';
import { chromium } from 'playwright-core';
import { build, createServer } from 'vite';
import { writeSuiteResult } from '../../../scripts/suite-results.mjs';
import { debuggerChecks, showKinds } from './debugger.mjs';
import { roomChecks } from './room.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const resultsDir = path.join(appDir, 'test-results');
const MODES = (process.env.BUILD_MODES ?? 'production,development,dev-server')
  .split(',')
  .filter(Boolean);
const STEP_TIMEOUT_MS = Number(process.env.STEP_TIMEOUT_MS ?? 10_000);
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Under Vite's dev server (`npm run dev`: unbundled modules, the SDK's sources, StrictMode): a
 * call with an ICE restart and a rebuild, exported, imported and exported again (issue 21: the
 * page once refused its own export there). The rest runs on the two builds.
 */
const DEV_SERVER_CHECKS = [
  'loads:',
  'a data channel connects',
  // Media, so the rebuilt call has something to negotiate (a data-only call broken this way
  // stayed at connection.new after its rebuild once: not this test's subject).
  'fake camera plays',
  'restart ICE:',
  "break Bob's connection",
  'export, import, re-export',
  'no console errors',
];

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serve(root) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const file = path.join(root, url.pathname === '/' ? 'index.html' : url.pathname);
    try {
      if (!file.startsWith(root)) throw new Error('outside dist');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** `{ active: { connection: 'connected', … } }` → `peer.active.connection.connected`, … */
function activeLeaves(value, prefix = 'peer') {
  if (typeof value === 'string') return [`${prefix}.${value}`];
  return Object.entries(value).flatMap(([key, inner]) => activeLeaves(inner, `${prefix}.${key}`));
}

const results = [];
/** Checks marked known-failing that failed: reported, not counted as passed nor as failed. */
const known = [];
function report(name, error, ms) {
  results.push(!error);
  const took = ms === undefined ? '' : ` (${(ms / 1000).toFixed(1)} s)`;
  console.log(
    error
      ? `✗ ${name}: ${String(error.message ?? error).split('\n')[0]}${took}`
      : `✓ ${name}${took}`,
  );
}

/** The page a failing check photographs, so CI artifacts show what went wrong. */
let failurePage;
let failures = 0;

/**
 * Runs one check. `knownFailing` (the reason, naming its issue) marks a check that is expected
 * to fail until that work lands: a failure prints `!` and is not counted, a pass prints `?`.
 */
async function check(name, body, { knownFailing } = {}) {
  if (name.startsWith('[dev-server]') && !DEV_SERVER_CHECKS.some((part) => name.includes(part))) {
    return;
  }
  // While developing: only the checks whose name has one of these texts (`|` between them).
  const only = process.env.PLAYGROUND_ONLY?.split('|');
  if (only && !only.some((part) => name.includes(part))) return;
  const started = Date.now();
  try {
    await body();
    if (knownFailing) console.log(`? ${name}: KNOWN-FAILING check passed; remove the mark`);
    report(name, undefined, Date.now() - started);
  } catch (error) {
    if (knownFailing) {
      known.push(name);
      const reason = String(error.message ?? error).split('\n')[0];
      console.log(`! ${name}: KNOWN FAILURE, NOT PASSED (${knownFailing}): ${reason}`);
      return;
    }
    if (process.env.PLAYGROUND_DEBUG) console.log(error.stack);
    report(name, error, Date.now() - started);
    failures += 1;
    await failurePage
      ?.screenshot({ path: path.join(resultsDir, `failure-${failures}.png`) })
      .catch(() => {});
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Watches a page for uncaught errors and console errors. */
function watch(page, problems, label) {
  page.on('pageerror', (error) => problems.push(`${label} uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${label} console.error: ${message.text()}`);
  });
}

async function runMode(browser, mode) {
  const outDir = path.join(appDir, 'dist', mode);
  const dev = mode === 'dev-server';
  process.env.NODE_ENV = dev ? 'development' : mode;
  let server;
  let origin;
  if (dev) {
    server = await createServer({
      root: appDir,
      logLevel: 'error',
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await server.listen();
    origin = new URL(server.resolvedUrls.local[0]).origin;
  } else {
    await build({ root: appDir, mode, logLevel: 'error', build: { outDir, emptyOutDir: true } });
    server = await serve(outDir);
    origin = `http://127.0.0.1:${server.address().port}`;
  }
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  failurePage = page;
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const problems = [];
  watch(page, problems, 'playground');

  const prefix = `[${mode}]`;
  const shot = (name) => page.screenshot({ path: path.join(resultsDir, `${mode}-${name}.png`) });
  const head = (name) => page.locator(`section.peer-head[data-peer="${name}"]`);
  const panel = (name) => page.locator(`section.peer-panel[data-peer="${name}"]`);
  const phase = (name) => head(name).getByTestId('phase');
  const expectText = (locator, text, timeout = STEP_TIMEOUT_MS) =>
    locator.filter({ hasText: text }).first().waitFor({ timeout });
  const counter = async (name, key) =>
    Number(await head(name).locator(`[data-counter="${key}"]`).getAttribute('data-value'));
  const waitCounter = (name, key, atLeast, timeout = STEP_TIMEOUT_MS) =>
    page
      .waitForFunction(
        ([peer, counterKey, min]) =>
          Number(
            document.querySelector(
              `section.peer-head[data-peer="${peer}"] [data-counter="${counterKey}"]`,
            )?.dataset.value,
          ) >= min,
        [name, key, atLeast],
        { timeout },
      )
      .catch(async () => {
        throw new Error(`${name} ${key} is ${await counter(name, key)}, expected ≥ ${atLeast}`);
      });
  const isActive = (name, stateId) =>
    head(name).locator(`[data-state-id="${stateId}"][data-active="true"]`);
  const tab = (name) => page.getByRole('tab', { name });
  const position = async () =>
    Number(/#(\d+)/.exec((await page.getByTestId('position').textContent()) ?? '')?.[1]);
  const debug = debuggerChecks({
    page,
    context,
    origin,
    check,
    assert,
    head,
    panel,
    phase,
    expectText,
    tab,
    prefix,
    watch,
    problems,
    STEP_TIMEOUT_MS,
    shotPath: (name) => path.join(resultsDir, `${mode}-${name}.png`),
    resultPath: (name) => path.join(resultsDir, `${mode}-${name}`),
  });

  try {
    await check(`${prefix} loads: two peers, each machine drawn from its definition`, async () => {
      // Default options: recovery (the break below) is checked as an app gets it.
      await page.goto(`${origin}/`);
      for (const name of ['Alice', 'Bob']) {
        await expectText(phase(name), 'negotiating');
        // Every region of the parallel `active` state, and its active leaves, are drawn.
        for (const region of ['signaling', 'connection', 'renegotiation']) {
          await head(name).locator(`[data-state-id="peer.active.${region}"]`).waitFor();
        }
        await isActive(name, 'peer.active.signaling.stable').waitFor();
        await isActive(name, 'peer.active.connection.new').waitFor();
        const inactive = await head(name)
          .locator('[data-state-id="peer.closed"]')
          .getAttribute('data-active');
        assert(inactive === 'false', `peer.closed should be inactive, is ${inactive}`);
      }
    });

    await check(`${prefix} a data channel connects both; chat goes both ways`, async () => {
      await head('Alice').getByRole('button', { name: 'Open data channel' }).click();
      await expectText(phase('Alice'), 'connected');
      await expectText(phase('Bob'), 'connected');
      await isActive('Alice', 'peer.active.connection.connected').waitFor();
      await head('Alice').getByPlaceholder('Message').fill('hello Bob');
      await head('Alice').getByRole('button', { name: 'Send' }).click();
      await head('Bob').getByPlaceholder('Message').fill('hi Alice');
      await head('Bob').getByRole('button', { name: 'Send' }).click();
      await tab('Media & chat').click();
      await expectText(panel('Bob').getByTestId('chat-log'), '← hello Bob');
      await expectText(panel('Alice').getByTestId('chat-log'), '← hi Alice');
      await expectText(panel('Alice').getByTestId('chat-log'), '→ hello Bob');
    });

    await check(
      `${prefix} fake camera plays on the other side; switching camera shows`,
      async () => {
        await head('Alice').getByRole('button', { name: 'Start camera + mic' }).click();
        await head('Bob').getByRole('button', { name: 'Start camera + mic' }).click();
        const remote = panel('Bob').getByTestId('remote-video');
        await page.waitForFunction(
          (element) => element.videoWidth > 0 && element.currentTime > 0,
          await remote.elementHandle(),
          { timeout: STEP_TIMEOUT_MS },
        );
        await expectText(panel('Alice'), 'sends video 640×480');
        await isActive('Alice', 'peer.active.signaling.stable').waitFor();
        const offers = await counter('Alice', 'offersSent');
        await head('Alice').getByRole('button', { name: 'Switch camera' }).click();
        // REPLACE_TRACK to the camera at 320×240: Alice sends the new track, Bob receives at most
        // 320 px (the source is no wider), and no renegotiation was needed.
        await expectText(panel('Alice'), 'sends video 320×240');
        await page
          .waitForFunction(
            (element) => element.videoWidth > 0 && element.videoWidth <= 320,
            await remote.elementHandle(),
            { timeout: STEP_TIMEOUT_MS },
          )
          .catch(async () => {
            throw new Error(`remote video width ${await remote.evaluate((v) => v.videoWidth)}`);
          });
        const after = await counter('Alice', 'offersSent');
        assert(after === offers, `switching camera renegotiated: offersSent ${offers} → ${after}`);
        await shot('media');
      },
    );

    await check(`${prefix} stats plot bitrate, fps and RTT from getStats`, async () => {
      await tab('Stats').click();
      await page.waitForFunction(
        () => {
          const read = (peer, id) =>
            Number(
              document.querySelector(
                `section.peer-panel[data-peer="${peer}"] [data-testid="${id}"]`,
              )?.textContent,
            );
          return (
            read('Bob', 'stat-Bitrate-in') > 50 &&
            read('Bob', 'stat-Frames per second-in') > 0 &&
            read('Alice', 'stat-Round-trip time-RTT') >= 0
          );
        },
        null,
        { timeout: 15_000 },
      );
      const canvases = await panel('Bob').locator('.uplot canvas').count();
      assert(canvases === 4, `expected 4 uPlot canvases, found ${canvases}`);
      await shot('stats');
    });

    await check(`${prefix} SDP panel: parsed m-lines and the diff of each offer`, async () => {
      await tab('SDP').click();
      const local = panel('Alice').getByTestId('sdp-local');
      for (const text of ['application', 'audio', 'video', 'sendrecv', 'opus', 'VP8']) {
        await expectText(local, text);
      }
      const diffs = panel('Alice').getByTestId('offer-diffs');
      await expectText(diffs, 'application (mid 0) added');
      await expectText(diffs, 'video (mid 2) added, sendrecv');
      // One row per offer the machine sent (by offer id), not per local-description text: the
      // description grows as candidates are gathered (issue 21 saw 5 rows for 3 offers).
      const sent = await counter('Alice', 'offersSent');
      const listed = Number(await panel('Alice').getByTestId('offers-sent').textContent());
      assert(listed === sent, `SDP tab lists ${listed} sent offers, the machine sent ${sent}`);
      await shot('sdp');
    });

    await check(`${prefix} ICE panel: host candidates and a selected succeeded pair`, async () => {
      await tab('ICE').click();
      const candidates = panel('Alice').getByTestId('candidates');
      await candidates.locator('tr[data-origin="local"]', { hasText: 'host' }).first().waitFor();
      await candidates.locator('tr[data-origin="remote"]', { hasText: 'host' }).first().waitFor();
      await panel('Alice')
        .getByTestId('candidate-pairs')
        .locator('tr.selected', { hasText: 'succeeded' })
        .waitFor();
      await shot('ice');
    });

    await check(`${prefix} glare: impolite ignores the collision, polite rolls back`, async () => {
      const ignored = await counter('Alice', 'offersIgnored');
      const rollbacks = await counter('Bob', 'rollbacks');
      await page.getByRole('button', { name: 'Cause glare' }).click();
      await waitCounter('Alice', 'offersIgnored', ignored + 1);
      await waitCounter('Bob', 'rollbacks', rollbacks + 1);
      await isActive('Alice', 'peer.active.connection.connected').waitFor();
      await isActive('Bob', 'peer.active.connection.connected').waitFor();
      await isActive('Bob', 'peer.active.signaling.stable').waitFor();
      // Chromium may leave the polite side's remote track `muted` after the rollback while it
      // decodes frames (issue 16): the media panel says from the stats whether media arrives.
      await tab('Media & chat').click();
      await panel('Bob')
        .locator('[data-testid=remote-track][data-kind=video][data-flowing=true]')
        .waitFor();
    });

    await check(`${prefix} restart ICE: diagram, timeline and SDP diff show it`, async () => {
      const restarts = await counter('Alice', 'iceRestarts');
      await head('Alice').getByRole('button', { name: 'Restart ICE' }).click();
      await waitCounter('Alice', 'iceRestarts', restarts + 1);
      await isActive('Alice', 'peer.active.connection.connected').waitFor();
      await tab('SDP').click();
      await expectText(panel('Alice').getByTestId('offer-diffs'), 'ICE restart: ufrag');
      await tab('Timeline').click();
      // Only transitions: the restart is there, events are filtered out.
      await showKinds(page, ['transition']);
      const rows = panel('Alice').locator('.timeline li');
      await expectText(rows, 'active.connection.connected → active.connection.restartingIce');
      const kinds = await rows.evaluateAll((items) => [
        ...new Set(items.map((i) => i.dataset.kind)),
      ]);
      assert(kinds.length === 1 && kinds[0] === 'transition', `filter leaked: ${kinds}`);
      await showKinds(page);
      await shot('timeline');
    });

    await debug.diagram();
    await debug.timeline();
    await debug.liveReplayBadge();
    await debug.bitrateCap();

    await check(`${prefix} tabs are keyboard accessible`, async () => {
      await tab('Timeline').focus();
      await page.keyboard.press('ArrowRight');
      const selected = await page.getByRole('tab', { selected: true }).textContent();
      assert(selected === 'SDP', `ArrowRight selected ${selected}`);
      const focused = await page.evaluate(() => document.activeElement?.textContent);
      assert(focused === 'SDP', `focus on ${focused}`);
      await tab('Timeline').click();
    });

    let file;
    await check(`${prefix} export: both peers' events, snapshots and stats as JSON`, async () => {
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export session' }).click();
      file = path.join(resultsDir, `${mode}-session.json`);
      await (await download).saveAs(file);
      const session = JSON.parse(await readFile(file, 'utf8'));
      assert(session.format === 'peerstate-session', `format ${session.format}`);
      assert(session.peers.length === 2, `${session.peers.length} peers`);
      const [alice, bob] = session.peers;
      assert(alice.name === 'Alice' && bob.name === 'Bob', 'peer names');
      for (const peer of session.peers) {
        assert(peer.snapshots.length > 10, `${peer.name}: ${peer.snapshots.length} snapshots`);
        assert(peer.stats.length > 0, `${peer.name}: no stats`);
      }
      assert(
        alice.entries.some((e) => e.type === 'RESTART_ICE' && e.kind === 'command'),
        'no RESTART_ICE command recorded',
      );
      assert(
        alice.entries.some(
          (e) =>
            e.kind === 'transition' &&
            // restartingIce has substates (who restarts): `….restartingIce.restarting`.
            [e.detail.to]
              .flat()
              .some((id) => id.startsWith('peer.active.connection.restartingIce')),
        ),
        'no transition to restartingIce recorded',
      );
      assert(session.sdps.length > 2, `${session.sdps.length} SDPs`);
      const seqs = [...alice.entries, ...bob.entries].map((e) => e.seq).sort((a, b) => a - b);
      assert(new Set(seqs).size === seqs.length, 'seqs not unique across peers');
    });

    await check(`${prefix} import: replay without a connection, scrub and step`, async () => {
      await page.getByTestId('import-file').setInputFiles(file);
      // A refused import shows why instead of the replay title: fail with that reason, at once.
      const replayTitle = page
        .locator('header')
        .filter({ hasText: `replay: ${mode}-session.json` })
        .first();
      const refused = page.locator('p.error[role="alert"]').first();
      await replayTitle.or(refused).waitFor();
      if (await refused.isVisible()) {
        throw new Error(`the playground refused its own export: ${await refused.textContent()}`);
      }
      assert((await page.locator('video').count()) === 0, 'replay shows videos');
      await expectText(phase('Alice'), 'replay');
      // The end: connected, as when exported.
      await isActive('Alice', 'peer.active.connection.connected').waitFor();
      // Export of the imported session: the same bytes as the file (ICE restarts and rebuilds
      // included, in both builds).
      const again = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export session' }).click();
      const reexported = path.join(resultsDir, `${mode}-session-reexported.json`);
      await (await again).saveAs(reexported);
      const [first, second] = await Promise.all([
        readFile(file, 'utf8'),
        readFile(reexported, 'utf8'),
      ]);
      assert(
        first === second,
        `re-export differs from the imported file (${first.length} vs ${second.length} bytes)`,
      );
      await page.getByRole('button', { name: '⇤ First', exact: true }).click();
      assert((await position()) === 1, `position ${await position()}`);
      await isActive('Alice', 'peer.starting').waitFor();
      const connected = await head('Alice')
        .locator('[data-state-id="peer.active.connection.connected"]')
        .getAttribute('data-active');
      assert(connected === 'false', 'connected is active at the first entry');
      await page.getByRole('button', { name: 'Step ▶' }).click();
      assert((await position()) === 2, 'step did not advance');
      // The scrubber is a slider: the keyboard moves it.
      await page.getByTestId('scrubber').focus();
      await page.keyboard.press('ArrowRight');
      assert((await position()) === 3, 'ArrowRight on the scrubber did not advance');
      // Clicking a timeline entry shows the snapshot at that moment.
      await showKinds(page, ['transition']);
      const entry = panel('Alice')
        .locator('.timeline li', { hasText: 'active.connection.restartingIce' })
        .first()
        .getByRole('button');
      const seq = Number(await entry.getAttribute('data-seq'));
      await entry.click();
      assert((await position()) === seq, `position ${await position()} after clicking #${seq}`);
      await isActive('Alice', 'peer.active.connection.restartingIce').waitFor();
      await expectText(panel('Alice').getByTestId('snapshot-json'), '"restartingIce"');
      await showKinds(page);
      await tab('SDP').click();
      await expectText(panel('Bob').getByTestId('sdp-local'), 'video');
      await tab('Timeline').click();
      await shot('replay');
      await page.getByRole('button', { name: 'Back to the live call' }).click();
      await expectText(phase('Alice'), 'connected');
    });

    await debug.compareAndErrorClears(file);

    await check(
      `${prefix} import: a call another app recorded with @peerstatejs/core/recorder replays to its states`,
      async () => {
        // Recorded by the e2e scenario stats-quality-outage-recorded (TURN killed mid-call).
        const file = path.join(appDir, 'browser/fixtures/quality-outage.json');
        const recorded = JSON.parse(await readFile(file, 'utf8'));
        await page.getByTestId('import-file').setInputFiles(file);
        await page
          .locator('header')
          .filter({ hasText: 'replay: quality-outage.json' })
          .first()
          .waitFor();
        for (const peer of recorded.peers) {
          // The end of the replay: every active leaf of the recorded final snapshot is lit.
          for (const id of activeLeaves(peer.snapshots.at(-1).value)) {
            await isActive(peer.name, id).waitFor();
          }
        }
        // Back to the moment TURN was gone: the restart the recording holds is what the chart shows.
        await showKinds(page, ['transition']);
        await panel('a')
          .locator('.timeline li', { hasText: 'active.connection.restartingIce' })
          .first()
          .getByRole('button')
          .click();
        await isActive('a', 'peer.active.connection.restartingIce').waitFor();
        await showKinds(page);
        await page.getByRole('button', { name: 'Back to the live call' }).click();
        await expectText(phase('Alice'), 'connected');
      },
    );

    await check(`${prefix} import rejects a file that is not a session`, async () => {
      await page.getByTestId('import-file').setInputFiles({
        name: 'bogus.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{"hello": 1}'),
      });
      await expectText(page.getByRole('alert'), 'Not a peerstate session file');
      await expectText(phase('Alice'), 'connected');
    });

    // Break connection closes Bob's RTCPeerConnection behind his machine's back (no bye): Bob's
    // machine sees its own connection closed, Alice the DTLS close_notify; both rebuild.
    // 5 s as the issue asks, for the production build (seen: 3 s with the machine's load average
    // at 13). The development build (React's dev mode under StrictMode, unminified, dev warnings)
    // renders the diagrams and timelines on every event and took 10–20 s under that load: it is
    // checked for recovering at all, within 45 s. Both print their time.
    // #12's claim: with default options the production build is back, video playing on both
    // peers, within 5 s of the break. A speed claim, so a figure (`within 5 s: yes/no`), and the
    // check asserts what holds for any timing within a budget sized for a loaded 2-core machine:
    // 5,114 ms was seen under two CPU hogs with Chromium 156.0.8078.114 (2026-12-02).
    const BREAK_CLAIM_MS = 5_000;
    const BREAK_BUDGET_MS = mode === 'production' ? 20_000 : 45_000;
    let brokenAt = 0;
    const budgetLeft = () => Math.max(1, BREAK_BUDGET_MS - (Date.now() - brokenAt));
    await check(
      `${prefix} break Bob's connection (default options): both rebuild, connected again within ${BREAK_BUDGET_MS / 1000} s`,
      async () => {
        const rebuilds = await counter('Alice', 'rebuilds');
        const bobRebuilds = await counter('Bob', 'rebuilds');
        brokenAt = Date.now();
        await head('Bob').getByRole('button', { name: 'Break connection' }).click();
        try {
          await waitCounter('Alice', 'rebuilds', rebuilds + 1, budgetLeft());
          await waitCounter('Bob', 'rebuilds', bobRebuilds + 1, budgetLeft());
          await expectText(phase('Alice'), 'connected', budgetLeft());
          await expectText(phase('Bob'), 'connected', budgetLeft());
        } catch (error) {
          const state = async (name) => {
            const active = await head(name)
              .locator('[data-active="true"]')
              .evaluateAll((nodes) => nodes.map((node) => node.dataset.stateId).join(' '));
            return `${name} ${await phase(name).textContent()}, rebuilds ${await counter(name, 'rebuilds')}, iceRestarts ${await counter(name, 'iceRestarts')}, states ${active}`;
          };
          throw new Error(
            `after ${Date.now() - brokenAt} ms: ${await state('Alice')}; ${await state('Bob')} (${error.message.split('\n')[0]})`,
          );
        }
        const took = Date.now() - brokenAt;
        assert(took <= BREAK_BUDGET_MS, `connected again after ${took} ms`);
        console.log(`    ${prefix} connected again ${took} ms after the break`);
        await shot('rebuilt');
      },
    );

    await check(
      `${prefix} after the break, video plays again on both peers within ${mode === 'production' ? `${BREAK_BUDGET_MS / 1000} s` : '10 s of reconnecting'}`,
      async () => {
        await tab('Media & chat').click();
        // Each remote <video> shows a live, unmuted track whose presented frames keep growing.
        await page
          .waitForFunction(
            () => {
              const videos = [
                ...document.querySelectorAll('section.peer-panel [data-testid="remote-video"]'),
              ];
              window.__frames ??= new Map();
              const advancing = videos.map((video) => {
                const track = video.srcObject?.getVideoTracks?.()[0];
                const frames = video.getVideoPlaybackQuality().totalVideoFrames;
                const before = window.__frames.get(track);
                if (track) window.__frames.set(track, frames);
                return (
                  track?.readyState === 'live' &&
                  !track.muted &&
                  video.videoWidth > 0 &&
                  before !== undefined &&
                  frames > before
                );
              });
              return videos.length === 2 && advancing.every(Boolean);
            },
            null,
            // Production: within the 5 s of the break; development: within 10 s of the check
            // (its recovery alone may take most of the 45 s).
            { timeout: mode === 'production' ? budgetLeft() : 10_000, polling: 250 },
          )
          .catch(async () => {
            const seen = await page.evaluate(() =>
              [...document.querySelectorAll('section.peer-panel [data-testid="remote-video"]')].map(
                (video) => {
                  const track = video.srcObject?.getVideoTracks?.()[0];
                  return `${video.videoWidth}px ${track?.readyState ?? 'no track'}${track?.muted ? ' muted' : ''}`;
                },
              ),
            );
            throw new Error(`remote videos after ${Date.now() - brokenAt} ms: ${seen.join(', ')}`);
          });
        const back = Date.now() - brokenAt;
        console.log(
          `    ${prefix} video on both peers ${back} ms after the break` +
            (mode === 'production'
              ? ` (within ${BREAK_CLAIM_MS / 1000} s: ${back <= BREAK_CLAIM_MS ? 'yes' : 'NO'})`
              : ''),
        );
        await shot('rebuilt-media');
      },
    );

    await debug.reexport();

    await check(`${prefix} start over: a fresh call and a fresh session`, async () => {
      await page.getByRole('button', { name: 'Start over' }).click();
      await expectText(phase('Alice'), 'negotiating');
      await head('Alice').getByRole('button', { name: 'Open data channel' }).click();
      await expectText(phase('Bob'), 'connected');
      assert((await position()) < 200, `position ${await position()} carried over`);
    });

    await check(`${prefix} BroadcastChannel: one peer per tab connects`, async () => {
      const room = `test-${mode}-${Date.now()}`;
      const tabs = [];
      for (const role of ['impolite', 'polite']) {
        const tabPage = await context.newPage();
        tabPage.setDefaultTimeout(STEP_TIMEOUT_MS);
        watch(tabPage, problems, role);
        await tabPage.goto(`${origin}/?signaling=broadcast-channel&room=${room}&role=${role}`);
        tabs.push(tabPage);
      }
      const [alice, bob] = tabs;
      await alice
        .locator('section.peer-head')
        .getByTestId('phase')
        .filter({ hasText: 'negotiating' })
        .waitFor();
      await alice.getByRole('button', { name: 'Open data channel' }).click();
      for (const tabPage of tabs) {
        await tabPage.getByTestId('phase').filter({ hasText: 'connected' }).waitFor();
      }
      assert((await bob.locator('section.peer-head').count()) === 1, 'one peer per tab');
      await bob.screenshot({ path: path.join(resultsDir, `${mode}-broadcast-tab.png`) });
      for (const tabPage of tabs) await tabPage.close();
    });

    // App logic, not the build's: once, on the production build.
    if (mode === 'production') {
      await debug.wireFaults();
      await debug.relayOnly();
    }

    await check(
      `${prefix} WebSocket: one peer per tab connects through the reference server`,
      async () => {
        const signaling = await startSignalingServer({ host: '127.0.0.1', port: 0 });
        try {
          const room = `ws-${mode}-${Date.now()}`;
          const tabs = [];
          for (const role of ['impolite', 'polite']) {
            const tabPage = await context.newPage();
            tabPage.setDefaultTimeout(STEP_TIMEOUT_MS);
            watch(tabPage, problems, role);
            const query = new URLSearchParams({
              signaling: 'websocket',
              url: signaling.url,
              room,
              role,
            });
            await tabPage.goto(`${origin}/?${query}`);
            tabs.push(tabPage);
          }
          const [alice] = tabs;
          await alice
            .locator('section.peer-head')
            .getByTestId('phase')
            .filter({ hasText: 'negotiating' })
            .waitFor();
          await alice.getByRole('button', { name: 'Open data channel' }).click();
          for (const tabPage of tabs) {
            await tabPage.getByTestId('phase').filter({ hasText: 'connected' }).waitFor();
          }
          // The page shows the room channel's state and who else is in the room.
          for (const tabPage of tabs) {
            await tabPage.getByTestId('signaling-state').filter({ hasText: 'open' }).waitFor();
            // At least the other tab (StrictMode's discarded first mount may linger in the room).
            await tabPage.locator('[data-testid="room-peers"]:not([data-count="0"])').waitFor();
          }
          const { peers, rooms } = signaling.stats();
          // Peers that left are kept a while for resume (StrictMode remounts in development).
          assert(peers >= 2 && rooms === 1, `server saw ${peers} peers in ${rooms} rooms`);
          for (const tabPage of tabs) await tabPage.close();
        } finally {
          await signaling.close();
        }
      },
    );

    if (mode === 'production') await debug.noServer();
    await roomChecks({
      context,
      origin,
      check,
      assert,
      prefix,
      watch,
      problems,
      shotPath: (name) => path.join(resultsDir, `${mode}-${name}.png`),
      full: mode === 'production',
    }).run();

    await check(`${prefix} no console errors`, async () => {
      assert(problems.length === 0, problems.join(' | '));
    });
  } finally {
    await context.close();
    if (dev) await server.close();
    else {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections?.();
    }
  }
}

async function main() {
  await mkdir(resultsDir, { recursive: true });
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
      timeout: 30_000,
    });
    console.log(`# Chromium ${browser.version()}`);
    for (const mode of MODES) {
      await runMode(browser, mode).catch((error) => report(`[${mode}] harness`, error));
    }
  } catch (error) {
    report('launch Chromium', error);
  } finally {
    await browser?.close();
  }
  const passed = results.filter(Boolean).length;
  if (known.length)
    console.log(`${known.length} known-failing (not counted as passed): ${known.join('; ')}`);
  // No check ran at all (the harness broke first) counts as one failure.
  const failed = results.length - passed || (results.length === 0 ? 1 : 0);
  await writeSuiteResult(appDir, { name: 'browser', passed, failed });
  console.log(`${passed} passed, ${failed} failed`);
  return failed || results.length === 0 ? 1 : 0;
}

main().then((code) => process.exit(code));
