// Start over, and one peer per tab: over BroadcastChannel, and over WebSocket through the
// reference signaling server (started here on 127.0.0.1). Called from run.mjs.

import path from 'node:path';
import { startSignalingServer } from '@peerstatejs/signaling-server';
import { assert, check, resultsDir, STEP_TIMEOUT_MS, watch } from './harness.mjs';

/** A fresh call and a fresh session from the same page. */
export async function startOverCheck({ page, head, phase, expectText, position, prefix }) {
  await check(`${prefix} start over: a fresh call and a fresh session`, async () => {
    await page.getByRole('button', { name: 'Start over' }).click();
    await expectText(phase('Alice'), 'negotiating');
    await head('Alice').getByRole('button', { name: 'Open data channel' }).click();
    await expectText(phase('Bob'), 'connected');
    assert((await position()) < 200, `position ${await position()} carried over`);
  });
}

/**
 * An impolite and a polite tab at `url(role)`: the first opens a data channel, both reach
 * `connected`, and a chat message from the first reaches the second (data flows, not only
 * the state). Returns the two pages, for the caller to close.
 */
async function connectedTabs({ context, problems }, url) {
  const tabs = [];
  for (const role of ['impolite', 'polite']) {
    const tabPage = await context.newPage();
    tabPage.setDefaultTimeout(STEP_TIMEOUT_MS);
    watch(tabPage, problems, role);
    await tabPage.goto(url(role));
    tabs.push(tabPage);
  }
  const [alice, bob] = tabs;
  await alice
    .locator('section.peer-head')
    .getByTestId('phase')
    .filter({ hasText: 'negotiating' })
    .waitFor();
  await alice.getByRole('button', { name: 'Open data channel' }).click();
  for (const tabPage of tabs) {
    await tabPage.getByTestId('phase').filter({ hasText: 'connected' }).waitFor();
  }
  await alice.getByPlaceholder('Message').fill('hello from the other tab');
  await alice.getByRole('button', { name: 'Send' }).click();
  await bob.getByRole('tab', { name: 'Media & chat' }).click();
  await bob
    .getByTestId('chat-log')
    .filter({ hasText: '← hello from the other tab' })
    .first()
    .waitFor();
  return tabs;
}

/** One peer per tab over BroadcastChannel. */
export async function broadcastChannelCheck({ context, origin, prefix, mode, problems }) {
  await check(`${prefix} BroadcastChannel: one peer per tab connects`, async () => {
    const room = `test-${mode}-${Date.now()}`;
    const tabs = await connectedTabs(
      { context, problems },
      (role) => `${origin}/?signaling=broadcast-channel&room=${room}&role=${role}`,
    );
    const [, bob] = tabs;
    assert((await bob.locator('section.peer-head').count()) === 1, 'one peer per tab');
    await bob.screenshot({ path: path.join(resultsDir, `${mode}-broadcast-tab.png`) });
    for (const tabPage of tabs) await tabPage.close();
  });
}

/** One peer per tab through the reference server. */
export async function webSocketCheck({ context, origin, prefix, mode, problems }) {
  await check(
    `${prefix} WebSocket: one peer per tab connects through the reference server`,
    async () => {
      const signaling = await startSignalingServer({ host: '127.0.0.1', port: 0 });
      try {
        const room = `ws-${mode}-${Date.now()}`;
        const tabs = await connectedTabs({ context, problems }, (role) => {
          const query = new URLSearchParams({
            signaling: 'websocket',
            url: signaling.url,
            room,
            role,
          });
          return `${origin}/?${query}`;
        });
        // The page shows the room channel's state and who else is in the room.
        for (const tabPage of tabs) {
          await tabPage.getByTestId('signaling-state').filter({ hasText: 'open' }).waitFor();
          // At least the other tab (StrictMode's discarded first mount may linger in the room).
          await tabPage.locator('[data-testid="room-peers"]:not([data-count="0"])').waitFor();
        }
        const { peers, rooms } = signaling.stats();
        // Peers that left are kept a while for resume (StrictMode remounts in development).
        assert(peers >= 2 && rooms === 1, `server saw ${peers} peers in ${rooms} rooms`);
        for (const tabPage of tabs) await tabPage.close();
      } finally {
        await signaling.close();
      }
    },
  );
}
