/**
 * Hostile signaling: a corpus of malformed and ill-timed messages delivered to a connected peer.
 * Each one must produce exactly the typed error event expected (nothing for what is legitimately
 * ignored), break no invariant, and leave the peer usable: after the whole corpus, both peers
 * still negotiate a new channel and a track. A fast-check fuzz adds arbitrary values and
 * mutated valid messages.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeerStateError } from '../../errors.js';
import { createFakeStream, createFakeTrack } from '../../testing/index.js';
import {
  createModelCall,
  isConnected,
  type ModelCall,
  openChannels,
  receivedKinds,
} from './harness.js';

let current: ModelCall | null = null;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  current?.dispose();
  current = null;
  vi.useRealTimers();
});

async function connectedCall(): Promise<ModelCall> {
  const call = createModelCall();
  current = call;
  call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  expect(await call.settle()).toBe(true);
  expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
  return call;
}

const cyclic: Record<string, unknown> = { v: 2, type: 'candidate', ufrag: null, epoch: 0 };
cyclic.candidate = cyclic;

/** What arrives at `a`, and the error codes it must raise there (in order). */
const corpus: ReadonlyArray<readonly [string, unknown, readonly string[]]> = [
  ['a number', 42, ['INVALID_SIGNALING_MESSAGE']],
  ['null', null, ['INVALID_SIGNALING_MESSAGE']],
  ['an array', [1, 2], ['INVALID_SIGNALING_MESSAGE']],
  ['text that is not JSON', '{"v":1,', ['INVALID_SIGNALING_MESSAGE']],
  [
    'JSON text over the size limit',
    `"${'x'.repeat(1024 * 1024 + 10)}"`,
    ['INVALID_SIGNALING_MESSAGE'],
  ],
  ['no version', { type: 'bye' }, ['INVALID_SIGNALING_MESSAGE']],
  ['a future version', { v: 3, type: 'bye' }, ['INVALID_SIGNALING_MESSAGE']],
  ['a protocol v1 answer', { v: 1, type: 'bye' }, ['INVALID_SIGNALING_MESSAGE']],
  ['an unknown type', { v: 2, type: 'hello' }, ['INVALID_SIGNALING_MESSAGE']],
  ['a description without payload', { v: 2, type: 'description' }, ['INVALID_SIGNALING_MESSAGE']],
  [
    'a description without sdp',
    { v: 2, type: 'description', id: 'x:0:1', inReplyTo: null, description: { type: 'offer' } },
    ['INVALID_SIGNALING_MESSAGE'],
  ],
  [
    'a rollback on the wire',
    {
      v: 2,
      type: 'description',
      id: 'x:0:1',
      inReplyTo: null,
      description: { type: 'rollback', sdp: '' },
    },
    ['INVALID_SIGNALING_MESSAGE'],
  ],
  [
    'sdp of the wrong type',
    {
      v: 2,
      type: 'description',
      id: 'x:0:1',
      inReplyTo: null,
      description: { type: 'offer', sdp: 42 },
    },
    ['INVALID_SIGNALING_MESSAGE'],
  ],
  [
    'a huge sdp',
    {
      v: 2,
      type: 'description',
      id: 'x:0:1',
      inReplyTo: null,
      description: { type: 'offer', sdp: `v=0\r\n${'a=x\r\n'.repeat(60_000)}` },
    },
    ['INVALID_SIGNALING_MESSAGE'],
  ],
  [
    'a candidate without payload',
    { v: 2, type: 'candidate', ufrag: null, epoch: 0 },
    ['INVALID_SIGNALING_MESSAGE'],
  ],
  [
    'a candidate with a negative m-line index',
    {
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      candidate: {
        candidate: 'candidate:1 1 udp 1 1.2.3.4 9 typ host',
        sdpMid: null,
        sdpMLineIndex: -1,
      },
    },
    ['INVALID_SIGNALING_MESSAGE'],
  ],
  ['a cyclic object', cyclic, ['INVALID_SIGNALING_MESSAGE']],
  [
    'an object with a throwing getter',
    Object.defineProperty({ v: 2 }, 'type', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    }),
    ['INVALID_SIGNALING_MESSAGE'],
  ],
  [
    'an answer while stable',
    {
      v: 2,
      type: 'description',
      id: 'x:0:2',
      inReplyTo: 'x:0:1',
      description: { type: 'answer', sdp: 'v=0\r\n' },
    },
    ['NEGOTIATION_FAILED'],
  ],
  [
    'an offer no engine parses',
    {
      v: 2,
      type: 'description',
      id: 'x:0:1',
      inReplyTo: null,
      description: { type: 'offer', sdp: 'v=0\r\nnonsense' },
    },
    ['NEGOTIATION_FAILED'],
  ],
  [
    'a candidate for an unknown m-section',
    {
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      candidate: {
        candidate: 'candidate:1 1 udp 2122260223 10.0.0.9 50000 typ host',
        sdpMid: 'nope',
        sdpMLineIndex: null,
        usernameFragment: null,
      },
    },
    ['ICE_CANDIDATE_FAILED'],
  ],
  [
    'a garbage candidate line (refused by validation, before the engine)',
    {
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      candidate: { candidate: 'garbage', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null },
    },
    ['INVALID_SIGNALING_MESSAGE'],
  ],
  [
    'a candidate of an old ICE generation (dropped and counted, no error)',
    {
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      candidate: {
        candidate: 'candidate:1 1 udp 2122260223 10.0.0.9 50000 typ host',
        sdpMid: '0',
        sdpMLineIndex: 0,
        usernameFragment: 'oldufrag',
      },
    },
    [],
  ],
  [
    'end of candidates, twice (no error)',
    { v: 2, type: 'candidate', ufrag: null, epoch: 0, candidate: null },
    [],
  ],
];

describe('hostile signaling', () => {
  it('every malformed or ill-timed message gets its typed error, and the peer stays usable', async () => {
    const call = await connectedCall();
    for (const [name, raw, expected] of corpus) {
      const before = call.a.errors.length;
      call.b.out.inject(raw);
      await call.advance(10);
      const codes = call.a.errors.slice(before).map((e) => e.code);
      expect(codes, name).toEqual(expected);
      expect(call.a.violations, name).toEqual([]);
      expect(call.a.snapshot().matches({ active: { signaling: 'stable' } }), name).toBe(true);
    }
    const invalid = call.a.errors.filter((e) => e.code === 'INVALID_SIGNALING_MESSAGE').length;
    expect(call.a.snapshot().context.counters.invalidMessages).toBe(invalid);
    // Still usable both ways.
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'after' });
    const mic = createFakeTrack('audio');
    call.b.actor.send({ type: 'ADD_TRACK', track: mic, streams: [createFakeStream([mic])] });
    expect(await call.settle()).toBe(true);
    expect(openChannels(call.b, 'remote')).toEqual(['after', 'chat']);
    expect(receivedKinds(call.a)).toEqual(['audio']);
    expect(call.b.errors).toEqual([]);
    expect(call.unhandled).toEqual([]);
    expect(await call.closeAndCheckLeaks()).toEqual([]);
  });

  it('a stale offer (rolled back in a collision) arriving again is answered or refused, typed', async () => {
    const call = await connectedCall();
    // Glare: b's offer loses and is rolled back.
    const video = createFakeTrack('video');
    call.a.actor.send({ type: 'ADD_TRACK', track: video, streams: [createFakeStream([video])] });
    const mic = createFakeTrack('audio');
    call.b.actor.send({ type: 'ADD_TRACK', track: mic, streams: [createFakeStream([mic])] });
    expect(await call.settle()).toBe(true);
    expect(call.b.snapshot().context.counters.rollbacks).toBeGreaterThanOrEqual(1);
    const stale = call.b.out.sent.find(
      (m) => m.type === 'description' && m.description.type === 'offer',
    );
    if (!stale) throw new Error('b sent no offer');
    const before = call.a.errors.length;
    call.b.out.inject(JSON.parse(JSON.stringify(stale)));
    await call.advance(20);
    for (const e of call.a.errors.slice(before)) expect(e).toBeInstanceOf(PeerStateError);
    expect(call.a.violations).toEqual([]);
    expect(call.a.escaped).toEqual([]);
    expect(call.unhandled).toEqual([]);
    expect(await call.closeAndCheckLeaks()).toEqual([]);
  });

  it('messages for a closed peer are dropped silently; commands get PEER_CLOSED', async () => {
    const call = await connectedCall();
    call.a.actor.send({ type: 'CLOSE' });
    await call.advance(5);
    const errors = call.a.errors.length;
    for (const [, raw] of corpus) call.b.out.inject(raw);
    await call.advance(20);
    expect(call.a.errors.length).toBe(errors);
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'late' });
    expect(call.a.errors.slice(errors).map((e) => e.code)).toEqual(['PEER_CLOSED']);
    expect(await call.closeAndCheckLeaks()).toEqual([]);
  });

  it('fuzz: arbitrary values and mutated messages never escape and leave the peer usable', async () => {
    const valid = [
      { v: 2, type: 'bye' },
      { v: 2, type: 'candidate', ufrag: null, epoch: 0, candidate: null },
      {
        v: 2,
        type: 'candidate',
        ufrag: null,
        epoch: 0,
        candidate: {
          candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host',
          sdpMid: '0',
          sdpMLineIndex: 0,
          usernameFragment: null,
        },
      },
      {
        v: 2,
        type: 'description',
        id: 'x:0:2',
        inReplyTo: 'x:0:1',
        description: { type: 'answer', sdp: 'v=0\r\n' },
      },
    ];
    const mutated = fc
      .tuple(fc.constantFrom(...valid), fc.string(), fc.anything())
      .map(([message, key, value]) => ({ ...message, [key || 'type']: value }));
    // Not a bye: a well-formed bye legitimately closes the peer.
    const notBye = (raw: unknown) =>
      !(typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'bye');
    const runs = Number(process.env.FC_RUNS ?? 60);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.anything(), mutated, fc.json()).filter(notBye), { maxLength: 8 }),
        async (values) => {
          const call = await connectedCall();
          try {
            for (const raw of values) call.b.out.inject(raw);
            await call.advance(20);
            expect(call.a.escaped).toEqual([]);
            expect(call.a.violations).toEqual([]);
            expect(call.unhandled).toEqual([]);
            for (const e of call.a.errors) expect(e).toBeInstanceOf(PeerStateError);
            call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'after' });
            expect(await call.settle()).toBe(true);
            expect(openChannels(call.b, 'remote')).toEqual(['after', 'chat']);
            expect(await call.closeAndCheckLeaks()).toEqual([]);
          } finally {
            call.dispose();
            current = null;
          }
        },
      ),
      { numRuns: runs, seed: 4242 },
    );
  }, 120_000);
});
