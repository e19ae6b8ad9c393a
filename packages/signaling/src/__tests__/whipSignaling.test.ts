import {
  createByeMessage,
  createCandidateMessage,
  createDescriptionMessage,
  createPeer,
  createRebuildMessage,
  type PeerStateError,
  SignalingTransportError,
} from '@peerstatejs/core';
import {
  createFakeNetwork,
  createFakePeerPair,
  type FakePeerConnection,
} from '@peerstatejs/core/testing';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  applyRestartFragment,
  buildTrickleFragment,
  createWhepSignaling,
  createWhipSignaling,
  type HttpSignaling,
  isSignalingError,
  offerIceInfo,
  parseTrickleFragment,
  SDPFRAG_CONTENT_TYPE,
  WhipHttpError,
  WhipNetworkError,
  WhipProtocolError,
} from '../index.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const ENDPOINT = 'https://media.test/whip/live';
const offer = (ufrag = 'uf1', pwd = 'pw1') =>
  [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=mid:0',
    `a=ice-ufrag:${ufrag}`,
    `a=ice-pwd:${pwd}`,
    'a=sendonly',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:1',
    `a=ice-ufrag:${ufrag}`,
    `a=ice-pwd:${pwd}`,
    'a=sendonly',
    '',
  ].join('\r\n');
const ANSWER = [
  'v=0',
  'o=- 3 4 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:0',
  'a=ice-ufrag:srv1',
  'a=ice-pwd:srvpw1',
  'a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host',
  'a=end-of-candidates',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=ice-ufrag:srv1',
  'a=ice-pwd:srvpw1',
  '',
].join('\r\n');
const candidate = (n: number, ufrag = 'uf1') =>
  createCandidateMessage({
    candidate: `candidate:${n} 1 udp 2122260223 127.0.0.1 ${50000 + n} typ host`,
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: ufrag,
  });

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A scripted WHIP endpoint that records every request. */
function endpoint(
  overrides: {
    post?: (request: Request, body: string) => Response | Promise<Response>;
    patch?: (request: Request, body: string) => Response | Promise<Response>;
    del?: (request: Request) => Response;
  } = {},
) {
  const seen: Seen[] = [];
  const record = async (request: Request): Promise<string> => {
    const body = await request.text();
    seen.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers.entries()),
      body,
    });
    return body;
  };
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      const body = await record(request);
      return (
        (await overrides.post?.(request, body)) ??
        new HttpResponse(ANSWER, {
          status: 201,
          headers: { 'Content-Type': 'application/sdp', Location: 'resource/abc', ETag: '"e1"' },
        })
      );
    }),
    http.patch('https://media.test/whip/resource/abc', async ({ request }) => {
      const body = await record(request);
      return (await overrides.patch?.(request, body)) ?? new HttpResponse(null, { status: 204 });
    }),
    http.delete('https://media.test/whip/resource/abc', async ({ request }) => {
      await record(request);
      return overrides.del?.(request) ?? new HttpResponse(null, { status: 200 });
    }),
  );
  return seen;
}

function collect(channel: HttpSignaling): unknown[] {
  const received: unknown[] = [];
  channel.subscribe((message) => received.push(message));
  return received;
}

// A wait for an event with a budget for a loaded 2-core machine; it returns as soon as it holds.
async function until(condition: () => boolean, timeout = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeout) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

let offers = 0;
const offerMessage = (sdp = offer()) =>
  createDescriptionMessage({ type: 'offer', sdp }, { id: `a:0:${offers++}` });

describe('createWhipSignaling', () => {
  it('POSTs the offer with the bearer token and hands the 201 answer to the machine', async () => {
    const seen = endpoint();
    const whip = createWhipSignaling({ url: ENDPOINT, token: 'tok' });
    const received = collect(whip);
    const sent = offerMessage();
    await whip.send(sent);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: ENDPOINT, body: offer() });
    expect(seen[0]?.headers).toMatchObject({
      'content-type': 'application/sdp',
      accept: 'application/sdp',
      authorization: 'Bearer tok',
    });
    await until(() => received.length === 1);
    // Protocol v2: the HTTP answer becomes an answer that names the offer it answers.
    expect(received).toEqual([
      {
        v: 2,
        type: 'description',
        id: `whip:${sent.id}`,
        inReplyTo: sent.id,
        description: { type: 'answer', sdp: ANSWER },
      },
    ]);
    // Relative Location, resolved against the endpoint.
    expect(whip.resourceUrl).toBe('https://media.test/whip/resource/abc');
    expect(whip.etag).toBe('"e1"');
    expect(whip.protocol).toBe('whip');
  });

  it('an offer resent as it was (same id) is answered again with the same answer, no new request', async () => {
    const seen = endpoint();
    const whip = createWhipSignaling({ url: ENDPOINT });
    const received = collect(whip);
    const sent = offerMessage();
    await whip.send(sent);
    await until(() => received.length === 1);
    await whip.send(sent);
    await until(() => received.length === 2);
    expect(received[1]).toEqual(received[0]);
    expect(seen.map((request) => request.method)).toEqual(['POST']);
  });

  it('trickles candidates in batched PATCHes with If-Match, after the session exists', async () => {
    const seen = endpoint({
      post: async () => {
        // The answer is slow: candidates gathered meanwhile must wait for the Location.
        await new Promise((resolve) => setTimeout(resolve, 30));
        return undefined as unknown as Response;
      },
    });
    const whip = createWhipSignaling({ url: ENDPOINT, trickleDelay: 5 });
    const posted = whip.send(offerMessage());
    const early = [whip.send(candidate(1)), whip.send(candidate(2))];
    await posted;
    await Promise.all(early);
    const late = [whip.send(candidate(3)), whip.send(createCandidateMessage(null))];
    await Promise.all(late);
    const patches = seen.filter((request) => request.method === 'PATCH');
    expect(patches).toHaveLength(2);
    expect(patches[0]?.headers).toMatchObject({
      'content-type': SDPFRAG_CONTENT_TYPE,
      'if-match': '"e1"',
    });
    expect(patches[0]?.body).toBe(
      [
        'a=ice-ufrag:uf1',
        'a=ice-pwd:pw1',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'a=mid:0',
        'a=candidate:1 1 udp 2122260223 127.0.0.1 50001 typ host',
        'a=candidate:2 1 udp 2122260223 127.0.0.1 50002 typ host',
        '',
      ].join('\r\n'),
    );
    const second = parseTrickleFragment(patches[1]?.body ?? '');
    expect(second.candidates.map((item) => item.candidate)).toEqual([
      'candidate:3 1 udp 2122260223 127.0.0.1 50003 typ host',
    ]);
    expect(second.endOfCandidates).toBe(true);
  });

  it('restarts ICE with a PATCH If-Match "*" and turns the fragment into an answer', async () => {
    const seen = endpoint({
      patch: (request) =>
        request.headers.get('if-match') === '*'
          ? new HttpResponse(
              'a=ice-ufrag:srv2\r\na=ice-pwd:srvpw2\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=candidate:9 1 udp 2130706431 127.0.0.1 40009 typ host\r\n',
              { status: 200, headers: { 'Content-Type': SDPFRAG_CONTENT_TYPE, ETag: '"e2"' } },
            )
          : (undefined as unknown as Response),
    });
    const whip = createWhipSignaling({ url: ENDPOINT, trickleDelay: 1 });
    const received = collect(whip);
    await whip.send(offerMessage());
    await whip.send(offerMessage(offer('uf2', 'pw2')));
    const restart = seen[1];
    expect(restart?.method).toBe('PATCH');
    expect(restart?.headers['if-match']).toBe('*');
    expect(parseTrickleFragment(restart?.body ?? '')).toMatchObject({
      ufrag: 'uf2',
      pwd: 'pw2',
      candidates: [],
    });
    await until(() => received.length === 2);
    const answer = (received[1] as { description: { sdp: string } }).description.sdp;
    expect(answer).toContain('a=ice-ufrag:srv2');
    expect(answer).not.toContain('srv1');
    expect(answer).toContain('a=candidate:9 1 udp 2130706431 127.0.0.1 40009 typ host');
    expect(answer).not.toContain('40000');
    expect(whip.etag).toBe('"e2"');
    // Candidates of the old generation are dropped; the new ones carry the new ETag.
    await Promise.all([whip.send(candidate(1, 'uf1')), whip.send(candidate(2, 'uf2'))]);
    const trickle = seen[2];
    expect(trickle?.headers['if-match']).toBe('"e2"');
    expect(parseTrickleFragment(trickle?.body ?? '').candidates).toHaveLength(1);
    expect(trickle?.body).toContain('127.0.0.1 50002');
    // A late end of candidates of the old generation ends nothing; the new one's is PATCHed.
    await whip.send(createCandidateMessage(null, { ufrag: 'uf1' }));
    expect(seen).toHaveLength(3);
    await whip.send(createCandidateMessage(null, { ufrag: 'uf2' }));
    expect(seen).toHaveLength(4);
    expect(seen[3]?.body).toContain('a=end-of-candidates');
  });

  it('a rebuild DELETEs the old session, is answered at once, and the next offer starts a new session', async () => {
    const seen = endpoint();
    const whip = createWhipSignaling({ url: ENDPOINT });
    const received = collect(whip);
    await whip.send(offerMessage());
    await whip.send(createRebuildMessage(1));
    await until(() => received.length === 2);
    expect(received[1]).toEqual({ v: 2, type: 'rebuild', epoch: 1 });
    expect(whip.resourceUrl).toBeNull();
    await whip.send(offerMessage(offer('uf2', 'pw2')));
    expect(seen.map((request) => request.method)).toEqual(['POST', 'DELETE', 'POST']);
    expect(whip.resourceUrl).toBe('https://media.test/whip/resource/abc');
  });

  it('DELETEs the session on bye, once, with the token; 404 counts as gone', async () => {
    const seen = endpoint({ del: () => new HttpResponse(null, { status: 404 }) });
    const whip = createWhipSignaling({ url: ENDPOINT, token: 'tok' });
    await whip.send(offerMessage());
    await whip.send(createByeMessage());
    await whip.close();
    const deletes = seen.filter((request) => request.method === 'DELETE');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.headers.authorization).toBe('Bearer tok');
    await expect(whip.send(offerMessage())).rejects.toMatchObject({ code: 'WHIP_UNSUPPORTED' });
  });

  it('follows a 307 redirect and resolves a relative Location against the final URL', async () => {
    const seen: string[] = [];
    server.use(
      http.post(ENDPOINT, ({ request }) => {
        seen.push(request.url);
        return new HttpResponse(null, {
          status: 307,
          headers: { Location: 'https://edge.test/ingest/live' },
        });
      }),
      http.post('https://edge.test/ingest/live', async ({ request }) => {
        seen.push(`${request.url} ${(await request.text()) === offer()}`);
        return new HttpResponse(ANSWER, {
          status: 201,
          headers: { 'Content-Type': 'application/sdp; charset=utf-8', Location: 'sessions/7' },
        });
      }),
    );
    // msw cannot replay a POST body on a redirect the way undici and browsers do, so fetch
    // hands the 307 back here and the channel follows it (the real-server e2e covers fetch's own).
    const manual: typeof fetch = (input, init) => fetch(input, { ...init, redirect: 'manual' });
    const whip = createWhipSignaling({ url: ENDPOINT, fetch: manual });
    await whip.send(offerMessage());
    expect(seen).toEqual([ENDPOINT, 'https://edge.test/ingest/live true']);
    expect(whip.resourceUrl).toBe('https://edge.test/ingest/sessions/7');
  });

  it.each([
    [401, 'Unauthorized', null],
    [403, 'Forbidden', null],
    [500, 'Internal Server Error', null],
    [503, 'Service Unavailable', 7],
    [200, 'OK', null],
  ])(
    'rejects a %i answer to the offer with WHIP_HTTP_ERROR',
    async (status, statusText, retryAfter) => {
      endpoint({
        post: () =>
          new HttpResponse(`nope ${status}`, {
            status,
            statusText,
            headers: retryAfter === null ? {} : { 'Retry-After': String(retryAfter) },
          }),
      });
      const whip = createWhipSignaling({ url: ENDPOINT });
      const error = await whip.send(offerMessage()).then(
        () => null,
        (cause: unknown) => cause,
      );
      expect(error).toBeInstanceOf(WhipHttpError);
      expect(error).toMatchObject({
        code: 'WHIP_HTTP_ERROR',
        protocol: 'whip',
        step: 'offer',
        status,
        statusText,
        body: `nope ${status}`,
        retryAfter,
      });
      expect(isSignalingError(error, 'WHIP_HTTP_ERROR')).toBe(true);
      expect(whip.resourceUrl).toBeNull();
    },
  );

  it('rejects a 201 without Location with WHIP_MISSING_LOCATION', async () => {
    endpoint({
      post: () =>
        new HttpResponse(ANSWER, { status: 201, headers: { 'Content-Type': 'application/sdp' } }),
    });
    const whip = createWhipSignaling({ url: ENDPOINT });
    const received = collect(whip);
    await expect(whip.send(offerMessage())).rejects.toSatisfy(
      (error) => error instanceof WhipProtocolError && error.code === 'WHIP_MISSING_LOCATION',
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toEqual([]);
  });

  it('rejects an answer that is not application/sdp, and DELETEs the orphaned session', async () => {
    const seen = endpoint({
      post: () =>
        new HttpResponse('<html>', {
          status: 201,
          headers: { 'Content-Type': 'text/html', Location: 'resource/abc' },
        }),
    });
    const whip = createWhipSignaling({ url: ENDPOINT });
    await expect(whip.send(offerMessage())).rejects.toMatchObject({
      code: 'WHIP_CONTENT_TYPE',
      message: expect.stringContaining('text/html'),
    });
    await until(() => seen.some((request) => request.method === 'DELETE'));
  });

  it('rejects with WHIP_NETWORK_ERROR when fetch fails or times out', async () => {
    server.use(http.post(ENDPOINT, () => HttpResponse.error()));
    const whip = createWhipSignaling({ url: ENDPOINT });
    await expect(whip.send(offerMessage())).rejects.toBeInstanceOf(WhipNetworkError);

    server.use(http.post(ENDPOINT, () => new Promise<Response>(() => {})));
    const slow = createWhipSignaling({ url: ENDPOINT, requestTimeout: 20 });
    await expect(slow.send(offerMessage())).rejects.toMatchObject({
      code: 'WHIP_NETWORK_ERROR',
      message: expect.stringMatching(/timeout|abort/i),
    });
  });

  it('stops trickling when the endpoint does not take trickle (405), and rejects a stale ETag (412)', async () => {
    let status = 405;
    const seen = endpoint({ patch: () => new HttpResponse('no', { status }) });
    const whip = createWhipSignaling({ url: ENDPOINT, trickleDelay: 1 });
    await whip.send(offerMessage());
    await whip.send(candidate(1));
    expect(whip.trickleSupported).toBe(false);
    await whip.send(candidate(2));
    expect(seen.filter((request) => request.method === 'PATCH')).toHaveLength(1);

    status = 412;
    const other = createWhipSignaling({ url: ENDPOINT, trickleDelay: 1 });
    await other.send(offerMessage());
    await expect(other.send(candidate(1))).rejects.toMatchObject({
      code: 'WHIP_HTTP_ERROR',
      step: 'trickle',
      status: 412,
    });
  });

  it('rejects a restart answer that is not a trickle-ice-sdpfrag', async () => {
    endpoint({
      patch: () =>
        new HttpResponse('x', { status: 200, headers: { 'Content-Type': 'text/plain' } }),
    });
    const whip = createWhipSignaling({ url: ENDPOINT });
    await whip.send(offerMessage());
    await expect(whip.send(offerMessage(offer('uf9')))).rejects.toMatchObject({
      code: 'WHIP_CONTENT_TYPE',
      step: 'iceRestart',
    });
  });

  it('refuses what the protocol cannot carry: an answer, a renegotiation', async () => {
    endpoint();
    const whip = createWhipSignaling({ url: ENDPOINT });
    await expect(
      whip.send(
        createDescriptionMessage({ type: 'answer', sdp: ANSWER }, { id: 'a', inReplyTo: 'b' }),
      ),
    ).rejects.toMatchObject({
      code: 'WHIP_UNSUPPORTED',
      message: expect.stringContaining('polite: false'),
    });
    await whip.send(offerMessage());
    await expect(whip.send(offerMessage())).rejects.toMatchObject({
      code: 'WHIP_UNSUPPORTED',
      message: expect.stringContaining('renegotiation'),
    });
  });

  it('WHEP speaks the same exchange and names itself in errors', async () => {
    server.use(
      http.post('https://media.test/whep/live', () => new HttpResponse('gone', { status: 404 })),
    );
    const whep = createWhepSignaling({ url: 'https://media.test/whep/live' });
    await expect(whep.send(offerMessage())).rejects.toMatchObject({
      protocol: 'whep',
      message: expect.stringMatching(/^WHEP offer: the endpoint answered 404/),
    });
  });
});

describe('SDP fragments', () => {
  it('round-trips a trickle fragment and rebuilds an answer after a restart', () => {
    const info = offerIceInfo(offer('a', 'b'));
    expect(info).toEqual({
      ufrag: 'a',
      pwd: 'b',
      mid: '0',
      mLine: 'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    });
    const text = buildTrickleFragment(info, ['candidate:1 1 udp 1 127.0.0.1 9 typ host'], true);
    expect(parseTrickleFragment(text)).toEqual({
      ufrag: 'a',
      pwd: 'b',
      candidates: [{ mid: '0', candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' }],
      endOfCandidates: true,
    });
    const restarted = applyRestartFragment(ANSWER, {
      ufrag: 'n',
      pwd: 'p',
      candidates: [],
      endOfCandidates: false,
    });
    // Without new candidates the old ones stay; credentials change everywhere.
    expect(restarted.match(/a=ice-ufrag:n/g)).toHaveLength(2);
    expect(restarted).toContain('40000');
    expect(() => offerIceInfo('v=0\r\n')).toThrow(TypeError);
    expect(() => offerIceInfo('v=0\r\nm=audio 9 X 0\r\n')).toThrow(/ice-ufrag/);
  });
});

describe('a peer publishing over WHIP', () => {
  it('connects, restarts ICE through PATCH, and DELETEs on close; errors reach the machine', async () => {
    const { a, b } = createFakePeerPair();
    let offerSdp = '';
    const seen = endpoint({
      post: async (_, body) => {
        offerSdp = body;
        await b.setRemoteDescription({ type: 'offer', sdp: body });
        await b.setLocalDescription(await b.createAnswer());
        return new HttpResponse(b.localDescription?.sdp ?? '', {
          status: 201,
          headers: { 'Content-Type': 'application/sdp', Location: 'resource/abc', ETag: '"e1"' },
        });
      },
      patch: async (request, body) => {
        const fragment = parseTrickleFragment(body);
        if (request.headers.get('if-match') === '*') {
          // What a real server does: apply the new credentials to the offer it has, answer them.
          offerSdp = applyRestartFragment(offerSdp, fragment);
          await b.setRemoteDescription({ type: 'offer', sdp: offerSdp });
          await b.setLocalDescription(await b.createAnswer());
          const info = offerIceInfo(b.localDescription?.sdp ?? '');
          return new HttpResponse(buildTrickleFragment(info, [], false), {
            status: 200,
            headers: { 'Content-Type': SDPFRAG_CONTENT_TYPE, ETag: '"e2"' },
          });
        }
        for (const item of fragment.candidates) {
          await b.addIceCandidate({ candidate: item.candidate, sdpMid: item.mid });
        }
        return new HttpResponse(null, { status: 204 });
      },
    });
    const whip = createWhipSignaling({ url: ENDPOINT, token: 't' });
    const peer = createPeer({ signaling: whip, polite: false, peerConnection: () => a });
    const errors: PeerStateError[] = [];
    peer.on('error', ({ error }) => errors.push(error));
    peer.start();
    peer.send({ type: 'CREATE_DATA_CHANNEL', label: 'data' });
    const connected = () => peer.getSnapshot().matches({ active: { connection: 'connected' } });
    await until(connected);
    expect(b.iceConnectionState).toBe('connected');
    expect(seen.filter((request) => request.method === 'PATCH').length).toBeGreaterThan(0);

    peer.send({ type: 'RESTART_ICE' });
    await until(() => seen.some((request) => request.headers['if-match'] === '*'));
    await until(() => peer.getSnapshot().context.counters.iceRestarts === 1);
    await until(() => connected() && peer.getSnapshot().context.pcStates.signaling === 'stable');
    expect(a.remoteDescription?.sdp).toContain(
      `a=ice-ufrag:${offerIceInfo(b.localDescription?.sdp ?? '').ufrag}`,
    );
    expect(errors).toEqual([]);

    peer.send({ type: 'CLOSE' });
    await until(() => seen.some((request) => request.method === 'DELETE'));
    expect(seen.find((request) => request.method === 'DELETE')?.headers.authorization).toBe(
      'Bearer t',
    );
  });

  it('rebuilds over WHIP: a dead transport ends the session, a new connection publishes a new one', async () => {
    const network = createFakeNetwork();
    const sessions: FakePeerConnection[] = [];
    const seen = endpoint({
      post: async (_, body) => {
        const server = network.factory('b')();
        sessions.push(server);
        await server.setRemoteDescription({ type: 'offer', sdp: body });
        await server.setLocalDescription(await server.createAnswer());
        return new HttpResponse(server.localDescription?.sdp ?? '', {
          status: 201,
          headers: { 'Content-Type': 'application/sdp', Location: 'resource/abc' },
        });
      },
      patch: async (_, body) => {
        const server = sessions.at(-1);
        for (const item of parseTrickleFragment(body).candidates) {
          await server?.addIceCandidate({ candidate: item.candidate, sdpMid: item.mid });
        }
        return new HttpResponse(null, { status: 204 });
      },
    });
    const whip = createWhipSignaling({ url: ENDPOINT });
    const peer = createPeer({
      signaling: whip,
      polite: false,
      peerConnection: network.factory('a'),
    });
    const errors: PeerStateError[] = [];
    peer.on('error', ({ error }) => errors.push(error));
    peer.start();
    peer.send({ type: 'CREATE_DATA_CHANNEL', label: 'data' });
    const connected = () => peer.getSnapshot().matches({ active: { connection: 'connected' } });
    await until(connected);

    (network.peer('a') as FakePeerConnection).failDtls();
    await until(() => peer.getSnapshot().context.epoch === 1 && connected());
    expect(sessions).toHaveLength(2);
    expect(sessions[1]?.connectionState).toBe('connected');
    expect(seen.map((request) => request.method).filter((m) => m !== 'PATCH')).toEqual([
      'POST',
      'DELETE',
      'POST',
    ]);
    expect(errors).toEqual([]);
    peer.send({ type: 'CLOSE' });
    await until(() => seen.filter((request) => request.method === 'DELETE').length === 2);
    for (const session of sessions) session.close();
  });

  it('reports a refused publish as SIGNALING_TRANSPORT_FAILED caused by the typed WHIP error', async () => {
    const { a } = createFakePeerPair();
    endpoint({ post: () => new HttpResponse('bad token', { status: 401 }) });
    const peer = createPeer({
      signaling: createWhipSignaling({ url: ENDPOINT }),
      polite: false,
      peerConnection: () => a,
    });
    const errors: PeerStateError[] = [];
    peer.on('error', ({ error }) => errors.push(error));
    peer.start();
    peer.send({ type: 'CREATE_DATA_CHANNEL', label: 'data' });
    await until(() => errors.length > 0);
    expect(errors[0]).toBeInstanceOf(SignalingTransportError);
    expect(errors[0]?.cause).toBeInstanceOf(WhipHttpError);
    expect(errors[0]?.cause).toMatchObject({ status: 401, body: 'bad token' });
    peer.stop();
  });
});
