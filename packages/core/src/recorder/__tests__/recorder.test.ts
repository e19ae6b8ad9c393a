import { describe, expect, it } from 'vitest';
import { createActor, createMachine, raise, SimulatedClock } from 'xstate';
import { parseSession, serializeSession } from '../io.js';
import { kindOf } from '../project.js';
import { createSessionRecorder } from '../recorder.js';

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

  it('round-trips through a session file and rejects what is not one', () => {
    const session = record();
    expect(parseSession(serializeSession(session))).toMatchObject({
      peers: session.peers,
      sdps: session.sdps,
    });
    expect(() => parseSession('{"format":"other"}')).toThrow(/format is "other"/);
    expect(() => parseSession('nope')).toThrow(/invalid JSON/);
    expect(() => parseSession(serializeSession({ ...session, version: 9 }))).toThrow(/version 9/);
    // A version 1 file (the playground's, before the recorder moved to core) still imports.
    expect(parseSession(serializeSession({ ...session, version: 1 })).version).toBe(1);
    const shuffled = JSON.parse(serializeSession(session));
    shuffled.peers[0].entries.reverse();
    expect(() => parseSession(JSON.stringify(shuffled))).toThrow(/seq-ordered/);
  });
});

// XState reuses one event object for every firing of a state's `after` timer, and `raise` of a
// static object reuses it too: the recorder must number by processing order, not by identity.
describe('session recorder with repeated event objects', () => {
  const ping = { type: 'PING' } as const;
  const timers = createMachine({
    id: 'timers',
    context,
    initial: 'waiting',
    states: {
      waiting: { after: { 10: 'done' } },
      done: {
        on: {
          AGAIN: 'waiting',
          POKE: { actions: raise(ping) },
          PING: { target: 'done', reenter: true },
        },
      },
    },
  });

  function recordRefires() {
    let time = 0;
    const recorder = createSessionRecorder({
      signaling: 'in-memory',
      peers: [{ name: 'Alice', polite: false }],
      now: () => time,
    });
    const clock = new SimulatedClock();
    const actor = createActor(timers, { clock, inspect: recorder.inspector(0) }).start();
    const advance = (ms: number) => {
      time += ms;
      clock.increment(ms);
    };
    advance(10); // the first firing
    actor.send({ type: 'POKE' });
    actor.send({ type: 'AGAIN' });
    advance(10); // the second firing of the same event object
    actor.send({ type: 'POKE' }); // the same raised object again
    return recorder.session;
  }

  it('gives each firing its own row, in the machine order, and snapshots in seq order', () => {
    const session = recordRefires();
    const alice = session.peers[0];
    if (!alice) throw new Error('no peer');
    expect(alice.entries.map((e) => `${e.kind}:${e.type}@${e.at}`)).toEqual([
      'internal:xstate.init@0',
      'internal:xstate.after.10.timers.waiting@10',
      'transition:xstate.after.10.timers.waiting@10',
      'internal:POKE@10',
      'internal:PING@10',
      'transition:PING@10',
      'internal:AGAIN@10',
      'transition:AGAIN@10',
      'internal:xstate.after.10.timers.waiting@20',
      'transition:xstate.after.10.timers.waiting@20',
      'internal:POKE@20',
      'internal:PING@20',
      'transition:PING@20',
    ]);
    const seqs = alice.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    // One snapshot per macrostep, each stamped with its own event's row.
    expect(alice.snapshots.map((s) => [s.seq, s.value, s.at])).toEqual([
      [1, 'waiting', 0],
      [2, 'done', 10],
      [4, 'done', 10],
      [7, 'waiting', 10],
      [9, 'done', 20],
      [11, 'done', 20],
    ]);
  });

  it('exports a session the importer takes back unchanged', () => {
    const session = recordRefires();
    const at = new Date(0);
    const text = serializeSession(session, at);
    expect(serializeSession(parseSession(text), at)).toBe(text);
    // Exporting an imported file again gives the same bytes: it keeps its stamp.
    expect(serializeSession(parseSession(text))).toBe(text);
  });
});

describe('faults', () => {
  it('records an injected fault as a fault entry, in seq order with the machine', () => {
    let clock = 1000;
    const recorder = createSessionRecorder({
      signaling: 'in-memory',
      peers: [{ name: 'Alice', polite: false }],
      now: () => clock,
    });
    const actor = createActor(machine, { inspect: recorder.inspector(0) }).start();
    clock += 7;
    recorder.addFault(0, 'signaling.loss', { lossPct: 100 });
    actor.send({ type: 'FLIP' });
    const alice = recorder.session.peers[0];
    expect(alice?.entries.map((e) => `${e.seq} ${e.kind}:${e.type} @${e.at}`)).toEqual([
      '1 internal:xstate.init @0',
      '2 fault:signaling.loss @7',
      '3 internal:FLIP @7',
      '4 transition:FLIP @7',
    ]);
    expect(alice?.entries[1]?.detail).toEqual({ lossPct: 100 });
    const text = serializeSession(recorder.session, new Date(0));
    expect(serializeSession(parseSession(text))).toBe(text);
  });
});

describe('timeline kinds', () => {
  it("files every public command as a command (core's list), the rest by the event's prefix", () => {
    for (const type of ['START', 'ADD_TRANSCEIVER', 'REPLACE_TRACK', 'CLOSE']) {
      expect(kindOf(type)).toBe('command');
    }
    expect(kindOf('signal.message')).toBe('signal');
    expect(kindOf('pc.iceCandidate')).toBe('pc');
    expect(kindOf('peer.settled')).toBe('internal');
  });
});

describe('session recorder limits', () => {
  it('lets go of the SDP text that only dropped entries and snapshots referred to', () => {
    const recorder = createSessionRecorder({
      signaling: 'in-memory',
      peers: [{ name: 'Alice', polite: false }],
      limits: { entries: 20, snapshots: 20 },
    });
    const actor = createActor(machine, { inspect: recorder.inspector(0) }).start();
    // Every trickled candidate makes a new local description: 1,000 distinct SDPs.
    for (let i = 0; i < 1_000; i++)
      actor.send({ type: 'NOOP', sdp: `v=0\r\na=candidate:${i}\r\n` });
    const { sdps, peers } = recorder.session;
    const kept = sdps.filter((sdp) => sdp !== '');
    expect(kept.length).toBeLessThanOrEqual(20);
    expect(kept.length).toBeGreaterThan(0);
    // What the kept entries refer to is all still there, and is the SDP that event carried.
    for (const entry of peers[0]?.entries ?? []) {
      const ref = (entry.detail as { sdp?: { $sdp: number } } | null)?.sdp;
      if (ref) expect(sdps[ref.$sdp]).toMatch(/^v=0\r\na=candidate:\d+\r\n$/);
    }
    const last = peers[0]?.entries.at(-1)?.detail as { sdp: { $sdp: number } };
    expect(sdps[last.sdp.$sdp]).toBe('v=0\r\na=candidate:999\r\n');
    // An SDP seen again after its text went is interned anew.
    actor.send({ type: 'NOOP', sdp: 'v=0\r\na=candidate:0\r\n' });
    const again = recorder.session.peers[0]?.entries.at(-1)?.detail as { sdp: { $sdp: number } };
    expect(recorder.session.sdps[again.sdp.$sdp]).toBe('v=0\r\na=candidate:0\r\n');
  });

  it('never lets go of an SDP a kept entry refers to, whatever else the payloads hold', () => {
    const recorder = createSessionRecorder({
      signaling: 'in-memory',
      peers: [{ name: 'Alice', polite: false }],
      limits: { entries: 20, snapshots: 20 },
    });
    const actor = createActor(machine, { inspect: recorder.inspector(0) }).start();
    // An app payload shaped like a description ref, naming index 0: the SDP the kept entries
    // refer to. Its entries are dropped while those are kept.
    const lookalike = () => actor.send({ type: 'NOOP', description: { type: 'offer', sdp: 0 } });
    for (let i = 0; i < 15; i++) lookalike();
    for (let i = 0; i < 5; i++) actor.send({ type: 'NOOP', sdp: 'v=0\r\na=kept\r\n' });
    for (let i = 0; i < 10; i++) lookalike();
    const { sdps, peers } = recorder.session;
    const refs = (peers[0]?.entries ?? []).flatMap((entry) => {
      const ref = (entry.detail as { sdp?: { $sdp: number } } | null)?.sdp;
      return ref ? [ref.$sdp] : [];
    });
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(sdps[ref]).toBe('v=0\r\na=kept\r\n');
  });
});
