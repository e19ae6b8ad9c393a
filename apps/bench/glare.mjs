// The glare bench with both peers in one page (browser/glare.ts), and `--trace=glare`
// (browser/glareTrace.ts); the same rounds with one peer per page are glarePages.mjs.

/**
 * `--trace=glare`: the engine steps of a glare and of a clean round, the machine's and the W3C
 * pair's, and each machine event with the ms it took (medians of `iter` rounds).
 */
export async function traceGlare(call, { iter, results }) {
  await call('traceGlare', 2); // warm-up
  const by = await call('traceGlare', iter);
  const table = (title, columns) => {
    const keys = [...new Set(columns.flatMap((c) => Object.keys(by[c])))].filter(
      (k) => !k.endsWith(' ms'),
    );
    // `Σ <call>`: how many synchronous calls, and their ms; listed last.
    const at = (k) =>
      k.startsWith('Σ ')
        ? Number.POSITIVE_INFINITY
        : Math.min(...columns.map((c) => by[c][k] ?? Number.POSITIVE_INFINITY));
    keys.sort((x, y) => at(x) - at(y));
    console.log(`\n${title.padEnd(60)}${columns.map((c) => c.padStart(14)).join('')}`);
    for (const key of keys) {
      const cells = columns.map((c) => {
        const v = by[c][key];
        if (v === undefined) return '';
        const took = by[c][`${key} ms`];
        return took === undefined ? v.toFixed(2) : `${v.toFixed(2)} (${took.toFixed(2)})`;
      });
      console.log(`${key.padEnd(60)}${cells.map((c) => c.padStart(14)).join('')}`);
    }
  };
  table('engine steps, ms after the start (a impolite)', ['machineGlare', 'machineClean']);
  table('W3C pair', ['w3cGlare', 'w3cClean']);
  table('machine events: sent at (ms the machine took)', ['eventsGlare', 'eventsClean']);
  for (const c of ['eventsGlare', 'eventsClean']) {
    const keys = Object.keys(by[c]).filter((k) => k.endsWith(' ms'));
    const sum = keys.reduce((acc, k) => acc + by[c][k], 0);
    console.log(`${c}: ${keys.length} events, machine time ${sum.toFixed(2)} ms (sum of medians)`);
  }
  results.traceGlare = by;
}

export async function glare(call, { iter, stats, row, results, r1 }) {
  // Warm-up, not counted.
  await call('renegotiate', false);
  await call('w3cRenegotiate', false);
  const runs = await glareRounds(iter, (kind, isGlare) =>
    call(kind === 'machine' ? 'renegotiate' : 'w3cRenegotiate', isGlare),
  );
  results.glare = reportGlare('glare', runs, { stats, row, r1 });
}

/**
 * `iter` rounds of each kind (glare, clean) for each arm (machine, W3C pair), interleaved: each
 * arm goes first half of the time, and so does each kind of round (glare always first put the
 * previous round's teardown, and the other arm's, on the glare rounds only), so noise hits both
 * alike. `play(kind, isGlare, name)` runs one round: `{ ms (null: media never flowed),
 * negotiatedMs, rollbacks, offersIgnored, late? }`. Tallied per arm and kind; a late round and a
 * glare round without a rollback are counted, not timed.
 */
export async function glareRounds(iter, play) {
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
  for (let i = 0; i < iter; i++) {
    for (const kind of i % 2 === 0 ? kinds : [...kinds].reverse()) {
      const order = [
        ['glare', true],
        ['single', false],
      ];
      for (const [name, isGlare] of Math.floor(i / 2) % 2 === 0 ? order : order.reverse()) {
        const r = await play(kind, isGlare, `r${i}-${kind}-${name}`);
        const into = runs[kind][name];
        if (r.late) {
          into.late++;
          continue;
        }
        // Each round has new peers, so its counters are its own: no rollback on either side
        // means one offer was answered before the other was made (a side held up by a busy
        // machine), not a glare, so it is not timed as one.
        if (isGlare && r.rollbacks === 0) {
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
  return runs;
}

/** Two rows per arm under `bench`: glare ÷ clean to media flowing and to negotiated. */
export function reportGlare(bench, runs, { stats, row, r1 }) {
  const results = {};
  const median = (xs) => (xs.length ? stats(xs).median : null);
  const ratio = (x, y) => (x === null || y === null ? null : x / y);
  const summary = (tally) => ({
    ...tally,
    flowing: tally.ms.length ? stats(tally.ms) : null,
    negotiated: tally.negotiatedMs.length ? stats(tally.negotiatedMs) : null,
  });
  for (const [kind, { glare: g, single }] of Object.entries(runs)) {
    const flowing = ratio(median(g.ms), median(single.ms));
    const negotiated = ratio(median(g.negotiatedMs), median(single.negotiatedMs));
    results[kind] = {
      glare: summary(g),
      single: summary(single),
      ratioOfMedians: flowing,
      negotiatedRatioOfMedians: negotiated,
    };
    const who = kind === 'machine' ? 'machine' : 'W3C pair';
    const stuck =
      g.stuck || single.stuck
        ? `; media never flowed in ${g.stuck} glare / ${single.stuck} clean rounds`
        : '';
    const dropped =
      (g.late + single.late ? `; ${g.late + single.late} late rounds dropped` : '') +
      (g.noCollision ? `; ${g.noCollision} glare rounds without a collision dropped` : '');
    row(
      bench,
      `${who}: both add a track at once / one side, to media flowing`,
      flowing === null ? 'never' : `${r1(median(g.ms))} / ${r1(median(single.ms))} ms`,
      `glare ÷ clean ${flowing === null ? 'n/a' : `×${flowing.toFixed(2)}`} (medians of ${g.ms.length}/${single.ms.length}); ${g.rollbacks} rollbacks, ${g.offersIgnored} offers ignored${stuck}${dropped}`,
    );
    row(
      bench,
      `${who}: the same, to negotiated (stable, track announced)`,
      `${r1(median(g.negotiatedMs))} / ${r1(median(single.negotiatedMs))} ms`,
      negotiated === null ? 'n/a' : `×${negotiated.toFixed(2)}`,
    );
  }
  return results;
}
