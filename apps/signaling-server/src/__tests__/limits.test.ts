import { CLOSE_CODES } from '@peerstatejs/signaling';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../limits.js';
import { join, joined, raw, start, until } from './rawClient.js';

describe('TokenBucket', () => {
  it('allows a burst, then the rate, on the clock it is given', () => {
    let now = 0;
    const bucket = new TokenBucket({ rate: 10, burst: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now += 100;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 10_000;
    expect([bucket.take(3), bucket.take()]).toEqual([true, false]);
    // A clock that goes back never mints tokens.
    now -= 5_000;
    expect(bucket.take()).toBe(false);
  });
});

describe('abuse limits', () => {
  it('closes a connection over the signal rate (4005) while another pair keeps flowing', async () => {
    let now = 0;
    const server = await start({ signalRate: { rate: 10, burst: 20 }, now: () => now });
    const alice = await joined(server, 'calm', 'alice');
    const bob = await joined(server, 'calm', 'bob');
    const abuser = await joined(server, 'noisy', 'abuser');
    const victim = await joined(server, 'noisy', 'victim');
    await abuser.next((frame) => frame.t === 'peer-joined');

    for (let seq = 1; seq <= 25; seq += 1) abuser.send({ t: 'signal', seq, data: seq });
    for (let seq = 1; seq <= 10; seq += 1) alice.send({ t: 'signal', seq, data: seq });
    expect(await abuser.closed).toEqual({
      code: CLOSE_CODES.RATE_LIMITED,
      reason: 'signal rate limit',
    });
    await until(() => bob.frames.filter((frame) => frame.t === 'signal').length === 10);
    // One second later alice has 10 more (the 10 left of her burst and the refill: 20).
    now += 1_000;
    for (let seq = 11; seq <= 30; seq += 1) alice.send({ t: 'signal', seq, data: seq });
    await until(() => bob.frames.filter((frame) => frame.t === 'signal').length === 30);
    expect(victim.frames.filter((frame) => frame.t === 'signal')).toHaveLength(20);
    expect(alice.socket.readyState).toBe(alice.socket.OPEN);
  });

  it('closes a connection over the byte rate (4005)', async () => {
    const server = await start({ byteRate: { rate: 1000, burst: 4000 }, now: () => 0 });
    const big = await joined(server, 'r', 'big');
    big.send({ t: 'signal', seq: 1, data: 'x'.repeat(5000) });
    expect(await big.closed).toEqual({ code: CLOSE_CODES.RATE_LIMITED, reason: 'byte rate limit' });
  });

  it('caps open connections per address (4006); behind a trusted proxy per forwarded address', async () => {
    const server = await start({ maxConnectionsPerAddress: 2 });
    const first = await raw(server);
    await raw(server);
    const third = await raw(server);
    expect(await third.closed).toEqual({
      code: CLOSE_CODES.TOO_MANY_CONNECTIONS,
      reason: 'too many connections from this address',
    });
    first.socket.terminate();
    await until(() => server.stats().connections === 1);
    const again = await raw(server);
    again.send(join('r', 'a'));
    expect(await again.next((frame) => frame.t === 'joined')).toBeTruthy();

    const proxied = await start({ maxConnectionsPerAddress: 1, trustProxy: true });
    const from = (address: string) =>
      raw(proxied, { 'X-Forwarded-For': `203.0.113.9, ${address}` });
    const one = await from('198.51.100.1');
    const other = await from('198.51.100.2');
    const twice = await from('198.51.100.1');
    expect(await twice.closed).toMatchObject({ code: CLOSE_CODES.TOO_MANY_CONNECTIONS });
    expect([one.socket.readyState, other.socket.readyState]).toEqual([1, 1]);
  });
});
