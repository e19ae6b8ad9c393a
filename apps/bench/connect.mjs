// Connect arms and allocation (issue 22), driven from run.mjs in the bench page.
//
// - connect: every arm of browser/connect.ts (raw pair, simple-peer, the SDK over direct
//   signaling and over its in-memory pair), interleaved round by round in one page with the
//   order rotated each round, so noise and JIT state hit all arms alike; with and without fake
//   audio+video. Each arm's median, and ×raw as the median of per-round ratios.
// - heap: per arm, `cycles` connect/close calls after a forced GC: the peak JS heap above the
//   start (sampled after each call), bytes allocated per call (V8's sampling heap profiler with
//   collected objects included), and after a GC: the peer connections still reachable and the
//   listeners on window and navigator.mediaDevices compared with before.

const ARMS = [
  'raw',
  'raw-listeners',
  'raw-xstate',
  'raw-xstate-coarse',
  'simple-peer',
  'sdk-direct',
  'sdk-memory',
];

export async function connectArms(page, call, { rounds, media, stats, row, results, r1 }) {
  const label = media ? 'connect arms + audio/video' : 'connect arms (data channel)';
  for (const arm of ARMS) await call('connectArm', arm, media); // warm-up, not counted
  const by = Object.fromEntries(ARMS.map((a) => [a, { connectedMs: [], roundTripMs: [] }]));
  for (let i = 0; i < rounds; i++) {
    // Closed peer connections count against Chromium's 500 per page until they are collected
    // ("Cannot create so many PeerConnections"): 320 calls of two each, and whether V8 happened
    // to collect them depended on how much every arm allocated. A full GC between rounds, never
    // inside one, so each round starts from the same heap for every arm.
    await withCdp(page, gc);
    const order = ARMS.map((_, k) => ARMS[(k + i) % ARMS.length]);
    for (const arm of order) {
      const r = await call('connectArm', arm, media);
      by[arm].connectedMs.push(r.connectedMs);
      by[arm].roundTripMs.push(r.roundTripMs);
      by[arm].machineEvents = r.machineEvents;
    }
  }
  const key = media ? 'connectArmsMedia' : 'connectArms';
  results[key] = {};
  for (const arm of ARMS) {
    // The floor arms (browser/xstateFloor.ts) count their machine's events.
    const { machineEvents } = by[arm];
    results[key][arm] = machineEvents === undefined ? {} : { machineEvents };
    for (const metric of ['connectedMs', 'roundTripMs']) {
      const values = by[arm][metric];
      const ratio = stats(values.map((v, j) => v / by.raw[metric][j])).median;
      results[key][arm][metric] = { ...stats(values), xRaw: ratio };
    }
    const c = results[key][arm].connectedMs;
    const t = results[key][arm].roundTripMs;
    row(
      label,
      arm,
      `${r1(c.median)} / ${r1(t.median)} ms`,
      `connected / 1st round trip; ×raw ${c.xRaw.toFixed(2)} / ${t.xRaw.toFixed(2)} (median of ${rounds} rounds)${machineEvents ? `; ${machineEvents} machine events per call` : ''}`,
    );
  }
}

/** Runs `run` with a CDP session of `page`, detached afterwards. */
export async function withCdp(page, run) {
  const cdp = await page.context().newCDPSession(page);
  try {
    return await run(cdp);
  } finally {
    await cdp.detach();
  }
}

/** Two full garbage collections (the second collects what the first's finalizers freed). */
export async function gc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
}

async function listenerCount(cdp) {
  let total = 0;
  for (const expression of ['window', 'navigator.mediaDevices']) {
    const { result } = await cdp.send('Runtime.evaluate', { expression });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', {
      objectId: result.objectId,
    });
    total += listeners.length;
  }
  return total;
}

function sampledBytes(node) {
  return node.selfSize + node.children.reduce((sum, child) => sum + sampledBytes(child), 0);
}

export async function heapArms(page, call, { cycles, row, results }) {
  results.heapArms = {};
  for (const arm of ARMS) {
    await call('heapCycles', arm, 2); // warm-up
    const r = await withCdp(page, async (cdp) => {
      await gc(cdp);
      const listenersBefore = await listenerCount(cdp);
      const reachableBefore = (await call('reachable')).reachable;
      await cdp.send('HeapProfiler.startSampling', {
        samplingInterval: 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      const cyclesResult = await call('heapCycles', arm, cycles);
      const { profile } = await cdp.send('HeapProfiler.stopSampling');
      await gc(cdp);
      return {
        ...cyclesResult,
        allocatedPerCall: sampledBytes(profile.head) / cycles,
        reachableAfterGc: (await call('reachable')).reachable - reachableBefore,
        extraListeners: (await listenerCount(cdp)) - listenersBefore,
      };
    });
    results.heapArms[arm] = r;
    row(
      `${cycles} connect/close cycles per arm`,
      arm,
      `peak +${(r.peakAboveBase / 1048576).toFixed(2)} MiB, ${(r.allocatedPerCall / 1024).toFixed(0)} KiB/call`,
      `after GC: ${r.reachableAfterGc} peer connections reachable, ${r.extraListeners} extra listeners`,
    );
  }
}

/** Self time (CPU profile) or self bytes (sampling heap profile) per function, largest first. */
function topFunctions(entries, limit) {
  const by = new Map();
  for (const { frame, value } of entries) {
    const where = frame.url ? `${frame.url.split('/').pop()}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    by.set(key, (by.get(key) ?? 0) + value);
  }
  const total = [...by.values()].reduce((s, v) => s + v, 0);
  return {
    total,
    top: [...by.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, value]) => ({ name, value, share: value / total })),
  };
}

function heapEntries(node, into = []) {
  into.push({ frame: node.callFrame, value: node.selfSize });
  for (const child of node.children) heapEntries(child, into);
  return into;
}

function cpuEntries(profile) {
  const self = new Map();
  const dt = profile.timeDeltas;
  for (const [i, id] of profile.samples.entries()) {
    self.set(id, (self.get(id) ?? 0) + (dt[i + 1] ?? 0));
  }
  return profile.nodes.map((n) => ({ frame: n.callFrame, value: (self.get(n.id) ?? 0) / 1000 }));
}

/**
 * `--profile=<arm>`: `calls` connect calls of one arm under V8's CPU profiler and its sampling
 * heap profiler; prints where the time and the allocations go (self, per function).
 */
export async function profileArm(page, call, { arm, calls }) {
  await call('connectArm', arm, false);
  await withCdp(page, async (cdp) => {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await cdp.send('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    for (let i = 0; i < calls; i++) await call('connectArm', arm, false);
    const { profile: heap } = await cdp.send('HeapProfiler.stopSampling');
    const { profile: cpu } = await cdp.send('Profiler.stop');
    const time = topFunctions(cpuEntries(cpu), 25);
    const bytes = topFunctions(heapEntries(heap.head), 25);
    console.log(`\n${arm}: ${calls} calls; CPU self time per call (ms), top functions:`);
    for (const t of time.top)
      console.log(
        `  ${(t.value / calls).toFixed(3).padStart(8)}  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.name}`,
      );
    console.log(`  total sampled ${(time.total / calls).toFixed(2)} ms per call`);
    console.log(`\n${arm}: allocated per call (KiB, sampled), top functions:`);
    for (const t of bytes.top)
      console.log(
        `  ${(t.value / calls / 1024).toFixed(1).padStart(8)}  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.name}`,
      );
    console.log(`  total ${(bytes.total / calls / 1024).toFixed(0)} KiB per call`);
  });
}

/**
 * `--trace=raw,sdk-direct`: for each arm, `calls` calls with every engine step timed (the
 * first time each happens, median over the calls); one column per arm, ms after the start.
 */
export async function traceArms(call, arms, calls) {
  const by = {};
  for (const arm of arms) await call('traceArm', arm, 2); // warm-up
  for (const arm of arms) by[arm] = await call('traceArm', arm, calls);
  const all = [...new Set(arms.flatMap((arm) => Object.keys(by[arm])))];
  const at = (key) => Math.min(...arms.map((arm) => by[arm][key] ?? Number.POSITIVE_INFINITY));
  const steps = all.filter((key) => !key.startsWith('events ')).sort((x, y) => at(x) - at(y));
  const events = all.filter((key) => key.startsWith('events ')).sort();
  const keys = [...steps, ...events];
  console.log(`\n${'step (pc 0 offers)'.padEnd(44)}${arms.map((a) => a.padStart(12)).join('')}`);
  for (const key of keys) {
    const cells = arms.map((arm) => (by[arm][key] === undefined ? '' : by[arm][key].toFixed(2)));
    if (key === events[0]) console.log('machine events per call (both peers)');
    console.log(`${key.padEnd(44)}${cells.map((c) => c.padStart(12)).join('')}`);
  }
}
