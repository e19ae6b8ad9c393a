/**
 * The channel one peer of a session gets: it sends through the room's transport and receives only
 * what its remote sent. Messages wait for a subscriber (the machine listens only while it holds
 * a connection, and not while it creates one) and are never delivered from inside `subscribe`.
 * @module
 */

import type { SignalingChannel, SignalingMessage } from '@peerstatejs/core';
import { reportListenerError } from '../reportListenerError.js';

export interface PeerChannel extends SignalingChannel {
  /** A message from the remote this channel is paired with. */
  deliver(message: unknown): void;
  /** The peer ended: nothing more is sent or delivered. */
  close(): void;
}

export function createPeerChannel(send: (message: SignalingMessage) => void): PeerChannel {
  let backlog: unknown[] = [];
  let closed = false;
  const listeners = new Set<{ readonly listener: (message: unknown) => void }>();

  const drain = (): void => {
    while (backlog.length > 0 && listeners.size > 0) {
      const message = backlog.shift();
      for (const entry of [...listeners]) {
        if (!listeners.has(entry)) continue;
        try {
          entry.listener(message);
        } catch (error) {
          reportListenerError(error);
        }
      }
    }
  };

  return {
    send(message) {
      // A peer that ended sends nothing (its bye went out before); the transport is shared with
      // the next peer, which must not get the old one's messages.
      if (!closed) send(message);
    },
    subscribe(listener) {
      if (closed) return () => {};
      const entry = { listener };
      listeners.add(entry);
      if (backlog.length > 0) setTimeout(drain, 0);
      return () => {
        listeners.delete(entry);
      };
    },
    deliver(message) {
      if (closed) return;
      backlog.push(message);
      drain();
    },
    close() {
      closed = true;
      backlog = [];
      listeners.clear();
    },
  };
}
