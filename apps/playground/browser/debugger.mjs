// The playground as a debugger (issue 21): the statechart graph, the timeline at 1280 px, replay
// driving the badges, context compare, faults on demand, WebSocket status. Each check asserts on
// what the page shows. Called from run.mjs at the points of its scenario where the state fits.

import { readFile } from 'node:fs/promises';
import net from 'node:net';

/** The kinds of the timeline's filter checkboxes. */
export const KINDS = [
  'command',
  'signal',
  'sent',
  'pc',
  'internal',
  'transition',
  'error',
  'fault',
];

/** Shows only `kinds` in the timeline (all when omitted). */
export async function showKinds(page, kinds = KINDS) {
  for (const kind of KINDS) {
    const box = page.locator('.filters').getByLabel(kind, { exact: true });
    if (kinds.includes(kind)) await box.check();
    else await box.uncheck();
  }
}

/** The rows of a peer's timeline as data: seq, kind, type label, time, detail. */
function rowsOf(panel) {
  return panel.locator('.timeline li').evaluateAll((items) =>
    items.map((li) => {
      const button = li.querySelector('button');
      return {
        seq: Number(button?.dataset.seq),
        kind: li.dataset.kind,
        type: li.querySelector('.type')?.textContent ?? '',
        at: Number(/\+([\d.]+) s/.exec(li.querySelector('.at')?.textContent ?? '')?.[1]),
        detail: li.querySelector('.detail')?.textContent ?? '',
      };
    }),
  );
}

/** A port nothing listens on (bound, then released). */
function closedPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function debuggerChecks(t) {
  const { page, check, assert, head, panel, phase, expectText, tab, prefix } = t;

  return {
    /** Live, after ICE restarts and a rebuild: the file comes back byte for byte. */
    async reexport() {
      await check(
        `${prefix} export, import, re-export after ICE restarts and a rebuild: the same bytes`,
        async () => {
          const download = page.waitForEvent('download');
          await page.getByRole('button', { name: 'Export session' }).click();
          const file = t.resultPath(`session-rebuilt.json`);
          await (await download).saveAs(file);
          const session = JSON.parse(await readFile(file, 'utf8'));
          for (const peer of session.peers) {
            const { counters } = peer.snapshots.at(-1).context;
            assert(counters.rebuilds > 0, `${peer.name}: no rebuild in the file`);
            assert(
              counters.iceRestarts > 0 || peer.polite,
              `${peer.name}: no ICE restart in the file`,
            );
          }
          await page.getByTestId('import-file').setInputFiles(file);
          const refused = page.locator('p.error[role="alert"]').first();
          await phase('Alice').filter({ hasText: 'replay' }).or(refused).first().waitFor();
          if (await refused.isVisible()) {
            throw new Error(
              `the playground refused its own export: ${await refused.textContent()}`,
            );
          }
          const again = page.waitForEvent('download');
          await page.getByRole('button', { name: 'Export session' }).click();
          const second = t.resultPath(`session-rebuilt-reexported.json`);
          await (await again).saveAs(second);
          const [a, b] = await Promise.all([readFile(file, 'utf8'), readFile(second, 'utf8')]);
          assert(a === b, `re-export differs (${a.length} vs ${b.length} bytes)`);
          await page.getByRole('button', { name: 'Back to the live call' }).click();
          await expectText(phase('Alice'), 'connected');
        },
      );
    },

    /** Live, connected, after an ICE restart on Alice. */
    async diagram() {
      await check(
        `${prefix} diagram: states and labelled edges (ELK), the last transition marked, the transitions out reachable by keyboard`,
        async () => {
          const graph = head('Alice').getByTestId('state-graph');
          await head('Alice')
            .getByRole('button', { name: 'active.connection', exact: true })
            .click();
          const edges = graph.locator('[data-edge]');
          await edges.first().waitFor();
          const labels = await edges.evaluateAll((gs) =>
            gs.map((g) => g.querySelector('.edge-label')?.textContent?.trim() ?? ''),
          );
          assert(labels.length >= 10, `${labels.length} edges in the connection view`);
          assert(labels.every(Boolean), `an edge without a label among ${labels.length}`);
          const restart = graph.locator(
            '[data-edge="peer.active.connection.connected→peer.active.connection.restartingIce.restarting"]',
          );
          const restartLabel = await restart.locator('.edge-label').textContent();
          assert(
            restartLabel.includes('RESTART_ICE'),
            `connected → restarting labelled '${restartLabel}'`,
          );
          assert(
            (await restart.locator('path[marker-end]').count()) === 1,
            'the edge has no arrow',
          );
          await graph
            .locator('[data-node-id="peer.active.connection.connected"][data-active="true"]')
            .waitFor();
          // Following: the view of the last transition, its edge marked.
          await head('Alice').getByRole('button', { name: 'follow', exact: true }).click();
          await graph.locator('[data-edge][data-last="true"]').first().waitFor();
          // The keyboard reaches the transitions out of the current state; focusing one marks it.
          const summary = head('Alice').locator('.next-transitions summary');
          await summary.focus();
          await page.keyboard.press('Enter');
          await page.keyboard.press('Tab');
          const focused = await page.evaluate(() => document.activeElement?.dataset.transition);
          assert(focused, 'Tab after the summary did not reach a transition');
          await graph.locator('.edge.is-focus').waitFor();
          await summary.click();
        },
      );
    },

    /** Live, after the ICE restart. */
    async timeline() {
      await check(
        `${prefix} timeline at 1280 px: every transition row legible; region and search filter`,
        async () => {
          await tab('Timeline').click();
          await showKinds(page, ['transition']);
          const rows = page.locator('section.peer-panel .timeline li[data-kind="transition"]');
          const seen = await rows.evaluateAll((items) =>
            items.map((li) => {
              const detail = li.querySelector('.detail');
              const row = li.getBoundingClientRect();
              const box = detail.getBoundingClientRect();
              return {
                text: detail.textContent,
                cut:
                  detail.scrollWidth > detail.clientWidth + 1 ||
                  detail.scrollHeight > detail.clientHeight + 1 ||
                  box.right > row.right + 1,
              };
            }),
          );
          assert(seen.length > 20, `${seen.length} transition rows`);
          const cut = seen.filter((row) => row.cut || !row.text.includes(' → '));
          assert(cut.length === 0, `${cut.length} of ${seen.length} rows cut: ${cut[0]?.text}`);
          const width = await page.evaluate(() => window.innerWidth);
          assert(width === 1280, `viewport ${width}`);
          // Region: only the connection region's transitions.
          await page.getByLabel('Region', { exact: true }).selectOption('peer.active.connection');
          const regional = await rowsOf(panel('Alice'));
          assert(regional.length > 0, 'no row in the connection region');
          const stray = regional.filter((row) => !row.detail.includes('active.connection'));
          assert(stray.length === 0, `outside the region: ${stray[0]?.detail}`);
          await page.getByLabel('Region', { exact: true }).selectOption('');
          await page.getByPlaceholder('Search events').fill('restartingIce');
          const found = await rowsOf(panel('Alice'));
          assert(found.length > 0, 'search found nothing');
          assert(
            found.every((row) => row.detail.toLowerCase().includes('restartingice')),
            'search kept a row without the text',
          );
          await page.getByPlaceholder('Search events').fill('');
          await showKinds(page);
        },
      );
    },

    /** Live: scrubbing back shows that moment's phase in the badges; Live returns. */
    async liveReplayBadge() {
      await check(
        `${prefix} replay of the live call: the badges follow the replayed moment, Live returns to the live phase`,
        async () => {
          await page.getByRole('button', { name: '⇤ First', exact: true }).click();
          await expectText(phase('Alice'), 'replay: starting');
          await expectText(page.getByTestId('mode-badge'), 'replay of the live call');
          await page.getByRole('button', { name: 'Last ⇥' }).click();
          await page.getByRole('button', { name: '● Live' }).click();
          await head('Alice').locator('[data-testid="phase"][data-live="true"]').waitFor();
          await expectText(phase('Alice'), 'connected');
          await expectText(page.getByTestId('mode-badge'), 'live · in-memory');
        },
      );
    },

    /** Live with video: a cap on Alice's sender. */
    async bitrateCap() {
      await check(
        `${prefix} fault: a bandwidth cap (maxBitrate) on Alice's video, shown on the timeline`,
        async () => {
          await head('Alice').getByRole('button', { name: 'Cap', exact: true }).click();
          await expectText(head('Alice').getByTestId('cap-notice'), '150 kbit/s on 1 video sender');
          await tab('Timeline').click();
          await expectText(
            panel('Alice').locator('.timeline li[data-kind="fault"]'),
            'media.maxBitrate',
          );
          await head('Alice').getByRole('button', { name: 'Lift cap' }).click();
          await expectText(head('Alice').getByTestId('cap-notice'), 'cap lifted on 1 video sender');
        },
      );
    },

    /** Replaying an imported session, at its end. */
    async compareAndErrorClears(file) {
      await check(
        `${prefix} replay: the badge follows replay, two moments' context side by side, an import error clears on going live`,
        async () => {
          await page.getByTestId('import-file').setInputFiles(file);
          await expectText(phase('Alice'), 'replay');
          await tab('Timeline').click();
          await page.getByRole('button', { name: '⇤ First', exact: true }).click();
          await expectText(phase('Alice'), 'replay: starting');
          await panel('Alice').getByRole('button', { name: 'Pin this moment to compare' }).click();
          await page.getByRole('button', { name: 'Last ⇥' }).click();
          await expectText(phase('Alice'), 'replay: connected');
          const compare = panel('Alice').getByTestId('compare');
          await compare.locator('tr.differs[data-field="counters.offersSent"]').waitFor();
          const caption = await compare.locator('caption').textContent();
          assert(/^\d+ fields differ between #\d+/.test(caption), `caption '${caption}'`);
          await panel('Alice').getByRole('button', { name: 'Unpin' }).click();
          await page.getByTestId('import-file').setInputFiles({
            name: 'bogus.json',
            mimeType: 'application/json',
            buffer: Buffer.from('[]'),
          });
          await expectText(page.getByRole('alert'), 'Not a peerstate session file');
          await page.getByRole('button', { name: 'Back to the live call' }).click();
          await expectText(phase('Alice'), 'connected');
          const alerts = await page.locator('p.error[role="alert"]').count();
          assert(alerts === 0, 'the import error stayed on the live call');
        },
      );
    },

    /** Its own tab: quick ICE options, faults on the in-memory wire. */
    async wireFaults() {
      await check(
        `${prefix} faults on the signaling wire: loss, then re-fired timers in the machine's order, next error, latency and reordering, each on the timeline`,
        async () => {
          const tabPage = await t.context.newPage();
          tabPage.setDefaultTimeout(t.STEP_TIMEOUT_MS);
          t.watch(tabPage, t.problems, 'faults');
          try {
            // Default ICE options; an unanswered offer is resent after 0.5 s, 1 s, 2 s, then reported.
            await tabPage.goto(`${t.origin}/?answerTimeout=500`);
            const h = (name) => tabPage.locator(`section.peer-head[data-peer="${name}"]`);
            const p = (name) => tabPage.locator(`section.peer-panel[data-peer="${name}"]`);
            const connected = (name) =>
              h(name)
                .getByTestId('phase')
                .filter({ hasText: 'connected' })
                .waitFor({ timeout: 20_000 });
            const setWire = async ({ latency = 0, loss = 0, reorder = false }) => {
              await tabPage.getByLabel('latency').fill(String(latency));
              await tabPage.getByLabel('loss').fill(String(loss));
              await tabPage.getByLabel('reorder').setChecked(reorder);
              await tabPage.getByRole('button', { name: 'Apply faults' }).click();
            };
            await h('Alice').getByRole('button', { name: 'Open data channel' }).click();
            await connected('Alice');
            await connected('Bob');

            // Every message lost: Alice's restart offer is resent (the answer timer re-fires in
            // the same state, on one reused event object), then reported unanswered.
            await setWire({ loss: 100 });
            await h('Alice').getByRole('button', { name: 'Restart ICE' }).click();
            await expectText(h('Alice').getByTestId('last-error'), 'NEGOTIATION_TIMEOUT', 15_000);
            await setWire({ loss: 0 });
            await h('Alice')
              .locator('[data-testid="last-error"][data-recovered="true"]')
              .waitFor({ timeout: 20_000 });
            await connected('Alice');

            // Every delayed transition: XState reuses one event object for each firing of a
            // state's timer (answerTimeout, iceRestartTimeout re-fire here).
            await tabPage.getByPlaceholder('Search events').fill('xstate.after');
            const timers = await rowsOf(p('Alice'));
            for (let i = 1; i < timers.length; i += 1) {
              assert(
                timers[i].seq > timers[i - 1].seq,
                `rows out of seq order at #${timers[i].seq}`,
              );
              assert(
                timers[i].at >= timers[i - 1].at,
                `rows out of time order at #${timers[i].seq}`,
              );
            }
            const byType = new Map();
            for (const row of timers) {
              if (row.kind !== 'transition')
                byType.set(row.type, [...(byType.get(row.type) ?? []), row]);
            }
            const firings = byType.get('after answerTimeout') ?? [];
            assert(firings.length >= 3, `${firings.length} answer-timer firings`);
            // Each firing has its own row, at its own time, with its transition right after it.
            for (const [type, rows] of byType) {
              for (const [i, firing] of rows.entries()) {
                const next = timers[timers.indexOf(firing) + 1];
                assert(
                  next?.kind === 'transition' && next.type === type,
                  `${type} #${firing.seq} has no transition row after it`,
                );
                assert(
                  i === 0 || firing.at > rows[i - 1].at,
                  `two ${type} rows at +${firing.at} s`,
                );
              }
            }
            // Between two firings, the resent offer was lost: the fault rows sit between them.
            await tabPage.getByPlaceholder('Search events').fill('signaling.lost');
            const lost = (await rowsOf(p('Alice'))).filter((row) => row.kind === 'fault');
            assert(lost.length >= 3, `${lost.length} lost-message fault rows`);
            assert(
              lost.some((row) => row.seq > firings[0].seq && row.seq < firings[1].seq),
              'no lost resend between the first two firings',
            );
            await tabPage.getByPlaceholder('Search events').fill('');

            // Next error jumps the cursor to the report.
            await tabPage.getByRole('button', { name: 'Next error ↓' }).click();
            await expectText(tabPage.getByTestId('next-error-notice'), 'NEGOTIATION_TIMEOUT');
            await expectText(tabPage.getByTestId('position'), 'NEGOTIATION_TIMEOUT');
            await tabPage.getByRole('button', { name: '● Live' }).click();

            // Latency and reordering: the restart still completes; the wire's doing is on record.
            const restarts = Number(
              await h('Alice').locator('[data-counter="iceRestarts"]').getAttribute('data-value'),
            );
            await setWire({ latency: 200, reorder: true });
            await h('Alice').getByRole('button', { name: 'Restart ICE' }).click();
            await h('Alice')
              .locator(`[data-counter="iceRestarts"][data-value="${restarts + 1}"]`)
              .waitFor({ timeout: 20_000 });
            await connected('Alice');
            await setWire({});
            const faults = p('Alice').locator('.timeline li[data-kind="fault"]');
            await expectText(faults, 'signaling.held');
            await expectText(faults, 'signaling.reordered');
            await expectText(faults, 'latencyMs: 200');
            await tabPage.screenshot({ path: t.shotPath('faults') });
          } catch (error) {
            await tabPage.screenshot({ path: t.shotPath('failure-faults'), fullPage: true });
            throw error;
          } finally {
            await tabPage.close();
          }
        },
      );
    },

    /** Its own tab: relay-only with no TURN server: no candidate can be gathered. */
    async relayOnly() {
      await check(
        `${prefix} fault: relay-only ICE, on the timeline; no host candidate gathered`,
        async () => {
          const tabPage = await t.context.newPage();
          tabPage.setDefaultTimeout(t.STEP_TIMEOUT_MS);
          t.watch(tabPage, t.problems, 'relay');
          try {
            await tabPage.goto(`${t.origin}/?transport=relay`);
            const h = (name) => tabPage.locator(`section.peer-head[data-peer="${name}"]`);
            const p = (name) => tabPage.locator(`section.peer-panel[data-peer="${name}"]`);
            await expectText(tabPage.getByTestId('mode-badge'), 'relay only');
            await expectText(
              p('Alice').locator('.timeline li[data-kind="fault"]'),
              'ice.relayOnly',
            );
            await h('Alice').getByRole('button', { name: 'Open data channel' }).click();
            // Gathering ends (the end-of-candidates row) with no candidate: no TURN server here.
            await tabPage.getByPlaceholder('Search events').fill('pc.iceCandidate');
            await expectText(p('Alice').locator('.timeline li'), 'candidate: null');
            const gathered = (await rowsOf(p('Alice'))).filter(
              (row) => !row.detail.includes('null'),
            );
            assert(gathered.length === 0, `gathered ${gathered[0]?.detail}`);
          } finally {
            await tabPage.close();
          }
        },
      );
    },

    /** WebSocket with no server: the page says how to start one. */
    async noServer() {
      await check(
        `${prefix} WebSocket with no server: the page says to run npm run signaling-server`,
        async () => {
          const tabPage = await t.context.newPage();
          tabPage.setDefaultTimeout(t.STEP_TIMEOUT_MS);
          // Not watched: the browser logs each refused WebSocket connection as a console error.
          try {
            const query = new URLSearchParams({
              signaling: 'websocket',
              url: `ws://127.0.0.1:${await closedPort()}`,
              room: 'nobody',
              role: 'impolite',
            });
            await tabPage.goto(`${t.origin}/?${query}`);
            await expectText(tabPage.getByTestId('no-server'), 'npm run signaling-server');
            const state = await tabPage.getByTestId('signaling-state').textContent();
            assert(state !== 'open', `signaling state ${state}`);
          } finally {
            await tabPage.close();
          }
        },
      );
    },
  };
}
