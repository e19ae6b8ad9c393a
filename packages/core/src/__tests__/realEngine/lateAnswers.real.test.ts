/**
 * Issue 11, cases 1–3 against a real libwebrtc (`@roamhq/wrtc`): the same scenarios as the fake
 * engine's (`model/lateAnswers.test.ts`, `model/protocolV2.test.ts`), so the fake's faithfulness is
 * checked, not assumed. Each case runs in a forked child (`lateAnswers.worker.ts`, bundled here
 * with esbuild): libwebrtc may crash while its process exits, and the outcome is sent before.
 * Real timers; every wait in the child is for an event, bounded for a loaded 2-core machine.
 */
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RealEngineOutcome } from './lateAnswers.worker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '../../..');
// Inside the package, so that the bundle resolves `@roamhq/wrtc` from its node_modules.
const bundle = path.join(packageDir, 'node_modules/.cache/peerstate-real-engine/lateAnswers.mjs');
/** A case takes seconds; this bounds one that hangs (the child's own waits end first). */
const CASE_LIMIT = 100_000;

beforeAll(async () => {
  mkdirSync(path.dirname(bundle), { recursive: true });
  await build({
    entryPoints: [path.join(here, 'lateAnswers.worker.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@roamhq/wrtc'],
    logLevel: 'error',
  });
}, 60_000);

function runCase(name: string): Promise<RealEngineOutcome> {
  return new Promise((resolve, reject) => {
    const child = fork(bundle, [name], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let answered = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`case ${name} sent no outcome within ${CASE_LIMIT} ms\n${stderr}`));
    }, CASE_LIMIT);
    child.on('message', (message: RealEngineOutcome | { crashed: string }) => {
      answered = true;
      clearTimeout(timer);
      if ('crashed' in message) reject(new Error(`case ${name} threw: ${message.crashed}`));
      else resolve(message);
    });
    // After the outcome, how the child exits does not matter (libwebrtc may crash on exit).
    child.on('exit', (code, signal) => {
      if (answered) return;
      clearTimeout(timer);
      reject(new Error(`case ${name} exited (${code ?? signal}) with no outcome\n${stderr}`));
    });
  });
}

/** What every case ends with: the pair connected and stable, data both ways, no error. */
function expectConverged(outcome: RealEngineOutcome): void {
  expect(outcome.timedOut, 'a wait that ran out').toBeNull();
  expect(outcome.errors).toEqual([]);
  expect(outcome.connected).toEqual([true, true]);
  expect(outcome.signaling).toEqual(['stable', 'stable']);
  expect(outcome.echoed).toBe(true);
  // Each believes the ICE credentials the other uses.
  expect(outcome.ufrags.aRemote).toEqual(expect.any(String));
  expect(outcome.ufrags.bRemote).toEqual(expect.any(String));
  expect(outcome.ufrags.aRemote).toBe(outcome.ufrags.bLocal);
  expect(outcome.ufrags.bRemote).toBe(outcome.ufrags.aLocal);
}

describe('late, lost and stale answers on a real libwebrtc (issue 11, cases 1–3)', () => {
  it('case 1: an answer later than three answerTimeouts is applied; the pair never desyncs', async () => {
    const outcome = await runCase('lateAnswer');
    expectConverged(outcome);
    const [a] = outcome.counters;
    // The answer really was late: a had resent its offer (the same one), and it came after 3 T.
    expect(outcome.firstAnswerAfter).toBeGreaterThan(3 * 1000);
    expect(outcome.wireOffers[0]).toBeGreaterThanOrEqual(2);
    expect(a?.offersSent).toBe(1);
    expect(a?.rollbacks).toBe(0);
    // And the pair still negotiates: b's track arrived.
    expect(outcome.remoteTracksOfA).toBe(1);
  }, 120_000);

  it('case 2: one lost answer, then the polite peer adds a track: both end stable', async () => {
    const outcome = await runCase('lostAnswer');
    expectConverged(outcome);
    expect(outcome.remoteTracksOfA).toBe(1);
    expect(outcome.wireOffers[0]).toBeLessThanOrEqual(3);
    expect(outcome.wireOffers[1]).toBeLessThanOrEqual(3);
  }, 120_000);

  it('case 3: a stale answer after an ICE-restart re-offer (same m-lines) is dropped; a believes the ufrag b uses', async () => {
    const outcome = await runCase('staleAnswer');
    expectConverged(outcome);
    const [a] = outcome.counters;
    expect(a?.staleAnswers).toBe(1);
    // Three offers (the first and two restarts), each restart a new ufrag.
    expect(a?.offersSent).toBe(3);
    expect(outcome.ufrags.bLocal).not.toBe(outcome.ufrags.firstAnswer);
  }, 120_000);
});
