/**
 * In-page benchmarks, bundled by `run.mjs` and driven from Node with `page.evaluate`. Every
 * function returns plain JSON. The SDK is imported from its source, like the browser suite does.
 */

import type { PeerActor } from '@peerstatejs/core';
import { waitFor } from 'xstate';
import { connectArm, heapCycles } from './connect.js';
import { renegotiate, w3cRenegotiate } from './glare.js';
import { pagesClockSync, pagesClose, pagesConnect, pagesOpen, pagesRound } from './glarePages.js';
import { traceGlare } from './glareTrace.js';
import {
  closePair,
  isConnected,
  machinePair,
  TIMEOUT,
  w3cConnected,
  w3cPair,
  w3cUntil,
} from './pairs.js';
import { traceArm } from './trace.js';

const now = () => performance.now();

declare global {
  interface Window {
    __pcs: { open(): number; created(): number; reachable(): number };
    bench: typeof bench;
  }
}

/**
 * ICE restart: two relay-only calls through the same TURN server, the machine's and the W3C
 * pair's, broken by the same outage (the Node side kills and restarts the server).
 */
let iceCalls: { a: PeerActor; b: PeerActor; w3c: ReturnType<typeof w3cPair> } | null = null;
async function iceConnect(configuration: RTCConfiguration) {
  const t0 = now();
  const { a, b } = machinePair(configuration);
  const w3c = w3cPair(configuration);
  iceCalls = { a, b, w3c };
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  w3c.a.pc.createDataChannel('chat');
  await Promise.all([
    waitFor(a, isConnected, { timeout: TIMEOUT }),
    w3cUntil(w3c.a.pc, () => w3cConnected(w3c.a.pc)),
  ]);
  return { connectedMs: now() - t0 };
}
/** Both calls have noticed the outage. */
async function iceWaitBroken() {
  const t0 = now();
  const { a, w3c } = iceCalls!;
  const [machine, raw] = await Promise.all([
    waitFor(a, (s) => !isConnected(s), { timeout: 60_000 }).then(() => now() - t0),
    w3cUntil(w3c.a.pc, () => !w3cConnected(w3c.a.pc), 60_000).then(() => now() - t0),
  ]);
  return { brokenAfterMs: { machine, w3c: raw } };
}
/** ms from now (the relay is back) until each call is connected again. */
async function iceWaitRecovered() {
  const t0 = now();
  const { a, b, w3c } = iceCalls!;
  const offersBefore = a.getSnapshot().context.counters.offersSent;
  const [s, raw] = await Promise.all([
    waitFor(a, isConnected, { timeout: 60_000 }).then((snapshot) => ({ snapshot, at: now() })),
    w3cUntil(w3c.a.pc, () => w3cConnected(w3c.a.pc), 60_000).then(() => now()),
  ]);
  const result = {
    recoveredAfterMs: { machine: s.at - t0, w3c: raw - t0 },
    lastIceRecoveryMs: s.snapshot.context.lastIceRecoveryMs,
    iceRestarts: {
      a: s.snapshot.context.counters.iceRestarts,
      b: b.getSnapshot().context.counters.iceRestarts,
    },
    offersSent: {
      a: s.snapshot.context.counters.offersSent,
      b: b.getSnapshot().context.counters.offersSent,
    },
    offersBefore,
  };
  await closePair(a, b);
  w3c.close();
  iceCalls = null;
  return result;
}

/**
 * `n` connect/close cycles; returns how many completed, the first failure if one stalled, and
 * the open peer-connection count after them.
 */
async function cycles(n: number) {
  let done = 0;
  let error: string | null = null;
  for (; done < n; done++) {
    const { a, b } = machinePair();
    try {
      a.start();
      b.start();
      a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
      await waitFor(a, isConnected, { timeout: TIMEOUT });
    } catch (e) {
      const describe = (peer: PeerActor) => {
        const s = peer.getSnapshot();
        return `state ${JSON.stringify(s.value)}, pc ${JSON.stringify(s.context.pcStates)}, counters ${JSON.stringify(s.context.counters)}`;
      };
      error = `${String(e)}; a: ${describe(a)}; b: ${describe(b)}`;
    }
    await closePair(a, b);
    if (error) break;
  }
  return { done, error, open: window.__pcs.open(), created: window.__pcs.created() };
}

function reachable() {
  return {
    open: window.__pcs.open(),
    reachable: window.__pcs.reachable(),
    created: window.__pcs.created(),
  };
}

const bench = {
  connectArm,
  heapCycles,
  traceArm,
  traceGlare,
  renegotiate,
  w3cRenegotiate,
  pagesOpen,
  pagesConnect,
  pagesClockSync,
  pagesRound,
  pagesClose,
  iceConnect,
  iceWaitBroken,
  iceWaitRecovered,
  cycles,
  reachable,
};
window.bench = bench;
