/**
 * Issue 11, cases 1, 2, 6 and 7 on the fake engine, in fake time: late, lost and silent answers
 * never desync the pair, and a rebuild epoch out of reach is refused.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignalingMessage } from '../../signaling/types.js';
import { createFakeStream, createFakeTrack } from '../../testing/index.js';
import {
  createModelCall,
  type DeliveryPlan,
  FAST_TIMING,
  isConnected,
  type ModelCall,
  type ModelPeer,
} from './harness.js';

let call: ModelCall | null = null;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  call?.dispose();
  call = null;
  vi.useRealTimers();
});

const ANSWER_TIMEOUT = FAST_TIMING.answerTimeout;

function isDescription(type: RTCSdpType) {
  return (message: SignalingMessage) =>
    message.type === 'description' && message.description.type === type;
}

function sentOffers(peer: ModelPeer): number {
  return peer.out.sent.filter(isDescription('offer')).length;
}

function addTrack(peer: ModelPeer, kind: 'audio' | 'video'): void {
  const track = createFakeTrack(kind);
  peer.actor.send({ type: 'ADD_TRACK', track, streams: [createFakeStream([track])] });
}

function codes(peer: ModelPeer): string[] {
  return peer.errors.map((error) => error.code);
}

function stable(peer: ModelPeer): boolean {
  return peer.snapshot().matches({ active: { signaling: 'stable' } });
}

describe('late and lost answers (issue 11)', () => {
  it('case 1: an answer later than three answerTimeouts is applied; the pair never desyncs', async () => {
    // As a WebSocket transport that replays its outbox after a drop: b's first answer (and the
    // answers to the resends) arrive 3.5 answerTimeouts late, in order.
    let held = true;
    const plan: DeliveryPlan = (message) =>
      held && isDescription('answer')(message) ? [3.5 * ANSWER_TIMEOUT] : [1];
    call = createModelCall({ planB: plan });
    addTrack(call.a, 'audio');
    addTrack(call.a, 'video');
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await call.advance(4 * ANSWER_TIMEOUT);
    held = false;
    expect(await call.settle(10_000)).toBe(true);
    expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
    expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
    // Only the first offer was ever made; the others were the same offer sent again.
    expect(call.a.snapshot().context.counters.offersSent).toBe(1);
    expect(call.a.snapshot().context.counters.rollbacks).toBe(0);
    // And the pair still negotiates: a track from b goes through.
    addTrack(call.b, 'video');
    expect(await call.settle(10_000)).toBe(true);
    expect(call.a.snapshot().context.remoteTracks).toHaveLength(1);
    expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
  });

  it('case 2: one lost answer, then the polite peer adds a track: both end stable', async () => {
    let dropped = false;
    const plan: DeliveryPlan = (message) => {
      if (!dropped && isDescription('answer')(message)) {
        dropped = true;
        return [];
      }
      return [1];
    };
    call = createModelCall({ planB: plan });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    // b has applied a's offer and answered (lost); now b offers too.
    await call.advance(20);
    addTrack(call.b, 'audio');
    expect(await call.settle(10_000)).toBe(true);
    expect(stable(call.a) && stable(call.b)).toBe(true);
    expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
    expect(call.a.snapshot().context.remoteTracks).toHaveLength(1);
    expect([...codes(call.a), ...codes(call.b)]).toEqual([]);
    expect(sentOffers(call.a)).toBeLessThanOrEqual(3);
    expect(sentOffers(call.b)).toBeLessThanOrEqual(3);
  });

  it('case 6: a silent remote: resent with backoff, NEGOTIATION_TIMEOUT once, then at the longest interval only', async () => {
    // b hears nothing from a: a's offers go nowhere.
    call = createModelCall({ planA: () => [] });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    // The offer, then resends after T and 2T (backoff); 4T later the remote is reported silent.
    await call.advance(7 * ANSWER_TIMEOUT + 10);
    expect(codes(call.a)).toEqual(['NEGOTIATION_TIMEOUT']);
    expect(sentOffers(call.a)).toBe(3);
    // From then on one resend per 8T, never another error, never a new offer (no rollback).
    await call.advance(80 * ANSWER_TIMEOUT);
    expect(sentOffers(call.a)).toBe(3 + 10);
    expect(codes(call.a)).toEqual(['NEGOTIATION_TIMEOUT']);
    const context = call.a.snapshot().context;
    expect(context.counters.offersSent).toBe(1);
    expect(context.counters.rollbacks).toBe(0);
    // The peer stays usable: the offer is still pending, and commands still run.
    expect(call.a.snapshot().matches({ active: { signaling: 'haveLocalOffer' } })).toBe(true);
    const settled: boolean[] = [];
    call.a.actor.on('settled', (event) => settled.push(event.ok));
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'more', id: 'more' });
    await call.advance(10);
    expect(settled).toEqual([true]);
  });

  it('a lost offer (all three copies) is still answered once the wire carries it again', async () => {
    let lost = 0;
    const plan: DeliveryPlan = (message) => {
      if (isDescription('offer')(message) && lost < 3) {
        lost += 1;
        return [];
      }
      return [1];
    };
    call = createModelCall({ planA: plan });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    expect(await call.settle(20 * ANSWER_TIMEOUT)).toBe(true);
    expect(isConnected(call.a) && isConnected(call.b)).toBe(true);
    expect(codes(call.a)).toEqual(['NEGOTIATION_TIMEOUT']);
    expect(call.a.snapshot().context.counters.offersSent).toBe(1);
  });
});

describe('rebuild epochs (issue 11, case 7)', () => {
  it('case 7: a rebuild epoch more than one ahead is refused, and later rebuilds still work', async () => {
    call = createModelCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    expect(await call.settle()).toBe(true);
    call.b.out.send({ v: 2, type: 'rebuild', epoch: Number.MAX_SAFE_INTEGER });
    await call.advance(10);
    expect(codes(call.a)).toEqual(['INVALID_SIGNALING_MESSAGE']);
    expect(call.a.snapshot().context.epoch).toBe(0);
    expect(call.a.snapshot().matches('active')).toBe(true);
    // A real rebuild afterwards: epoch 1 on both sides.
    call.b.actor.send({ type: 'RESTART_ICE' });
    call.b.out.send({ v: 2, type: 'rebuild', epoch: 1 });
    expect(await call.settle(10_000)).toBe(true);
    expect(call.a.snapshot().context.epoch).toBe(1);
    expect(isConnected(call.a)).toBe(true);
  });
});
