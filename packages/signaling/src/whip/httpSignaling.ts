/**
 * WHIP (RFC 9725) and WHEP (draft-ietf-wish-whep) as signaling channels: the machine's offer is
 * POSTed to the endpoint, the 201's answer comes back to the machine as a `description` message,
 * local candidates are trickled in batched PATCHes, an ICE-restart offer becomes a PATCH whose
 * fragment is turned back into an answer, and `bye` DELETEs the session.
 *
 * The peer on such a channel always offers: create it with `polite: false`.
 * @module
 */

import {
  type CandidatePayload,
  createDescriptionMessage,
  createRebuildMessage,
  type DescriptionMessage,
  type RebuildMessage,
  type SignalingMessage,
} from '@peerstatejs/core';
import {
  type HttpSignalingProtocol,
  WhipHttpError,
  WhipNetworkError,
  WhipProtocolError,
  type WhipStep,
} from '../errors.js';
import { reportListenerError } from '../reportListenerError.js';
import { MAX_REDIRECTS, mimeIs, missingFetch, withUrl } from './http.js';
import type { FetchLike, HttpSignaling, HttpSignalingOptions, Waiter } from './httpTypes.js';
import {
  applyRestartFragment,
  buildTrickleFragment,
  type OfferIceInfo,
  offerIceInfo,
  parseTrickleFragment,
  SDPFRAG_CONTENT_TYPE,
} from './sdpFragment.js';

export type { FetchLike, HttpSignaling, HttpSignalingOptions } from './httpTypes.js';

/** Publishes through a WHIP endpoint. */
export function createWhipSignaling(options: HttpSignalingOptions): HttpSignaling {
  return createHttpSignaling('whip', options);
}

/**
 * Plays through a WHEP endpoint. The peer must offer to receive: give it `recvonly` transceivers
 * (for now through the `peerConnection` factory option, see the README).
 */
export function createWhepSignaling(options: HttpSignalingOptions): HttpSignaling {
  return createHttpSignaling('whep', options);
}

function createHttpSignaling(
  protocol: HttpSignalingProtocol,
  options: HttpSignalingOptions,
): HttpSignaling {
  const endpoint = new URL(String(options.url)).href;
  const trickleDelay = options.trickleDelay ?? 20;
  const requestTimeout = options.requestTimeout ?? 10_000;

  let resourceUrl: string | null = null;
  let etag: string | null = null;
  let answerSdp: string | null = null;
  /** The ICE credentials of the offer the server currently has. */
  let ice: OfferIceInfo | null = null;
  let trickleSupported = true;
  let ended = false;
  /** Local candidates not yet PATCHed, with the callers waiting for them. */
  let pending: CandidatePayload[] = [];
  /** An end of candidates to PATCH: the ufrag of its ICE generation (`null`: unnamed). */
  let pendingEnd: string | null | false = false;
  /** The offer being exchanged (protocol v2 `id`), and the answer message made for it. */
  let offerId = '';
  let answered: DescriptionMessage | null = null;
  let waiters: Waiter[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let deleting: Promise<void> | null = null;
  /** Every HTTP exchange runs after the previous one: the server sees them in order. */
  let chain: Promise<unknown> = Promise.resolve();

  const subscribers = new Set<{ readonly listener: (message: unknown) => void }>();
  let backlog: (DescriptionMessage | RebuildMessage)[] = [];

  const drain = (): void => {
    while (backlog.length > 0 && subscribers.size > 0) {
      const message = backlog.shift();
      for (const entry of [...subscribers]) {
        if (!subscribers.has(entry)) continue;
        try {
          entry.listener(message);
        } catch (error) {
          reportListenerError(error);
        }
      }
    }
  };
  const deliverAnswer = (sdp: string | null): void => {
    // The HTTP answer names no offer: it answers the one just sent, so it gets that offer's id.
    if (sdp !== null) {
      const id = `${protocol}:${offerId}`;
      answered = createDescriptionMessage({ type: 'answer', sdp }, { id, inReplyTo: offerId });
    }
    if (answered !== null) backlog.push(answered);
    // Never from inside send(): the machine is still in the middle of its own step.
    setTimeout(drain, 0);
  };

  const enqueue = <T>(operation: () => Promise<T>): Promise<T> => {
    const result = chain.then(operation);
    chain = result.catch(() => {});
    return result;
  };

  const headers = (extra: Record<string, string>): Record<string, string> => ({
    ...options.headers,
    ...extra,
    ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }),
  });

  const request = async (step: WhipStep, url: string, init: RequestInit): Promise<Response> => {
    const fetchImpl =
      options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch ?? missingFetch(protocol, step);
    const signal = AbortSignal.timeout(requestTimeout);
    let target = url;
    try {
      for (let hop = 0; ; hop += 1) {
        // Redirects (307/308, RFC 9725 §4.6) are normally followed by fetch itself, and
        // `response.url` is then the final URL. A fetch that hands them back (a custom one, or
        // Node's with `redirect: 'manual'`) gets them followed here, body and method kept.
        const response = await fetchImpl(target, { ...init, redirect: 'follow', signal });
        const location = response.headers.get('location');
        if ((response.status !== 307 && response.status !== 308) || location === null) {
          return response.url ? response : withUrl(response, target);
        }
        if (hop >= MAX_REDIRECTS) throw new TypeError(`more than ${MAX_REDIRECTS} redirects`);
        target = new URL(location, target).href;
      }
    } catch (cause) {
      throw new WhipNetworkError(protocol, step, cause);
    }
  };

  const httpError = async (step: WhipStep, response: Response): Promise<WhipHttpError> => {
    const body = await response.text().catch(() => '');
    const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    return new WhipHttpError(protocol, step, {
      status: response.status,
      statusText: response.statusText,
      body: body.slice(0, 1024),
      retryAfter: Number.isFinite(retryAfter) ? retryAfter : null,
    });
  };

  const postOffer = async (sdp: string): Promise<void> => {
    const info = offerIceInfo(sdp);
    const response = await request('offer', endpoint, {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/sdp', Accept: 'application/sdp' }),
      body: sdp,
    });
    if (response.status !== 201) throw await httpError('offer', response);
    const location = response.headers.get('location');
    const base = response.url || endpoint;
    if (!mimeIs(response, 'application/sdp')) {
      // The session may exist on the server even though we cannot use it: do not leak it.
      if (location)
        void request('delete', new URL(location, base).href, {
          method: 'DELETE',
          headers: headers({}),
        }).catch(() => {});
      throw new WhipProtocolError(
        'WHIP_CONTENT_TYPE',
        protocol,
        'offer',
        `the answer is "${response.headers.get('content-type') ?? 'without a content type'}", not application/sdp`,
      );
    }
    if (!location) {
      throw new WhipProtocolError(
        'WHIP_MISSING_LOCATION',
        protocol,
        'offer',
        'the 201 has no Location header, so the session can be neither updated nor deleted',
      );
    }
    const answer = await response.text();
    resourceUrl = new URL(location, base).href;
    etag = response.headers.get('etag');
    answerSdp = answer;
    ice = info;
    deliverAnswer(answer);
    if (pending.length > 0 || pendingEnd !== false) scheduleFlush();
  };

  const restartIce = async (sdp: string, url: string): Promise<void> => {
    const info = offerIceInfo(sdp);
    const response = await request('iceRestart', url, {
      method: 'PATCH',
      // RFC 9725 §4.3.2: an ICE restart matches any entity.
      headers: headers({ 'Content-Type': SDPFRAG_CONTENT_TYPE, 'If-Match': '*' }),
      body: buildTrickleFragment(info, [], false),
    });
    if (response.status !== 200) throw await httpError('iceRestart', response);
    if (!mimeIs(response, SDPFRAG_CONTENT_TYPE)) {
      throw new WhipProtocolError(
        'WHIP_CONTENT_TYPE',
        protocol,
        'iceRestart',
        `the restart answer is "${response.headers.get('content-type') ?? 'without a content type'}", not ${SDPFRAG_CONTENT_TYPE}`,
      );
    }
    const fragment = parseTrickleFragment(await response.text());
    const answer = applyRestartFragment(answerSdp ?? '', fragment);
    etag = response.headers.get('etag') ?? etag;
    answerSdp = answer;
    ice = info;
    deliverAnswer(answer);
  };

  const flush = async (): Promise<void> => {
    if (ended || resourceUrl === null || ice === null) return;
    const current = ice;
    // Candidates of an older ICE generation are useless to the server after a restart.
    const batch = pending.filter(
      (candidate) =>
        candidate.usernameFragment === null || candidate.usernameFragment === current.ufrag,
    );
    const end = pendingEnd === null || pendingEnd === current.ufrag;
    const batchWaiters = waiters;
    pending = [];
    pendingEnd = false;
    waiters = [];
    try {
      if (trickleSupported && (batch.length > 0 || end)) {
        const response = await request('trickle', resourceUrl, {
          method: 'PATCH',
          headers: headers({
            'Content-Type': SDPFRAG_CONTENT_TYPE,
            ...(etag === null ? {} : { 'If-Match': etag }),
          }),
          body: buildTrickleFragment(
            current,
            batch.map((candidate) => candidate.candidate),
            end,
          ),
        });
        if (response.status === 405 || response.status === 422 || response.status === 501) {
          trickleSupported = false;
        } else if (!response.ok) {
          throw await httpError('trickle', response);
        }
      }
      for (const waiter of batchWaiters) waiter.resolve();
    } catch (error) {
      for (const waiter of batchWaiters) waiter.reject(error);
      throw error;
    }
  };

  const scheduleFlush = (): void => {
    if (flushTimer !== undefined) return;
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      // The failure reaches the senders through their waiters.
      enqueue(flush).catch(() => {});
    }, trickleDelay);
  };

  /** DELETEs a session; 404 counts as already gone. */
  const deleteSession = async (url: string): Promise<void> => {
    const response = await request('delete', url, { method: 'DELETE', headers: headers({}) });
    if (!response.ok && response.status !== 404) throw await httpError('delete', response);
  };

  const sessionDeleted = () =>
    new WhipProtocolError('WHIP_UNSUPPORTED', protocol, 'offer', 'the session was deleted');

  const sendDescription = (message: DescriptionMessage): Promise<void> => {
    const { type, sdp } = message.description;
    if (type !== 'offer') {
      return Promise.reject(
        new WhipProtocolError(
          'WHIP_UNSUPPORTED',
          protocol,
          'offer',
          `the client always offers, it cannot send an ${type}: create the peer with polite: false`,
        ),
      );
    }
    return enqueue(async () => {
      if (ended) {
        throw sessionDeleted();
      }
      // The machine resends an unanswered offer as it was (same id): answer it as before.
      if (message.id === offerId && answered !== null) return deliverAnswer(null);
      offerId = message.id;
      if (resourceUrl === null) return postOffer(sdp);
      const info = offerIceInfo(sdp);
      if (ice !== null && info.ufrag !== ice.ufrag) return restartIce(sdp, resourceUrl);
      throw new WhipProtocolError(
        'WHIP_UNSUPPORTED',
        protocol,
        'offer',
        'renegotiation is not part of the protocol (only ICE restarts are): start a new session',
      );
    });
  };

  /**
   * The peer replaces its connection: a new connection needs a new session. The old one is
   * deleted, the server "joins" at once (the rebuild message comes back), and the new
   * connection's offer is POSTed to the endpoint like the first one.
   */
  const rebuild = (message: RebuildMessage): Promise<void> =>
    enqueue(async () => {
      if (ended) {
        throw sessionDeleted();
      }
      const url = resourceUrl;
      resourceUrl = null;
      etag = null;
      answerSdp = null;
      ice = null;
      trickleSupported = true;
      pending = [];
      pendingEnd = false;
      for (const waiter of waiters) waiter.resolve();
      waiters = [];
      answered = null;
      backlog.push(createRebuildMessage(message.epoch));
      setTimeout(drain, 0);
      if (url === null) return;
      // Failing to delete leaves the old session to expire on the server; the rebuild goes on.
      await deleteSession(url);
    });

  const close = (): Promise<void> => {
    if (deleting) return deleting;
    ended = true;
    clearTimeout(flushTimer);
    flushTimer = undefined;
    deleting = enqueue(async () => {
      subscribers.clear();
      backlog = [];
      pending = [];
      for (const waiter of waiters) waiter.resolve();
      waiters = [];
      const url = resourceUrl;
      if (url === null) return;
      resourceUrl = null;
      await deleteSession(url);
    });
    return deleting;
  };

  return {
    protocol,
    get resourceUrl() {
      return resourceUrl;
    },
    get etag() {
      return etag;
    },
    get trickleSupported() {
      return trickleSupported;
    },
    send(message: SignalingMessage): Promise<void> {
      switch (message.type) {
        case 'description':
          return sendDescription(message);
        case 'candidate':
          if (ended) return Promise.resolve();
          if (message.candidate === null || message.candidate.candidate === '') {
            pendingEnd = message.ufrag;
          } else pending.push(message.candidate);
          return new Promise<void>((resolve, reject) => {
            waiters.push({ resolve, reject });
            if (resourceUrl !== null) scheduleFlush();
          });
        case 'bye':
          return close();
        case 'rebuild':
          return rebuild(message);
        case 'muted':
          // WHIP/WHEP has no channel for it: the server learns nothing of a mute (guide 14).
          return Promise.resolve();
      }
    },
    subscribe(listener: (message: unknown) => void): () => void {
      if (ended) return () => {};
      const entry = { listener };
      subscribers.add(entry);
      if (backlog.length > 0) setTimeout(drain, 0);
      return () => {
        subscribers.delete(entry);
      };
    },
    close,
  };
}
