// The glare bench with one peer per page (browser/glarePages.ts): each page is its own renderer
// process, as the two ends of a real call are two machines, so a glare round's two `ADD_TRACK`s
// and offers do not queue behind each other on one main thread. Same rounds as the one-page
// bench (run.mjs glare()): interleaved machine / W3C, glare and clean alternating which goes
// first; both pages start at one instant by a clock compared over a BroadcastChannel; a round is
// done when the later side is.

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
      // Peers are new each round, so their counters are this round's.
      collided: ra.rollbacks + rb.rollbacks > 0,
      ms: flowed.includes(null) ? null : Math.max(...flowed),
      negotiatedMs: Math.max(done(ra.negotiatedAt, 0), done(rb.negotiatedAt, sync.offset)),
      rollbacks: ra.rollbacks + rb.rollbacks,
      offersIgnored: ra.offersIgnored + rb.offersIgnored,
    };
  };

  await round('machine', false, 'warm-machine');
  await round('w3c', false, 'warm-w3c');
  const kinds = ['machine', 'w3c'];
  const empty = () => ({
    ms: [],
    negotiatedMs: [],
    stuck: 0,
    late: 0,
    noCollision: 0,
    rollbacks: 0,
    offersIgnored: 0,
  });
  const runs = Object.fromEntries(kinds.map((k) => [k, { glare: empty(), single: empty() }]));
  const rtts = [];
  for (let i = 0; i < iter; i++) {
    for (const kind of i % 2 === 0 ? kinds : [...kinds].reverse()) {
      const order = [
        ['glare', true],
        ['single', false],
      ];
      for (const [name, isGlare] of Math.floor(i / 2) % 2 === 0 ? order : order.reverse()) {
        const r = await round(kind, isGlare, `r${i}-${kind}-${name}`);
        const into = runs[kind][name];
        rtts.push(r.rtt);
        if (r.late) {
          into.late++;
          continue;
        }
        // Both sides added their track, but one side's offer was answered before the other's
        // was made (a page held up by a busy machine): not a glare, so not timed as one.
        if (isGlare && !r.collided) {
          into.noCollision++;
          continue;
        }
        if (r.ms === null) into.stuck++;
        else into.ms.push(r.ms);
        into.negotiatedMs.push(r.negotiatedMs);
        into.rollbacks += r.rollbacks;
        into.offersIgnored += r.offersIgnored;
      }
    }
  }
  for (const page of pages) await page.close();
  if (errors.length) console.warn(`glare pages: page errors:\n${errors.join('\n')}`);

  results.glarePages = { separateProcesses: separate, clockRtt: stats(rtts) };
  for (const kind of kinds) {
    const { glare: g, single } = runs[kind];
    const median = (xs) => (xs.length ? stats(xs).median : null);
    const ratio = (x, y) => (x === null || y === null ? null : x / y);
    const flowing = ratio(median(g.ms), median(single.ms));
    const negotiated = ratio(median(g.negotiatedMs), median(single.negotiatedMs));
    results.glarePages[kind] = {
      glare: g,
      single,
      ratioOfMedians: flowing,
      negotiatedRatioOfMedians: negotiated,
    };
    const who = kind === 'machine' ? 'machine' : 'W3C pair';
    const dropped =
      (g.late + single.late ? `; ${g.late + single.late} late rounds dropped` : '') +
      (g.noCollision ? `; ${g.noCollision} glare rounds without a collision dropped` : '');
    const stuck =
      g.stuck || single.stuck
        ? `; media never flowed in ${g.stuck} glare / ${single.stuck} clean rounds`
        : '';
    row(
      'glare (two pages)',
      `${who}: both add a track at once / one side, to media flowing`,
      flowing === null ? 'never' : `${r1(median(g.ms))} / ${r1(median(single.ms))} ms`,
      `glare ÷ clean ${flowing === null ? 'n/a' : `×${flowing.toFixed(2)}`} (medians of ${g.ms.length}/${single.ms.length}); ${g.rollbacks} rollbacks, ${g.offersIgnored} offers ignored${stuck}${dropped}`,
    );
    row(
      'glare (two pages)',
      `${who}: the same, to negotiated (stable, track announced)`,
      `${r1(median(g.negotiatedMs))} / ${r1(median(single.negotiatedMs))} ms`,
      negotiated === null ? 'n/a' : `×${negotiated.toFixed(2)}`,
    );
  }
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
