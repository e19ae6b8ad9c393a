import type { ServerFrame } from '@peerstatejs/signaling';
import { CLOSE_CODES } from '@peerstatejs/signaling';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../../bench/redisServer.js';
import { createSignalingToken } from '../auth.js';
import { startChildServer } from './childProcess.js';
import {
  join,
  joined,
  onCleanup,
  type RawClient,
  raw,
  rejoined,
  start,
  until,
} from './rawClient.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const signals = (client: RawClient) =>
  client.frames.filter(
    (frame): frame is Extract<ServerFrame, { t: 'signal' }> => frame.t === 'signal',
  );
const acks = (client: RawClient) =>
  client.frames.flatMap((frame) => (frame.t === 'ack' ? [frame.seq] : []));

describe('a room whose owner dies resumes on another instance (state in Redis)', () => {
  it('sessions, numbering and unacknowledged frames carry over: resumed, nothing lost, nothing repeated', async () => {
    const options = { redis: redis.url, clusterLease: 900 };
    const here = await start(options);
    const there = await startChildServer(options);
    onCleanup(() => there.kill());
    // r1 is owned there (alice came first); bob reaches it from here.
    const alice = await joined(there, 'r1', 'alice', { instance: 'alice-1' });
    const bob = await joined(here, 'r1', 'bob', { instance: 'bob-1' });
    await alice.next((frame) => frame.t === 'peer-joined');
    for (let seq = 1; seq <= 3; seq += 1)
      alice.send({ t: 'signal', seq, mid: seq, data: `a${seq}` });
    await bob.next((frame) => frame.t === 'signal' && frame.seq === 3);
    bob.send({ t: 'ack', seq: 2 });
    await alice.next((frame) => frame.t === 'ack' && frame.seq === 2);
    bob.send({ t: 'signal', seq: 1, mid: 1, data: 'b1' });
    await alice.next((frame) => frame.t === 'signal');
    // Bob goes; alice's 4 waits for him. The error for 5 (to nobody) comes after 4 is stored.
    bob.socket.terminate();
    alice.send({ t: 'signal', seq: 4, mid: 4, data: 'a4' });
    alice.send({ t: 'signal', seq: 5, mid: 5, to: 'zed', data: 'x' });
    await alice.next((frame) => frame.t === 'error');
    expect(acks(alice)).toEqual([2]);

    await there.kill();
    // Alice lost bob's b1 on the way (received 0); bob has alice's 1–3.
    const alice2 = await rejoined(here, 'r1', 'alice', { instance: 'alice-1' });
    expect(alice2.frames[0]).toEqual({
      t: 'joined',
      room: 'r1',
      peer: 'alice',
      peers: ['bob'],
      resumed: true,
      acked: 2,
    });
    const bob2 = await rejoined(here, 'r1', 'bob', { instance: 'bob-1', received: 3 });
    expect(bob2.frames[0]).toMatchObject({ resumed: true, acked: 0, peers: ['alice'] });
    // What each lacks, under the numbers it had: nothing it already has.
    await alice2.next((frame) => frame.t === 'signal');
    expect(signals(alice2)).toEqual([
      { t: 'signal', seq: 1, from: 'bob', data: 'b1', instance: 'bob-1', mid: 1 },
    ]);
    await bob2.next((frame) => frame.t === 'signal');
    // Alice sends again what was not acknowledged, as clients do: the server has it already.
    alice2.send({ t: 'signal', seq: 3, mid: 3, data: 'a3' });
    alice2.send({ t: 'signal', seq: 4, mid: 4, data: 'a4' });
    bob2.send({ t: 'ack', seq: 4 });
    await alice2.next((frame) => frame.t === 'ack' && frame.seq === 5);
    alice2.send({ t: 'ack', seq: 1 });
    await bob2.next((frame) => frame.t === 'ack' && frame.seq === 1);
    expect(signals(bob2)).toEqual([
      { t: 'signal', seq: 4, from: 'alice', data: 'a4', instance: 'alice-1', mid: 4 },
    ]);
  });

  it('a gap the dead owner had to drop is reported on the resume elsewhere, and the sender acked only that far', async () => {
    const options = { redis: redis.url, clusterLease: 900, maxQueuedPerPeer: 2 };
    const here = await start(options);
    const there = await startChildServer(options);
    onCleanup(() => there.kill());
    const alice = await joined(there, 'r2', 'alice');
    const bob = await joined(here, 'r2', 'bob');
    await alice.next((frame) => frame.t === 'peer-joined');
    bob.socket.terminate();
    for (let seq = 1; seq <= 4; seq += 1) alice.send({ t: 'signal', seq, data: seq });
    // 1 and 2 were dropped for bob (he will be told), 3 and 4 wait for him.
    await alice.next((frame) => frame.t === 'ack' && frame.seq === 2);
    await there.kill();

    const bob2 = await rejoined(here, 'r2', 'bob');
    expect(bob2.frames[0]).toMatchObject({ resumed: true, gap: { from: 1, to: 2 } });
    await bob2.next((frame) => frame.t === 'signal' && frame.seq === 4);
    expect(signals(bob2).map((frame) => frame.data)).toEqual([3, 4]);
    const alice2 = await rejoined(here, 'r2', 'alice');
    expect(alice2.frames[0]).toMatchObject({ resumed: true, acked: 2 });
    bob2.send({ t: 'ack', seq: 4 });
    await alice2.next((frame) => frame.t === 'ack' && frame.seq === 4);
  });

  it('an owner that lost its lease stores and sends nothing more for the room (fenced), and its clients go elsewhere', async () => {
    // A long lease: the heartbeat, which would also notice, does not run before the write.
    const one = await start({ redis: redis.url, instanceId: 'fenced-one', clusterLease: 60_000 });
    const alice = await joined(one, 'r3', 'alice');
    const bob = await joined(one, 'r3', 'bob');
    await alice.next((frame) => frame.t === 'peer-joined');
    const commands = new Redis(redis.url);
    onCleanup(() => void commands.disconnect());
    // Another instance took the room over while this one was paused past its lease.
    await commands.set('peerstate:signaling:{r3}:owner', 'another-instance');
    alice.send({ t: 'signal', seq: 1, data: 'late' });
    const signal = bob.next((frame) => frame.t === 'signal');
    expect(await Promise.race([alice.closed, signal])).toEqual({
      code: CLOSE_CODES.GOING_AWAY,
      reason: 'room moved to another instance',
    });
    await bob.closed;
    expect(signals(bob)).toEqual([]);
    expect(acks(alice)).toEqual([]);
    expect(await commands.xlen('peerstate:signaling:{r3}:out:bob')).toBe(0);
  });

  it('a resume through another instance accepts the token expired meanwhile, as on its own instance', async () => {
    let now = Date.now();
    const secret = 'a-test-secret-of-at-least-32-bytes!!';
    const options = { redis: redis.url, tokens: { secret }, now: () => now };
    const one = await start(options);
    const two = await start(options);
    const token = await createSignalingToken(
      { room: 'r4', peer: 'alice', expiresIn: 60 },
      { secret },
    );
    const alice = await joined(one, 'r4', 'alice', { token });
    alice.socket.terminate();
    await alice.closed;
    now += 120_000;
    // Two does not hold the session (one owns the room): it is in Redis.
    const back = await raw(two);
    back.send(join('r4', 'alice', { token }));
    expect(
      await Promise.race([back.next((frame) => frame.t === 'joined'), back.closed]),
    ).toMatchObject({ t: 'joined', resumed: true });
    const fresh = await raw(two);
    fresh.send(join('r4', 'alice', { session: 'new', token }));
    expect(await fresh.closed).toMatchObject({ code: CLOSE_CODES.TOKEN_EXPIRED });
  });

  it('a client its room owner let go (its instance looked dead, paused past the lease) is told to reconnect at its next frame, and resumes', async () => {
    const gone: string[] = [];
    const options = { redis: redis.url, clusterLease: 900 };
    const here = await start({
      ...options,
      log: (record) => {
        if (record.event === 'instances-gone') gone.push(...(record.instances as string[]));
      },
    });
    const there = await startChildServer({ ...options, instanceId: 'paused' });
    onCleanup(() => there.kill());
    const alice = await joined(here, 'r5', 'alice');
    const bob = await joined(there, 'r5', 'bob');
    await alice.next((frame) => frame.t === 'peer-joined');
    there.process.kill('SIGSTOP');
    await until(() => gone.includes('paused'));
    there.process.kill('SIGCONT');
    // Its socket is still open and its instance relays again, to an owner that forgot it.
    bob.send({ t: 'ping', ack: 0 });
    expect(await bob.closed).toEqual({ code: CLOSE_CODES.GOING_AWAY, reason: 'session moved' });
    const back = await rejoined(there, 'r5', 'bob');
    expect(back.frames[0]).toMatchObject({ resumed: true, peers: ['alice'] });
  });

  it('a graceful drain stores everything and lets its rooms go at once: their clients resume on another instance', async () => {
    const options = { redis: redis.url };
    const one = await start(options);
    const two = await start(options);
    const alice = await joined(one, 'r6', 'alice');
    const bob = await joined(two, 'r6', 'bob');
    await alice.next((frame) => frame.t === 'peer-joined');
    alice.send({ t: 'signal', seq: 1, data: 'kept' });
    await bob.next((frame) => frame.t === 'signal');
    // Bob does not acknowledge: the drain's wait for acks runs out and the frame stays owed.
    await one.close(400);
    expect(await alice.closed).toMatchObject({ code: CLOSE_CODES.GOING_AWAY });
    const alice2 = await rejoined(two, 'r6', 'alice');
    expect(alice2.frames[0]).toMatchObject({ resumed: true, acked: 0, peers: ['bob'] });
    const bob2 = await rejoined(two, 'r6', 'bob');
    expect(bob2.frames[0]).toMatchObject({ resumed: true });
    expect(await bob2.next((frame) => frame.t === 'signal')).toMatchObject({
      seq: 1,
      data: 'kept',
    });
    bob2.send({ t: 'ack', seq: 1 });
    await alice2.next((frame) => frame.t === 'ack' && frame.seq === 1);
  });
});
