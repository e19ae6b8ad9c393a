import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { parseSession, serializeSession } from '../session/io.js';
import { createSessionRecorder } from '../session/recorder.js';
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

describe('session recorder', () => {
  it('records events, transitions and the snapshot after each event, in order', () => {
    const session = record();
    const alice = session.peers[0];
    expect(alice?.entries.map((e) => `${e.kind}:${e.type}`)).toEqual([
      'internal:xstate.init',
      'internal:FLIP',
      'transition:FLIP',
      'internal:NOOP',
    ]);
    const flip = alice?.entries[1];
    expect(flip?.at).toBe(5);
    // SDP text is stored once, referred to by index.
    expect(flip?.detail).toEqual({ payload: { note: 'x', sdp: { $sdp: 0 } } });
    expect(session.sdps).toEqual(['v=0\r\n']);
    expect(alice?.entries[2]?.detail).toMatchObject({ from: 'toy.off', to: ['toy.on'] });
    expect(alice?.snapshots.map((s) => [s.seq, s.value])).toEqual([
      [1, 'off'],
      [2, 'on'],
      [4, 'on'],
    ]);
  });

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

  it('round-trips through a session file and rejects what is not one', () => {
    const session = record();
    expect(parseSession(serializeSession(session))).toMatchObject({
      peers: session.peers,
      sdps: session.sdps,
    });
    expect(() => parseSession('{"format":"other"}')).toThrow(/format is "other"/);
    expect(() => parseSession('nope')).toThrow(/invalid JSON/);
    const shuffled = JSON.parse(serializeSession(session));
    shuffled.peers[0].entries.reverse();
    expect(() => parseSession(JSON.stringify(shuffled))).toThrow(/seq-ordered/);
  });
});
