import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnsupportedError } from '../../errors.js';
import {
  type BroadcastChannelConstructor,
  type BroadcastChannelSignaling,
  createBroadcastChannelSignaling,
} from '../broadcastChannelSignaling.js';
import { createByeMessage } from '../messages.js';

const bye = (reason: string) => createByeMessage(reason);

/** Node 20's global BroadcastChannel delivers between instances of one process. */
const NodeBroadcastChannel = globalThis.BroadcastChannel;

let nameCounter = 0;
// Unique per run too: other test files may use BroadcastChannel in parallel workers.
const RUN = Math.random().toString(36).slice(2);
const uniqueName = () => {
  nameCounter += 1;
  return `peerstate-test-${RUN}-${nameCounter}`;
};

const opened: Array<{ close(): void }> = [];
function open(options: Parameters<typeof createBroadcastChannelSignaling>[0]) {
  const signaling = createBroadcastChannelSignaling(options);
  opened.push(signaling);
  return signaling;
}
function rawChannel(name: string): BroadcastChannel {
  const channel = new NodeBroadcastChannel(name);
  opened.push(channel);
  return channel;
}

/** Resolves with the next `count` messages the signaling delivers. */
function collect(signaling: BroadcastChannelSignaling, count: number): Promise<unknown[]> {
  return new Promise((resolve) => {
    const received: unknown[] = [];
    const unsubscribe = signaling.subscribe((message) => {
      received.push(message);
      if (received.length === count) {
        unsubscribe();
        resolve(received);
      }
    });
  });
}

/** Waits until a raw channel has seen `count` messages (so anything posted earlier has arrived). */
function waitFor(name: string, count: number, post: () => void): Promise<unknown[]> {
  const observer = rawChannel(name);
  const seen: unknown[] = [];
  return new Promise((resolve) => {
    observer.onmessage = (event) => {
      seen.push(event.data);
      if (seen.length === count) resolve(seen);
    };
    post();
  });
}

// A wait for delivery, not a measure of speed: 1 s (vi.waitFor's default) is short for a loaded
// 2-core machine, and a wait that succeeds returns as soon as the message is there.
const EVENTUALLY = { timeout: 15_000 };

afterEach(() => {
  for (const channel of opened.splice(0)) channel.close();
  vi.unstubAllGlobals();
});

describe('createBroadcastChannelSignaling', () => {
  it('two instances in one process talk to each other', async () => {
    const name = uniqueName();
    const alice = open({ name, peerId: 'alice' });
    const bob = open({ name, peerId: 'bob' });
    const atBob = collect(bob, 2);
    const atAlice = collect(alice, 1);
    alice.send(bye('1'));
    alice.send(bye('2'));
    bob.send(bye('from bob'));
    expect(await atBob).toEqual([bye('1'), bye('2')]);
    expect(await atAlice).toEqual([bye('from bob')]);
  });

  it('wraps messages in an envelope with the sender id', async () => {
    const name = uniqueName();
    const alice = open({ name, peerId: 'alice' });
    const seen = await waitFor(name, 1, () => alice.send(bye('x')));
    expect(seen).toEqual([{ peerstate: 1, from: 'alice', message: bye('x') }]);
  });

  it('defaults to a random peer id', () => {
    const first = open({ name: uniqueName() });
    const second = open({ name: uniqueName() });
    expect(first.peerId).toMatch(/\S{8,}/);
    expect(first.peerId).not.toBe(second.peerId);
  });

  it('falls back to a non-crypto id without crypto.randomUUID', () => {
    vi.stubGlobal('crypto', {});
    const signaling = open({ name: uniqueName() });
    expect(signaling.peerId).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);
  });

  it('ignores envelopes from its own peer id (a duplicated tab)', async () => {
    const name = uniqueName();
    const first = open({ name, peerId: 'same' });
    const second = open({ name, peerId: 'same' });
    const other = open({ name, peerId: 'other' });
    const atFirst: unknown[] = [];
    first.subscribe((message) => atFirst.push(message));
    const atOther = collect(other, 2);
    second.send(bye('echo'));
    other.send(bye('real'));
    second.send(bye('echo 2'));
    expect(await atOther).toEqual([bye('echo'), bye('echo 2')]);
    await waitFor(name, 1, () => other.send(bye('sync')));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(atFirst).toEqual([bye('real'), bye('sync')]);
  });

  it('ignores non-envelope traffic on a shared channel', async () => {
    const name = uniqueName();
    const bob = open({ name, peerId: 'bob' });
    const atBob = collect(bob, 1);
    const stranger = rawChannel(name);
    stranger.postMessage(bye('not wrapped'));
    stranger.postMessage('a string');
    stranger.postMessage(null);
    stranger.postMessage({ peerstate: 2, from: 'x', message: bye('future') });
    stranger.postMessage({ peerstate: 1, from: 42, message: bye('bad from') });
    stranger.postMessage({ peerstate: 1, from: 'x' });
    stranger.postMessage({ peerstate: 1, from: 'x', message: bye('good') });
    expect(await atBob).toEqual([bye('good')]);
  });

  it('passes the enveloped message on unvalidated (the SDK validates it)', async () => {
    const name = uniqueName();
    const bob = open({ name, peerId: 'bob' });
    const atBob = collect(bob, 1);
    rawChannel(name).postMessage({ peerstate: 1, from: 'x', message: 'anything' });
    expect(await atBob).toEqual(['anything']);
  });

  it('queues messages that arrive before the first subscriber', async () => {
    const name = uniqueName();
    const alice = open({ name, peerId: 'alice' });
    const bob = open({ name, peerId: 'bob' });
    await waitFor(name, 2, () => {
      alice.send(bye('1'));
      alice.send(bye('2'));
    });
    const received: unknown[] = [];
    bob.subscribe((message) => received.push(message));
    expect(received).toEqual([]); // never from inside subscribe()
    alice.send(bye('3'));
    await vi.waitFor(() => expect(received).toEqual([bye('1'), bye('2'), bye('3')]), EVENTUALLY);
  });

  it('subscribing before messages arrive delivers them as they come', async () => {
    const name = uniqueName();
    const alice = open({ name, peerId: 'alice' });
    const bob = open({ name, peerId: 'bob' });
    const first: unknown[] = [];
    const second: unknown[] = [];
    bob.subscribe((message) => first.push(message));
    const unsubscribe = bob.subscribe((message) => second.push(message));
    alice.send(bye('1'));
    await vi.waitFor(() => expect(second).toEqual([bye('1')]), EVENTUALLY);
    unsubscribe();
    alice.send(bye('2'));
    await vi.waitFor(() => expect(first).toEqual([bye('1'), bye('2')]), EVENTUALLY);
    expect(second).toEqual([bye('1')]);
  });

  it('a listener unsubscribing another during delivery stops it at once', async () => {
    const name = uniqueName();
    const alice = open({ name, peerId: 'alice' });
    const bob = open({ name, peerId: 'bob' });
    const second: unknown[] = [];
    let unsubscribeSecond = () => {};
    const first = collect(bob, 1);
    bob.subscribe(() => unsubscribeSecond());
    unsubscribeSecond = bob.subscribe((message) => second.push(message));
    alice.send(bye('1'));
    await first;
    expect(second).toEqual([]);
  });

  it('reports listener errors without stopping other listeners', async () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const name = uniqueName();
    const alice = open({ name, peerId: 'alice' });
    const bob = open({ name, peerId: 'bob' });
    const failure = new Error('listener failed');
    bob.subscribe(() => {
      throw failure;
    });
    const atBob = collect(bob, 1);
    alice.send(bye('1'));
    expect(await atBob).toEqual([bye('1')]);
    expect(reportError).toHaveBeenCalledWith(failure);
  });

  describe('close', () => {
    it('drops subscribers and the backlog, closes the channel, makes send throw', async () => {
      const name = uniqueName();
      const alice = open({ name, peerId: 'alice' });
      const bob = open({ name, peerId: 'bob' });
      const received: unknown[] = [];
      bob.subscribe((message) => received.push(message));
      bob.close();
      bob.close(); // idempotent
      await waitFor(name, 1, () => alice.send(bye('after close')));
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(received).toEqual([]);
      expect(() => bob.send(bye('x'))).toThrow(
        `The BroadcastChannel signaling "${name}" is closed`,
      );
      const unsubscribe = bob.subscribe(() => {});
      unsubscribe();
    });

    it('drops a backlog whose flush is still pending', async () => {
      const name = uniqueName();
      const alice = open({ name, peerId: 'alice' });
      const bob = open({ name, peerId: 'bob' });
      await waitFor(name, 1, () => alice.send(bye('queued')));
      const received: unknown[] = [];
      bob.subscribe((message) => received.push(message));
      bob.close();
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(received).toEqual([]);
    });

    it('a listener closing the channel stops the rest of the backlog', async () => {
      const name = uniqueName();
      const alice = open({ name, peerId: 'alice' });
      const bob = open({ name, peerId: 'bob' });
      await waitFor(name, 2, () => {
        alice.send(bye('1'));
        alice.send(bye('2'));
      });
      const received: unknown[] = [];
      bob.subscribe((message) => {
        received.push(message);
        bob.close();
      });
      bob.subscribe((message) => received.push(message));
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(received).toEqual([bye('1')]);
    });

    it('stops listening to the underlying channel', () => {
      const calls: string[] = [];
      class SpyChannel {
        constructor(readonly name: string) {}
        postMessage(): void {}
        addEventListener(type: string): void {
          calls.push(`add ${type}`);
        }
        removeEventListener(type: string): void {
          calls.push(`remove ${type}`);
        }
        close(): void {
          calls.push('close');
        }
      }
      const signaling = createBroadcastChannelSignaling({
        name: 'spy',
        BroadcastChannel: SpyChannel,
      });
      signaling.close();
      expect(calls).toEqual(['add message', 'remove message', 'close']);
    });
  });

  describe('constructor lookup', () => {
    it('accepts the real constructor type', () => {
      const Constructor: BroadcastChannelConstructor = NodeBroadcastChannel;
      const signaling = open({ name: uniqueName(), BroadcastChannel: NodeBroadcastChannel });
      expect(signaling.peerId).toBeTypeOf('string');
      expect(Constructor).toBe(NodeBroadcastChannel);
    });

    it('uses an injected constructor, with the given name', () => {
      const names: string[] = [];
      const posted: unknown[] = [];
      class FakeChannel {
        constructor(name: string) {
          names.push(name);
        }
        postMessage(message: unknown): void {
          posted.push(message);
        }
        addEventListener(): void {}
        removeEventListener(): void {}
        close(): void {}
      }
      const signaling = createBroadcastChannelSignaling({
        name: 'room',
        peerId: 'me',
        BroadcastChannel: FakeChannel,
      });
      signaling.send(bye('x'));
      expect(names).toEqual(['room']);
      expect(posted).toEqual([{ peerstate: 1, from: 'me', message: bye('x') }]);
    });

    it('looks the global up when called, not at import time', () => {
      vi.stubGlobal('BroadcastChannel', undefined);
      expect(() => createBroadcastChannelSignaling({ name: 'x' })).toThrow(UnsupportedError);
      try {
        createBroadcastChannelSignaling({ name: 'x' });
      } catch (error) {
        expect((error as UnsupportedError).code).toBe('UNSUPPORTED');
        expect((error as UnsupportedError).lookedFor).toEqual(['BroadcastChannel']);
      }
      vi.unstubAllGlobals();
      const signaling = open({ name: uniqueName() });
      expect(signaling.peerId).toBeTypeOf('string');
    });
  });
});
