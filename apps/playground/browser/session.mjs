// The session file: export both peers' events, snapshots and stats, import it and replay it
// without a connection, refuse a file that is not a session. Called from run.mjs.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { showKinds } from './debugger.mjs';
import { activeLeaves, appDir, assert, check, resultsDir } from './harness.mjs';

/** Export, import and replay, and the refusals. */
export async function sessionChecks({
  page,
  head,
  panel,
  phase,
  expectText,
  isActive,
  tab,
  position,
  shot,
  prefix,
  mode,
  debug,
}) {
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
          [e.detail.to].flat().some((id) => id.startsWith('peer.active.connection.restartingIce')),
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
}
