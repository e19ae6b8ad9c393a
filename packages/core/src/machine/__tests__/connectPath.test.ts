import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { createInMemorySignalingPair } from '../../signaling/inMemorySignaling.js';
import {
  createFakeCall,
  createFakeNetwork,
  type FakePeerConnection,
  resetFakeRegistry,
} from '../../testing/index.js';
import { createPeer } from '../createPeer.js';

// #22: nothing on the connect path may wait on a timer. The impolite peer never holds its
// first offer (its hold was a 0 ms `after`: a macrotask between the engine's negotiationneeded
// and the offer, and a 4 ms one once timers nest).
describe('connect path', () => {
  it('the impolite peer holds nothing: renegotiation is idle as soon as it starts', () => {
    resetFakeRegistry();
    const network = createFakeNetwork();
    const [left] = createInMemorySignalingPair();
    const peer = createPeer({
      signaling: left,
      polite: false,
      peerConnection: network.factory('a'),
    });
    peer.start();
    expect(peer.getSnapshot().matches({ active: { renegotiation: 'idle' } })).toBe(true);
    peer.send({ type: 'CLOSE' });
  });

  it('the polite peer still holds its first offer', () => {
    resetFakeRegistry();
    const network = createFakeNetwork();
    const [, right] = createInMemorySignalingPair();
    const peer = createPeer({
      signaling: right,
      polite: true,
      peerConnection: network.factory('b'),
    });
    peer.start();
    expect(peer.getSnapshot().matches({ active: { renegotiation: 'holdingFirstOffer' } })).toBe(
      true,
    );
    peer.send({ type: 'CLOSE' });
  });
});

// #22: each pc.statesChanged the machine takes is a full XState macrostep; one that repeats
// what the last one said (a transport's statechange beside the connection's own, say) is not
// sent at all.
describe('pc.statesChanged', () => {
  it('is sent once per change, not once per engine event', async () => {
    const call = createFakeCall();
    const created: FakePeerConnection[] = [];
    const taken: string[] = [];
    const a = createPeer({
      ...call.caller,
      peerConnection: (configuration) => {
        const pc = call.caller.peerConnection(configuration);
        created.push(pc);
        return pc;
      },
      inspect: (e) => {
        if (e.type === '@xstate.event' && e.event.type === 'pc.statesChanged') {
          taken.push(JSON.stringify((e.event as unknown as { states: object }).states));
        }
      },
    });
    const b = createPeer(call.callee);
    a.start();
    b.start();
    a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await waitFor(a, (s) => s.matches({ active: { connection: 'connected' } }));
    const pc = created[0];
    if (!pc) throw new Error('no peer connection');
    const before = taken.length;
    for (const type of [
      'connectionstatechange',
      'iceconnectionstatechange',
      'signalingstatechange',
    ])
      pc.dispatchEvent(new Event(type));
    expect(taken.length).toBe(before);
    // No two in a row say the same.
    expect(taken.filter((entry, i) => entry === taken[i - 1])).toEqual([]);
    a.send({ type: 'CLOSE' });
    b.send({ type: 'CLOSE' });
  });
});

// #22: a command that reported nothing settles within its own transition, not through a
// `peer.settled` sent to self (a macrostep of its own, on a call's first data round trip).
describe('SEND_DATA', () => {
  it('settles in place', async () => {
    const call = createFakeCall();
    const taken: string[] = [];
    const a = createPeer({
      ...call.caller,
      inspect: (e) => {
        if (e.type === '@xstate.event') taken.push(e.event.type);
      },
    });
    const b = createPeer(call.callee);
    a.start();
    b.start();
    a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await waitFor(a, (s) => s.context.dataChannels.some((c) => c.readyState === 'open'));
    const settled: unknown[] = [];
    a.on('settled', (event) => settled.push(event));
    taken.length = 0;
    a.send({ type: 'SEND_DATA', label: 'chat', data: 'ping', id: 'ping' });
    expect(settled).toEqual([{ type: 'settled', id: 'ping', command: 'SEND_DATA', ok: true }]);
    expect(taken).toEqual(['SEND_DATA']);
    // A failed send still settles after its error.
    a.send({ type: 'SEND_DATA', label: 'nope', data: 'x', id: 'nope' });
    expect(settled).toHaveLength(2);
    expect(settled[1]).toMatchObject({ id: 'nope', ok: false });
    a.send({ type: 'CLOSE' });
    b.send({ type: 'CLOSE' });
  });
});
