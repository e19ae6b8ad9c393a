#!/usr/bin/env node
// peerstate benchmarks. One command: `pnpm --filter @peerstatejs/bench bench` (from the root:
// `pnpm bench`). Prints a table and writes results/latest.json. Benchmarks report; they never
// fail on a number (only on a crash).
//
//   node run.mjs                 everything
//   node run.mjs --quick         a smoke run: few iterations, 20 cycles (seconds, not minutes)
//   node run.mjs --only=connect,heap,glare,ice,overhead,cycles,rooms
//   node run.mjs --only= --profile=sdk-direct   where one connect arm's time and memory go
//   node run.mjs --only= --trace=raw,sdk-direct  each arm's engine steps, ms after the start
//   node run.mjs --only= --trace=glare   a glare and a clean round's engine steps and machine events
//
// Env: CHROMIUM_PATH (default /usr/bin/chromium), TURNSERVER_PATH (default: turnserver on PATH).
//
// What is measured:
// - connect / connect+media: ms to connected (peer a) and to the first data-channel round trip
//   for a raw RTCPeerConnection pair, simple-peer, and the SDK over direct signaling and over its
//   in-memory pair, interleaved round by round in one page; ×raw per arm (connect.mjs).
// - heap: per arm, 200 connect/close calls: peak JS heap, bytes allocated per call, peer
//   connections and listeners left after GC (connect.mjs).
// - glare: on a settled call, both peers add a track at the same instant, until both are stable
//   with media flowing on every new remote track; next to it, one peer adding a track (a plain
//   renegotiation), timed the same way; glare ÷ clean, medians, to media flowing and to
//   negotiated, for the machine and for a hand-written W3C perfect-negotiation pair, interleaved;
//   once with both peers in one page, once with one peer per page (two renderer processes, as
//   in a two-machine call: glarePages.mjs).
// - ice: two relay-only calls through one local coturn, the machine's (default options) and a
//   hand-written W3C pair's (the impolite side calls restartIce() every second while ICE is not
//   connected); the TURN process is killed, both calls notice, TURN stays down 2, 6 and 20 s
//   more (`--outages=`), comes back; ms from TURN back to connected again, for each call.
//   Skipped without `turnserver`. ICE_ROUNDS=n repeats each outage (default 1).
// - overhead (Node, fake peer connection): events/s through the actor, bytes per idle actor.
// - cycles: 1,000 connect/close cycles in Chromium; open peer connections and heap after GC
//   before and after.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { connectArms, gc, heapArms, profileArm, traceArms, withCdp } from './connect.mjs';
import { dataBenches } from './data.mjs';
import { glare, traceGlare } from './glare.mjs';
import { glarePages } from './glarePages.mjs';
import { ice } from './ice.mjs';
import { roomsBench } from './rooms.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const coreSrc = path.resolve(here, '../../packages/core/src');
const nodeModule = (name) => path.join(here, 'node_modules', name);
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
/** `--profile=sdk-direct` (any connect arm): where its time and allocations go. */
const profileArg = process.argv.find((a) => a.startsWith('--profile='));
/** `--trace=raw,sdk-direct`: each arm's engine steps, median ms after the call's start. */
const traceArg = process.argv.find((a) => a.startsWith('--trace='));
const only = new Set(
  (onlyArg ? onlyArg.slice(7) : 'connect,heap,glare,ice,overhead,cycles,rooms,data')
    .split(',')
    .filter(Boolean),
);
const ITER = quick ? 3 : 20;
/** Glare rounds: each of glare and clean, machine and W3C pair (a few ms each, medians). */
const GLARE_ITER = quick ? 3 : 30;
const CYCLES = quick ? 20 : 1000;
/** Interleaved rounds of the connect arms, and calls per arm of the allocation bench. */
const CONNECT_ROUNDS = quick ? 4 : 40;
const HEAP_CYCLES = quick ? 20 : 200;
const ICE_ROUNDS = quick ? 1 : Number(process.env.ICE_ROUNDS ?? 1);
/** Seconds the relay stays down after both calls noticed it died (`--outages=2,6,20`). */
const outagesArg = process.argv.find((a) => a.startsWith('--outages='));
const ICE_OUTAGES = (outagesArg ? outagesArg.slice(10) : quick ? '2' : '2,6,20')
  .split(',')
  .map(Number);

const alias = {
  '@peerstatejs/core/testing': path.join(coreSrc, 'testing/index.ts'),
  '@peerstatejs/core': path.join(coreSrc, 'index.ts'),
};

const results = { date: new Date().toISOString(), quick, node: process.version, chromium: null };
const rows = [];
const row = (bench, metric, value, note = '') => rows.push({ bench, metric, value, note });

// ---------------------------------------------------------------------------------------------
// Statistics

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return {
    n: values.length,
    median: q(0.5),
    p90: q(0.9),
    min: sorted[0],
    max: sorted.at(-1),
    mean,
  };
}
const r1 = (v) => (v == null ? v : Math.round(v * 10) / 10);

// ---------------------------------------------------------------------------------------------
// Node: machine overhead

async function overhead() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peerstate-bench-'));
  try {
    const outfile = path.join(dir, 'overhead.mjs');
    await build({
      entryPoints: [path.join(here, 'node/overhead.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      alias,
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const args = ['--expose-gc', outfile, ...(quick ? ['--quick'] : [])];
    const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr || out.stdout);
    const r = JSON.parse(out.stdout.trim().split('\n').pop());
    results.overhead = r;
    row(
      'overhead (Node, fake pc)',
      'SEND_DATA events/s',
      r.sendDataPerSecond.toLocaleString('en'),
      `${r.events} events`,
    );
    row(
      'overhead (Node, fake pc)',
      'ignored events/s',
      r.ignoredEventPerSecond.toLocaleString('en'),
      'bare actor cost',
    );
    row(
      'overhead (Node, fake pc)',
      'fake channel.send/s',
      r.rawChannelSendPerSecond.toLocaleString('en'),
      'no machine, for scale',
    );
    row(
      'overhead (Node, fake pc)',
      'heap per idle actor',
      `${(r.bytesPerIdleActor / 1024).toFixed(1)} KiB`,
      `${r.actors} actors`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium

const PRELUDE = `
(() => {
  const Native = window.RTCPeerConnection;
  const all = new Set();
  const refs = [];
  let created = 0;
  class Counted extends Native {
    constructor(...args) {
      super(...args);
      created++;
      all.add(this);
      refs.push(new WeakRef(this));
      const drop = () => { if (this.signalingState === 'closed') all.delete(this); };
      this.addEventListener('signalingstatechange', drop);
      const close = this.close.bind(this);
      this.close = () => { close(); all.delete(this); };
    }
  }
  window.RTCPeerConnection = Counted;
  window.__pcs = {
    open: () => all.size,
    created: () => created,
    reachable: () => refs.filter((r) => r.deref() !== undefined).length,
  };
})();`;

async function chromiumBenches() {
  const bundle = await build({
    entryPoints: [path.join(here, 'browser/bench.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    // simple-peer (a connect arm) is a Node library: the shims an app's bundler would give it.
    alias: { ...alias, events: nodeModule('events'), process: nodeModule('process/browser.js') },
    inject: [path.join(here, 'browser/process-shim.mjs')],
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  });
  const code = bundle.outputFiles[0].text;
  if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, code);
  const html = `<!doctype html><meta charset="utf-8"><title>peerstate bench</title><script>${PRELUDE}</script><script type="module" src="/bench.js"></script>`;
  const server = http.createServer((req, res) => {
    if (req.url === '/bench.js')
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'peerstate-bench-chromium-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--js-flags=--expose-gc ${process.env.BENCH_JS_FLAGS ?? ''}`,
      '--enable-precise-memory-info',
    ],
  });
  results.chromium = browser.version();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(origin);
    await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 10_000 });
    const call = (name, ...args) => page.evaluate(([n, a]) => window.bench[n](...a), [name, args]);

    const connectCtx = { rounds: CONNECT_ROUNDS, stats, row, results, r1 };
    if (only.has('connect')) await connectArms(page, call, { ...connectCtx, media: false });
    if (only.has('connect')) await connectArms(page, call, { ...connectCtx, media: true });
    if (only.has('heap')) await heapArms(page, call, { cycles: HEAP_CYCLES, row, results });
    if (profileArg) await profileArm(page, call, { arm: profileArg.slice(10), calls: ITER });
    const traced = traceArg ? traceArg.slice(8).split(',') : [];
    if (traced.includes('glare')) await traceGlare(call, { iter: GLARE_ITER, results });
    const tracedArms = traced.filter((arm) => arm !== 'glare');
    if (tracedArms.length) await traceArms(call, tracedArms, ITER);
    if (only.has('glare')) await glare(call, { iter: GLARE_ITER, stats, row, results, r1 });
    if (only.has('glare'))
      await glarePages(context, origin, { iter: GLARE_ITER, stats, row, results, r1 });
    if (only.has('ice'))
      await ice(call, { rounds: ICE_ROUNDS, outages: ICE_OUTAGES, stats, row, results, r1 });
    if (only.has('cycles')) await cycleBench(page, call);
    if (pageErrors.length) console.warn(`page errors:\n${pageErrors.join('\n')}`);
  } finally {
    await browser.close();
    server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

function heapAfterGc(page) {
  return withCdp(page, async (cdp) => {
    await gc(cdp);
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  });
}

async function cycleBench(page, call) {
  await call('cycles', 1); // warm-up
  const heapStart = await heapAfterGc(page);
  const startCounts = await call('reachable');
  const t0 = performance.now();
  const batch = 100;
  const series = [];
  let completed = 0;
  let stalled = null;
  while (completed < CYCLES) {
    const r = await call('cycles', Math.min(batch, CYCLES - completed));
    completed += r.done;
    // Chromium refuses a new RTCPeerConnection while 500 closed ones await garbage collection
    // ("Cannot create so many PeerConnections"), and V8 does not see their native memory, so it
    // may not collect in time: without this the run stalls around cycle 250. An app that opens
    // and closes many connections has the same limit; see the e2e README.
    const heap = await heapAfterGc(page);
    series.push({ cycles: completed, open: r.open, created: r.created, heap });
    if (!quick) process.stdout.write(`\r  cycles ${completed}/${CYCLES}`);
    if (r.error) {
      stalled = { atCycle: completed + 1, error: r.error };
      break;
    }
  }
  if (!quick) process.stdout.write('\n');
  const seconds = (performance.now() - t0) / 1000;
  const heapEnd = await heapAfterGc(page);
  const endCounts = await call('reachable');
  results.cycles = {
    cycles: CYCLES,
    completed,
    stalled,
    seconds,
    heapStart,
    heapEnd,
    start: startCounts,
    end: endCounts,
    series,
  };
  if (stalled) {
    row(
      `${CYCLES} connect/close cycles`,
      'STALLED',
      `at cycle ${stalled.atCycle}`,
      stalled.error.slice(0, 200),
    );
  }
  row(
    `${CYCLES} connect/close cycles`,
    'open peer connections start → end',
    `${startCounts.open} → ${endCounts.open}`,
    `${endCounts.created - startCounts.created} created; unreachable after GC: ${endCounts.created - endCounts.reachable}/${endCounts.created}`,
  );
  row(
    `${CYCLES} connect/close cycles`,
    'JS heap after GC start → end',
    `${(heapStart / 1048576).toFixed(2)} → ${(heapEnd / 1048576).toFixed(2)} MiB`,
    `${((heapEnd - heapStart) / 1024).toFixed(0)} KiB growth; ${((seconds * 1000) / Math.max(1, completed)).toFixed(1)} ms per cycle`,
  );
}

// ---------------------------------------------------------------------------------------------

function printTable() {
  const headers = ['benchmark', 'metric', 'value', 'note'];
  const data = rows.map((r) => [r.bench, r.metric, String(r.value), r.note]);
  const widths = headers.map((h, i) => Math.max(h.length, ...data.map((d) => d[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${line(headers)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const d of data) console.log(line(d));
}

const started = performance.now();
if (only.has('overhead')) await overhead();
if (
  profileArg ||
  traceArg ||
  ['connect', 'heap', 'glare', 'ice', 'cycles'].some((b) => only.has(b))
)
  await chromiumBenches();
// A room mesh over the reference signaling server: rooms.mjs.
if (only.has('rooms')) await roomsBench({ here, alias, row, results, quick });
if (only.has('data')) results.data = await dataBenches({ quick, row });
results.seconds = (performance.now() - started) / 1000;
if (rows.length === 0) process.exit(0); // a --profile run alone: nothing to record
printTable();
const outDir = path.join(here, 'results');
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, quick ? 'quick.json' : 'latest.json');
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `\n${results.chromium ?? ''} · ${process.version} · ${results.seconds.toFixed(0)} s · ${path.relative(process.cwd(), file)}`,
);
