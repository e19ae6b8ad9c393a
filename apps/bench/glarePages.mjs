// The glare bench with one peer per page (browser/glarePages.ts): each page is its own renderer
// process, as the two ends of a real call are two machines, so a glare round's two `ADD_TRACK`s
// and offers do not queue behind each other on one main thread. Same rounds as the one-page
// bench (glare.mjs): interleaved machine / W3C, glare and clean alternating which goes
// first; both pages start at one instant by a clock compared over a BroadcastChannel; a round is
// done when the later side is.

import { glareRounds, reportGlare } from './glare.mjs';

/** A round is dropped when either side started more than this late (ms): a busy machine. */
const LATE = 1;

/**
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} origin
 * @param {{ iter: number, stats: Function, row: Function, results: object, r1: Function }} ctx
 */
export async function glarePages(context, origin, { iter, stats, row, results, r1 }) {
  const pages = [await context.newPage(), await context.newPage()];
  const errors = [];
  for (const page of pages) {
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(origin);
    await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 10_000 });
  }
  const [a, b] = pages.map(
    (page) =>
      (name, ...args) =>
        page.evaluate(([n, x]) => window.bench[n](...x), [name, args]),
  );
  const separate = await separateProcesses(pages);

  const round = async (kind, glare, name) => {
    await a('pagesOpen', kind, 'a', name);
    await b('pagesOpen', kind, 'b', name);
    await Promise.all([a('pagesConnect'), b('pagesConnect')]);
    const sync = await a('pagesClockSync');
    const startAt = sync.now + 50;
    const [ra, rb] = await Promise.all([
      a('pagesRound', glare, startAt),
      b('pagesRound', glare, startAt + sync.offset),
    ]);
    await Promise.all([a('pagesClose'), b('pagesClose')]);
    const done = (at, offset) => (at === null ? null : at - offset - startAt);
    const flowed = [done(ra.flowedAt, 0), done(rb.flowedAt, sync.offset)];
    return {
      rtt: sync.rtt,
      late: Math.max(ra.late, rb.late) > LATE,
      ms: flowed.includes(null) ? null : Math.max(...flowed),
      negotiatedMs: Math.max(done(ra.negotiatedAt, 0), done(rb.negotiatedAt, sync.offset)),
      rollbacks: ra.rollbacks + rb.rollbacks,
      offersIgnored: ra.offersIgnored + rb.offersIgnored,
    };
  };

  await round('machine', false, 'warm-machine');
  await round('w3c', false, 'warm-w3c');
  const rtts = [];
  const runs = await glareRounds(iter, async (kind, isGlare, name) => {
    const r = await round(kind, isGlare, name);
    rtts.push(r.rtt);
    return r;
  });
  for (const page of pages) await page.close();
  if (errors.length) console.warn(`glare pages: page errors:\n${errors.join('\n')}`);

  results.glarePages = {
    separateProcesses: separate,
    clockRtt: stats(rtts),
    ...reportGlare('glare (two pages)', runs, { stats, row, r1 }),
  };
  row(
    'glare (two pages)',
    'clock comparison between the pages: round trip',
    `${r1(stats(rtts).median)} ms`,
    separate
      ? 'the pages run in two renderer processes'
      : 'the pages share a renderer process: the figures are not a two-machine call',
  );
}

/**
 * True when a long task in page a does not hold up page b's timers: the pages are separate
 * renderer processes (Chromium may put same-origin pages in one process when it must).
 */
async function separateProcesses(pages) {
  const [spin, ticks] = await Promise.all([
    pages[0].evaluate(() => {
      const clock = () => performance.timeOrigin + performance.now();
      const start = clock();
      while (clock() - start < 400) {
        // A long task.
      }
      return [start, clock()];
    }),
    pages[1].evaluate(
      () =>
        new Promise((resolve) => {
          const clock = () => performance.timeOrigin + performance.now();
          const start = clock();
          const at = [];
          const tick = () => {
            at.push(clock());
            if (clock() - start < 600) setTimeout(tick, 5);
            else resolve(at);
          };
          tick();
        }),
    ),
  ]);
  // Ticks of b inside the middle of a's long task: none if they share a main thread.
  return ticks.filter((t) => t > spin[0] + 100 && t < spin[1] - 100).length > 5;
}
