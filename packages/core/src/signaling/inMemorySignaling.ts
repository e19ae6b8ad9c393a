/**
 * Two signaling channels wired to each other in memory, for tests and single-page demos.
 * @module
 */

import { reportListenerError } from './reportListenerError.js';
import type { SignalingChannel, SignalingMessage } from './types.js';

/** Options of {@link createInMemorySignalingPair}. */
export interface InMemorySignalingOptions {
  /** Milliseconds every message spends on the wire. Without it, it arrives on the next macrotask. */
  readonly latency?: number;
}

/** One end of an in-memory signaling pair. */
export interface InMemorySignalingChannel extends SignalingChannel {
  /**
   * Hangs up the link: nothing is delivered in either direction any more, including messages
   * still on the wire or waiting for a subscriber, and every subscriber is dropped. Sending on
   * this end afterwards throws; what the other end sends is silently lost, as on a real wire.
   */
  close(): void;
}

type Listener = (message: unknown) => void;

interface Endpoint {
  closed: boolean;
  /** Wrapped so the same function can be subscribed twice and unsubscribed independently. */
  readonly listeners: Set<{ readonly listener: Listener }>;
  /** Messages that arrived while nobody was subscribed, waiting for the first subscriber. */
  inbox: string[];
}

/**
 * Creates two connected signaling channels. What one end sends reaches the other end's
 * subscribers asynchronously (a macrotask, or `latency` ms later), in order, and as a JSON
 * round trip, so the pair behaves like a wire: the receiver never shares an object with the
 * sender, and a message that JSON cannot carry makes `send` throw a `TypeError`. Messages that
 * arrive before the other end subscribes wait for it; nothing is lost.
 *
 * @example
 * ```ts
 * const [a, b] = createInMemorySignalingPair({ latency: 20 });
 * const alice = createActor(peerMachine, { input: { signaling: a } }).start();
 * const bob = createActor(peerMachine, { input: { signaling: b } }).start();
 * ```
 */
export function createInMemorySignalingPair(
  options: InMemorySignalingOptions = {},
): readonly [InMemorySignalingChannel, InMemorySignalingChannel] {
  const latency = options.latency ?? 0;
  if (typeof latency !== 'number' || !Number.isFinite(latency) || latency < 0) {
    throw new RangeError(`latency must be a finite number of milliseconds ≥ 0, got ${latency}`);
  }
  let linkClosed = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (run: () => void, delay: number): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, delay);
    timers.add(timer);
  };
  const ends: Endpoint[] = [0, 1].map(() => ({ closed: false, listeners: new Set(), inbox: [] }));

  const channel = (self: Endpoint, peer: Endpoint): InMemorySignalingChannel => ({
    send(message: SignalingMessage): void {
      if (self.closed) throw new Error('This in-memory signaling channel is closed');
      // Serialise even when the link is down, so a bad message is reported consistently.
      const text = serialise(message);
      // Timers of one delay fire in the order they were set (HTML timers, Node): so do messages.
      if (!linkClosed) {
        later(() => {
          peer.inbox.push(text);
          deliver(peer);
        }, latency);
      }
    },
    subscribe(listener: Listener): () => void {
      if (linkClosed) return () => {};
      const entry = { listener };
      self.listeners.add(entry);
      // Never call the listener from inside subscribe(): delivery is always asynchronous.
      if (self.inbox.length > 0) later(() => deliver(self), 0);
      return () => {
        self.listeners.delete(entry);
      };
    },
    close(): void {
      self.closed = linkClosed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const end of ends) {
        end.inbox = [];
        end.listeners.clear();
      }
    },
  });

  return Object.freeze([
    channel(ends[0] as Endpoint, ends[1] as Endpoint),
    channel(ends[1] as Endpoint, ends[0] as Endpoint),
  ] as const);
}

/** Hands the inbox, oldest first, to the current subscribers; keeps it if there are none. */
function deliver(endpoint: Endpoint): void {
  // Closing empties both the inbox and the listeners, so it also ends this loop.
  while (endpoint.inbox.length > 0 && endpoint.listeners.size > 0) {
    const text = endpoint.inbox.shift() as string;
    for (const entry of [...endpoint.listeners]) {
      // A listener may unsubscribe another, or close the link (which drops them all).
      if (!endpoint.listeners.has(entry)) continue;
      try {
        // Parsed per listener, so no two subscribers share an object either.
        entry.listener(JSON.parse(text));
      } catch (error) {
        reportListenerError(error);
      }
    }
  }
}

function serialise(message: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(message, (key, value: unknown) => {
      const kind = typeof value;
      // JSON.stringify would silently drop or null these; a wire format that loses data
      // without a word hides bugs, so refuse them instead.
      if (
        kind === 'function' ||
        kind === 'symbol' ||
        (kind === 'number' && !Number.isFinite(value))
      ) {
        throw new TypeError(
          `${key === '' ? 'The message' : `Field "${key}"`} is ${kind === 'number' ? value : `a ${kind}`}, which JSON cannot carry`,
        );
      }
      return value;
    });
  } catch (error) {
    // BigInts and cycles already throw TypeErrors; a throwing toJSON() is wrapped to match.
    if (error instanceof TypeError) throw error;
    throw new TypeError('The signaling message could not be serialised as JSON', {
      cause: error,
    });
  }
  if (text === undefined) throw new TypeError('The signaling message is not a JSON value');
  return text;
}
