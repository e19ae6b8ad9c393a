/**
 * Rebuilds: when ICE restarts cannot save a peer connection (its DTLS transport died, or the
 * restarts ran out), both peers replace it with a new one and carry on. The model paths
 * (src/__tests__/model/modelPaths.test.ts) cover every transition; these read as the spec.
 */
import { describe, expect, it } from 'vitest';
import { createFakeStream, createFakeTrack, type FakePeerConnection } from '../../testing/index.js';
import { peerView } from '../peerView.js';
import type { PeerEmitted } from '../types.js';
import {
  bothConnected,
  bothSettled,
  CONNECTED,
  closeAndExpectNoLeaks,
  createTestCall,
  type TestCallOptions,
  until,
} from './call.js';

const fast = {
  iceRestart: { disconnectedGracePeriod: 30, initialDelay: 40, factor: 1, maxAttempts: 2 },
  rebuild: { maxAttempts: 2, timeout: 500 },
};
const options: TestCallOptions = { a: fast, b: fast };

describe('rebuild', () => {
  it('a DTLS transport that dies under connected ICE (Firefox after an outage): both sides get a new connection, the same track and channel', async () => {
    const call = createTestCall(options);
    const emitted: PeerEmitted[] = [];
    call.a.actor.on('rebuilding', (event) => emitted.push(event));
    call.b.actor.on('rebuilding', (event) => emitted.push(event));
    const mic = createFakeTrack('audio');
    call.a.actor.send({ type: 'ADD_TRACK', track: mic, streams: [createFakeStream([mic])] });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    await bothSettled(call);
    const firstA = call.network.peer('a') as FakePeerConnection;
    const firstB = call.network.peer('b') as FakePeerConnection;

    // What a UI shows meanwhile: reconnecting, from the failure until the new connection is up.
    const phases: string[] = [];
    const watch = call.a.actor.subscribe((s) => {
      const phase = peerView(s).phase;
      if (phases.at(-1) !== phase) phases.push(phase);
    });
    firstA.failDtls();
    await until(call.a, (s) => s.context.epoch === 1 && s.matches(CONNECTED));
    watch.unsubscribe();
    expect(phases).toEqual(['connected', 'reconnecting', 'connected']);
    await until(call.b, (s) => s.context.epoch === 1 && s.matches(CONNECTED));
    await bothSettled(call);

    expect(emitted).toEqual([
      { type: 'rebuilding', reason: 'transport-failed', epoch: 1 },
      { type: 'rebuilding', reason: 'remote', epoch: 1 },
    ]);
    expect([firstA.signalingState, firstB.signalingState]).toEqual(['closed', 'closed']);
    expect(call.network.peer('a')).not.toBe(firstA);
    const a = call.a.actor.getSnapshot().context;
    const b = call.b.actor.getSnapshot().context;
    expect(a.pc).toBe(call.network.peer('a'));
    expect(mic.readyState).toBe('live');
    expect(a.localTracks.map((t) => t.track)).toEqual([mic]);
    expect(b.remoteTracks.map((t) => t.track.kind)).toEqual(['audio']);
    expect(b.dataChannels.map((c) => [c.label, c.origin, c.channel.readyState])).toEqual([
      ['chat', 'remote', 'open'],
    ]);
    expect(a.lastRebuildMs).toBeGreaterThanOrEqual(0);
    // The rebuild was a rebuild, not a failure.
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    // The rebuild request was sent once by a, answered once by b.
    expect(call.a.sent.filter((m) => m.type === 'rebuild')).toEqual([
      { v: 2, type: 'rebuild', epoch: 1 },
    ]);
    expect(call.b.sent.filter((m) => m.type === 'rebuild')).toEqual([
      { v: 2, type: 'rebuild', epoch: 1 },
    ]);
    await closeAndExpectNoLeaks(call);
  });

  it("on a rebuilt connection the polite peer waits longer for the impolite side's offer, so the two do not glare", async () => {
    // The impolite peer's offer for the rebuilt connection is slow to arrive (seen: 650 ms after
    // its connection, under load), longer than the start-up hold of 500 ms.
    let slowOffers = false;
    const call = createTestCall({
      ...options,
      wrapA: (channel) => ({
        send: (message) => {
          const offer = message.type === 'description' && message.description.type === 'offer';
          if (!slowOffers || !offer) return channel.send(message);
          setTimeout(() => channel.send(message), 900);
          return Promise.resolve();
        },
        subscribe: (listener) => channel.subscribe(listener),
      }),
    });
    call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
    call.b.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('video') });
    await bothConnected(call);
    await bothSettled(call);
    const before = call.b.actor.getSnapshot().context.counters;
    const offersBefore = call.b.sent.filter((m) => m.type === 'description').length;
    slowOffers = true;
    (call.network.peer('a') as FakePeerConnection).failDtls();
    await until(call.a, (s) => s.context.epoch === 1 && s.matches(CONNECTED), 10_000);
    await until(call.b, (s) => s.context.epoch === 1 && s.matches(CONNECTED), 10_000);
    await bothSettled(call);
    const b = call.b.actor.getSnapshot().context;
    // No glare: b never offered on the rebuilt connection, and rolled nothing back.
    expect(b.counters.rollbacks).toBe(before.rollbacks);
    const sinceRebuild = call.b.sent.filter((m) => m.type === 'description').slice(offersBefore);
    // Its first description is the answer; its own offer (its video needs an m-line) follows.
    expect(sinceRebuild.map((m) => m.type === 'description' && m.description.type)).toEqual([
      'answer',
      'offer',
    ]);
    expect(b.remoteTracks.map((t) => t.track.kind)).toEqual(['audio']);
    expect(call.a.actor.getSnapshot().context.remoteTracks.map((t) => t.track.kind)).toEqual([
      'video',
    ]);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('ICE restarts run out while the network is down; the rebuilt connection comes up with the network', async () => {
    const call = createTestCall(options);
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    call.network.fail();
    await until(call.a, (s) => s.context.counters.rebuilds === 1, 3000);
    expect(call.a.actor.getSnapshot().matches(CONNECTED)).toBe(false);
    call.network.up();
    await bothConnected(call, 3000);
    const a = call.a.actor.getSnapshot().context;
    expect(a.epoch).toBe(1);
    expect(a.counters.iceRestarts).toBe(2);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('rebuilds run out too: ICE_RESTART_EXHAUSTED, failed, bye', async () => {
    const call = createTestCall({
      a: { ...fast, rebuild: { maxAttempts: 1, timeout: 500 } },
      b: { ...fast, rebuild: { maxAttempts: 1, timeout: 500 } },
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    call.network.fail();
    // The rebuilt connection cannot connect either; once its ICE fails, restarts run out again.
    // (A real ICE agent fails after its checks time out; the fake is told so.)
    await until(
      call.a,
      (s) => s.context.epoch === 1 && s.matches({ active: { connection: 'connecting' } }),
      3000,
    );
    (call.a.actor.getSnapshot().context.pc as FakePeerConnection).setConnectionState('failed');
    await until(call.a, (s) => s.matches('failed'), 3000);
    expect(call.a.errors.map((e) => e.code)).toEqual(['ICE_RESTART_EXHAUSTED']);
    expect(call.a.actor.getSnapshot().context.closeReason).toBe('ice-failed');
    await closeAndExpectNoLeaks(call);
  });
});
