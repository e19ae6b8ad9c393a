/**
 * Recovery with the default options (issue 12): how soon a dead connection is rebuilt, and how
 * soon a call is back after a network outage, on fake timers. The fake network is told that a
 * restart negotiated during the outage is spent (`restartsNeedThePath`), as with a TURN relay
 * that died with its allocations: only a restart after the network returns reconnects.
 */
import { describe, expect, it } from 'vitest';
import type { SignalingChannel, SignalingMessage } from '../../signaling/types.js';
import { createFakeStream, createFakeTrack } from '../../testing/index.js';
import type { PeerEmitted } from '../types.js';
import {
  bothConnected,
  bothSettled,
  CONNECTED,
  closeAndExpectNoLeaks,
  createTestCall,
  type TestCall,
  until,
} from './call.js';

/** When each message left, in fake time. */
function timed(log: { at: number; message: SignalingMessage }[]) {
  return (channel: SignalingChannel): SignalingChannel => ({
    send: (message) => {
      log.push({ at: Date.now(), message });
      return channel.send(message);
    },
    subscribe: (listener) => channel.subscribe(listener),
  });
}

const isOffer = (m: SignalingMessage) => m.type === 'description' && m.description.type === 'offer';

async function connectedCall(): Promise<
  TestCall & { sentA: { at: number; message: SignalingMessage }[]; sentB: typeof sentB }
> {
  const sentA: { at: number; message: SignalingMessage }[] = [];
  const sentB: { at: number; message: SignalingMessage }[] = [];
  const call = createTestCall({
    network: { restartsNeedThePath: true },
    wrapA: timed(sentA),
    wrapB: timed(sentB),
  });
  const mic = createFakeTrack('audio');
  call.a.actor.send({ type: 'ADD_TRACK', track: mic, streams: [createFakeStream([mic])] });
  call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  await bothConnected(call);
  await bothSettled(call);
  return { ...call, sentA, sentB };
}

function rebuildsOf(emitted: readonly PeerEmitted[]) {
  return emitted.filter((e) => e.type === 'rebuilding');
}

describe('recovery with the default options', () => {
  for (const outageMs of [2000, 6000, 20_000, 59_000]) {
    it(`a ${outageMs / 1000} s outage: back within 1 s of the network returning, one restart offer a second, from the impolite peer only`, async () => {
      const call = await connectedCall();
      const failedAt = Date.now();
      call.network.fail();
      await until(call.a, (s) => s.matches({ active: { connection: 'restartingIce' } }));
      await until(call.a, () => Date.now() >= failedAt + outageMs, outageMs + 1000);
      call.network.up();
      const upAt = Date.now();
      await until(call.a, (s) => s.matches(CONNECTED), 5000);
      await until(call.b, (s) => s.matches(CONNECTED), 5000);
      expect(Date.now() - upAt).toBeLessThanOrEqual(1000);

      const offersA = call.sentA.filter((s) => s.at >= failedAt && isOffer(s.message));
      const offersB = call.sentB.filter((s) => s.at >= failedAt && isOffer(s.message));
      expect(offersA.length).toBeGreaterThanOrEqual(1);
      expect(offersA.length).toBeLessThanOrEqual(Math.ceil((Date.now() - failedAt) / 1000));
      const gaps = offersA.slice(1).map((s, i) => s.at - (offersA[i]?.at ?? 0));
      expect(gaps.every((gap) => gap >= 1000)).toBe(true);
      // Only one side initiates: the polite peer answers, so no restart ever collides.
      expect(offersB).toEqual([]);
      expect(call.b.actor.getSnapshot().context.counters.iceRestarts).toBe(0);
      expect(call.a.actor.getSnapshot().context.counters.offersIgnored).toBe(0);
      expect(call.b.actor.getSnapshot().context.counters.rollbacks).toBe(0);
      expect([...call.a.errors, ...call.b.errors]).toEqual([]);
      await closeAndExpectNoLeaks(call);
    });
  }

  it('restarts that run out start the rebuild within 1 s of the last attempt', async () => {
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
    await until(call.a, (s) => s.context.counters.rebuilds === 1, 120_000);
    expect(restarts).toHaveLength(60);
    expect(Date.now() - (restarts.at(-1) ?? 0)).toBeLessThanOrEqual(1000);
    expect(rebuildsOf(call.a.emitted)).toEqual([
      { type: 'rebuilding', reason: 'ice-restart-exhausted', epoch: 1 },
    ]);
    call.network.up();
    await bothConnected(call, 20_000);
    await closeAndExpectNoLeaks(call);
  });

  it("the remote's connection closed behind its back (no bye): rebuilt within 1 s, the track is back", async () => {
    const call = await connectedCall();
    const closedAt = Date.now();
    call.b.pc().close();
    await until(call.a, (s) => s.matches('rebuilding'), 2000);
    expect(Date.now() - closedAt).toBeLessThanOrEqual(1000);
    expect(rebuildsOf(call.a.emitted)).toEqual([
      { type: 'rebuilding', reason: 'connection-closed', epoch: 1 },
    ]);
    await until(call.a, (s) => s.context.epoch === 1 && s.matches(CONNECTED), 2000);
    await until(call.b, (s) => s.context.epoch === 1 && s.matches(CONNECTED), 2000);
    expect(Date.now() - closedAt).toBeLessThanOrEqual(1000);
    await until(call.b, (s) => s.context.remoteTracks.some((t) => t.track.kind === 'audio'));
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('our own connection closed by the app (Chromium then fires the SCTP statechange): rebuilt within 1 s', async () => {
    const call = await connectedCall();
    const pc = call.b.pc();
    const closedAt = Date.now();
    pc.close();
    pc.sctp?.driveState('closed');
    await until(call.b, (s) => s.matches('rebuilding'), 2000);
    expect(Date.now() - closedAt).toBeLessThanOrEqual(1000);
    await until(call.b, (s) => s.context.epoch === 1 && s.matches(CONNECTED), 2000);
    await until(call.a, (s) => s.context.epoch === 1 && s.matches(CONNECTED), 2000);
    expect(Date.now() - closedAt).toBeLessThanOrEqual(1000);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('a hang-up is not mistaken for a closed connection: the bye closes, no rebuild', async () => {
    const call = await connectedCall();
    call.b.actor.send({ type: 'CLOSE' });
    await until(call.a, (s) => s.matches('closed'), 2000);
    expect(call.a.actor.getSnapshot().context.closeReason).toBe('remote');
    expect(rebuildsOf(call.a.emitted)).toEqual([]);
    expect(call.a.sent.filter((m) => m.type === 'rebuild')).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });
});
