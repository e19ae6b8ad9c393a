import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInMemorySignalingPair } from '../inMemorySignaling.js';
import { createByeMessage, createCandidateMessage } from '../messages.js';
import type { SignalingMessage } from '../types.js';

const bye = (reason: string): SignalingMessage => createByeMessage(reason);
/** Lets every pending zero-delay timer (and the ones they schedule) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('createInMemorySignalingPair', () => {
  it('delivers to the other end, asynchronously, as a JSON copy', async () => {
    const [a, b] = createInMemorySignalingPair();
    const received: unknown[] = [];
    b.subscribe((message) => received.push(message));
    const message = createCandidateMessage({ candidate: '', sdpMid: '0' });
    a.send(message);
    expect(received).toEqual([]);
    await Promise.resolve();
    expect(received).toEqual([]); // a macrotask, not a microtask
    await settle();
    expect(received).toEqual([message]);
    expect(received[0]).not.toBe(message);
    a.close();
  });

  it('works both ways and never echoes to the sender', async () => {
    const [a, b] = createInMemorySignalingPair();
    const atA: unknown[] = [];
    const atB: unknown[] = [];
    a.subscribe((message) => atA.push(message));
    b.subscribe((message) => atB.push(message));
    a.send(bye('from a'));
    b.send(bye('from b'));
    await settle();
    expect(atA).toEqual([bye('from b')]);
    expect(atB).toEqual([bye('from a')]);
  });

  it('keeps the order of many messages', async () => {
    const [a, b] = createInMemorySignalingPair();
    const received: unknown[] = [];
    b.subscribe((message) => received.push(message));
    const sent = Array.from({ length: 50 }, (_, index) => bye(String(index)));
    for (const message of sent) a.send(message);
    await settle();
    expect(received).toEqual(sent);
  });

  it('queues messages until the other end subscribes, then delivers them asynchronously', async () => {
    const [a, b] = createInMemorySignalingPair();
    a.send(bye('1'));
    a.send(bye('2'));
    await settle();
    const received: unknown[] = [];
    b.subscribe((message) => received.push(message));
    expect(received).toEqual([]); // never from inside subscribe()
    a.send(bye('3'));
    await settle();
    expect(received).toEqual([bye('1'), bye('2'), bye('3')]);
  });

  it('keeps the queue while nobody is subscribed', async () => {
    const [a, b] = createInMemorySignalingPair();
    a.send(bye('1'));
    await settle();
    const unsubscribe = b.subscribe(() => {
      throw new Error('must not be called');
    });
    unsubscribe();
    await settle();
    const received: unknown[] = [];
    b.subscribe((message) => received.push(message));
    await settle();
    expect(received).toEqual([bye('1')]);
  });

  it('gives every subscriber its own copy; unsubscribe stops one of them', async () => {
    const [a, b] = createInMemorySignalingPair();
    const first: unknown[] = [];
    const second: unknown[] = [];
    const unsubscribeFirst = b.subscribe((message) => first.push(message));
    const unsubscribeSecond = b.subscribe((message) => second.push(message));
    a.send(bye('1'));
    await settle();
    expect(first).toEqual([bye('1')]);
    expect(second).toEqual([bye('1')]);
    expect(first[0]).not.toBe(second[0]);
    unsubscribeFirst();
    unsubscribeFirst(); // idempotent
    a.send(bye('2'));
    await settle();
    expect(first).toHaveLength(1);
    expect(second).toEqual([bye('1'), bye('2')]);
    unsubscribeSecond();
  });

  it('subscribing the same function twice delivers twice, each unsubscribable', async () => {
    const [a, b] = createInMemorySignalingPair();
    const received: unknown[] = [];
    const listener = (message: unknown) => received.push(message);
    const first = b.subscribe(listener);
    b.subscribe(listener);
    a.send(bye('x'));
    await settle();
    expect(received).toHaveLength(2);
    first();
    a.send(bye('y'));
    await settle();
    expect(received).toHaveLength(3);
  });

  it('a listener unsubscribing another during delivery stops it at once', async () => {
    const [a, b] = createInMemorySignalingPair();
    const second: unknown[] = [];
    let unsubscribeSecond = () => {};
    b.subscribe(() => unsubscribeSecond());
    unsubscribeSecond = b.subscribe((message) => second.push(message));
    a.send(bye('1'));
    await settle();
    expect(second).toEqual([]);
  });

  it('the last subscriber leaving mid-burst keeps the rest queued', async () => {
    const [a, b] = createInMemorySignalingPair();
    a.send(bye('1'));
    a.send(bye('2'));
    await settle();
    const received: unknown[] = [];
    const unsubscribe = b.subscribe((message) => {
      received.push(message);
      unsubscribe();
    });
    await settle();
    expect(received).toEqual([bye('1')]);
    const rest: unknown[] = [];
    b.subscribe((message) => rest.push(message));
    await settle();
    expect(rest).toEqual([bye('2')]);
  });

  it('waits `latency` ms per message', async () => {
    vi.useFakeTimers();
    const [a, b] = createInMemorySignalingPair({ latency: 100 });
    const received: unknown[] = [];
    b.subscribe((message) => received.push(message));
    a.send(bye('1'));
    vi.advanceTimersByTime(50);
    a.send(bye('2'));
    vi.advanceTimersByTime(49);
    expect(received).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(received).toEqual([bye('1')]);
    vi.advanceTimersByTime(50);
    expect(received).toEqual([bye('1'), bye('2')]);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects latency %s', (latency) => {
    expect(() => createInMemorySignalingPair({ latency })).toThrow(RangeError);
  });

  it('returns a frozen tuple', () => {
    const pair = createInMemorySignalingPair();
    expect(pair).toHaveLength(2);
    expect(Object.isFrozen(pair)).toBe(true);
  });

  describe('JSON semantics', () => {
    it('throws a TypeError at send time for values JSON cannot carry', () => {
      const [a] = createInMemorySignalingPair();
      const cyclic: Record<string, unknown> = { v: 2, type: 'bye' };
      cyclic.self = cyclic;
      const send = (value: unknown) => () => a.send(value as SignalingMessage);
      expect(send(cyclic)).toThrow(TypeError);
      expect(send({ v: 2, type: 'bye', reason: 1n })).toThrow(TypeError);
      expect(send({ v: 2, type: 'bye', reason: () => 'x' })).toThrow(
        'Field "reason" is a function, which JSON cannot carry',
      );
      expect(send({ v: 2, type: 'bye', reason: Symbol('x') })).toThrow(TypeError);
      expect(send({ v: Number.NaN, type: 'bye' })).toThrow(
        'Field "v" is NaN, which JSON cannot carry',
      );
      expect(send(undefined)).toThrow('The signaling message is not a JSON value');
      expect(send(() => {})).toThrow('The message is a function, which JSON cannot carry');
      const toJsonThrows = {
        toJSON: () => {
          throw new Error('nope');
        },
      };
      expect(send(toJsonThrows)).toThrow(TypeError);
      try {
        a.send(toJsonThrows as never);
      } catch (error) {
        expect((error as Error).cause).toEqual(new Error('nope'));
      }
    });

    it('drops undefined fields and applies toJSON, like a real wire', async () => {
      const [a, b] = createInMemorySignalingPair();
      const received: unknown[] = [];
      b.subscribe((message) => received.push(message));
      a.send({ v: 2, type: 'bye', reason: undefined } as unknown as SignalingMessage);
      a.send({ toJSON: () => ({ v: 2, type: 'bye' }) } as unknown as SignalingMessage);
      await settle();
      expect(received).toEqual([
        { v: 2, type: 'bye' },
        { v: 2, type: 'bye' },
      ]);
      expect(received[0]).not.toHaveProperty('reason');
    });

    it('the receiver may mutate what it got without affecting the sender or other subscribers', async () => {
      const [a, b] = createInMemorySignalingPair();
      const sent = { v: 2, type: 'bye', reason: 'original' } as const;
      const seen: unknown[] = [];
      b.subscribe((message) => {
        (message as { reason: string }).reason = 'mutated';
      });
      b.subscribe((message) => seen.push(message));
      a.send(sent);
      await settle();
      expect(sent.reason).toBe('original');
      expect(seen).toEqual([sent]);
    });
  });

  describe('close', () => {
    it('stops delivery both ways, including messages on the wire and queued ones', async () => {
      const [a, b] = createInMemorySignalingPair();
      const atA: unknown[] = [];
      const atB: unknown[] = [];
      a.subscribe((message) => atA.push(message));
      b.send(bye('queued before close'));
      a.send(bye('in flight'));
      a.close();
      await settle();
      expect(atA).toEqual([]);
      expect(atB).toEqual([]);
      b.subscribe((message) => atB.push(message));
      b.send(bye('after close')); // the far end hung up: silently lost
      await settle();
      expect(atA).toEqual([]);
      expect(atB).toEqual([]);
    });

    it('drops queued messages waiting for a subscriber', async () => {
      const [a, b] = createInMemorySignalingPair();
      a.send(bye('1'));
      await settle();
      const received: unknown[] = [];
      b.subscribe((message) => received.push(message));
      b.close(); // before the queued flush runs
      await settle();
      expect(received).toEqual([]);
    });

    it('sending on the closed end throws; close is idempotent', () => {
      const [a, b] = createInMemorySignalingPair();
      a.close();
      a.close();
      expect(() => a.send(bye('x'))).toThrow('This in-memory signaling channel is closed');
      expect(() => b.send(bye('x'))).not.toThrow();
      expect(() => b.send({ v: 1n } as never)).toThrow(TypeError); // still validated
      const unsubscribe = a.subscribe(() => {});
      expect(unsubscribe).toBeTypeOf('function');
      unsubscribe();
    });

    it('a listener closing the link stops the rest of the burst', async () => {
      const [a, b] = createInMemorySignalingPair();
      const received: unknown[] = [];
      b.subscribe((message) => {
        received.push(message);
        b.close();
      });
      b.subscribe((message) => received.push(message));
      a.send(bye('1'));
      a.send(bye('2'));
      a.send(bye('3'));
      await settle();
      expect(received).toEqual([bye('1')]);
    });
  });

  describe('listener errors', () => {
    it('are reported with reportError, without stopping other listeners or messages', async () => {
      const reportError = vi.fn();
      vi.stubGlobal('reportError', reportError);
      const [a, b] = createInMemorySignalingPair();
      const received: unknown[] = [];
      const failure = new Error('listener failed');
      b.subscribe(() => {
        throw failure;
      });
      b.subscribe((message) => received.push(message));
      a.send(bye('1'));
      a.send(bye('2'));
      await settle();
      expect(received).toEqual([bye('1'), bye('2')]);
      expect(reportError).toHaveBeenCalledTimes(2);
      expect(reportError).toHaveBeenCalledWith(failure);
    });

    it('are rethrown in a macrotask where reportError does not exist', () => {
      vi.useFakeTimers();
      const [a, b] = createInMemorySignalingPair();
      const received: unknown[] = [];
      b.subscribe(() => {
        throw new Error('listener failed');
      });
      b.subscribe((message) => received.push(message));
      a.send(bye('1'));
      vi.advanceTimersToNextTimer(); // delivery
      expect(received).toEqual([bye('1')]);
      expect(() => vi.advanceTimersToNextTimer()).toThrow('listener failed');
    });
  });
});
