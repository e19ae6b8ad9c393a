// The rooms benchmark (issue #18): a `createRoom` mesh over the reference signaling server in
// Chromium, one browser context (so one renderer process) per participant, 160×120 video at
// 15 fps and audio. Participants join one at a time, N = 2…6: the time for the Nth to be
// connected to everyone, with media flowing both ways; then, with all N in, the renderers' CPU
// time over a window, per page and per participant (a page sends and receives N − 1 streams).
// CPU is read from /proc (utime + stime of every renderer under the browser this run launched):
// Linux only; elsewhere that row says so.

import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startSignalingServer } from '@peerstatejs/signaling-server';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const CPU_WINDOW_MS = 5_000;
const CLOCK_TICK = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux.

/** Chromium renderer processes descending from this node process (playwright spawns chromium). */
function rendererCpuSeconds() {
  let entries;
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const procs = new Map();
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      procs.set(Number(pid), {
        ppid: Number(fields[1]),
        cpu: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICK,
        renderer: cmdline.includes('--type=renderer'),
      });
    } catch {
      // Gone between the listing and the read.
    }
  }
  const ours = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 10; hops += 1) {
      const parent = procs.get(p)?.ppid;
      if (parent === process.pid) return true;
      p = parent ?? 0;
    }
    return false;
  };
  let total = 0;
  let count = 0;
  for (const [pid, info] of procs) {
    if (info.renderer && ours(pid)) {
      total += info.cpu;
      count += 1;
    }
  }
  return { total, count };
}

export async function roomsBench({ here, alias, row, results, quick }) {
  const bundle = await build({
    entryPoints: [path.join(here, 'browser/room.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    alias: {
      ...alias,
      '@peerstatejs/signaling': path.resolve(here, '../../packages/signaling/src/index.ts'),
      '@peerstatejs/core/stats': path.resolve(here, '../../packages/core/src/stats/index.ts'),
    },
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const code = bundle.outputFiles[0].text;
  const html = `<!doctype html><meta charset="utf-8"><title>peerstate room bench</title><script type="module" src="/room.js"></script>`;
  const pageServer = http.createServer((req, res) => {
    if (req.url === '/room.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${pageServer.address().port}`;
  const signaling = await startSignalingServer({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
    ],
  });
  const maxN = quick ? 4 : 6;
  const out = { joins: [], cpu: [] };
  try {
    const pages = [];
    const room = `bench-${Date.now().toString(36)}`;
    for (let n = 1; n <= maxN; n += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(origin);
      await page.waitForFunction(() => window.roomBench !== undefined, null, { timeout: 10_000 });
      const id = `p${n}`;
      pages.push({ id, page });
      const startedAt = Date.now();
      await page.evaluate(
        ([u, r, p]) => window.roomBench.start(u, r, p),
        [signaling.url, room, id],
      );
      if (n === 1) continue;
      const others = pages.slice(0, -1);
      const ats = await Promise.all([
        page.evaluate(
          ([ids]) => window.roomBench.connectedTo(ids, 30_000),
          [others.map((o) => o.id)],
        ),
        ...others.map((o) =>
          o.page.evaluate(([who]) => window.roomBench.connectedTo(who, 30_000), [[id]]),
        ),
      ]);
      const ms = Math.max(...ats) - startedAt;
      out.joins.push({ n, ms });
      row(
        'room mesh (160×120@15 + audio)',
        `participant ${n} connected to all ${n - 1}`,
        `${ms} ms`,
        'from its start() to media flowing both ways on every pair',
      );

      const before = rendererCpuSeconds();
      await new Promise((resolve) => setTimeout(resolve, CPU_WINDOW_MS));
      const after = rendererCpuSeconds();
      if (!before || !after) {
        out.cpu.push({ n, skipped: 'no /proc' });
        continue;
      }
      const perPage = (after.total - before.total) / (CPU_WINDOW_MS / 1000) / n;
      out.cpu.push({
        n,
        renderers: after.count,
        cpuPerPage: perPage,
        cpuPerLink: perPage / (n - 1),
      });
      row(
        'room mesh (160×120@15 + audio)',
        `renderer CPU with ${n} in (per page · per remote participant)`,
        `${(perPage * 100).toFixed(1)} % · ${((perPage / (n - 1)) * 100).toFixed(1)} %`,
        `of one core, over ${CPU_WINDOW_MS / 1000} s; ${after.count} renderer processes`,
      );
    }
  } finally {
    await browser.close();
    await signaling.close(1_000);
    pageServer.close();
  }
  results.rooms = out;
}
