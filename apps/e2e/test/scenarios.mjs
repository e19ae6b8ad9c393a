// The scenarios of the issue, each its own named test. Bodies drive the fixture app in the pages
// (`page.call(...)` runs `window.e2e[...]`) and assert here, in Node.

import assert from 'node:assert/strict';
import { freeUdpPort } from './lib/servers.mjs';
import { roundTrip, sleep, summary, WAIT_MS, wait } from './lib/steps.mjs';

async function pollSummary(page, name, predicate, what, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await summary(page, name);
    if (predicate(s)) return s;
    if (Date.now() > deadline) {
      throw new Error(
        `${page.label}/${name}: no ${what} within ${timeoutMs} ms; state ${JSON.stringify(s.value)}`,
      );
    }
    await sleep(100);
  }
}

/** The connection region's state: `connected`, `restartingIce`, … (or `closed`/`failed`). */
function connectionOf(s) {
  if (typeof s.value === 'string') return s.value;
  const connection = s.value.active?.connection;
  // `restartingIce` has substates (who restarts): `{ restartingIce: 'awaitingRemote' }`.
  return typeof connection === 'object' ? Object.keys(connection)[0] : connection;
}

/** The states the connection region went through, from the machine's own timeline. */
function connectionPath(s, since = 0) {
  return s.timeline.filter((e) => e.region === 'connection' && e.at >= since).map((e) => e.state);
}

function selectedPair(stats) {
  const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  const pair =
    stats.find((s) => s.id === transport?.selectedCandidatePairId) ??
    stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') ??
    stats.find((s) => s.type === 'candidate-pair' && s.selected);
  if (!pair) return undefined;
  const local = stats.find((s) => s.id === pair.localCandidateId);
  const remote = stats.find((s) => s.id === pair.remoteCandidateId);
  return {
    local: local?.candidateType,
    remote: remote?.candidateType,
    localAddress: local?.address,
  };
}

const inboundBytes = (stats, kind) =>
  stats
    .filter((s) => s.type === 'inbound-rtp' && s.kind === kind)
    .reduce((sum, s) => sum + (s.bytesReceived ?? 0), 0);

function inboundVideoCodecs(stats) {
  return stats
    .filter((s) => s.type === 'inbound-rtp' && s.kind === 'video' && s.codecId)
    .map((s) => stats.find((c) => c.id === s.codecId)?.mimeType);
}

/**
 * After a recovery: on both sides remote media flows on the current connection (inbound video
 * `framesDecoded` and audio `packetsReceived` grow), not only the state says `connected`.
 */
async function assertMediaFlows(t, pages, what) {
  const flows = await Promise.all(
    pages.map(([page, name]) =>
      page.call('mediaFlows', { name, timeoutMs: WAIT_MS }).catch((error) => error),
    ),
  );
  for (const [i, [, name]] of pages.entries()) {
    const flow = flows[i];
    if (flow instanceof Error) throw new Error(`${name} after ${what}: ${flow.message}`);
    assert.ok(
      flow.framesDecoded[1] > flow.framesDecoded[0],
      `${name}: remote video frames advance`,
    );
    assert.ok(flow.audioPackets[1] > flow.audioPackets[0], `${name}: remote audio packets arrive`);
  }
  t.figure(`mediaAfter ${what}`, Object.fromEntries(pages.map(([, name], i) => [name, flows[i]])));
}

/**
 * Scenario 1's call, used by several scenarios: a (impolite) and b (polite) each send fake camera
 * + microphone, a opens `chat`; both connect, both remote videos play, a message round-trips.
 */
async function call(t, pa, pb, { signaling, a = {}, b = {} }) {
  await pa.call('create', { name: 'a', polite: false, signaling: signaling('a'), ...a });
  await pb.call('create', { name: 'b', polite: true, signaling: signaling('b'), ...b });
  const [mediaA, mediaB] = await Promise.all([
    pa.call('addMedia', { name: 'a', audio: true, video: true }),
    pb.call('addMedia', { name: 'b', audio: true, video: true }),
  ]);
  await pa.call('channel', { name: 'a', label: 'chat' });
  await Promise.all([
    wait(pa, 'a', { connection: 'connected' }),
    wait(pb, 'b', { connection: 'connected' }),
  ]);
  await Promise.all([
    wait(pa, 'a', { liveRemoteTracks: 2 }),
    wait(pb, 'b', { liveRemoteTracks: 2 }),
    wait(pa, 'a', { channelOpen: 'chat' }),
    wait(pb, 'b', { channelOpen: 'chat' }),
  ]);
  const [videoA, videoB] = await Promise.all([
    pa.call('playVideo', { name: 'a', timeoutMs: WAIT_MS }),
    pb.call('playVideo', { name: 'b', timeoutMs: WAIT_MS }),
  ]);
  const rttMs = await roundTrip(pa, pb);
  const [sa, sb] = await Promise.all([summary(pa, 'a'), summary(pb, 'b')]);

  for (const [s, video, remoteStream] of [
    [sa, videoA, mediaB.streamId],
    [sb, videoB, mediaA.streamId],
  ]) {
    const live = s.remoteTracks.filter((r) => r.readyState === 'live' && !r.ended);
    assert.deepEqual(
      live.map((r) => r.kind).sort(),
      ['audio', 'video'],
      `${s.name}: live remote track kinds`,
    );
    for (const r of live)
      assert.ok(
        r.streamIds.includes(remoteStream),
        `${s.name}: remote ${r.kind} carries the sender's stream id`,
      );
    assert.ok(
      video.videoWidth > 0,
      `${s.name}: remote <video> videoWidth > 0 (${video.videoWidth})`,
    );
    assert.ok(video.laterTime > video.firstTime, `${s.name}: remote <video> currentTime advances`);
    assert.deepEqual(s.errors, [], `${s.name}: error events`);
  }
  t.figure('connectedMs', { a: sa.connectedMs, b: sb.connectedMs });
  t.figure('video', {
    a: `${videoA.videoWidth}x${videoA.videoHeight}`,
    b: `${videoB.videoWidth}x${videoB.videoHeight}`,
  });
  t.figure('dataRoundTripMs', rttMs);
  return { sa, sb, mediaA, mediaB };
}

/** a → b and b → a on `chat`; returns the round-trip time seen from the runner. */

/** a hangs up; b must reach `closed` through the bye. */
async function hangUp(pa, pb, closer = 'a') {
  const [pc, po, other] = closer === 'a' ? [pa, pb, 'b'] : [pb, pa, 'a'];
  await pc.call('close', { name: closer });
  await wait(po, other, { closed: true });
  const [sc, so] = await Promise.all([summary(pc, closer), summary(po, other)]);
  assert.equal(sc.closeReason, 'local', `${closer}: closeReason`);
  assert.equal(so.closeReason, 'remote', `${other}: closed through the bye (closeReason)`);
}

const memory = (pair) => () => ({ kind: 'memory', pair });
const ws = (relay, room) => () => ({ kind: 'ws', url: relay.url, room });

async function vendorCall(t, prelude, expectedApi) {
  const p = await t.chromium('page', prelude);
  const pre = await p.pre();
  assert.equal(
    pre.RTCPeerConnection,
    'undefined',
    'premise: RTCPeerConnection deleted before the SDK loads',
  );
  assert.equal(
    pre.webkitRTCPeerConnection,
    'function',
    'premise: webkitRTCPeerConnection is there',
  );
  const { sa, sb } = await call(t, p, p, { signaling: memory('vendor') });
  for (const s of [sa, sb]) {
    assert.equal(s.platform?.name, 'webkitRTCPeerConnection', `${s.name}: context.platform.name`);
    assert.equal(s.platform?.api, expectedApi, `${s.name}: context.platform.api`);
  }
  await hangUp(p, p);
  return p;
}

/** Scenario 6 in one pairing: relay-only ICE through coturn, coturn killed and restarted. */
async function iceRestart(t, secondBrowser) {
  const cross = secondBrowser === 'firefox';
  const turnPort = await freeUdpPort();
  let turn = await t.turn(turnPort);
  const relay = await t.relay();
  const configuration = {
    iceServers: [
      { urls: `turn:127.0.0.1:${turnPort}?transport=udp`, username: 'u', credential: 'p' },
    ],
    iceTransportPolicy: 'relay',
  };
  const pa = await t.chromium('a');
  const pb = await t.page(secondBrowser, 'b');
  await call(t, pa, pb, {
    signaling: ws(relay, 'ice'),
    // The default recovery policy, as an app gets it.
    a: { configuration, ...(cross ? { vp8Only: true } : {}) },
    b: { configuration },
  });
  const pages = [
    [pa, 'a'],
    [pb, 'b'],
  ];
  for (const [page, name] of pages) {
    const pair = selectedPair(await page.call('stats', { name }));
    assert.deepEqual(
      { local: pair?.local, remote: pair?.remote },
      { local: 'relay', remote: 'relay' },
      `${name}: the selected candidate pair goes through TURN`,
    );
  }

  // Fault: the only network path dies with its allocations.
  const killedAt = Date.now();
  await turn.kill();
  // Left `connected`: ICE lost, or (Firefox's DTLS dead) already on a rebuilt connection that
  // cannot start while TURN is down, whose polite side then only answers a's restarts in `new`.
  const notConnected = ['disconnected', 'restartingIce', 'transportClosed', 'new', 'connecting'];
  const left = await Promise.all(
    pages.map(([page, name]) => wait(page, name, { connectionIn: notConnected }, 40_000)),
  );
  t.figure('leftConnectedAfterKillMs', { a: left[0] - killedAt, b: left[1] - killedAt });
  // Control: nothing arrives while TURN is down, so "flowing again" below means something.
  const before = inboundBytes(await pb.call('stats', { name: 'b' }), 'video');
  await sleep(1_000);
  const during = inboundBytes(await pb.call('stats', { name: 'b' }), 'video');
  assert.ok(
    during <= before,
    `b: no video bytes arrive while TURN is down (${before} → ${during})`,
  );
  // TURN stays down through a whole failed restart attempt: the impolite peer's second attempt
  // has begun (the polite one leaves restarts to it, so the two never glare).
  await wait(pa, 'a', { iceRestartsAtLeast: 2 }, 30_000);
  for (const [page, name] of pages) {
    assert.notEqual(
      connectionOf(await summary(page, name)),
      'connected',
      `${name}: not connected without TURN`,
    );
  }
  const downFor = Date.now() - killedAt;

  // Repair: TURN comes back on the same port; the machines' own restarts must find it.
  turn = await t.turn(turnPort);
  const upAt = Date.now();
  t.figure('turnDownMs', downFor);
  // a restarts every second, so 20 s is plenty; it also leaves time to look around before the
  // machines give up (60 attempts).
  const back = await Promise.all(
    pages.map(([page, name]) =>
      wait(page, name, { connection: 'connected' }, 20_000).catch((error) => error),
    ),
  );
  const stuck = back.filter((at) => at instanceof Error);
  if (stuck.length) {
    // Evidence for the report: is media flowing although the machine does not see `connected`?
    const evidence = {};
    for (const [page, name] of pages) {
      const s1 = await page.call('stats', { name });
      await sleep(1_000);
      const s2 = await page.call('stats', { name });
      const s = await summary(page, name);
      evidence[name] = {
        machine: connectionOf(s),
        pc: s.pcStates,
        iceRestarts: s.counters.iceRestarts,
        videoBytesPerSecond: inboundBytes(s2, 'video') - inboundBytes(s1, 'video'),
      };
    }
    t.figure('stuckEvidence', evidence);
    throw new Error(
      `${stuck.map((e) => e.message).join('; ')}; evidence ${JSON.stringify(evidence)}`,
    );
  }
  t.figure('recoveryAfterTurnBackMs', { a: back[0] - upAt, b: back[1] - upAt });

  const [videoA, videoB] = await Promise.all([
    pa.call('playVideo', { name: 'a', timeoutMs: WAIT_MS }),
    pb.call('playVideo', { name: 'b', timeoutMs: WAIT_MS }),
  ]);
  assert.ok(
    videoA.laterTime > videoA.firstTime && videoB.laterTime > videoB.firstTime,
    'video plays again',
  );
  await assertMediaFlows(t, pages, 'the outage');
  await roundTrip(pa, pb);
  const summaries = await Promise.all(pages.map(([page, name]) => summary(page, name)));
  // Only one side initiates restarts: the polite peer answered the impolite one's.
  assert.equal(summaries[1].counters.iceRestarts, 0, 'b (polite): no ICE restart of its own');
  // A rebuild (a new peer connection on both sides) is how Firefox's dead DTLS transport heals.
  t.figure('rebuilds', {
    a: { epoch: summaries[0].epoch, lastRebuildMs: summaries[0].lastRebuildMs },
    b: { epoch: summaries[1].epoch, lastRebuildMs: summaries[1].lastRebuildMs },
  });
  assert.equal(summaries[0].epoch, summaries[1].epoch, 'both peers on the same connection epoch');
  for (const s of summaries) {
    const path = connectionPath(s, killedAt);
    assert.ok(
      path.some((state) => notConnected.includes(state)),
      `${s.name}: left connected in the outage (${path})`,
    );
    assert.equal(connectionOf(s), 'connected', `${s.name}: connected at the end`);
    // Across browsers Chromium may refuse Firefox's restart answer (a DTLS role change: "Failed
    // to set SSL role for the transport") and then its own rollback: reported as typed errors,
    // and healed by a rebuild. Any other error fails the scenario.
    const sslRole = (e) =>
      cross && e.code === 'NEGOTIATION_FAILED' && String(e.cause).includes('SSL role');
    assert.deepEqual(
      s.errors.filter((e) => !sslRole(e)),
      [],
      `${s.name}: error events`,
    );
    t.figure(`sslRoleErrors.${s.name}`, s.errors.filter(sslRole).length);
  }
  t.figure(
    'machineRecoveryMs',
    Object.fromEntries(summaries.map((s) => [s.name, s.lastIceRecoveryMs])),
  );
  t.figure(
    'iceRestarts',
    Object.fromEntries(summaries.map((s) => [s.name, s.counters.iceRestarts])),
  );
  t.figure(
    'connectionPath',
    Object.fromEntries(summaries.map((s) => [s.name, connectionPath(s, killedAt).join('→')])),
  );
  if (cross) {
    const codecs = inboundVideoCodecs(await pa.call('stats', { name: 'a' }));
    assert.deepEqual(codecs, ['video/VP8'], 'a (Chromium) receives VP8 from Firefox');
  }
  await hangUp(pa, pb);
}

export const SCENARIOS = [
  {
    name: '1-call-chromium',
    // Seen to hang (one remote video never unmuting) about once in five runs: fail fast, retry.
    timeoutMs: 30_000,
    async run(t) {
      const p = await t.chromium('page');
      await call(t, p, p, { signaling: memory('call') });
      await hangUp(p, p);
    },
  },
  {
    name: '1-call-chromium-firefox',
    async run(t) {
      const relay = await t.relay();
      const pa = await t.chromium('a');
      const pb = await t.firefox('b');
      // VP8 only, set on the Chromium side: H264/AV1 crash this pairing (see the README).
      const { sa, sb } = await call(t, pa, pb, { signaling: ws(relay, 'x'), a: { vp8Only: true } });
      const [statsA, statsB] = await Promise.all([
        pa.call('stats', { name: 'a' }),
        pb.call('stats', { name: 'b' }),
      ]);
      assert.deepEqual(inboundVideoCodecs(statsA), ['video/VP8'], 'Chromium receives VP8');
      assert.deepEqual(inboundVideoCodecs(statsB), ['video/VP8'], 'Firefox receives VP8');
      t.figure('browsers', { a: sa.platform?.name, b: sb.platform?.name });
      await hangUp(pa, pb, 'b');
    },
  },
  {
    name: '2-two-contexts-websocket',
    async run(t) {
      const relay = await t.relay();
      const pa = await t.chromium('a');
      const pb = await t.chromium('b');
      await call(t, pa, pb, { signaling: ws(relay, 'two') });
      assert.ok(
        (relay.counts.byType['description:offer'] ?? 0) >= 1,
        'the offer went through the relay',
      );
      assert.ok(
        (relay.counts.byType['description:answer'] ?? 0) >= 1,
        'the answer went through the relay',
      );
      await hangUp(pa, pb);
      t.figure('relayed', relay.counts.byType);
    },
  },
  {
    name: '3-glare-50x',
    timeoutMs: 150_000,
    async run(t) {
      const p = await t.chromium('page');
      const reps = await p.call('glare', { reps: 50, latency: 5, timeoutMs: WAIT_MS });
      assert.equal(reps.length, 50, 'repetitions');
      for (const r of reps) {
        assert.equal(r.failure, undefined, `rep ${r.rep}: ${r.failure}`);
        assert.deepEqual(r.connected, [true, true], `rep ${r.rep}: both connected`);
        assert.deepEqual(
          r.liveRemoteKinds,
          [
            ['audio', 'video'],
            ['audio', 'video'],
          ],
          `rep ${r.rep}: every track on both sides`,
        );
        assert.deepEqual(
          r.remoteStreamIds,
          r.expectedStreamIds.map((id) => [id]),
          `rep ${r.rep}: remote stream ids`,
        );
        assert.deepEqual(
          r.errors,
          [],
          `rep ${r.rep}: error events (an escaped InvalidStateError would be here)`,
        );
      }
      const collided = reps.filter((r) => r.offersIgnored > 0 || r.rollbacks > 0).length;
      // Without a single collision this would test nothing.
      assert.ok(collided > 0, 'at least one repetition had an offer collision');
      t.figure('connected', `${reps.length}/50`);
      t.figure('repsWithCollision', collided);
      t.figure(
        'offersIgnored',
        reps.reduce((n, r) => n + r.offersIgnored, 0),
      );
      t.figure(
        'rollbacks',
        reps.reduce((n, r) => n + r.rollbacks, 0),
      );
    },
  },
  {
    name: '4-replace-remove-add-track',
    async run(t) {
      const p = await t.chromium('page');
      await p.call('create', {
        name: 'a',
        polite: false,
        signaling: { kind: 'memory', pair: 'tracks' },
      });
      await p.call('create', {
        name: 'b',
        polite: true,
        signaling: { kind: 'memory', pair: 'tracks' },
      });
      await p.call('addMedia', { name: 'a', audio: true, video: true });
      await Promise.all([
        wait(p, 'a', { connection: 'connected' }),
        wait(p, 'b', { liveRemoteTracks: 2 }),
      ]);
      const camera = await p.call('playVideo', { name: 'b', timeoutMs: WAIT_MS });
      const width = camera.videoWidth === 320 ? 256 : 320;
      const before = await Promise.all([summary(p, 'a'), summary(p, 'b')]);

      // replaceTrack: the remote picture changes size on the same remote track, no description.
      const swap = await p.call('replaceVideo', { name: 'a', width, height: 180 });
      const replaced = await p.call('playVideo', { name: 'b', timeoutMs: WAIT_MS, width });
      await sleep(1_000); // a late negotiation, if any, would have sent its offer by now
      const after = await Promise.all([summary(p, 'a'), summary(p, 'b')]);
      for (const i of [0, 1]) {
        assert.deepEqual(
          after[i].sent['description:offer'] ?? 0,
          before[i].sent['description:offer'] ?? 0,
          `${after[i].name}: offers sent during replaceTrack`,
        );
        assert.deepEqual(
          after[i].sent['description:answer'] ?? 0,
          before[i].sent['description:answer'] ?? 0,
          `${after[i].name}: answers sent during replaceTrack`,
        );
      }
      assert.equal(
        replaced.trackId,
        camera.trackId,
        'b: the same remote track carries the new picture',
      );
      assert.deepEqual(
        after[0].localTracks.find((l) => l.kind === 'video')?.sending,
        true,
        'a: video sender sending the new track',
      );
      t.figure('replace', {
        from: `${camera.videoWidth}x${camera.videoHeight}`,
        to: `${replaced.videoWidth}x${replaced.videoHeight}`,
        track: swap.to.slice(0, 8),
      });

      // removeTrack: the remote audio ends or mutes (a renegotiation).
      const offersBefore = after[0].sent['description:offer'] ?? 0;
      const removed = await p.call('removeTrack', { name: 'a', kind: 'audio' });
      const audioTrackId = after[1].remoteTracks.find((r) => r.kind === 'audio')?.id;
      const gone = await pollSummary(
        p,
        'b',
        (s) => {
          const r = s.remoteTracks.find((x) => x.id === audioTrackId);
          return r && (r.muted || r.ended || r.trackMuted || r.readyState === 'ended');
        },
        'remote audio muted or ended',
      );
      const goneEntry = gone.remoteTracks.find((x) => x.id === audioTrackId);
      const afterRemove = await summary(p, 'a');
      assert.ok(
        (afterRemove.sent['description:offer'] ?? 0) > offersBefore,
        'a: removing a track renegotiated',
      );
      t.figure('removed', {
        track: removed.removed.slice(0, 8),
        remote: {
          muted: goneEntry.muted,
          ended: goneEntry.ended,
          readyState: goneEntry.readyState,
        },
      });

      // addTrack later: a new offer, and live remote audio again. The SDK puts the new track on
      // the transceiver the removal left idle (no m-line per toggle), so b's receiver, and its
      // remote track, are the ones it had.
      const offersBeforeAdd = afterRemove.sent['description:offer'] ?? 0;
      await p.call('addTrack', { name: 'a', kind: 'audio' });
      const added = await pollSummary(
        p,
        'b',
        (s) =>
          s.remoteTracks.some(
            (r) => r.kind === 'audio' && r.readyState === 'live' && !r.trackMuted && !r.muted,
          ),
        'an unmuted remote audio track',
      );
      assert.deepEqual(
        added.remoteTracks.filter((r) => r.kind === 'audio').map((r) => r.id),
        [audioTrackId],
        'b: the audio came back on the same receiver (the transceiver was reused)',
      );
      const final = await summary(p, 'a');
      assert.ok(
        (final.sent['description:offer'] ?? 0) > offersBeforeAdd,
        'a: adding a track renegotiated',
      );
      for (const s of [final, added]) {
        assert.equal(connectionOf(s), 'connected', `${s.name}: still connected`);
        assert.deepEqual(s.errors, [], `${s.name}: error events`);
      }
      t.figure('offersSentByA', final.sent['description:offer']);
      await hangUp(p, p);
    },
  },
  {
    name: '5-10000-ordered-messages',
    async run(t) {
      const p = await t.chromium('page');
      const r = await p.call('flood', { count: 10_000, timeoutMs: 30_000 });
      assert.equal(r.received, r.sent, 'messages received');
      assert.equal(
        r.firstMismatch,
        null,
        `first message out of order or altered: #${r.firstMismatch} = ${r.mismatchValue}`,
      );
      assert.deepEqual(r.errors, [], 'error events');
      t.figure('messages', `${r.received}/${r.sent}`);
      t.figure('ms', r.completeMs);
    },
  },
  {
    name: '6-ice-restart-turn-chromium',
    timeoutMs: 120_000,
    run: (t) => iceRestart(t, 'chromium'),
  },
  {
    name: '6-ice-restart-turn-chromium-firefox',
    timeoutMs: 120_000,
    run: (t) => iceRestart(t, 'firefox'),
  },
  {
    name: '7a-webkit-prefixed',
    run: (t) => vendorCall(t, 'webkit', 'promise'),
  },
  {
    name: '7b-legacy-callback-wrapper',
    async run(t) {
      const p = await t.chromium('page', 'legacy');
      const pre = await p.pre();
      assert.equal(pre.RTCPeerConnection, 'undefined', 'premise: RTCPeerConnection deleted');
      const { sa, sb } = await call(t, p, p, {
        signaling: memory('legacy'),
        a: { legacy: true },
        b: { legacy: true },
      });
      // The factory of @peerstatejs/core/legacy is a `peerConnection`, hence `custom`.
      for (const s of [sa, sb]) assert.equal(s.platform?.name, 'custom', `${s.name}: platform`);
      await hangUp(p, p);
      const calls = await p.evaluate(() => window.__legacyCalls);
      // The wrapper's methods return nothing: had the SDK used the promise API, nothing would work.
      assert.ok(
        calls.createOffer > 0 && calls.setRemoteDescription > 0 && calls.addIceCandidate > 0,
        `callbacks used: ${JSON.stringify(calls)}`,
      );
      t.figure('legacyCalls', calls);
    },
  },
  {
    name: '7b-legacy-callback-without-the-legacy-entry',
    async run(t) {
      const p = await t.chromium('page', 'legacy');
      await p.call('create', { name: 'a', polite: false, signaling: memory('legacy')('a') });
      await pollSummary(p, 'a', (x) => x.errors.length > 0, 'an error event');
      await sleep(200);
      const final = await summary(p, 'a');
      assert.equal(final.errors.length, 1, `one error event: ${JSON.stringify(final.errors)}`);
      assert.equal(final.errors[0].code, 'UNSUPPORTED', 'error.code');
      assert.match(final.errors[0].message, /@peerstatejs\/core\/legacy/, 'names the entry');
      assert.equal(final.value, 'failed', 'machine state');
      const calls = await p.evaluate(() => window.__legacyCalls);
      assert.equal(calls.createOffer, 0, 'nothing was attempted on the callback engine');
      t.figure('error', `${final.errors[0].name} ${final.errors[0].code}`);
    },
  },
  {
    name: '7c-unsupported',
    async run(t) {
      const p = await t.chromium('page', 'unsupported');
      const pre = await p.pre();
      assert.deepEqual(
        [pre.RTCPeerConnection, pre.webkitRTCPeerConnection, pre.mozRTCPeerConnection],
        ['undefined', 'undefined', 'undefined'],
        'premise: no constructor at all',
      );
      await p.call('create', {
        name: 'a',
        polite: false,
        signaling: { kind: 'memory', pair: 'none' },
      });
      const s = await pollSummary(p, 'a', (x) => x.errors.length > 0, 'an error event');
      await sleep(200);
      const final = await summary(p, 'a');
      assert.equal(final.errors.length, 1, `one error event: ${JSON.stringify(final.errors)}`);
      assert.equal(final.errors[0].code, 'UNSUPPORTED', 'error.code');
      assert.equal(final.errors[0].name, 'UnsupportedError', 'error class');
      assert.equal(final.value, 'failed', 'machine state');
      t.figure('error', `${s.errors[0].name} ${s.errors[0].code}`);
    },
  },
  {
    name: '8-close-and-500-cycles',
    timeoutMs: 180_000,
    async run(t) {
      const p = await t.chromium('page', 'counted');
      const cdp = await p.cdp();
      const heapAfterGc = async () => {
        await sleep(200);
        for (let i = 0; i < 3; i += 1) await cdp.send('HeapProfiler.collectGarbage');
        return (await cdp.send('Runtime.getHeapUsage')).usedSize;
      };
      // Chromium refuses a 501st RTCPeerConnection until closed ones are garbage-collected
      // ("Cannot create so many PeerConnections"), and V8 does not count their native memory:
      // the runner collects garbage after every batch of 50, which only helps if the SDK
      // dropped every reference to the closed connections.
      const batches = [];
      const heaps = [];
      for (let from = 0; from < 500; from += 50) {
        batches.push(await p.call('cycles', { from, count: 50, timeoutMs: WAIT_MS }));
        heaps.push(await heapAfterGc());
      }
      const pc = await p.call('pcCount');
      const failures = batches.flatMap((b) => b.failures);
      assert.deepEqual(failures, [], 'cycle failures');
      assert.equal(
        batches.reduce((n, b) => n + b.byeClosures, 0),
        500,
        'cycles where the other side closed through the bye',
      );
      for (const [i, b] of batches.entries())
        assert.equal(
          b.pc.open,
          0,
          `live peer connections after ${(i + 1) * 50} cycles (${JSON.stringify(b.pc)})`,
        );
      assert.equal(pc.constructed, 1_000, 'peer connections constructed');
      assert.equal(
        pc.closeCalls >= 1_000,
        true,
        `close() called on every connection (${pc.closeCalls})`,
      );
      const heap50 = heaps[0];
      const heap500 = heaps[heaps.length - 1];
      const growth = (heap500 - heap50) / heap50;
      t.figure('cycles', 500);
      t.figure(
        'cyclesMs',
        batches.reduce((n, b) => n + b.ms, 0),
      );
      t.figure('pc', pc);
      t.figure(
        'heapAfterGcMB',
        heaps.map((h) => Math.round(h / 1e4) / 100),
      );
      t.figure('heapGrowthPercent', Math.round(growth * 1000) / 10);
      assert.ok(
        Math.abs(growth) <= 0.1,
        `heap after GC within 10 % of its value after 50 cycles (${heap50} → ${heap500})`,
      );
      // Every closed connection could be collected: nothing in the SDK or the app kept one.
      assert.ok(
        pc.collected >= 990,
        `closed peer connections garbage-collected (${pc.collected} of 1000)`,
      );
    },
  },
  {
    name: '9-signaling-server-restart',
    timeoutMs: 120_000,
    async run(t) {
      let relay = await t.relay();
      const pa = await t.chromium('a');
      const pb = await t.chromium('b');
      await call(t, pa, pb, { signaling: ws(relay, 'restart') });
      const connectedAt = Date.now();
      const port = relay.port;

      await relay.stop();
      const downAt = Date.now();
      await pollSummary(pa, 'a', (s) => s.ws && !s.ws.open, 'relay socket down');
      await pollSummary(pb, 'b', (s) => s.ws && !s.ws.open, 'relay socket down');
      // The call does not need the signaling server: data and media keep flowing without it.
      await roundTrip(pa, pb);
      await pb.call('playVideo', { name: 'b', timeoutMs: WAIT_MS });
      await assertMediaFlows(
        t,
        [
          [pa, 'a'],
          [pb, 'b'],
        ],
        'the relay went down',
      );
      await sleep(1_000);
      relay = await t.relay(port);
      t.figure('relayDownMs', Date.now() - downAt);
      const [sa, sb] = await Promise.all([
        pollSummary(pa, 'a', (s) => s.ws.open && s.ws.opens >= 2, 'relay socket back'),
        pollSummary(pb, 'b', (s) => s.ws.open && s.ws.opens >= 2, 'relay socket back'),
      ]);
      for (const s of [sa, sb]) {
        assert.equal(connectionOf(s), 'connected', `${s.name}: still connected`);
        assert.deepEqual(
          connectionPath(s, connectedAt),
          [],
          `${s.name}: the connection never left connected`,
        );
      }

      // A renegotiation through the restarted server: b adds a second camera track.
      const offersBefore = sb.counters.offersSent;
      await pb.call('addTrack', { name: 'b', kind: 'video' });
      await wait(pa, 'a', { liveRemoteTracks: 3 });
      const video = await pa.call('playVideo', { name: 'a', timeoutMs: WAIT_MS });
      const [fa, fb] = await Promise.all([summary(pa, 'a'), summary(pb, 'b')]);
      assert.ok(fb.counters.offersSent > offersBefore, 'b sent a new offer');
      assert.ok(
        (relay.counts.byType['description:offer'] ?? 0) >= 1,
        'the new offer went through the restarted relay',
      );
      assert.ok(
        (relay.counts.byType['description:answer'] ?? 0) >= 1,
        'the answer went through the restarted relay',
      );
      assert.ok(video.videoWidth > 0, 'a: the new remote video plays');
      for (const s of [fa, fb]) {
        assert.equal(connectionOf(s), 'connected', `${s.name}: connected after the renegotiation`);
        assert.deepEqual(s.errors, [], `${s.name}: error events`);
      }
      await assertMediaFlows(
        t,
        [
          [pa, 'a'],
          [pb, 'b'],
        ],
        'the relay restart',
      );
      t.figure('afterRestart', relay.counts.byType);
      await hangUp(pa, pb);
    },
  },
];
