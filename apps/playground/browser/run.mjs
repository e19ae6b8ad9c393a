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
// The checks are in call.mjs, session.mjs, rebuild.mjs, tabs.mjs, debugger.mjs and room.mjs; the
// runner, tally and shared locators in harness.mjs.
//
// Env: CHROMIUM_PATH (default /usr/bin/chromium), STEP_TIMEOUT_MS (default 10000),
// PLAYGROUND_ONLY (only the checks whose name contains one of `|`-separated texts, e.g.
// `room view|no console errors`).
// Prints one line per check, then `N passed, N failed`; exits 1 if any failed.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { build, createServer } from 'vite';
import { serveStatic } from '../../../scripts/static-server.mjs';
import { writeSuiteResult } from '../../../scripts/suite-results.mjs';
import { callChecks } from './call.mjs';
import { debuggerChecks } from './debugger.mjs';
import {
  appDir,
  assert,
  CHROMIUM_FLAGS,
  check,
  known,
  MODES,
  pageHelpers,
  report,
  results,
  resultsDir,
  STEP_TIMEOUT_MS,
  setFailurePage,
  watch,
} from './harness.mjs';
import { rebuildChecks } from './rebuild.mjs';
import { roomChecks } from './room.mjs';
import { sessionChecks } from './session.mjs';
import { broadcastChannelCheck, startOverCheck, webSocketCheck } from './tabs.mjs';

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
    server = await serveStatic(outDir);
    origin = `http://127.0.0.1:${server.address().port}`;
  }
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  setFailurePage(page);
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const problems = [];
  watch(page, problems, 'playground');

  const prefix = `[${mode}]`;
  const helpers = pageHelpers(page, mode);
  const { head, panel, phase, expectText, tab } = helpers;
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

  const t = { ...helpers, page, context, origin, prefix, mode, debug, problems };

  try {
    await callChecks(t);
    await sessionChecks(t);
    await rebuildChecks(t);
    await debug.reexport();
    await startOverCheck(t);
    await broadcastChannelCheck(t);
    // App logic, not the build's: once, on the production build.
    if (mode === 'production') {
      await debug.wireFaults();
      await debug.relayOnly();
    }
    await webSocketCheck(t);
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
