#!/usr/bin/env node
// Browser test of the framework examples (example-react, and example-vue, whose test:browser runs
// this file from its own folder): builds the example in the current directory with Vite
// (production, then development: React's StrictMode mounts every component twice, Vue adds its dev
// checks), serves dist/ on 127.0.0.1, and drives the page in
// headless Chromium the way a person would: open a data channel, send messages both ways, start
// the fake camera, leave the call. It asserts on what the page shows, and counts the page's
// RTCPeerConnections to prove exactly one per peer was created and all are closed on leave.
//
//   node browser/run.mjs            both builds
//   BUILD_MODES=production node browser/run.mjs
//
// Env: CHROMIUM_PATH (default /usr/bin/chromium), STEP_TIMEOUT_MS (default 10000).
// Prints one line per check, then `N passed, N failed`; exits 1 if any failed.

import path from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_FLAGS as BASE_FLAGS } from '../../../scripts/chromium-flags.mjs';
import { serveStatic as serve } from '../../../scripts/static-server.mjs';
import { writeSuiteResult } from '../../../scripts/suite-results.mjs';

// The example being tested is the package the script runs in (pnpm runs scripts there).
const appDir = process.cwd();
const MODES = (process.env.BUILD_MODES ?? 'production,development').split(',').filter(Boolean);
const STEP_TIMEOUT_MS = Number(process.env.STEP_TIMEOUT_MS ?? 10_000);
const CHROMIUM_FLAGS = ['--headless', ...BASE_FLAGS];

// Runs in the page before the app: remembers every RTCPeerConnection the SDK creates.
function countPeerConnections() {
  const Native = window.RTCPeerConnection;
  const created = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      created.push(this);
    }
  };
  window.__peerConnections = () => ({
    created: created.length,
    open: created.filter((pc) => pc.signalingState !== 'closed').length,
  });
}

const results = [];
function report(name, error) {
  results.push(!error);
  console.log(error ? `✗ ${name}: ${String(error.message ?? error).split('\n')[0]}` : `✓ ${name}`);
}

async function check(name, body) {
  try {
    await body();
    report(name);
  } catch (error) {
    report(name, error);
  }
}

async function runMode(browser, mode) {
  const outDir = path.join(appDir, 'dist', mode);
  process.env.NODE_ENV = mode;
  await build({ root: appDir, mode, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await serve(outDir);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  await page.addInitScript(countPeerConnections);

  const alice = page.locator('[data-peer="Alice"]');
  const bob = page.locator('[data-peer="Bob"]');
  const phase = (peer) => peer.getByTestId('phase');
  const opts = { timeout: STEP_TIMEOUT_MS };
  const expectText = async (locator, text) => {
    await locator.filter({ hasText: text }).waitFor(opts);
  };
  const prefix = `[${mode}]`;
  try {
    await check(`${prefix} page loads a ${mode} build with both peers negotiating`, async () => {
      await page.goto(origin);
      await expectText(page.getByTestId('build'), `${mode} build`);
      await expectText(phase(alice), 'negotiating');
      await expectText(phase(bob), 'negotiating');
    });
    await check(`${prefix} a data channel connects both peers`, async () => {
      await alice.getByRole('button', { name: 'Open data channel' }).click();
      await expectText(phase(alice), 'connected');
      await expectText(phase(bob), 'connected');
      await expectText(alice.getByTestId('channels'), 'chat (local): open');
      await expectText(bob.getByTestId('channels'), 'chat (remote): open');
    });
    await check(`${prefix} messages arrive both ways as the page shows them`, async () => {
      await alice.getByRole('button', { name: 'Send hello' }).click();
      await expectText(bob.getByTestId('log'), '← [chat] hello from Alice');
      await bob.getByRole('button', { name: 'Send hello' }).click();
      await expectText(alice.getByTestId('log'), '← [chat] hello from Bob');
    });
    await check(`${prefix} the fake camera plays as Bob's remote video`, async () => {
      await alice.getByRole('button', { name: 'Start camera + mic' }).click();
      const video = bob.getByTestId('remote-video');
      await page.waitForFunction(
        (el) => el.videoWidth > 0 && el.currentTime > 0,
        await video.elementHandle(),
        opts,
      );
      const first = await video.evaluate((el) => el.currentTime);
      await page
        .waitForFunction(
          ([el, t]) => el.currentTime > t,
          [await video.elementHandle(), first],
          opts,
        )
        .catch(() => {
          throw new Error(`remote video did not advance past ${first}s`);
        });
      await expectText(phase(bob), 'connected');
    });
    await check(`${prefix} exactly one RTCPeerConnection per peer`, async () => {
      const pcs = await page.evaluate(() => window.__peerConnections());
      if (pcs.created !== 2 || pcs.open !== 2) {
        throw new Error(`expected 2 created and 2 open, got ${JSON.stringify(pcs)}`);
      }
    });
    await check(
      `${prefix} leaving the call unmounts both peers and closes both connections`,
      async () => {
        await page.getByRole('button', { name: 'Leave call (unmount both)' }).click();
        await page
          .waitForFunction(() => window.__peerConnections().open === 0, null, opts)
          .catch(async () => {
            const pcs = await page.evaluate(() => window.__peerConnections());
            throw new Error(`connections still open: ${JSON.stringify(pcs)}`);
          });
      },
    );
    await check(`${prefix} no page errors`, async () => {
      if (problems.length) throw new Error(problems.join(' | '));
    });
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    server.closeAllConnections?.();
  }
}

async function main() {
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
  // No check ran at all (the harness broke first) counts as one failure.
  const failed = results.length - passed || (results.length === 0 ? 1 : 0);
  await writeSuiteResult(appDir, { name: 'browser', passed, failed });
  console.log(`${passed} passed, ${failed} failed`);
  return failed || results.length === 0 ? 1 : 0;
}

main().then((code) => process.exit(code));
