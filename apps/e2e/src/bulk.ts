/** Scenarios that loop many times inside the page, where a runner round trip per step is too slow. */
import { record, serializeError, setQuiet } from './log.js';
import { capture } from './media.js';
import { createFixturePeer, getPeer, type Peer, peers, summary, until } from './peers.js';

function dispose(peer: Peer): void {
  peer.signaling.close();
  peers.delete(peer.name);
}

/**
 * Scenario 3: two fresh peers, connected over a data channel, both add camera + microphone in the
 * same task, so both offer at once; repeated `reps` times. Counts the collisions resolved.
 */
export async function glare(args: {
  readonly reps: number;
  readonly latency: number;
  readonly timeoutMs: number;
}) {
  const streams = [
    await capture({ audio: true, video: true }),
    await capture({ audio: true, video: true }),
  ] as const;
  const reps = [];
  // Connected first (a data channel), and past the polite peer's first-offer hold: at start-up
  // the polite peer's first offer waits for the impolite one's (FIRST_OFFER_HOLD_MS), so the
  // collision is made on a live connection. Ten pairs at a time, so the holds run side by side.
  const failures = new Map<number, string>();
  const connectBatch = async (from: number) => {
    const batch = Array.from({ length: Math.min(10, args.reps - from) }, (_, k) => from + k);
    for (const i of batch) {
      const signaling = { kind: 'memory' as const, pair: `glare${i}`, latency: args.latency };
      createFixturePeer({ name: `glare${i}a`, polite: false, signaling, verbose: false });
      createFixturePeer({ name: `glare${i}b`, polite: true, signaling, verbose: false });
      getPeer(`glare${i}a`).actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'glare' });
    }
    await Promise.all(
      batch.map(async (i) => {
        const pair = [getPeer(`glare${i}a`), getPeer(`glare${i}b`)];
        try {
          await Promise.all(
            pair.map((peer) => until(peer, { channelOpen: 'glare' }, args.timeoutMs)),
          );
          await Promise.all(
            pair.map((peer) => until(peer, { renegotiationIdle: true }, args.timeoutMs)),
          );
        } catch (error) {
          failures.set(i, `not ready for the glare: ${String((error as Error).message ?? error)}`);
        }
      }),
    );
  };
  for (let i = 0; i < args.reps; i += 1) {
    if (i % 10 === 0) await connectBatch(i);
    const names = [`glare${i}a`, `glare${i}b`] as const;
    const pair = [getPeer(names[0]), getPeer(names[1])] as const;
    let failure: string | undefined = failures.get(i);
    // The same instant: one task, no await in between.
    pair.forEach((peer, side) => {
      const stream = streams[side];
      if (!stream) return;
      for (const track of stream.getTracks())
        peer.actor.send({ type: 'ADD_TRACK', track, streams: [stream] });
    });
    try {
      if (failure) throw new Error(failure);
      await Promise.all(
        pair.flatMap((peer) => [
          until(peer, { connection: 'connected' }, args.timeoutMs),
          until(peer, { liveRemoteTracks: 2 }, args.timeoutMs),
          until(peer, { stableWith: { offersSentAtLeast: 0 } }, args.timeoutMs),
        ]),
      );
    } catch (error) {
      failure = String((error as Error).message ?? error);
      record('glare', 'failure', `rep ${i}: ${failure}`, true);
    }
    const [a, b] = pair.map(summary);
    reps.push({
      rep: i,
      failure,
      connected: [a, b].map((s) => JSON.stringify(s?.value).includes('"connection":"connected"')),
      remoteStreamIds: [a, b].map((s) => [...new Set(s?.remoteTracks.flatMap((t) => t.streamIds))]),
      liveRemoteKinds: [a, b].map((s) =>
        (s?.remoteTracks ?? [])
          .filter((t) => t.readyState === 'live' && !t.ended)
          .map((t) => t.kind)
          .sort(),
      ),
      expectedStreamIds: [streams[1].id, streams[0].id],
      offersSent: (a?.counters.offersSent ?? 0) + (b?.counters.offersSent ?? 0),
      offersIgnored: (a?.counters.offersIgnored ?? 0) + (b?.counters.offersIgnored ?? 0),
      rollbacks: (a?.counters.rollbacks ?? 0) + (b?.counters.rollbacks ?? 0),
      errors: [...pair[0].errors, ...pair[1].errors],
    });
    pair[0].actor.send({ type: 'CLOSE' });
    await until(pair[1], { closed: true }, args.timeoutMs).catch(() => {});
    for (const peer of pair) dispose(peer);
  }
  for (const stream of streams) for (const track of stream.getTracks()) track.stop();
  return reps;
}

/** Scenario 5: `count` ordered messages from a to b on one channel, with back-pressure. */
export async function flood(args: { readonly count: number; readonly timeoutMs: number }) {
  const signaling = { kind: 'memory' as const, pair: 'flood' };
  createFixturePeer({ name: 'a', polite: false, signaling });
  createFixturePeer({ name: 'b', polite: true, signaling });
  const a = getPeer('a');
  const b = getPeer('b');
  a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'bulk', options: { ordered: true } });
  await Promise.all([
    until(a, { channelOpen: 'bulk' }, args.timeoutMs),
    until(b, { channelOpen: 'bulk' }, args.timeoutMs),
  ]);
  const channel = a.actor
    .getSnapshot()
    .context.dataChannels.find((c) => c.label === 'bulk')?.channel;
  if (!channel) throw new Error('no bulk channel on a');
  const received: string[] = [];
  let done: () => void = () => {};
  const complete = new Promise<void>((resolve) => {
    done = resolve;
  });
  b.onData = (data) => {
    received.push(String(data));
    if (received.length === args.count) done();
  };
  channel.bufferedAmountLowThreshold = 256 * 1024;
  const started = Date.now();
  const pad = 'x'.repeat(48);
  for (let i = 0; i < args.count; i += 1) {
    if (channel.bufferedAmount > 1024 * 1024) {
      await new Promise((resolve) =>
        channel.addEventListener('bufferedamountlow', resolve, { once: true }),
      );
    }
    a.actor.send({ type: 'SEND_DATA', label: 'bulk', data: `${i}:${pad}` });
  }
  const sentMs = Date.now() - started;
  await Promise.race([complete, new Promise((resolve) => setTimeout(resolve, args.timeoutMs))]);
  const completeMs = Date.now() - started;
  // Late duplicates, if any, get a moment to show up.
  await new Promise((resolve) => setTimeout(resolve, 200));
  let firstMismatch: number | null = null;
  for (let i = 0; i < received.length; i += 1) {
    if (received[i] !== `${i}:${pad}`) {
      firstMismatch = i;
      break;
    }
  }
  return {
    sent: args.count,
    received: received.length,
    firstMismatch,
    mismatchValue: firstMismatch === null ? null : (received[firstMismatch] ?? null),
    sentMs,
    completeMs,
    errors: [...a.errors, ...b.errors],
  };
}

/** What the page's prelude counts: every peer connection constructed, and which are not closed. */
export interface PcCount {
  readonly constructed: number;
  readonly closeCalls: number;
  readonly open: number;
  readonly collected: number;
}

declare global {
  interface Window {
    __pcCount?: () => PcCount;
  }
}

/**
 * Scenario 8: `count` connect/close cycles; odd cycles close from b, even ones from a, and the
 * other side must reach `closed` through the bye (closeReason `remote`).
 */
export async function cycles(args: {
  readonly from: number;
  readonly count: number;
  readonly timeoutMs: number;
}) {
  setQuiet(true);
  let byeClosures = 0;
  const failures: string[] = [];
  const started = Date.now();
  try {
    for (let i = args.from; i < args.from + args.count; i += 1) {
      const signaling = { kind: 'memory' as const, pair: `cycle${i}` };
      createFixturePeer({ name: `c${i}a`, polite: false, signaling, verbose: false });
      createFixturePeer({ name: `c${i}b`, polite: true, signaling, verbose: false });
      const a = getPeer(`c${i}a`);
      const b = getPeer(`c${i}b`);
      try {
        a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
        await Promise.all([
          until(a, { connection: 'connected' }, args.timeoutMs),
          until(b, { connection: 'connected' }, args.timeoutMs),
        ]);
        const [closer, other] = i % 2 === 0 ? [a, b] : [b, a];
        closer.actor.send({ type: 'CLOSE' });
        await until(other, { closed: true }, args.timeoutMs);
        const reasons = [closer, other].map((p) => p.actor.getSnapshot().context.closeReason);
        if (reasons[0] === 'local' && reasons[1] === 'remote') byeClosures += 1;
        else failures.push(`cycle ${i}: close reasons ${JSON.stringify(reasons)}`);
        const errors = [...a.errors, ...b.errors];
        if (errors.length) failures.push(`cycle ${i}: errors ${JSON.stringify(errors)}`);
      } catch (error) {
        failures.push(`cycle ${i}: ${serializeError(error).message}`);
        for (const p of [a, b])
          if (!p.actor.getSnapshot().matches('closed')) p.actor.send({ type: 'CLOSE' });
      }
      dispose(a);
      dispose(b);
    }
  } finally {
    setQuiet(false);
  }
  return {
    cycles: args.count,
    byeClosures,
    failures: failures.slice(0, 10),
    failureCount: failures.length,
    ms: Date.now() - started,
    pc: window.__pcCount?.() ?? null,
  };
}
