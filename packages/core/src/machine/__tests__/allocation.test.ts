import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from 'xstate';
import { createFakeCall, createFakeMediaDevices, resetFakeRegistry } from '../../testing/index.js';
import { freshNegotiation, initialContext } from '../context.js';
import { createPeer } from '../createPeer.js';
import type { PeerEmitted } from '../types.js';

// #22: every `assign` makes XState copy the whole context (`Object.assign({}, context, patch)`)
// and build a new snapshot (state value, tags), ~7 KiB in Node whatever the assign changes; and
// every event the machine sends itself is a macrostep of its own. These tests count both on an
// ordinary call (data channel, ping, pong, close), the allocation bench's call.

/** Counts XState's context copies: `Object.assign({}, context, patch)` with a peer context. */
function countContextCopies() {
  const copies: string[] = [];
  const assign = Object.assign;
  const spy = vi.spyOn(Object, 'assign').mockImplementation(((
    target: object,
    ...sources: object[]
  ) => {
    const [context, patch] = sources;
    if (sources.length === 2 && context && 'instanceId' in context && 'counters' in context) {
      copies.push(Object.keys(patch ?? {}).join(','));
    }
    return assign(target, ...sources);
  }) as typeof Object.assign);
  return { copies, restore: () => spy.mockRestore() };
}

async function ordinaryCall(onEvent: (peer: 'a' | 'b', type: string) => void = () => {}) {
  resetFakeRegistry();
  const call = createFakeCall();
  const a = createPeer({
    ...call.caller,
    inspect: (e) => {
      if (e.type === '@xstate.event' && e.actorRef === a) onEvent('a', e.event.type);
    },
  });
  const b = createPeer(call.callee);
  const emitted: PeerEmitted[] = [];
  a.on('*', (e) => emitted.push(e));
  const pong = new Promise((resolve) => a.on('data', resolve));
  b.on('data', ({ label }) => b.send({ type: 'SEND_DATA', label, data: 'pong' }));
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat', id: 'dc' });
  await waitFor(a, (s) => s.context.dataChannels.some((c) => c.readyState === 'open'));
  a.send({ type: 'SEND_DATA', label: 'chat', data: 'ping' });
  await pong;
  await waitFor(a, (s) => s.matches({ active: { connection: 'connected' } }));
  a.send({ type: 'CLOSE' });
  b.send({ type: 'CLOSE' });
  return { a, b, emitted };
}

describe('allocation (#22)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('an ordinary call copies the two contexts no more than 57 times (69 on main before these cuts)', async () => {
    await ordinaryCall(); // warm: the first call of a process creates what later ones reuse
    const counted = countContextCopies();
    try {
      await ordinaryCall();
    } finally {
      counted.restore();
    }
    // No assign that changes nothing: nothing deferred to replay or refuse, no rebuild to
    // recover from, no buffered candidate to flush, no rollback to count.
    expect(counted.copies).not.toContain('deferredEvents');
    expect(counted.copies).not.toContain('');
    expect(counted.copies).not.toContain('bufferedCandidates,counters');
    expect(counted.copies).not.toContain('explicitRollback,counters');
    // A remote channel is listed and its label kept in one copy.
    expect(counted.copies).toContain('dataChannels,outbox');
    expect(counted.copies).not.toContain('outbox');
    expect(counted.copies.length).toBeLessThanOrEqual(57);
  });

  it('CREATE_DATA_CHANNEL lists, watches and settles its channel in its own transition', async () => {
    const taken: string[] = [];
    const { a, emitted } = await ordinaryCall((peer, type) => {
      if (peer === 'a') taken.push(type);
    });
    // Neither a `peer.dataChannelCreated` nor a `peer.settled` sent to self: one macrostep.
    expect(taken).not.toContain('peer.dataChannelCreated');
    expect(taken).not.toContain('peer.settled');
    expect(emitted).toContainEqual({
      type: 'settled',
      id: 'dc',
      command: 'CREATE_DATA_CHANNEL',
      ok: true,
    });
    // Listed as ours, and watched: its `open` reached the context (the call waited for it).
    expect(a.getSnapshot().context.dataChannels.map((c) => c.origin)).toEqual(['local']);
  });

  it('counts a remote candidate as applied when handed to the engine, without an event back', async () => {
    const taken: string[] = [];
    const { a, b } = await ordinaryCall((peer, type) => {
      if (peer === 'a') taken.push(type);
    });
    // A `peer.candidateApplied` per accepted candidate was a macrostep each (#22).
    expect(taken).toContain('signal.message');
    expect(taken).not.toContain('peer.candidateApplied');
    for (const peer of [a, b]) {
      const { candidatesApplied, candidatesReceived } = peer.getSnapshot().context.counters;
      expect(candidatesReceived).toBeGreaterThan(0);
      expect(candidatesApplied).toBe(candidatesReceived);
    }
  });

  it('runs the negotiation steps on the connection listener: no actor per step', async () => {
    // An invoked promise actor per step (offer, answer, each remote description) was an actor,
    // its snapshot and its done event through two actors: ~110 KiB a call in Chromium (#22).
    const children = new Set<string>();
    const watch = (peer: ReturnType<typeof createPeer>) =>
      peer.subscribe((s) => {
        for (const id of Object.keys(s.children)) children.add(id);
      });
    resetFakeRegistry();
    const call = createFakeCall();
    const a = createPeer(call.caller);
    const b = createPeer(call.callee);
    watch(a);
    watch(b);
    a.start();
    b.start();
    a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await waitFor(a, (s) => s.matches({ active: { connection: 'connected' } }));
    await waitFor(b, (s) => s.matches({ active: { signaling: 'stable' } }));
    expect(a.getSnapshot().context.counters.offersSent).toBeGreaterThan(0);
    expect(b.getSnapshot().context.counters.answersSent).toBeGreaterThan(0);
    // Invoked by a signaling state, it was named after it: `0.peer.active.signaling.makingOffer`.
    expect([...children].filter((id) => id.includes('.signaling.'))).toEqual([]);
    expect(children).toContain('peerConnectionEvents');
    a.send({ type: 'CLOSE' });
    b.send({ type: 'CLOSE' });
  });

  it('spawns the capture actor on the first capture only, and stops what it captured with the peer', async () => {
    resetFakeRegistry();
    const call = createFakeCall();
    const plain = createPeer(call.caller);
    plain.start();
    // An actor and two snapshot copies per peer, for a peer that never captures: none.
    expect(plain.getSnapshot().children).not.toHaveProperty('mediaCapture');
    plain.send({ type: 'CLOSE' });

    // Another call: the bye of the first would close this peer.
    const capturing = createPeer({
      ...createFakeCall().callee,
      mediaDevices: createFakeMediaDevices(),
    });
    capturing.start();
    capturing.send({ type: 'START_MEDIA', constraints: { audio: true } });
    capturing.send({ type: 'START_MEDIA', constraints: { video: true } });
    expect(capturing.getSnapshot().children).toHaveProperty('mediaCapture');
    await waitFor(capturing, (s) => s.context.intent.transceivers.length === 2);
    const tracks = capturing.getSnapshot().context.intent.transceivers.map((t) => t.track);
    expect(tracks.map((t) => t?.readyState)).toEqual(['live', 'live']);
    // Stopped without CLOSE (an unmount): XState runs no exit actions, the actor's cleanup does.
    capturing.stop();
    expect(tracks.map((t) => t?.readyState)).toEqual(['ended', 'ended']);
  });

  it('the initial context has the negotiation fields of a fresh connection', () => {
    // initialContext writes them out (one spread literal: context.ts says why); they must not
    // drift from freshNegotiation, which a rebuild assigns.
    const { signaling } = createFakeCall().caller;
    const context = initialContext({ signaling, polite: false });
    expect(context).toMatchObject(freshNegotiation([]));
    expect(Object.keys(context)).toEqual(expect.arrayContaining(Object.keys(freshNegotiation([]))));
  });
});
