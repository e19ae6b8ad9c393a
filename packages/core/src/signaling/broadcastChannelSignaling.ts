/**
 * Signaling between two tabs (or workers) of one origin over a `BroadcastChannel`, for demos
 * that need no server.
 * @module
 */

import { UnsupportedError } from '../errors.js';
import { reportListenerError } from './reportListenerError.js';
import type { SignalingChannel, SignalingMessage } from './types.js';

/** The part of `BroadcastChannel` used here; the real one satisfies it. */
export interface BroadcastChannelLike {
  /** Posts to every other channel of the same name. */
  postMessage(message: unknown): void;
  /** Listens for messages. */
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  /** Stops listening. */
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  /** Closes the channel. */
  close(): void;
}

/** A `BroadcastChannel` constructor, such as `globalThis.BroadcastChannel`. */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike;

/** Options of {@link createBroadcastChannelSignaling}. */
export interface BroadcastChannelSignalingOptions {
  /** The channel name; both peers must use the same one. */
  readonly name: string;
  /** Identifies this peer on the channel. Defaults to a random id. */
  readonly peerId?: string;
  /** Defaults to `globalThis.BroadcastChannel`, looked up when the channel is created. */
  readonly BroadcastChannel?: BroadcastChannelConstructor;
}

/** A signaling channel over `BroadcastChannel`. */
export interface BroadcastChannelSignaling extends SignalingChannel {
  /** This peer's id, the `from` of every envelope it posts. */
  readonly peerId: string;
  /** Closes the underlying `BroadcastChannel` and drops every subscriber. Sending afterwards throws. */
  close(): void;
}

/**
 * What travels on the `BroadcastChannel`. The marker and sender let several peers (or unrelated
 * code) share one channel name.
 */
export interface BroadcastChannelEnvelope {
  readonly peerstate: 1;
  readonly from: string;
  readonly message: SignalingMessage;
}

/**
 * Creates a signaling channel on a `BroadcastChannel`. Every message is posted in a
 * {@link BroadcastChannelEnvelope}; envelopes from this `peerId` and any traffic that is not an
 * envelope are ignored. Messages that arrive before the first subscriber wait for it, but a
 * `BroadcastChannel` delivers nothing posted before the receiving channel existed: create both
 * ends before negotiating.
 *
 * @throws {UnsupportedError} when no `BroadcastChannel` constructor is given or global.
 * @example
 * ```ts
 * const signaling = createBroadcastChannelSignaling({ name: 'room-42' });
 * const peer = createActor(peerMachine, { input: { signaling } }).start();
 * ```
 */
export function createBroadcastChannelSignaling(
  options: BroadcastChannelSignalingOptions,
): BroadcastChannelSignaling {
  // Looked up here, not at import time, so importing the SDK works where there is none.
  const Constructor =
    options.BroadcastChannel ??
    (globalThis as { BroadcastChannel?: BroadcastChannelConstructor }).BroadcastChannel;
  if (typeof Constructor !== 'function') throw new UnsupportedError(['BroadcastChannel']);

  const peerId = options.peerId ?? randomId();
  const channel = new Constructor(options.name);
  const listeners = new Set<{ readonly listener: (message: unknown) => void }>();
  let backlog: unknown[] = [];
  let closed = false;

  /** Hands the backlog, oldest first, to the current subscribers; keeps it if there are none. */
  const drain = (): void => {
    // close() empties both the backlog and the listeners, so it also ends this loop.
    while (backlog.length > 0 && listeners.size > 0) {
      const message = backlog.shift();
      for (const entry of [...listeners]) {
        // A listener may unsubscribe another, or close the channel (which drops them all).
        if (!listeners.has(entry)) continue;
        try {
          entry.listener(message);
        } catch (error) {
          reportListenerError(error);
        }
      }
    }
  };

  const onMessage = (event: { readonly data: unknown }): void => {
    if (closed || !isEnvelopeFromPeer(event.data, peerId)) return;
    // Queued even with subscribers present: a backlog waiting for its flush must go first.
    backlog.push(event.data.message);
    drain();
  };
  channel.addEventListener('message', onMessage);

  return {
    peerId,
    send(message: SignalingMessage): void {
      if (closed) throw new Error(`The BroadcastChannel signaling "${options.name}" is closed`);
      const envelope: BroadcastChannelEnvelope = { peerstate: 1, from: peerId, message };
      channel.postMessage(envelope);
    },
    subscribe(listener: (message: unknown) => void): () => void {
      if (closed) return () => {};
      const entry = { listener };
      listeners.add(entry);
      // Never deliver from inside subscribe(): the caller may not be ready yet.
      if (backlog.length > 0) setTimeout(drain, 0);
      return () => {
        listeners.delete(entry);
      };
    },
    close(): void {
      if (closed) return;
      closed = true;
      listeners.clear();
      backlog = [];
      channel.removeEventListener('message', onMessage);
      channel.close();
    },
  };
}

/** Whether `data` is an envelope posted by another peer (not unrelated traffic, not ourselves). */
function isEnvelopeFromPeer(data: unknown, ownPeerId: string): data is BroadcastChannelEnvelope {
  if (typeof data !== 'object' || data === null) return false;
  const envelope = data as Partial<Record<keyof BroadcastChannelEnvelope, unknown>>;
  // A BroadcastChannel never receives its own posts, but another channel with the same peerId
  // (a duplicated tab, say) would: a peer must not negotiate with itself.
  return (
    envelope.peerstate === 1 &&
    typeof envelope.from === 'string' &&
    envelope.from !== ownPeerId &&
    'message' in envelope
  );
}

function randomId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; an id only has to tell two tabs apart.
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
