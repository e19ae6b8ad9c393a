#!/usr/bin/env node
// Real-browser tests for @peerstatejs/core: bundles browser/*.ts with esbuild, serves them from
// 127.0.0.1 on an ephemeral port, and runs each scenario in a fresh Chromium context.
//
//   node browser/run.mjs                      all scenarios
//   node browser/run.mjs raw-baseline media   a subset (or BROWSER_SCENARIOS=raw-baseline,media)
//   node browser/run.mjs --list               scenario names
//   node browser/run.mjs --trace              keep traces of passing scenarios too
//
// Env: CHROMIUM_PATH (default /usr/bin/chromium), SCENARIO_TIMEOUT_MS (default 20000).
// Failures write browser/test-results/<scenario>/{error.txt,trace.json,log.txt,screenshot.png}.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, formatMessages } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS as BASE_FLAGS } from '../../../scripts/chromium-flags.mjs';
import { writeSuiteResult } from '../../../scripts/suite-results.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.dirname(here);
const resultsDir = path.join(here, 'test-results');
const SCENARIO_TIMEOUT_MS = Number(process.env.SCENARIO_TIMEOUT_MS ?? 20_000);
/** Budget for each wait inside a scenario: well under the runner's, so the page reports first. */
const WAIT_TIMEOUT_MS = Math.max(1_000, Math.floor(SCENARIO_TIMEOUT_MS / 2));
const CHROMIUM_FLAGS = ['--headless', ...BASE_FLAGS];

// ---------------------------------------------------------------------------------------------
// Scenarios. `entry` is the bundle the page loads, `prelude` runs in an inline classic script
// before it, `premise` checks what the prelude left behind, `check` asserts on the page's result
// and returns a note for the success line.

const DELETE_UNPREFIXED = 'delete window.RTCPeerConnection;';
// Counts the native negotiation calls made in the callback form (a function among the arguments).
const COUNT_CALLBACK_CALLS = `window.__callbackCalls = 0;
for (const name of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) {
  const native = RTCPeerConnection.prototype[name];
  RTCPeerConnection.prototype[name] = function (...args) {
    if (args.some((arg) => typeof arg === 'function')) window.__callbackCalls++;
    return native.apply(this, args);
  };
}`;
const DELETE_ALL =
  'delete window.RTCPeerConnection; delete window.webkitRTCPeerConnection; delete window.mozRTCPeerConnection;';

function checkDataChannelFlow(r, platformName) {
  assert.equal(r.platform.a, platformName, 'peer a context.platform.name');
  assert.equal(r.platform.b, platformName, 'peer b context.platform.name');
  assert.ok(Number.isFinite(r.connectedMs.a), 'peer a reported a time to connected');
  assert.ok(Number.isFinite(r.connectedMs.b), 'peer b reported a time to connected');
  assert.deepEqual(
    r.channels.a,
    [{ label: 'chat', origin: 'local', readyState: 'open' }],
    'peer a context.dataChannels',
  );
  assert.deepEqual(
    r.channels.b,
    [{ label: 'chat', origin: 'remote', readyState: 'open' }],
    'peer b context.dataChannels',
  );
  assert.deepEqual(r.received.b, [{ label: 'chat', data: r.sent.a }], 'data events at b');
  assert.deepEqual(r.received.a, [{ label: 'chat', data: r.sent.b }], 'data events at a');
  assert.deepEqual(r.errors, { a: [], b: [] }, 'no error events');
  assert.equal(r.closed.a, true, 'peer a closed after CLOSE');
  assert.equal(r.closed.b, true, 'peer b closed');
  return `connected a ${r.connectedMs.a} ms, b ${r.connectedMs.b} ms`;
}

const SCENARIOS = [
  {
    name: 'raw-baseline',
    entry: 'baseline',
    prelude: '',
    premise: (pre) => assert.equal(pre.RTCPeerConnection, 'function', 'typeof RTCPeerConnection'),
    check(r) {
      assert.deepEqual(r.connectionState, { a: 'connected', b: 'connected' }, 'connectionState');
      assert.equal(r.remoteLabel, 'chat', 'remote data channel label');
      assert.equal(r.received.b, r.sent.a, 'message a→b intact');
      assert.equal(r.received.a, r.sent.b, 'message b→a intact');
      return `connected a ${r.connectedMs.a} ms, b ${r.connectedMs.b} ms`;
    },
  },
  {
    name: 'rtcpeerconnection',
    entry: 'fixture',
    prelude: '',
    premise: (pre) => assert.equal(pre.RTCPeerConnection, 'function', 'typeof RTCPeerConnection'),
    check: (r) => checkDataChannelFlow(r, 'RTCPeerConnection'),
  },
  {
    name: 'webkit-prefixed',
    entry: 'fixture',
    prelude: DELETE_UNPREFIXED,
    premise(pre) {
      assert.equal(pre.RTCPeerConnection, 'undefined', 'RTCPeerConnection deleted by the prelude');
      assert.equal(
        pre.webkitRTCPeerConnection,
        'function',
        'this Chromium exposes webkitRTCPeerConnection',
      );
    },
    check: (r) => checkDataChannelFlow(r, 'webkitRTCPeerConnection'),
  },
  {
    name: 'legacy-callback',
    entry: 'fixture',
    prelude: COUNT_CALLBACK_CALLS,
    premise: (pre) => assert.equal(pre.RTCPeerConnection, 'function', 'typeof RTCPeerConnection'),
    check(r) {
      // Every description and candidate went through the callback form: offer, answer, both
      // sides' local and remote descriptions, and at least one candidate each way.
      assert.ok(r.callbackCalls >= 8, `native calls in the callback form (${r.callbackCalls})`);
      return `${checkDataChannelFlow(r, 'custom')}; ${r.callbackCalls} callback-form calls`;
    },
  },
  {
    name: 'media',
    entry: 'fixture',
    prelude: '',
    premise: (pre) => assert.equal(pre.RTCPeerConnection, 'function', 'typeof RTCPeerConnection'),
    check(r) {
      assert.deepEqual(r.local.kinds, ['audio', 'video'], 'fake getUserMedia gave audio + video');
      assert.equal(r.remoteTracks.length, 2, 'b context.remoteTracks length');
      assert.deepEqual(
        r.remoteTracks.map((t) => t.kind).sort(),
        ['audio', 'video'],
        'b remote track kinds',
      );
      for (const t of r.remoteTracks) {
        assert.equal(t.readyState, 'live', `remote ${t.kind} track live`);
        assert.equal(t.ended, false, `remote ${t.kind} entry not ended`);
        assert.ok(
          t.streamIds.includes(r.local.streamId),
          `remote ${t.kind} track carries a's stream id ${r.local.streamId} (got ${t.streamIds})`,
        );
      }
      assert.ok(
        r.playback.videoWidth > 0,
        `remote <video> videoWidth > 0 (${r.playback.videoWidth})`,
      );
      assert.ok(
        r.playback.laterTime > r.playback.firstTime,
        `remote <video> currentTime advanced (${r.playback.firstTime} → ${r.playback.laterTime})`,
      );
      assert.deepEqual(r.errors, { a: [], b: [] }, 'no error events');
      assert.equal(r.closed.a, true, 'peer a closed after CLOSE');
      assert.equal(r.closed.b, true, 'peer b closed');
      return (
        `connected a ${r.connectedMs.a} ms, b ${r.connectedMs.b} ms; ` +
        `video ${r.playback.videoWidth}x${r.playback.videoHeight}`
      );
    },
  },
  {
    name: 'unsupported',
    entry: 'fixture',
    prelude: DELETE_ALL,
    premise(pre) {
      assert.deepEqual(
        pre,
        {
          RTCPeerConnection: 'undefined',
          webkitRTCPeerConnection: 'undefined',
          mozRTCPeerConnection: 'undefined',
        },
        'prelude removed every peer connection constructor',
      );
    },
    check(r) {
      assert.equal(
        r.threw,
        undefined,
        `createPeer/start threw instead of emitting: ${r.threw?.message}`,
      );
      assert.equal(r.errors.length, 1, `exactly one error event (got ${JSON.stringify(r.errors)})`);
      assert.equal(r.errors[0].code, 'UNSUPPORTED', 'error.code');
      assert.equal(r.failed, true, `machine in failed (value ${JSON.stringify(r.value)})`);
      return `${r.errors[0].name}, state ${JSON.stringify(r.value)}`;
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers

const BUNDLES = [...new Set(SCENARIOS.map((s) => s.entry))];

async function bundle(entry) {
  const file = path.join(here, `${entry}.ts`);
  try {
    const result = await build({
      absWorkingDir: packageDir,
      entryPoints: [file],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['development', 'module'],
      sourcemap: 'inline',
      sourcesContent: true,
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    return { code, map: sourceMapOf(code) };
  } catch (error) {
    const errors = Array.isArray(error?.errors) ? error.errors : [];
    const full = errors.length
      ? (await formatMessages(errors, { kind: 'error', color: false })).join('')
      : String(error?.stack ?? error);
    const first = errors[0];
    const where = first?.location
      ? `${first.location.file}:${first.location.line}:${first.location.column}: `
      : '';
    const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
    return {
      error: `bundling browser/${entry}.ts failed: ${where}${first?.text ?? String(error)}${more}`,
      full,
    };
  }
}

function sourceMapOf(code) {
  const match = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(
    code,
  );
  if (!match) return undefined;
  try {
    return new SourceMap(JSON.parse(Buffer.from(match[1], 'base64').toString('utf8')));
  } catch {
    return undefined;
  }
}

/** Bundles by entry name; module-level so stacks can be mapped back to the TypeScript sources. */
const bundles = {};

/** Rewrites `http://127.0.0.1:PORT/fixture.js:L:C` in page stacks to `src/….ts:L:C`. */
function mapStack(text) {
  return String(text).replace(
    /https?:\/\/127\.0\.0\.1:\d+\/([\w-]+)\.js:(\d+):(\d+)/g,
    (all, entry, line, column) => {
      const found = bundles[entry]?.map?.findEntry(Number(line) - 1, Number(column) - 1);
      if (!found?.originalSource) return all;
      const source = found.originalSource.replace(/^(\.\.\/)+/, '').replace(/^file:\/\//, '');
      return `${source}:${found.originalLine + 1}:${found.originalColumn + 1}`;
    },
  );
}

/** One readable line for the summary; assertion diffs become `message: expected X, got Y`. */
function reasonOf(error) {
  if (error?.code === 'ERR_ASSERTION' && !error.generatedMessage) {
    if (['deepStrictEqual', 'strictEqual'].includes(error.operator)) {
      const show = (value) => (value === undefined ? 'undefined' : JSON.stringify(value));
      const message = error.message.split('\n')[0];
      return oneLine(`${message}: expected ${show(error.expected)}, got ${show(error.actual)}`);
    }
  }
  return oneLine(error?.message ?? error);
}

function page(scenario) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>peerstate: ${scenario.name}</title>
<style>body{font:12px/1.4 monospace;margin:8px}video{background:#222;width:320px;height:240px}pre{white-space:pre-wrap;word-break:break-all}</style>
<script>
${scenario.prelude}
window.__pre = {
  RTCPeerConnection: typeof window.RTCPeerConnection,
  webkitRTCPeerConnection: typeof window.webkitRTCPeerConnection,
  mozRTCPeerConnection: typeof window.mozRTCPeerConnection,
};
</script></head>
<body><h3>${scenario.name}</h3>
<video id="remote" muted autoplay playsinline></video>
<pre id="log"></pre>
<script type="module" src="/${scenario.entry}.js"></script>
</body></html>`;
}

function startServer(bundles) {
  const byName = new Map(SCENARIOS.map((s) => [s.name, s]));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const scenarioMatch = /^\/s\/([\w-]+)$/.exec(url.pathname);
    const bundleMatch = /^\/([\w-]+)\.js$/.exec(url.pathname);
    if (scenarioMatch && byName.has(scenarioMatch[1])) {
      send(200, 'text/html; charset=utf-8', page(byName.get(scenarioMatch[1])));
    } else if (bundleMatch && bundles[bundleMatch[1]]?.code) {
      send(200, 'text/javascript; charset=utf-8', bundles[bundleMatch[1]].code);
    } else if (url.pathname === '/favicon.ico') {
      send(204, 'image/x-icon', '');
    } else {
      send(404, 'text/plain', 'not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Races `promise` against a timer; the loser's rejection is swallowed. */
function withTimeout(promise, ms, message) {
  promise.catch(() => {});
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(typeof message === 'function' ? message() : message)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const oneLine = (text, max = 400) => {
  const line = String(text)
    .replace(/\s*\n\s*/g, ' ⏎ ')
    .trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
};

function formatLog(log = []) {
  return log
    .map(
      (e) => `${e.t.toFixed(1).padStart(8)} ${e.peer.padEnd(7)} ${e.kind.padEnd(12)} ${e.detail}`,
    )
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// One scenario

async function runOne(scenario, { browser, launchError, bundles, origin, keepTrace }) {
  const started = performance.now();
  const dir = path.join(resultsDir, scenario.name);
  await rm(dir, { recursive: true, force: true });
  const state = {
    step: 'setup',
    pre: undefined,
    result: undefined,
    consoleErrors: [],
    consoleLines: [],
    pageErrors: [],
  };
  let context;
  let pageHandle;
  let failure;
  let note = '';

  try {
    const built = bundles[scenario.entry];
    if (built.error) throw Object.assign(new Error(built.error), { details: built.full });
    if (!browser) throw new Error(`Chromium did not launch: ${launchError}`);

    const body = async () => {
      state.step = 'new context';
      context = await browser.newContext();
      pageHandle = await context.newPage();
      pageHandle.on('console', (message) => {
        const text = mapStack(message.text());
        state.consoleLines.push(`[${message.type()}] ${text}`);
        if (message.type() === 'error') state.consoleErrors.push(text);
      });
      pageHandle.on('pageerror', (error) =>
        state.pageErrors.push(mapStack(error.stack ?? String(error))),
      );
      pageHandle.on('crash', () => state.pageErrors.push('the page crashed'));

      state.step = 'load page';
      await pageHandle.goto(`${origin}/s/${scenario.name}`, { waitUntil: 'load' });
      state.step = 'wait for the fixture to initialise';
      await pageHandle
        .waitForFunction(() => window.__fixtureReady === true, null, { timeout: 5_000 })
        .catch(() => {
          const why = state.pageErrors[0] ? `: ${state.pageErrors[0]}` : '';
          throw new Error(`browser/${scenario.entry}.ts did not initialise${why}`);
        });
      state.pre = await pageHandle.evaluate(() => window.__pre);
      state.step = 'premise';
      try {
        scenario.premise?.(state.pre);
      } catch (error) {
        error.message = `premise not met (test environment, not the SDK): ${error.message}`;
        throw error;
      }

      state.step = 'runScenario in the page';
      const outcome = await pageHandle.evaluate(
        ([name, options]) => window.runScenario(name, options),
        [scenario.name, { timeoutMs: WAIT_TIMEOUT_MS }],
      );
      if (!outcome.ok) {
        const e = outcome.error;
        throw Object.assign(new Error(mapStack(`${e.code ? `[${e.code}] ` : ''}${e.message}`)), {
          details: e.stack && mapStack(e.stack),
        });
      }
      state.result = outcome.result;

      state.step = 'assertions';
      note = scenario.check(outcome.result) ?? '';
      if (state.pageErrors.length)
        throw new Error(`uncaught error in the page: ${state.pageErrors[0]}`);
      if (state.consoleErrors.length)
        throw new Error(`console.error in the page: ${state.consoleErrors[0]}`);
    };
    await withTimeout(
      body(),
      SCENARIO_TIMEOUT_MS,
      () => `timed out after ${SCENARIO_TIMEOUT_MS} ms during: ${state.step}`,
    );
  } catch (error) {
    failure = error;
  }

  const ms = Math.round(performance.now() - started);
  if (failure || keepTrace) {
    await saveTrace(dir, scenario, state, failure, pageHandle).catch((error) => {
      process.stderr.write(`(could not write trace for ${scenario.name}: ${error})\n`);
    });
  }
  if (context) await withTimeout(context.close(), 5_000, 'context.close').catch(() => {});

  if (failure) {
    let reason = reasonOf(failure);
    const pageError = state.pageErrors[0];
    if (pageError && !failure.message.includes('uncaught error in the page')) {
      reason += ` (also ${state.pageErrors.length} uncaught page error(s), first: ${oneLine(pageError, 200)})`;
    }
    return { ok: false, ms, reason, dir };
  }
  return { ok: true, ms, note, dir: keepTrace ? dir : undefined };
}

async function saveTrace(dir, scenario, state, failure, pageHandle) {
  await mkdir(dir, { recursive: true });
  let pageTrace;
  if (pageHandle && !pageHandle.isClosed()) {
    pageTrace = await withTimeout(
      pageHandle.evaluate(() => window.getTrace?.()),
      3_000,
      'getTrace timed out',
    ).catch((error) => ({ unavailable: String(error.message ?? error) }));
    await withTimeout(
      pageHandle.screenshot({ path: path.join(dir, 'screenshot.png'), fullPage: true }),
      5_000,
      'screenshot timed out',
    ).catch(() => {});
  }
  const error = failure
    ? [
        `scenario: ${scenario.name}`,
        `step: ${state.step}`,
        `error: ${failure.message}`,
        failure.details ? `\n${failure.details}` : '',
        failure.stack ? `\nrunner stack:\n${failure.stack}` : '',
      ].join('\n')
    : 'passed';
  await writeFile(path.join(dir, 'error.txt'), `${error}\n`);
  await writeFile(
    path.join(dir, 'trace.json'),
    `${mapStack(
      JSON.stringify(
        {
          scenario: scenario.name,
          failed: Boolean(failure),
          error: failure?.message,
          step: state.step,
          pre: state.pre,
          result: state.result,
          pageErrors: state.pageErrors,
          consoleErrors: state.consoleErrors,
          console: state.consoleLines,
          peers: pageTrace?.peers,
          log: pageTrace?.log,
          ...(pageTrace?.unavailable ? { traceUnavailable: pageTrace.unavailable } : {}),
        },
        null,
        2,
      ),
    )}\n`,
  );
  if (pageTrace?.log) {
    await writeFile(path.join(dir, 'log.txt'), `${mapStack(formatLog(pageTrace.log))}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const s of SCENARIOS) console.log(s.name);
    return 0;
  }
  const keepTrace = args.includes('--trace');
  const requested = [
    ...args.filter((a) => !a.startsWith('--')),
    ...(process.env.BROWSER_SCENARIOS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
  const unknown = requested.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length) {
    console.error(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
    return 2;
  }
  const selected = requested.length
    ? SCENARIOS.filter((s) => requested.includes(s.name))
    : SCENARIOS;

  const entries = BUNDLES.filter((entry) => selected.some((s) => s.entry === entry));
  await Promise.all(
    entries.map(async (entry) => {
      bundles[entry] = await bundle(entry);
      if (bundles[entry].error)
        process.stderr.write(`${bundles[entry].error}\n${bundles[entry].full}\n`);
    }),
  );

  let server;
  let persistent;
  let userDataDir;
  let cleanedUp = false;
  const cleanup = async () => {
    if (cleanedUp) return;
    cleanedUp = true;
    if (persistent) await withTimeout(persistent.close(), 10_000, 'browser close').catch(() => {});
    if (server) await stopServer(server);
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
  };
  const onSignal = (signal) => {
    cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results = [];
  try {
    server = await startServer(bundles);
    const { port } = server.address();
    const origin = `http://127.0.0.1:${port}`;

    let browser;
    let launchError;
    if (selected.some((s) => !bundles[s.entry].error)) {
      try {
        userDataDir = await mkdtemp(path.join(os.tmpdir(), 'peerstate-chromium-'));
        persistent = await chromium.launchPersistentContext(userDataDir, {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          headless: true,
          args: CHROMIUM_FLAGS,
          timeout: 30_000,
        });
        browser = persistent.browser();
        if (!browser)
          throw new Error('launchPersistentContext gave no Browser to create contexts on');
        console.log(`# Chromium ${browser.version()}, serving ${origin}`);
      } catch (error) {
        launchError = oneLine(error.message ?? error, 300);
        console.log(`# Chromium failed to launch: ${launchError}`);
      }
    }

    for (const scenario of selected) {
      const r = await runOne(scenario, { browser, launchError, bundles, origin, keepTrace });
      results.push(r);
      const where = r.dir ? path.relative(process.cwd(), r.dir) || r.dir : '';
      if (r.ok) {
        console.log(`✓ ${scenario.name} (${r.ms} ms)${r.note ? ` ${r.note}` : ''}`);
        if (where) console.log(`    trace: ${where}/`);
      } else {
        console.log(`✗ ${scenario.name}: ${r.reason}`);
        console.log(`    trace: ${where}/`);
      }
    }
  } catch (error) {
    console.log(`# harness error: ${oneLine(error?.stack ?? error)}`);
    for (const scenario of selected.slice(results.length)) {
      results.push({ ok: false });
      console.log(`✗ ${scenario.name}: not run (harness error)`);
    }
  } finally {
    await cleanup();
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  await writeSuiteResult(packageDir, { name: 'browser', passed, failed });
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    writeSuiteResult(packageDir, { name: 'browser', passed: 0, failed: 1 }).finally(() =>
      process.exit(1),
    );
  },
);
