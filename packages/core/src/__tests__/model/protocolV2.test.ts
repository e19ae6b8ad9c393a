/**
 * Issue 11, cases 3 and 8, and signaling protocol v2 on the fake engine, in fake time: an answer
 * is applied only to the offer it names, an end of candidates only to its ICE generation, and a
 * v1 message is refused with its version named.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCandidateMessage } from '../../signaling/messages.js';
import type { SignalingMessage } from '../../signaling/types.js';
import { createModelCall, type DeliveryPlan, isConnected, type ModelCall } from './harness.js';

let call: ModelCall | null = null;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  call?.dispose();
  call = null;
  vi.useRealTimers();
});

const isAnswer = (message: SignalingMessage) =>
  message.type === 'description' && message.description.type === 'answer';

const ufragOf = (sdp: string | undefined) => sdp?.match(/a=ice-ufrag:(\S+)/)?.[1];

/** A copy, as a wire that duplicates or replays would deliver it. */
const copy = (message: unknown) => JSON.parse(JSON.stringify(message)) as unknown;

function codes(call: ModelCall): string[] {
  return [...call.a.errors, ...call.b.errors].map((error) => error.code);
}

async function connectedCall(planB?: DeliveryPlan): Promise<ModelCall> {
  const created = createModelCall(planB ? { planB } : {});
  created.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  expect(await created.settle()).toBe(true);
  expect(isConnected(created.a) && isConnected(created.b)).toBe(true);
  return created;
}

async function advanceUntil(call: ModelCall, done: () => boolean, limit = 1000): Promise<void> {
  for (let waited = 0; !done(); waited += 1) {
    if (waited > limit) throw new Error('the awaited state never came');
    await call.advance(1);
  }
}

describe('protocol v2: answers name their offer (issue 11, case 3)', () => {
  it('case 3: a stale answer with unchanged m-lines after an ICE-restart re-offer is dropped; a believes the ufrag b uses', async () => {
    let hold = false;
    call = await connectedCall((message) => (hold && isAnswer(message) ? [40] : [1]));
    const { a, b } = call;
    const firstAnswer = b.out.sent.find(isAnswer);
    a.actor.send({ type: 'RESTART_ICE' });
    expect(await call.settle()).toBe(true);
    // A second restart: the same m-lines again, b's answer held back on the wire…
    hold = true;
    a.actor.send({ type: 'RESTART_ICE' });
    await advanceUntil(call, () =>
      a.snapshot().matches({ active: { signaling: 'haveLocalOffer' } }),
    );
    // …while the answer to the very first offer arrives again (replayed, reordered).
    b.out.inject(copy(firstAnswer));
    await call.advance(5);
    hold = false;
    expect(await call.settle()).toBe(true);
    expect(ufragOf(a.pc().remoteDescription?.sdp)).toBe(ufragOf(b.pc().localDescription?.sdp));
    expect(ufragOf(b.pc().remoteDescription?.sdp)).toBe(ufragOf(a.pc().localDescription?.sdp));
    expect(isConnected(a) && isConnected(b)).toBe(true);
    expect(a.snapshot().context.counters.staleAnswers).toBe(1);
    // Three offers, three answers: the restarts were negotiated, each ufrag changed.
    expect(a.snapshot().context.counters.offersSent).toBe(3);
    expect(
      b.out.sent
        .filter(isAnswer)
        .map((m) => ufragOf(m.type === 'description' ? m.description.sdp : '')).length,
    ).toBe(3);
    expect(ufragOf(b.pc().localDescription?.sdp)).not.toBe(
      ufragOf(firstAnswer?.type === 'description' ? firstAnswer.description.sdp : ''),
    );
    expect(codes(call)).toEqual([]);
  });

  it('duplicated answers are dropped as repeats, a replayed older one as stale: counted, never applied', async () => {
    // Every answer arrives twice, the copy 120 ms later.
    call = await connectedCall((message) => (isAnswer(message) ? [1, 120] : [1]));
    const { a, b } = call;
    await call.advance(200);
    for (const kind of ['audio', 'video'] as const) {
      a.actor.send({ type: 'ADD_TRANSCEIVER', trackOrKind: kind });
      expect(await call.settle()).toBe(true);
      await call.advance(200);
    }
    a.actor.send({ type: 'RESTART_ICE' });
    expect(await call.settle()).toBe(true);
    await call.advance(200);
    expect(a.snapshot().context.counters.duplicatesIgnored).toBe(4);
    // The first answer again, every exchange since done: it answers an offer long answered.
    b.out.inject(copy(b.out.sent.find(isAnswer)));
    await call.advance(10);
    const counters = a.snapshot().context.counters;
    expect(counters.duplicatesIgnored).toBe(4);
    expect(counters.staleAnswers).toBe(1);
    expect(ufragOf(a.pc().remoteDescription?.sdp)).toBe(ufragOf(b.pc().localDescription?.sdp));
    expect(
      a
        .pc()
        .getTransceivers()
        .map((t) => t.mid),
    ).toEqual(
      b
        .pc()
        .getTransceivers()
        .map((t) => t.mid),
    );
    expect(isConnected(a) && isConnected(b)).toBe(true);
    expect(codes(call)).toEqual([]);
  });
});

describe('protocol v2: candidates name their ICE generation and epoch (issue 11, case 8)', () => {
  it('case 8: a late end-of-candidates of the old generation is not applied to the new one', async () => {
    call = await connectedCall();
    const { a, b } = call;
    const oldUfrag = ufragOf(b.pc().localDescription?.sdp);
    b.actor.send({ type: 'RESTART_ICE' });
    expect(await call.settle()).toBe(true);
    expect(ufragOf(b.pc().localDescription?.sdp)).not.toBe(oldUfrag);
    const addIceCandidate = vi.spyOn(a.pc(), 'addIceCandidate');
    const before = a.snapshot().context.counters;
    b.out.inject(copy(createCandidateMessage(null, { ufrag: oldUfrag ?? null, epoch: 0 })));
    await call.advance(10);
    expect(addIceCandidate).not.toHaveBeenCalled();
    const after = a.snapshot().context.counters;
    expect(after.candidatesDiscarded).toBe(before.candidatesDiscarded + 1);
    expect(after.candidatesApplied).toBe(before.candidatesApplied);
    // The current generation's end of candidates still goes through.
    const currentUfrag = ufragOf(b.pc().localDescription?.sdp) ?? null;
    b.out.inject(copy(createCandidateMessage(null, { ufrag: currentUfrag, epoch: 0 })));
    await call.advance(10);
    expect(addIceCandidate).toHaveBeenCalledTimes(1);
    expect(isConnected(a) && isConnected(b)).toBe(true);
    expect(codes(call)).toEqual([]);
  });

  it('every candidate the SDK sends names its generation and epoch', async () => {
    call = await connectedCall();
    const candidates = call.b.out.sent.filter((m) => m.type === 'candidate');
    expect(candidates.length).toBeGreaterThan(0);
    const ufrag = ufragOf(call.b.pc().localDescription?.sdp);
    for (const message of candidates) expect(message).toMatchObject({ ufrag, epoch: 0 });
  });
});

describe('protocol v2: versions', () => {
  it('a v1 message is refused with INVALID_SIGNALING_MESSAGE naming the version; the peer stays usable', async () => {
    call = await connectedCall();
    const before = call.a.snapshot().context;
    call.b.out.inject({ v: 1, type: 'description', description: { type: 'answer', sdp: 'v=0' } });
    await call.advance(10);
    expect(call.a.errors.map((error) => error.code)).toEqual(['INVALID_SIGNALING_MESSAGE']);
    const [error] = call.a.errors;
    expect(error?.message).toContain('unsupported protocol version 1');
    expect((error as { issues?: unknown }).issues).toEqual([
      { path: 'v', message: 'unsupported protocol version 1 (this SDK speaks version 2)' },
    ]);
    const after = call.a.snapshot().context;
    expect(after.counters.invalidMessages).toBe(before.counters.invalidMessages + 1);
    expect(after.pc?.remoteDescription?.sdp).toBe(before.pc?.remoteDescription?.sdp);
    expect(isConnected(call.a)).toBe(true);
  });
});
