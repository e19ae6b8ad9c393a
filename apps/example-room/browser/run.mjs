#!/usr/bin/env node
// Browser test of the room example: serves the built app (dist/, from `vite build`) and the
// reference signaling server on 127.0.0.1, opens three participants in separate Chromium
// contexts (fake camera and microphone), and asserts on what the pages show: every tile of every
// page `connected`, each remote <video> playing, a chat line broadcast by one reaching the two
// others, and a participant that leaves gone from the others' grids.
//
// Env: CHROMIUM_PATH (default /usr/bin/chromium), STEP_TIMEOUT_MS (default 20000).
// Prints one line per check, then `N passed, N failed`; exits 1 if any failed.

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { startSignalingServer } from '@peerstatejs/signaling-server';
import { chromium } from 'playwright-core';
import { writeSuiteResult } from '../../../scripts/suite-results.mjs';

const appDir = process.cwd();
const dist = path.join(appDir, 'dist');
const STEP_TIMEOUT_MS = Number(process.env.STEP_TIMEOUT_MS ?? 20_000);
const NAMES = ['ann', 'bob', 'cat'];
const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.css': 'text/css' };

const pageServer = http.createServer(async (req, res) => {
  const file = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/$/, '/index.html');
  try {
    const body = await readFile(path.join(dist, path.normalize(file)));
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${pageServer.address().port}`;
const signaling = await startSignalingServer({ port: 0, host: '127.0.0.1' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
  ],
});

let passed = 0;
let failed = 0;
async function check(name, step) {
  try {
    await step();
    passed += 1;
    console.log(`✓ ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`✗ ${name}: ${String(error?.message ?? error).split('\n')[0]}`);
  }
}

const pageErrors = [];
try {
  const pages = {};
  for (const name of NAMES) {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => pageErrors.push(`${name}: ${error}`));
    await page.goto(`${origin}/?url=${encodeURIComponent(signaling.url)}&room=demo&name=${name}`);
    pages[name] = page;
  }
  const wait = (page, fn, arg) => page.waitForFunction(fn, arg, { timeout: STEP_TIMEOUT_MS });

  await check('every participant connected to the two others', async () => {
    for (const me of NAMES) {
      for (const other of NAMES.filter((n) => n !== me)) {
        await wait(
          pages[me],
          (id) => document.querySelector(`[data-testid=phase-${id}]`)?.textContent === 'connected',
          other,
        );
      }
    }
  });
  await check('each page plays both remote videos (and its own preview)', async () => {
    for (const me of NAMES) {
      await wait(pages[me], () => {
        const videos = [...document.querySelectorAll('video')];
        return videos.length === 3 && videos.every((v) => v.videoWidth > 0 && v.currentTime > 0);
      });
    }
  });
  await check('a chat line broadcast by ann reaches bob and cat', async () => {
    await pages.ann.fill('input', 'hello room ✓');
    await pages.ann.click('button[type=submit]');
    for (const other of ['bob', 'cat']) {
      await wait(pages[other], () =>
        document.querySelector('.chat ol')?.textContent?.includes('ann hello room ✓'),
      );
    }
  });
  await check('cat leaves: gone from ann and bob', async () => {
    await pages.cat.click('text=leave');
    for (const other of ['ann', 'bob']) {
      await wait(pages[other], () => !document.querySelector('[data-participant=cat]'));
    }
  });
  await check('no page error', async () => {
    if (pageErrors.length > 0) throw new Error(pageErrors.join('; '));
  });
} finally {
  await browser.close();
  await signaling.close(1_000);
  pageServer.close();
}

console.log(`${passed} passed, ${failed} failed`);
await writeSuiteResult(appDir, { name: 'browser', passed, failed });
process.exitCode = failed > 0 ? 1 : 0;
