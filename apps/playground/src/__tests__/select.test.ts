import { createSessionRecorder } from '@peerstatejs/core/recorder';
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { entryAt, lastSeq, lastTransition, snapshotAt } from '../session/select.js';

// A stand-in with the context fields the projection reads, so the recorder runs in Node.
const context = {
  pc: null,
  pcStates: { signaling: 'stable', connection: 'new', iceConnection: 'new', iceGathering: 'new' },
  counters: { offersSent: 0 },
  localTracks: [],
  remoteTracks: [],
  dataChannels: [],
  lastError: null,
  iceRestartAttempts: 0,
  lastIceRecoveryMs: null,
  closeReason: null,
  ignoreOffer: false,
  inbox: [],
  bufferedCandidates: [],
  platform: undefined,
};

const machine = createMachine({
  id: 'toy',
  context,
  initial: 'off',
  states: {
    off: { on: { FLIP: 'on' } },
    on: { on: { FLIP: 'off', NOOP: {} } },
  },
});

function record() {
  let clock = 1000;
  const recorder = createSessionRecorder({
    signaling: 'in-memory',
    peers: [{ name: 'Alice', polite: false }],
    now: () => clock,
  });
  const actor = createActor(machine, { inspect: recorder.inspector(0) }).start();
  clock += 5;
  actor.send({ type: 'FLIP', payload: { note: 'x', sdp: 'v=0\r\n' } });
  clock += 5;
  actor.send({ type: 'NOOP' });
  return recorder.session;
}

describe('session selectors', () => {
  it('answers what the page shows at a cursor', () => {
    const session = record();
    const alice = session.peers[0];
    if (!alice) throw new Error('no peer');
    expect(lastSeq(session)).toBe(4);
    expect(snapshotAt(alice, 1)?.value).toBe('off');
    expect(snapshotAt(alice, 2)?.value).toBe('on');
    expect(lastTransition(alice, 1)).toBeUndefined();
    expect(lastTransition(alice, 4)).toMatchObject({ from: 'toy.off', to: ['toy.on'], seq: 3 });
    expect(entryAt(session, 3)?.entry.kind).toBe('transition');
  });
});
