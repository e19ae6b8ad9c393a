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
  const kinds = ['machine', 'w3c'];
  const empty = () => ({
    ms: [],
    negotiatedMs: [],
    stuck: 0,
    noCollision: 0,
    rollbacks: 0,
    offersIgnored: 0,
  });
  const runs = Object.fromEntries(kinds.map((k) => [k, { glare: empty(), single: empty() }]));
  for (let i = 0; i < iter; i++) {
    // Interleaved, and each kind goes first half of the time, so noise hits both alike.
    for (const kind of i % 2 === 0 ? kinds : [...kinds].reverse()) {
      const fn = kind === 'machine' ? 'renegotiate' : 'w3cRenegotiate';
      // And so does each kind of round: glare always first put the previous round's teardown
      // (and the other arm's) on the glare rounds only.
      const rounds = [
        ['glare', true],
        ['single', false],
      ];
      for (const [round, isGlare] of Math.floor(i / 2) % 2 === 0 ? rounds : rounds.reverse()) {
        const r = await call(fn, isGlare);
        const into = runs[kind][round];
        // Each round has new peers, so its counters are its own: no rollback on either side
        // means one offer was answered before the other was made, not a glare.
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
  results.glare = {};
  for (const kind of kinds) {
    const { glare: g, single } = runs[kind];
    const flowing =
      g.ms.length && single.ms.length ? stats(g.ms).median / stats(single.ms).median : null;
    const negotiated = stats(g.negotiatedMs).median / stats(single.negotiatedMs).median;
    results.glare[kind] = {
      glare: { ...g, flowing: g.ms.length ? stats(g.ms) : null, negotiated: stats(g.negotiatedMs) },
      single: {
        ...single,
        flowing: single.ms.length ? stats(single.ms) : null,
        negotiated: stats(single.negotiatedMs),
      },
      ratioOfMedians: flowing,
      negotiatedRatioOfMedians: negotiated,
    };
    const who = kind === 'machine' ? 'machine' : 'W3C pair';
    const stuck =
      g.stuck || single.stuck
        ? `; media never flowed in ${g.stuck} glare / ${single.stuck} clean rounds`
        : '';
    const dropped = g.noCollision
      ? `; ${g.noCollision} glare rounds without a collision dropped`
      : '';
    row(
      'glare',
      `${who}: both add a track at once / one side, to media flowing`,
      g.ms.length ? `${r1(stats(g.ms).median)} / ${r1(stats(single.ms).median)} ms` : 'never',
      `glare ÷ clean ${flowing === null ? 'n/a' : `×${flowing.toFixed(2)}`} (medians of ${g.ms.length}/${single.ms.length}); ${g.rollbacks} rollbacks, ${g.offersIgnored} offers ignored${stuck}${dropped}`,
    );
    row(
      'glare',
      `${who}: the same, to negotiated (stable, track announced)`,
      `${r1(stats(g.negotiatedMs).median)} / ${r1(stats(single.negotiatedMs).median)} ms`,
      `×${negotiated.toFixed(2)}`,
    );
  }
}
