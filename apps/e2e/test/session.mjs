// Issue #14: calls through `createSignalingSession` over the reference server
// (@peerstatejs/signaling-server, started here on 127.0.0.1), two browser contexts, no `polite`
// anywhere. The second peer joins 5 s after the first and both connect within 2 s of its join;
// a closed tab shows on the other side as the remote gone within 2 s; a reloaded remote gets a
// new call; and a relay-only call on coturn with `use-auth-secret` credentials that expire
// mid-test survives an ICE restart and a rebuild (the configuration function is called again).

import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { startSignalingServer } from '@peerstatejs/signaling-server';
import { freeUdpPort } from './lib/servers.mjs';
import { sleep, WAIT_MS } from './lib/steps.mjs';

/** The bounds. */
const CONNECT_AFTER_JOIN_MS = 2_000;
const REMOTE_GONE_MS = 2_000;

async function signalingServer() {
  return startSignalingServer({ port: 0, host: '127.0.0.1' });
}

const until = (page, until, timeoutMs = WAIT_MS) => page.call('sessionWait', { until, timeoutMs });

/** Two pages in one room, both connected; returns them and the server. */
async function connectedPair(t, server, room = `r-${randomUUID().slice(0, 8)}`, extra = {}) {
  const a = await t.chromium('a');
  const b = await t.chromium('b');
  await a.call('sessionStart', { url: server.url, room, ...extra });
  await b.call('sessionStart', { url: server.url, room, ...extra });
  const [sa, sb] = await Promise.all([
    until(a, { phase: 'connected' }),
    until(b, { phase: 'connected' }),
  ]);
  assert.equal(sa.polite, !sb.polite, 'exactly one polite peer, decided by the SDK');
  return { a, b, room, sa, sb };
}

export const SESSION_SCENARIOS = [
  {
    name: 'session-late-join',
    async run(t) {
      const server = await signalingServer();
      try {
        const room = `late-${randomUUID().slice(0, 8)}`;
        const a = await t.chromium('a');
        const b = await t.chromium('b');
        await a.call('sessionStart', { url: server.url, room });
        await until(a, { state: 'open' });
        // Alone in the room for 5 s: no peer, nothing offered into the void.
        await sleep(5_000);
        const alone = await a.call('sessionSummary');
        assert.equal(alone.remote, null, 'no remote while alone');
        assert.equal(alone.phase, null, 'no peer while alone');
        const joinedAt = Date.now();
        await b.call('sessionStart', { url: server.url, room });
        const [sa, sb] = await Promise.all([
          until(a, { phase: 'connected' }),
          until(b, { phase: 'connected' }),
        ]);
        const took = Math.max(sa.at, sb.at) - joinedAt;
        t.figure('connectedAfterJoinMs', took);
        assert.ok(took <= CONNECT_AFTER_JOIN_MS, `connected ${took} ms after the join`);
        assert.equal(sa.polite, !sb.polite, 'exactly one polite peer');
      } finally {
        await server.close(1_000);
      }
    },
  },
  {
    name: 'session-remote-gone',
    async run(t) {
      const server = await signalingServer();
      try {
        const { a, b, room } = await connectedPair(t, server);
        // A reload: the page leaves (pagehide) and its new instance joins again: a new call.
        const before = await a.call('sessionSummary');
        await b.open(await b.evaluate(() => location.origin), 'plain');
        await b.call('sessionStart', { url: server.url, room });
        const back = await until(a, { phase: 'connected', newerThan: before.peerSerial });
        await until(b, { phase: 'connected' });
        t.figure('reloadReconnectedMs', back.at - before.at);

        // The tab closes: a shows the remote gone, with its own reason, at once.
        const closedAt = Date.now();
        await t.closePage(b);
        const gone = await until(a, { remote: null, phase: 'closed' }, 5_000);
        const took = gone.at - closedAt;
        t.figure('remoteGoneMs', took);
        t.figure('remoteGoneReason', gone.closeReason);
        assert.ok(took <= REMOTE_GONE_MS, `the remote shown gone ${took} ms after its tab closed`);
        assert.ok(
          gone.closeReason === 'remote' || gone.closeReason === 'remote-left',
          `a remote reason, not an ICE failure: ${gone.closeReason}`,
        );
      } finally {
        await server.close(1_000);
      }
    },
  },
  {
    name: 'session-turn-credentials',
    timeoutMs: 120_000,
    async run(t) {
      // coturn's TURN REST API scheme (use-auth-secret): username `expiry:user`, password
      // base64(HMAC-SHA1(secret, username)). Credentials live LIFETIME_S, less than the test.
      const LIFETIME_S = 6;
      const secret = randomBytes(16).toString('hex');
      const port = await freeUdpPort();
      await t.turn(port, ['--use-auth-secret', `--static-auth-secret=${secret}`]);
      let issued = 0;
      const api = http.createServer((_req, res) => {
        issued += 1;
        const username = `${Math.floor(Date.now() / 1000) + LIFETIME_S}:e2e-${issued}`;
        const credential = createHmac('sha1', secret).update(username).digest('base64');
        res.writeHead(200, {
          'content-type': 'application/json',
          'access-control-allow-origin': '*',
        });
        res.end(
          JSON.stringify({ urls: `turn:127.0.0.1:${port}?transport=udp`, username, credential }),
        );
      });
      await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve));
      const turnApi = `http://127.0.0.1:${api.address().port}/`;
      const server = await signalingServer();
      try {
        const { a, b } = await connectedPair(t, server, undefined, { turnApi });
        const pairOf = () => a.call('sessionSelectedPair');
        /** Waits until a's pair in use is relayed and of the ICE generation it offers now. */
        const relayedPair = async (label, notUfrag) => {
          const deadline = Date.now() + WAIT_MS;
          let pair = await pairOf();
          while (
            !(pair?.local === 'relay' && pair.pairUfrag === pair.ufrag && pair.ufrag !== notUfrag)
          ) {
            assert.ok(
              Date.now() < deadline,
              `${label}: no relayed pair of the new generation (${JSON.stringify(pair)})`,
            );
            await sleep(200);
            pair = await pairOf();
          }
          return pair;
        };
        const first = await relayedPair('first connection', null);
        const firstIssued = (await a.call('sessionSummary')).credentialsIssued;
        // Every credential handed out so far expires; the restart must not reuse them (coturn
        // refuses an allocation with them: no relay candidate of the new generation).
        await sleep((LIFETIME_S + 1.5) * 1_000);

        await a.call('sessionRestartIce');
        await relayedPair('after the ICE restart', first.ufrag);
        await until(a, { phase: 'connected' });
        await until(b, { phase: 'connected' });
        const restarted = await a.call('sessionSummary');
        assert.ok(
          restarted.credentialsIssued > firstIssued,
          `the configuration was fetched again for the ICE restart (${restarted.credentialsIssued})`,
        );

        // The rebuild: the connection closed underneath, a new one is made (a configuration
        // fixed at the start would give it the expired first credentials).
        await a.call('sessionClosePeerConnection');
        await until(a, { phase: 'connected', issuedAbove: restarted.credentialsIssued });
        await until(b, { phase: 'connected' });
        const rebuilt = await a.call('sessionSummary');
        assert.ok(
          rebuilt.credentialsIssued > restarted.credentialsIssued,
          'the configuration was fetched again for the rebuilt connection',
        );
        await relayedPair('after the rebuild', null);
        t.figure('credentialsIssued', issued);
      } finally {
        await server.close(1_000);
        await new Promise((resolve) => api.close(resolve));
      }
    },
  },
];
