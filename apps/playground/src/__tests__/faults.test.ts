import type { SignalingChannel, SignalingMessage } from '@peerstatejs/core';
import { createSessionRecorder } from '@peerstatejs/core/recorder';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFaults } from '../call/faults.js';

const bye = (n: number) => ({ v: 2, type: 'bye', reason: `m${n}` }) as unknown as SignalingMessage;

function wire(random = () => 0.5) {
  const recorder = createSessionRecorder({
    signaling: 'in-memory',
    peers: [{ name: 'Alice', polite: false }],
    now: () => 0,
  });
  const sent: string[] = [];
  const channel: SignalingChannel = {
    send: (message) => void sent.push((message as unknown as { reason: string }).reason),
    subscribe: () => () => {},
  };
  const faults = createFaults(recorder, 1, { wire: true, random });
  const out = faults.wrap(0, channel);
  const rows = () => recorder.session.peers[0]?.entries.map((e) => `${e.kind}:${e.type}`) ?? [];
  return { faults, out, sent, rows };
}

describe('faults on the in-memory wire', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes messages through untouched with no fault set', () => {
    const { out, sent, rows } = wire();
    out.send(bye(1));
    out.send(bye(2));
    expect(sent).toEqual(['m1', 'm2']);
    expect(rows()).toEqual([]);
  });

  it('loses the share of messages asked for, each lost one a fault row', () => {
    const draws = [0.1, 0.9, 0.3];
    const { faults, out, sent, rows } = wire(() => draws.shift() ?? 0);
    faults.setWire({ latencyMs: 0, lossPct: 50, reorder: false });
    for (const n of [1, 2, 3]) out.send(bye(n));
    expect(sent).toEqual(['m2']);
    expect(rows()).toEqual([
      'fault:signaling.faults',
      'fault:signaling.lost',
      'fault:signaling.lost',
    ]);
  });

  it('delays every message by the latency, keeping their order', () => {
    const { faults, out, sent } = wire();
    faults.setWire({ latencyMs: 200, lossPct: 0, reorder: false });
    out.send(bye(1));
    out.send(bye(2));
    vi.advanceTimersByTime(199);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['m1', 'm2']);
  });

  it('reorders: a held message goes right after the next one, or alone after 500 ms', () => {
    const { faults, out, sent, rows } = wire();
    faults.setWire({ latencyMs: 0, lossPct: 0, reorder: true });
    out.send(bye(1));
    expect(sent).toEqual([]);
    out.send(bye(2));
    expect(sent).toEqual(['m2', 'm1']);
    out.send(bye(3));
    vi.advanceTimersByTime(500);
    expect(sent).toEqual(['m2', 'm1', 'm3']);
    expect(rows()).toEqual([
      'fault:signaling.faults',
      'fault:signaling.held',
      'fault:signaling.reordered',
      'fault:signaling.held',
    ]);
  });

  it('refuses wire faults when the page does not own the wire', () => {
    const recorder = createSessionRecorder({
      signaling: 'websocket',
      peers: [{ name: 'A', polite: false }],
    });
    const faults = createFaults(recorder, 1, { wire: false });
    expect(faults.wire).toBeNull();
    expect(() => faults.setWire({ latencyMs: 1, lossPct: 0, reorder: false })).toThrow(/in-memory/);
  });
});
