import { describe, expect, it } from 'vitest';
import { peerTimeline } from '../timeline.js';
import {
  bothConnected,
  bothSettled,
  CONNECTED,
  closeAndExpectNoLeaks,
  createTestCall,
  type TestCallOptions,
  tick,
  until,
} from './call.js';

// ICE restarts alone: rebuilds (a new peer connection once restarts run out) are off here and
// tested in rebuild.test.ts and the model paths.
const fastIce: TestCallOptions = {
  a: {
    rebuild: { maxAttempts: 0 },
    iceRestart: {
      disconnectedGracePeriod: 40,
      initialDelay: 60,
      factor: 2,
      maxDelay: 200,
      maxAttempts: 3,
    },
  },
  b: {
    rebuild: { maxAttempts: 0 },
    iceRestart: {
      disconnectedGracePeriod: 40,
      initialDelay: 60,
      factor: 2,
      maxDelay: 200,
      maxAttempts: 3,
    },
  },
};

async function connectedCall(options: TestCallOptions = fastIce) {
  const call = createTestCall(options);
  call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  await bothConnected(call);
  await bothSettled(call);
  return call;
}

function connectionStates(peer: { actor: object }) {
  return peerTimeline(peer.actor)
    .filter((entry) => entry.region === 'connection')
    .map((entry) => entry.state);
}

describe('ICE restart', () => {
  it('restarts at once when ICE fails and comes back connected', async () => {
    // A grace period far longer than the test: only `failed` can have started the restart.
    const slowGrace = { disconnectedGracePeriod: 60_000, initialDelay: 60, maxAttempts: 3 };
    const call = await connectedCall({
      a: { iceRestart: slowGrace },
      b: { iceRestart: slowGrace },
    });
    const ufragBefore = call.a.pc().localDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1];
    call.network.fail();
    await until(call.a, (s) => s.matches({ active: { connection: 'restartingIce' } }));
    call.network.up();
    await bothConnected(call);
    const a = call.a.actor.getSnapshot().context;
    expect(a.counters.iceRestarts).toBeGreaterThanOrEqual(1);
    expect(a.lastIceRecoveryMs).not.toBeNull();
    const ufragAfter = call.a.pc().localDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1];
    expect(ufragAfter).toBeDefined();
    expect(ufragAfter).not.toBe(ufragBefore);
    const states = connectionStates(call.a);
    expect(states.slice(-2)).toEqual(['restartingIce', 'connected']);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('waits the grace period while disconnected and does not restart if ICE recovers', async () => {
    const call = await connectedCall();
    call.network.down();
    await until(call.a, (s) => s.matches({ active: { connection: 'disconnected' } }));
    call.network.up({ recoverWithoutRestart: true });
    await bothConnected(call);
    await tick(80);
    expect(call.a.actor.getSnapshot().context.counters.iceRestarts).toBe(0);
    expect(call.a.actor.getSnapshot().matches(CONNECTED)).toBe(true);
    await closeAndExpectNoLeaks(call);
  });

  it('restarts after the grace period when disconnected persists (Chromium after a TURN outage)', async () => {
    const call = await connectedCall();
    call.network.down();
    await until(call.a, (s) => s.matches({ active: { connection: 'disconnected' } }));
    const enteredAt = Date.now();
    await until(call.a, (s) => s.matches({ active: { connection: 'restartingIce' } }));
    expect(Date.now() - enteredAt).toBeGreaterThanOrEqual(35);
    // The path comes back but stays disconnected until an ICE restart completes.
    call.network.up({ recoverWithoutRestart: false });
    await bothConnected(call);
    expect(call.a.actor.getSnapshot().context.counters.iceRestarts).toBeGreaterThanOrEqual(1);
    await closeAndExpectNoLeaks(call);
  });

  it('gives up after maxAttempts: failed with ICE_RESTART_EXHAUSTED, and the remote hears bye', async () => {
    const call = await connectedCall();
    call.network.fail();
    await until(call.a, (s) => s.matches('failed'), 3000);
    const a = call.a.actor.getSnapshot().context;
    expect(a.iceRestartAttempts).toBe(3);
    expect(a.closeReason).toBe('ice-failed');
    const exhausted = call.a.errors.find((e) => e.code === 'ICE_RESTART_EXHAUSTED');
    expect(exhausted).toBeDefined();
    await until(call.b, (s) => s.matches('closed') || s.matches('failed'), 3000);
    await closeAndExpectNoLeaks(call);
  });

  it('backs off when configured to: each attempt waits longer than the one before', async () => {
    const call = await connectedCall();
    const restarts: number[] = [];
    const pc = call.a.pc();
    const restartIce = pc.restartIce.bind(pc);
    Object.defineProperty(pc, 'restartIce', {
      value: () => {
        restarts.push(Date.now());
        restartIce();
      },
    });
    call.network.fail();
    await until(call.a, (s) => s.matches('failed'), 3000);
    expect(restarts.length).toBe(3);
    const gaps = restarts.slice(1).map((at, i) => at - (restarts[i] ?? 0));
    // 60 ms then 120 ms (timers may fire a little late, never early).
    expect(gaps[0]).toBeGreaterThanOrEqual(59);
    expect(gaps[1]).toBeGreaterThanOrEqual(119);
    await closeAndExpectNoLeaks(call);
  });

  it('restarts by hand with RESTART_ICE while connected', async () => {
    const call = await connectedCall();
    const offersBefore = call.a.actor.getSnapshot().context.counters.offersSent;
    call.a.actor.send({ type: 'RESTART_ICE' });
    await until(call.a, (s) => s.context.counters.offersSent > offersBefore);
    await bothConnected(call);
    await bothSettled(call);
    const a = call.a.actor.getSnapshot().context;
    expect(a.counters.iceRestarts).toBe(1);
    expect(a.iceRestartAttempts).toBe(0);
    const lastOffer = call.a.sent.filter((m) => m.type === 'description').at(-1);
    const firstOffer = call.a.sent.find((m) => m.type === 'description');
    const ufrag = (m: typeof lastOffer) =>
      m?.type === 'description' ? m.description.sdp.match(/a=ice-ufrag:(\S+)/)?.[1] : undefined;
    expect(ufrag(lastOffer)).not.toBe(ufrag(firstOffer));
    await closeAndExpectNoLeaks(call);
  });
});
