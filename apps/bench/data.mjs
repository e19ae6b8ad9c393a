// Issue 17's data arms (`node run.mjs --only=data`): in one Chromium page, a 64 MiB transfer
// through a typed channel (`@peerstatejs/core/channel`, with and without its SHA-256) and through
// a raw RTCDataChannel loop, and message round trips through each; interleaved ABBA so noise
// hits both alike. Reported as ratios to the raw loop: throughput goal ≥ 0.9, RTT goal ≤ 1.1.

import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const coreSrc = path.resolve(here, '../../packages/core/src');
const MiB = 1 << 20;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs the data arms; adds rows through `row` and returns the figures for results.json. */
export async function dataBenches({ quick, row }) {
  const bundle = await build({
    entryPoints: [path.join(here, 'browser/data.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    alias: {
      '@peerstatejs/core/channel': path.join(coreSrc, 'channel/index.ts'),
      '@peerstatejs/core': path.join(coreSrc, 'index.ts'),
    },
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const code = bundle.outputFiles[0].text;
  const html = `<!doctype html><meta charset="utf-8"><script type="module" src="/data.js"></script>`;
  const server = http.createServer((req, res) => {
    if (req.url === '/data.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.benchData !== undefined, null, { timeout: 10_000 });
    const call = (name, ...args) =>
      page.evaluate(([n, a]) => window.benchData[n](...a), [name, args]);

    const size = (quick ? 16 : 64) * MiB;
    const reps = quick ? 2 : 6;
    // Warm-up, not counted.
    await call('rawTransfer', 4 * MiB);
    await call('sdkTransfer', 4 * MiB, true);
    const arms = { raw: [], sdk: [], sdkSha: [] };
    for (let i = 0; i < reps; i++) {
      const order = i % 2 === 0 ? ['raw', 'sdk', 'sdkSha'] : ['sdkSha', 'sdk', 'raw'];
      for (const arm of order) {
        const r =
          arm === 'raw'
            ? await call('rawTransfer', size)
            : await call('sdkTransfer', size, arm === 'sdkSha');
        arms[arm].push(r.ms);
      }
    }
    const mibps = (ms) => (size / MiB / ms) * 1000;
    const raw = median(arms.raw);
    const sdk = median(arms.sdk);
    const sdkSha = median(arms.sdkSha);
    // The median of the per-round ratios (the arms of a round ran back to back): the load of a
    // shared machine drifts over a run, and hits the arms of one round alike.
    const throughputRatio = median(arms.raw.map((ms, i) => ms / arms.sdk[i]));
    const throughputRatioSha = median(arms.raw.map((ms, i) => ms / arms.sdkSha[i]));
    const label = `data channel ${size / MiB} MiB transfer`;
    row(
      label,
      'typed channel / raw loop, MiB/s',
      `${mibps(sdk).toFixed(0)} / ${mibps(raw).toFixed(0)}`,
      `throughput ×${throughputRatio.toFixed(2)} (goal ≥ 0.9; median of ${reps} interleaved rounds' ratios)`,
    );
    row(
      label,
      'with SHA-256 / raw loop, MiB/s',
      `${mibps(sdkSha).toFixed(0)} / ${mibps(raw).toFixed(0)}`,
      `throughput ×${throughputRatioSha.toFixed(2)} (both ends hash with crypto.subtle)`,
    );

    const n = quick ? 50 : 500;
    await call('rawRtt', 20);
    await call('sdkRtt', 20);
    await call('machineRtt', 20);
    const rtt = { raw: [], sdk: [], machine: [] };
    const fn = { raw: 'rawRtt', sdk: 'sdkRtt', machine: 'machineRtt' };
    for (let i = 0; i < (quick ? 2 : 10); i++) {
      for (const arm of i % 2 === 0 ? ['raw', 'sdk', 'machine'] : ['machine', 'sdk', 'raw']) {
        rtt[arm].push((await call(fn[arm], n)).meanMs);
      }
    }
    const rttRatio = median(rtt.sdk.map((ms, i) => ms / rtt.raw[i]));
    const machineRatio = median(rtt.machine.map((ms, i) => ms / rtt.raw[i]));
    row(
      'data channel message RTT',
      'typed channel (JSON) / raw string, ms',
      `${median(rtt.sdk).toFixed(3)} / ${median(rtt.raw).toFixed(3)}`,
      `×${rttRatio.toFixed(2)} (goal ≤ 1.1; median of ${rtt.raw.length} interleaved rounds' ratios, each the mean of ${n} round trips)`,
    );
    row(
      'data channel message RTT',
      'of which the machine: SEND_DATA / raw, ms',
      `${median(rtt.machine).toFixed(3)} / ${median(rtt.raw).toFixed(3)}`,
      `×${machineRatio.toFixed(2)} (the peer's own data events, no typed channel)`,
    );
    return {
      sizeMiB: size / MiB,
      transferMs: arms,
      throughputRatio,
      throughputRatioSha,
      rttMs: rtt,
      rttRatio,
      machineRatio,
    };
  } finally {
    await browser.close();
    server.close();
  }
}
