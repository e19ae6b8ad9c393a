import { CLOSE_CODES } from '@peerstatejs/signaling';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../server.js';
import { joined, raw, start, until } from './rawClient.js';

describe('operations', () => {
  it('serves Prometheus metrics: connections, rooms, frames, drops, closes by code', async () => {
    const records: LogRecord[] = [];
    const server = await start({ maxQueuedPerPeer: 1, log: (record) => records.push(record) });
    const alice = await joined(server, 'r', 'alice');
    const bob = await joined(server, 'r', 'bob');
    bob.socket.terminate();
    await until(() => server.stats().peers === 1);
    alice.send({ t: 'signal', seq: 1, data: 1 });
    alice.send({ t: 'signal', seq: 2, data: 2 });
    await alice.next((frame) => frame.t === 'ack');
    const rude = await raw(server);
    rude.send('not json');
    await rude.closed;

    const response = await fetch(`${server.url.replace('ws:', 'http:')}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const value = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(value('signaling_connections')).toBe(1);
    expect(value('signaling_rooms')).toBe(1);
    expect(value('signaling_peers')).toBe(1);
    expect(value('signaling_joins_total')).toBe(2);
    expect(value('signaling_signals_relayed_total')).toBe(2);
    expect(value('signaling_drops_total{reason="outbox_full"}')).toBe(1);
    expect(value(`signaling_closes_total{code="${CLOSE_CODES.POLICY_VIOLATION}"}`)).toBe(1);
    expect(value('signaling_frames_received_total')).toBeGreaterThanOrEqual(5);
    expect(text).toMatch(/^# TYPE signaling_closes_total counter$/m);

    // Structured logs: one record per event, with the fields to search by.
    expect(records).toContainEqual({ event: 'joined', room: 'r', peer: 'alice' });
    expect(records).toContainEqual({
      event: 'close',
      code: CLOSE_CODES.POLICY_VIOLATION,
      reason: 'invalid frame: not JSON',
    });
  });

  it('drains: holds back the 1001 until the peers acknowledged what they were sent; /health says 503 meanwhile', async () => {
    const server = await start();
    const alice = await joined(server, 'r', 'alice');
    const bob = await joined(server, 'r', 'bob');
    alice.send({ t: 'signal', seq: 1, data: 'in flight' });
    await bob.next((frame) => frame.t === 'signal');
    const closed = server.close(20_000);
    const health = await fetch(`${server.url.replace('ws:', 'http:')}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ draining: true });
    const late = await raw(server);
    expect(await late.closed).toEqual({
      code: CLOSE_CODES.GOING_AWAY,
      reason: 'server shutting down',
    });
    // Draining: a new signal is neither relayed nor acknowledged (alice keeps it for later).
    alice.send({ t: 'signal', seq: 2, data: 'too late' });
    bob.send({ t: 'ack', seq: 1 });
    await closed;
    expect(await alice.closed).toMatchObject({ code: CLOSE_CODES.GOING_AWAY });
    expect(await bob.closed).toMatchObject({ code: CLOSE_CODES.GOING_AWAY });
    expect(bob.frames.filter((frame) => frame.t === 'signal')).toHaveLength(1);
    expect(alice.frames.filter((frame) => frame.t === 'ack')).toEqual([{ t: 'ack', seq: 1 }]);
    await expect(raw(server)).rejects.toThrow();
  });
});
