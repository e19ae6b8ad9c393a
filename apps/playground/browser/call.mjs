// The call itself, on the playground's default (two peers in one page): it loads, a data channel
// connects, media plays, the SDP/ICE/stats panels and the debugger's views show the call,
// glare and an ICE restart. Called from run.mjs, in this order.

import { showKinds } from './debugger.mjs';
import { assert, check, STEP_TIMEOUT_MS } from './harness.mjs';

/** From loading the page to the debugger's keyboard-accessible tabs. */
export async function callChecks({
  page,
  origin,
  head,
  panel,
  phase,
  expectText,
  counter,
  waitCounter,
  isActive,
  tab,
  shot,
  prefix,
  debug,
}) {
  await check(`${prefix} loads: two peers, each machine drawn from its definition`, async () => {
    // Default options: recovery (the break below) is checked as an app gets it.
    await page.goto(`${origin}/`);
    for (const name of ['Alice', 'Bob']) {
      await expectText(phase(name), 'negotiating');
      // Every region of the parallel `active` state, and its active leaves, are drawn.
      for (const region of ['signaling', 'connection', 'renegotiation']) {
        await head(name).locator(`[data-state-id="peer.active.${region}"]`).waitFor();
      }
      await isActive(name, 'peer.active.signaling.stable').waitFor();
      await isActive(name, 'peer.active.connection.new').waitFor();
      const inactive = await head(name)
        .locator('[data-state-id="peer.closed"]')
        .getAttribute('data-active');
      assert(inactive === 'false', `peer.closed should be inactive, is ${inactive}`);
    }
  });

  await check(`${prefix} a data channel connects both; chat goes both ways`, async () => {
    await head('Alice').getByRole('button', { name: 'Open data channel' }).click();
    await expectText(phase('Alice'), 'connected');
    await expectText(phase('Bob'), 'connected');
    await isActive('Alice', 'peer.active.connection.connected').waitFor();
    await head('Alice').getByPlaceholder('Message').fill('hello Bob');
    await head('Alice').getByRole('button', { name: 'Send' }).click();
    await head('Bob').getByPlaceholder('Message').fill('hi Alice');
    await head('Bob').getByRole('button', { name: 'Send' }).click();
    await tab('Media & chat').click();
    await expectText(panel('Bob').getByTestId('chat-log'), '← hello Bob');
    await expectText(panel('Alice').getByTestId('chat-log'), '← hi Alice');
    await expectText(panel('Alice').getByTestId('chat-log'), '→ hello Bob');
  });

  await check(`${prefix} fake camera plays on the other side; switching camera shows`, async () => {
    await head('Alice').getByRole('button', { name: 'Start camera + mic' }).click();
    await head('Bob').getByRole('button', { name: 'Start camera + mic' }).click();
    const remote = panel('Bob').getByTestId('remote-video');
    await page.waitForFunction(
      (element) => element.videoWidth > 0 && element.currentTime > 0,
      await remote.elementHandle(),
      { timeout: STEP_TIMEOUT_MS },
    );
    await expectText(panel('Alice'), 'sends video 640×480');
    await isActive('Alice', 'peer.active.signaling.stable').waitFor();
    const offers = await counter('Alice', 'offersSent');
    await head('Alice').getByRole('button', { name: 'Switch camera' }).click();
    // REPLACE_TRACK to the camera at 320×240: Alice sends the new track, Bob receives at most
    // 320 px (the source is no wider), and no renegotiation was needed.
    await expectText(panel('Alice'), 'sends video 320×240');
    await page
      .waitForFunction(
        (element) => element.videoWidth > 0 && element.videoWidth <= 320,
        await remote.elementHandle(),
        { timeout: STEP_TIMEOUT_MS },
      )
      .catch(async () => {
        throw new Error(`remote video width ${await remote.evaluate((v) => v.videoWidth)}`);
      });
    const after = await counter('Alice', 'offersSent');
    assert(after === offers, `switching camera renegotiated: offersSent ${offers} → ${after}`);
    await shot('media');
  });

  await check(`${prefix} stats plot bitrate, fps and RTT from getStats`, async () => {
    await tab('Stats').click();
    await page.waitForFunction(
      () => {
        const read = (peer, id) =>
          Number(
            document.querySelector(`section.peer-panel[data-peer="${peer}"] [data-testid="${id}"]`)
              ?.textContent,
          );
        return (
          read('Bob', 'stat-Bitrate-in') > 50 &&
          read('Bob', 'stat-Frames per second-in') > 0 &&
          read('Alice', 'stat-Round-trip time-RTT') >= 0
        );
      },
      null,
      { timeout: 15_000 },
    );
    const canvases = await panel('Bob').locator('.uplot canvas').count();
    assert(canvases === 4, `expected 4 uPlot canvases, found ${canvases}`);
    await shot('stats');
  });

  await check(`${prefix} SDP panel: parsed m-lines and the diff of each offer`, async () => {
    await tab('SDP').click();
    const local = panel('Alice').getByTestId('sdp-local');
    for (const text of ['application', 'audio', 'video', 'sendrecv', 'opus', 'VP8']) {
      await expectText(local, text);
    }
    const diffs = panel('Alice').getByTestId('offer-diffs');
    await expectText(diffs, 'application (mid 0) added');
    await expectText(diffs, 'video (mid 2) added, sendrecv');
    // One row per offer the machine sent (by offer id), not per local-description text: the
    // description grows as candidates are gathered (issue 21 saw 5 rows for 3 offers).
    const sent = await counter('Alice', 'offersSent');
    const listed = Number(await panel('Alice').getByTestId('offers-sent').textContent());
    assert(listed === sent, `SDP tab lists ${listed} sent offers, the machine sent ${sent}`);
    await shot('sdp');
  });

  await check(`${prefix} ICE panel: host candidates and a selected succeeded pair`, async () => {
    await tab('ICE').click();
    const candidates = panel('Alice').getByTestId('candidates');
    await candidates.locator('tr[data-origin="local"]', { hasText: 'host' }).first().waitFor();
    await candidates.locator('tr[data-origin="remote"]', { hasText: 'host' }).first().waitFor();
    await panel('Alice')
      .getByTestId('candidate-pairs')
      .locator('tr.selected', { hasText: 'succeeded' })
      .waitFor();
    await shot('ice');
  });

  await check(`${prefix} glare: impolite ignores the collision, polite rolls back`, async () => {
    const ignored = await counter('Alice', 'offersIgnored');
    const rollbacks = await counter('Bob', 'rollbacks');
    await page.getByRole('button', { name: 'Cause glare' }).click();
    await waitCounter('Alice', 'offersIgnored', ignored + 1);
    await waitCounter('Bob', 'rollbacks', rollbacks + 1);
    await isActive('Alice', 'peer.active.connection.connected').waitFor();
    await isActive('Bob', 'peer.active.connection.connected').waitFor();
    await isActive('Bob', 'peer.active.signaling.stable').waitFor();
    // Chromium may leave the polite side's remote track `muted` after the rollback while it
    // decodes frames (issue 16): the media panel says from the stats whether media arrives.
    await tab('Media & chat').click();
    await panel('Bob')
      .locator('[data-testid=remote-track][data-kind=video][data-flowing=true]')
      .waitFor();
  });

  await check(`${prefix} restart ICE: diagram, timeline and SDP diff show it`, async () => {
    const restarts = await counter('Alice', 'iceRestarts');
    await head('Alice').getByRole('button', { name: 'Restart ICE' }).click();
    await waitCounter('Alice', 'iceRestarts', restarts + 1);
    await isActive('Alice', 'peer.active.connection.connected').waitFor();
    await tab('SDP').click();
    await expectText(panel('Alice').getByTestId('offer-diffs'), 'ICE restart: ufrag');
    await tab('Timeline').click();
    // Only transitions: the restart is there, events are filtered out.
    await showKinds(page, ['transition']);
    const rows = panel('Alice').locator('.timeline li');
    await expectText(rows, 'active.connection.connected → active.connection.restartingIce');
    const kinds = await rows.evaluateAll((items) => [...new Set(items.map((i) => i.dataset.kind))]);
    assert(kinds.length === 1 && kinds[0] === 'transition', `filter leaked: ${kinds}`);
    await showKinds(page);
    await shot('timeline');
  });

  await debug.diagram();
  await debug.timeline();
  await debug.liveReplayBadge();
  await debug.bitrateCap();

  await check(`${prefix} tabs are keyboard accessible`, async () => {
    await tab('Timeline').focus();
    await page.keyboard.press('ArrowRight');
    const selected = await page.getByRole('tab', { selected: true }).textContent();
    assert(selected === 'SDP', `ArrowRight selected ${selected}`);
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    assert(focused === 'SDP', `focus on ${focused}`);
    await tab('Timeline').click();
  });
}
