// Issue #12: Chromium ↔ Firefox in each role order, 10 plain renegotiation rounds and 5 glare
// rounds, all clean. A plain round: one side (alternately) adds a camera, both sides present
// frames of every video they receive, the camera is removed. A glare round: both add a camera in
// the same instant. Before the polite addTransceiver rule was confined, Chromium polite failed
// 8 of 10 plain rounds ("A BUNDLE group contains a codec collision for header extension id=6").

import assert from 'node:assert/strict';
import { roundTrip, sleep, WAIT_MS, wait } from './lib/steps.mjs';
import { assertRemoteVideo } from './startup.mjs';

async function receivingVideoBecomes(page, name, count, what) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const n = await page.call('receivingVideo', { name });
    if (n === count) return;
    if (Date.now() > deadline)
      throw new Error(`${name}: ${what}: receiving ${n} videos, not ${count}, after ${WAIT_MS} ms`);
    await sleep(50);
  }
}

/**
 * The `chat` channel is created while Firefox applies a description (the answer to its offer):
 * Firefox 153 loses a channel created then for the whole connection (apps/e2e
 * `12-engine-firefox-channel-created-during-offer`); before the machine kept it until the
 * operation was over, `chat` never opened. (At `makingOffer`'s entry the parameterless call has
 * not made its offer yet, so the channel is in it: no check there without timing luck.)
 */
async function channelDuringFirefoxDescription(t, state) {
  const relay = await t.relay();
  const pa = await t.page('firefox', 'a');
  const pb = await t.page('chromium', 'b');
  const signaling = { kind: 'ws', url: relay.url, room: 'channel' };
  await pa.call('create', { name: 'a', polite: false, signaling });
  await pb.call('create', { name: 'b', polite: true, signaling, vp8Only: true });
  const sent = pa.call('channelWhenSignaling', { name: 'a', label: 'chat', state });
  await pa.call('addMedia', { name: 'a', audio: true, video: true });
  await sent;
  await Promise.all([
    wait(pa, 'a', { channelOpen: 'chat' }),
    wait(pb, 'b', { channelOpen: 'chat' }),
    wait(pb, 'b', { liveRemoteTracks: 2 }),
  ]);
  t.figure('roundTripMs', await roundTrip(pa, pb));
  const [sa, sb] = await Promise.all([
    pa.call('summary', { name: 'a' }),
    pb.call('summary', { name: 'b' }),
  ]);
  for (const s of [sa, sb]) assert.deepEqual(s.errors, [], `${s.name}: error events`);
  // The media offer and the channel's: no re-offer loop.
  t.figure('offersSent', { a: sa.counters.offersSent, b: sb.counters.offersSent });
  assert.ok(sa.counters.offersSent + sb.counters.offersSent <= 3, 'offers: no loop');
}

async function rounds(t, impolite, polite) {
  const relay = await t.relay();
  const pa = await t.page(impolite, 'a');
  const pb = await t.page(polite, 'b');
  const signaling = { kind: 'ws', url: relay.url, room: 'rounds' };
  await pa.call('create', {
    name: 'a',
    polite: false,
    signaling,
    ...(impolite === 'chromium' ? { vp8Only: true } : {}),
  });
  await pb.call('create', {
    name: 'b',
    polite: true,
    signaling,
    ...(polite === 'chromium' ? { vp8Only: true } : {}),
  });
  await Promise.all([
    pa.call('addMedia', { name: 'a', audio: true, video: true }),
    pb.call('addMedia', { name: 'b', audio: true, video: true }),
  ]);
  await pa.call('channel', { name: 'a', label: 'chat' });
  await Promise.all([
    wait(pa, 'a', { channelOpen: 'chat' }),
    wait(pb, 'b', { channelOpen: 'chat' }),
    wait(pa, 'a', { liveRemoteTracks: 2 }),
    wait(pb, 'b', { liveRemoteTracks: 2 }),
  ]);
  const sides = { a: pa, b: pb };
  const pages = [
    [pa, 'a'],
    [pb, 'b'],
  ];
  await receivingVideoBecomes(pa, 'a', 1, 'the call');
  await receivingVideoBecomes(pb, 'b', 1, 'the call');
  await assertRemoteVideo(pages, 'call');
  const plan = [
    ...Array.from({ length: 10 }, (_, i) => ({ kind: 'plain', adders: [i % 2 ? 'b' : 'a'] })),
    ...Array.from({ length: 5 }, () => ({ kind: 'glare', adders: ['a', 'b'] })),
  ];
  for (const [i, round] of plan.entries()) {
    const label = `${round.kind} round ${i + 1}`;
    // The same instant for a glare: both commands are on their way before either is awaited.
    const added = await Promise.all(
      round.adders.map((name) => sides[name].call('addCamera', { name })),
    );
    await Promise.all(
      [pa, pb].map((page, j) => {
        const name = j === 0 ? 'a' : 'b';
        const other = name === 'a' ? 'b' : 'a';
        return receivingVideoBecomes(page, name, round.adders.includes(other) ? 2 : 1, label);
      }),
    );
    await assertRemoteVideo(pages, label);
    await Promise.all(
      round.adders.map((name, j) => sides[name].call('removeCamera', { name, trackId: added[j] })),
    );
    await receivingVideoBecomes(pa, 'a', 1, `${label} removed`);
    await receivingVideoBecomes(pb, 'b', 1, `${label} removed`);
  }
  await roundTrip(pa, pb);
  const [sa, sb] = await Promise.all([
    pa.call('summary', { name: 'a' }),
    pb.call('summary', { name: 'b' }),
  ]);
  for (const s of [sa, sb]) {
    assert.deepEqual(s.errors, [], `${s.name}: error events`);
    assert.equal(s.counters.rebuilds, 0, `${s.name}: no rebuild`);
  }
  t.figure('rounds', plan.length);
  t.figure('offersSent', { a: sa.counters.offersSent, b: sb.counters.offersSent });
  t.figure('collisions', { ignored: sa.counters.offersIgnored, rolledBack: sb.counters.rollbacks });
}

export const CROSS_BROWSER_SCENARIOS = [
  {
    name: '12-cross-browser-channel-during-firefox-answer-applied',
    run: (t) => channelDuringFirefoxDescription(t, 'settingRemoteDescription'),
  },
  {
    name: '12-cross-browser-rounds-chromium-firefox',
    timeoutMs: 180_000,
    run: (t) => rounds(t, 'chromium', 'firefox'),
  },
  {
    name: '12-cross-browser-rounds-firefox-chromium',
    timeoutMs: 180_000,
    run: (t) => rounds(t, 'firefox', 'chromium'),
  },
];
