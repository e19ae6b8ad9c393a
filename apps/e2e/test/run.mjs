#!/usr/bin/env node
// End-to-end tests of @peerstatejs/core in real browsers: Chromium (playwright-core) and Firefox
// ESR (puppeteer-core over WebDriver BiDi), with a WebSocket relay and coturn started here on
// 127.0.0.1. See ../README.md.
//
//   node test/run.mjs                 every scenario
//   node test/run.mjs 3 6-ice         scenarios whose name starts with one of these
//   node test/run.mjs --list          names
//   node test/run.mjs --trace         keep the trace of passing scenarios too
//
// Failures write test-results/<scenario>/ (event logs of every page, getStats, screenshots,
// coturn and relay logs); the path is printed.

import assert from 'node:assert/strict';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeSuiteResult } from '../../../scripts/suite-results.mjs';
import { CROSS_BROWSER_SCENARIOS } from './crossBrowser.mjs';
import { DATA_CHANNEL_SCENARIOS } from './dataChannels.mjs';
import { ENGINE_SCENARIOS } from './engine.mjs';
import { launchChromium, launchFirefox } from './lib/browsers.mjs';
import { PRELUDES } from './lib/preludes.mjs';
import { startPageServer, startRelay, startTurn } from './lib/servers.mjs';
import { MEDIA_CONTROLS_SCENARIOS } from './mediaControls.mjs';
import { ROOM_SCENARIOS } from './rooms.mjs';
import { SCENARIOS as BASE_SCENARIOS } from './scenarios.mjs';
import { SESSION_SCENARIOS } from './session.mjs';
import { STARTUP_SCENARIOS } from './startup.mjs';
import { STATS_SCENARIOS } from './stats.mjs';

const SCENARIOS = [
  ...BASE_SCENARIOS,
  ...ENGINE_SCENARIOS,
  ...STARTUP_SCENARIOS,
  ...CROSS_BROWSER_SCENARIOS,
  ...STATS_SCENARIOS,
  ...SESSION_SCENARIOS,
  ...ROOM_SCENARIOS,
  ...DATA_CHANNEL_SCENARIOS,
  ...MEDIA_CONTROLS_SCENARIOS,
];

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.dirname(here);
const resultsDir = path.join(packageDir, 'test-results');

async function bundleFixture() {
  try {
    const result = await build({
      absWorkingDir: packageDir,
      entryPoints: ['src/fixture.ts'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: 'inline',
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0].text;
  } catch (error) {
    const first = error?.errors?.[0];
    throw new Error(
      `bundling src/fixture.ts failed: ${first?.text ?? error}` +
        ' (is @peerstatejs/core built? run `pnpm build` at the root)',
    );
  }
}

// Real browsers on a loaded 2-core machine: a scenario may fail for the environment once. It gets
// one retry, announced with the first attempt's reason; a pass on the retry is reported as FLAKY
// and counted in the summary, a second failure fails the suite.
const MAX_ATTEMPTS = 2;

const oneLine = (text, max = 500) => {
  const line = String(text)
    .replace(/\s*\n\s*/g, ' ⏎ ')
    .trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
};

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The lazily launched browsers, shared by every scenario. */
function browserPool() {
  const launched = {};
  const get = (name, launch) => {
    launched[name] ??= launch().catch((error) => {
      throw new Error(`${name} did not launch: ${oneLine(error.message ?? error, 300)}`);
    });
    return launched[name];
  };
  return {
    chromium: () => get('chromium', launchChromium),
    firefox: () => get('firefox', launchFirefox),
    async closeAll() {
      for (const pending of Object.values(launched)) {
        const browser = await pending.catch(() => undefined);
        await browser?.close().catch(() => {});
      }
    },
  };
}

/** What a scenario body gets: pages, servers, figures; everything is torn down after it. */
function scenarioContext(scenario, { browsers, origin }) {
  const pages = [];
  const relays = [];
  const turns = [];
  const logs = { turn: [], relay: [] };
  const figures = {};
  const t = {
    name: scenario.name,
    figures,
    logs,
    figure(key, value) {
      figures[key] = value;
    },
    async page(browserName, label, prelude = 'plain') {
      const browser = await browsers[browserName]();
      const page = await browser.newPage(label);
      pages.push(page);
      await page.open(origin, prelude);
      return page;
    },
    chromium: (label, prelude) => t.page('chromium', label, prelude),
    firefox: (label, prelude) => t.page('firefox', label, prelude),
    async relay(port = 0) {
      const relay = await startRelay(port);
      relays.push(relay);
      relay.log = logs.relay;
      return wrapRelay(relay, logs.relay);
    },
    async turn(port, auth) {
      const turn = await startTurn({ port, log: logs.turn, ...(auth ? { auth } : {}) });
      turns.push(turn);
      return turn;
    },
    /**
     * Checks a page as the end of the scenario would, then closes it (long loops of calls).
     * `tab`: close the tab first as a user does (`{ runBeforeUnload }`), not only its context;
     * `'crash'`: kill its renderer first (no pagehide runs).
     */
    async closePage(page, tab) {
      await t.checkPages([page]);
      pages.splice(pages.indexOf(page), 1);
      if (tab === 'crash') await page.crash();
      else if (tab) await withTimeout(page.closeTab(tab), 5_000, () => 'close tab');
      await withTimeout(page.close(), 5_000, () => 'close').catch(() => {});
    },
    async checkPages(which = pages) {
      for (const page of which) {
        const uncaught = await page.call('uncaught');
        assert.deepEqual(
          uncaught,
          [],
          `${page.label}: uncaught errors / unhandled rejections in the page`,
        );
        assert.deepEqual(page.pageErrors, [], `${page.label}: page errors`);
      }
    },
    async saveTrace(dir, failure) {
      await mkdir(dir, { recursive: true });
      for (const page of pages) {
        const base = path.join(dir, `${page.label}-${page.browserName}`);
        const trace = await withTimeout(page.call('trace'), 5_000, () => 'trace timed out').catch(
          (error) => ({ unavailable: String(error.message ?? error) }),
        );
        await writeFile(`${base}-trace.json`, `${JSON.stringify(trace, null, 1)}\n`);
        const entries = trace?.log?.entries ?? [];
        const t0 = entries[0]?.at ?? 0;
        await writeFile(
          `${base}-log.txt`,
          `${entries.map((e) => `${String(e.at - t0).padStart(7)} ${e.peer.padEnd(10)} ${e.kind.padEnd(14)} ${e.detail}`).join('\n')}\n`,
        );
        await writeFile(`${base}-console.txt`, `${page.consoleLines.join('\n')}\n`);
        await withTimeout(page.screenshot(`${base}.png`), 5_000, () => 'screenshot').catch(
          () => {},
        );
      }
      if (logs.turn.length)
        await writeFile(path.join(dir, 'coturn.log'), `${logs.turn.join('\n')}\n`);
      if (logs.relay.length)
        await writeFile(path.join(dir, 'relay.log'), `${logs.relay.join('\n')}\n`);
      await writeFile(
        path.join(dir, 'error.txt'),
        `${failure ? `${failure.stack ?? failure}` : 'passed'}\n\nfigures: ${JSON.stringify(figures, null, 2)}\n`,
      );
    },
    async teardown() {
      for (const page of pages)
        await withTimeout(page.close(), 5_000, () => 'close').catch(() => {});
      for (const relay of relays) await relay.stop().catch(() => {});
      for (const turn of turns) await turn.kill().catch(() => {});
    },
  };
  return t;
}

function wrapRelay(relay) {
  return {
    get port() {
      return relay.port;
    },
    url: relay.url,
    counts: relay.counts,
    stop: () => relay.stop(),
  };
}

async function runOne(scenario, shared, keepTrace) {
  const started = Date.now();
  const dir = path.join(resultsDir, scenario.name);
  await rm(dir, { recursive: true, force: true });
  const t = scenarioContext(scenario, shared);
  let failure;
  try {
    await withTimeout(
      (async () => {
        await scenario.run(t);
        await t.checkPages();
      })(),
      scenario.timeoutMs ?? 90_000,
      () => `timed out after ${scenario.timeoutMs ?? 90_000} ms`,
    );
  } catch (error) {
    failure = error;
  }
  if (failure || keepTrace) {
    await t.saveTrace(dir, failure).catch((error) => {
      process.stdout.write(`    (could not write the trace: ${error})\n`);
    });
  }
  await t.teardown();
  return {
    name: scenario.name,
    ok: !failure,
    ms: Date.now() - started,
    failure,
    figures: t.figures,
    dir,
  };
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const s of SCENARIOS) console.log(s.name);
    return 0;
  }
  const keepTrace = args.includes('--trace');
  const wanted = [
    ...args.filter((a) => !a.startsWith('--')),
    ...(process.env.E2E_SCENARIOS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
  const selected = wanted.length
    ? SCENARIOS.filter((s) => wanted.some((w) => s.name === w || s.name.startsWith(`${w}`)))
    : SCENARIOS;
  if (!selected.length) {
    console.error(`no scenario matches ${wanted.join(', ')}; try --list`);
    return 2;
  }

  const bundle = await bundleFixture();
  const server = await startPageServer({ bundle, preludes: PRELUDES });
  const browsers = browserPool();
  const onSignal = () => {
    Promise.allSettled([browsers.closeAll(), server.stop()]).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results = [];
  const suiteStarted = Date.now();
  console.log(`# peerstate e2e: ${selected.length} scenario(s), pages on ${server.origin}`);
  try {
    for (const scenario of selected) {
      let r = await runOne(scenario, { browsers, origin: server.origin }, keepTrace);
      // Real browsers on a shared 2-core machine are not deterministic: a failed scenario runs
      // once more (MAX_ATTEMPTS), announced with the failure it retries, and a pass then is
      // reported as flaky with every failed attempt's reason and trace, never hidden.
      const reasons = [];
      for (let attempt = 2; attempt <= MAX_ATTEMPTS && !r.ok && !scenario.knownFailing; attempt++) {
        const failedDir = `${r.dir}-attempt-${attempt - 1}`;
        await rm(failedDir, { recursive: true, force: true });
        await rename(r.dir, failedDir).catch(() => {});
        const reason = oneLine(r.failure?.message ?? r.failure, 500);
        reasons.push(`attempt ${attempt - 1}: ${oneLine(reason, 200)}`);
        console.log(
          `↻ ${r.name}: attempt ${attempt - 1} of ${MAX_ATTEMPTS} failed (${r.ms} ms): ${reason}; retrying (trace: ${path.relative(process.cwd(), failedDir)}/)`,
        );
        r = await runOne(scenario, { browsers, origin: server.origin }, keepTrace);
        r.flakyReason = reasons.join('; ');
        if (r.ok) {
          console.log(
            `~ ${r.name}: FLAKY, passed on attempt ${attempt} (${r.flakyReason}; traces: ${path.relative(process.cwd(), r.dir)}-attempt-*/)`,
          );
        }
      }
      const figures = Object.keys(r.figures).length ? ` ${JSON.stringify(r.figures)}` : '';
      const where = path.relative(process.cwd(), r.dir) || r.dir;
      if (r.ok && scenario.knownFailing) {
        console.log(
          `? ${r.name} (${r.ms} ms): KNOWN-FAILING scenario passed; remove the mark if it keeps passing${figures}`,
        );
      } else if (r.ok) {
        console.log(`✓ ${r.name} (${r.ms} ms)${figures}`);
        if (keepTrace) console.log(`    trace: ${where}/`);
      } else if (scenario.knownFailing) {
        console.log(
          `! ${r.name} (${r.ms} ms): KNOWN FAILURE, NOT PASSED (${scenario.knownFailing}): ${oneLine(r.failure?.message ?? r.failure)}`,
        );
        console.log(`    trace: ${where}/`);
      } else {
        const before = r.flakyReason ? ` (retried once after ${r.flakyReason})` : '';
        console.log(
          `✗ ${r.name} (${r.ms} ms): ${oneLine(r.failure?.message ?? r.failure)}${before}`,
        );
        console.log(`    trace: ${where}/`);
      }
      results.push({ ...r, knownFailing: Boolean(scenario.knownFailing) });
    }
  } finally {
    await browsers.closeAll();
    await server.stop();
  }
  const passed = results.filter((r) => r.ok && !r.knownFailing).length;
  const known = results.filter((r) => !r.ok && r.knownFailing).length;
  const flaky = results.filter((r) => r.ok && r.flakyReason).length;
  const failed = results.filter((r) => !r.ok && !r.knownFailing).length;
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    path.join(resultsDir, 'summary.json'),
    `${JSON.stringify(
      results.map(({ name, ok, ms, figures, failure, knownFailing, flakyReason }) => ({
        name,
        ok,
        knownFailing,
        ...(flakyReason ? { flakyReason } : {}),
        ms,
        figures,
        ...(failure ? { failure: oneLine(failure.message ?? failure) } : {}),
      })),
      null,
      2,
    )}\n`,
  );
  await writeSuiteResult(packageDir, { name: 'browser', passed, failed, flaky });
  console.log(
    `${passed} passed, ${failed} failed${known ? `, ${known} known-failing (not counted as passed)` : ''}` +
      `${flaky ? `, ${flaky} flaky (passed on a later attempt)` : ''} ` +
      `in ${Math.round((Date.now() - suiteStarted) / 1000)} s; figures in ${path.relative(process.cwd(), resultsDir) || resultsDir}/summary.json`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
