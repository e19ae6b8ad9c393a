/**
 * The options and the channel type of a WHIP or WHEP session.
 * @module
 */
import type { SignalingChannel, SignalingMessage } from '@peerstatejs/core';
import type { HttpSignalingProtocol } from '../errors.js';

/** The part of `fetch` used here; `globalThis.fetch` satisfies it. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Options of {@link createWhipSignaling} and {@link createWhepSignaling}. */
export interface HttpSignalingOptions {
  /** The WHIP or WHEP endpoint. */
  readonly url: string | URL;
  /** Sent as `Authorization: Bearer <token>` on every request. */
  readonly token?: string;
  /** @defaultValue globalThis.fetch, looked up at each request */
  readonly fetch?: FetchLike;
  /** Candidates gathered within this many ms travel in one PATCH. @defaultValue 20 */
  readonly trickleDelay?: number;
  /** Each request is aborted after this many ms (`WHIP_NETWORK_ERROR`). @defaultValue 10000 */
  readonly requestTimeout?: number;
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A WHIP or WHEP session as a signaling channel. */
export interface HttpSignaling extends SignalingChannel {
  readonly protocol: HttpSignalingProtocol;
  /** The session's URL, from the 201's `Location`, resolved against the final (redirected) URL. */
  readonly resourceUrl: string | null;
  /** The session's current entity tag, sent as `If-Match` on trickle PATCHes. */
  readonly etag: string | null;
  /**
   * `false` once the endpoint refused a trickle PATCH with 405, 422 or 501: it does not take
   * trickled candidates, and learns the client's address from its connectivity checks instead.
   */
  readonly trickleSupported: boolean;
  /**
   * Resolves when the offer, trickle or restart in flight is done. Rejects like the `send` that
   * started it.
   */
  send(message: SignalingMessage): Promise<void>;
  /** DELETEs the session (once; 404 counts as done) and drops every subscriber. */
  close(): Promise<void>;
}

export interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}
