/**
 * Machine overhead in Node, over the fake peer connection: events per second through a connected
 * actor, and the heap of one idle actor. Bundled by `run.mjs` and run with `--expose-gc`; prints
 * one JSON line.
 */
import { createInMemorySignalingPair, createPeer, type PeerActor } from '@peerstatejs/core';
import { createFakeNetwork, resetFakeRegistry } from '@peerstatejs/core/testing';
import { waitFor } from 'xstate';

const quick = process.argv.includes('--quick');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

async function settle() {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 10));
    gc!();
  }
}

async function eventsPerSecond() {
  resetFakeRegistry();
  const network = createFakeNetwork();
  const [left, right] = createInMemorySignalingPair();
  const a = createPeer({
    signaling: left,
    polite: false,
    peerConnection: network.factory('a'),
    dev: false,
  });
  const b = createPeer({
    signaling: right,
    polite: true,
    peerConnection: network.factory('b'),
    dev: false,
  });
  let received = 0;
  b.on('data', () => {
    received++;
  });
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  await waitFor(a, (s) => s.context.dataChannels.some((c) => c.readyState === 'open'));
  const n = quick ? 2_000 : 20_000;
  const results: Record<string, number> = {};
  // SEND_DATA: a real command (guard, lookup of the channel, channel.send).
  for (const round of [0, 1]) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) a.send({ type: 'SEND_DATA', label: 'chat', data: 'x' });
    const ms = performance.now() - t0;
    if (round === 1) results.sendDataPerSecond = Math.round((n / ms) * 1000);
  }
  // An event the machine ignores once active (START): the bare cost of the actor and its lookup.
  const ignored = { type: 'START' } as const;
  for (const round of [0, 1]) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) a.send(ignored);
    const ms = performance.now() - t0;
    if (round === 1) results.ignoredEventPerSecond = Math.round((n / ms) * 1000);
  }
  // For scale: the fake channel's own send, no machine.
  const channel = a.getSnapshot().context.dataChannels[0]!.channel;
  for (const round of [0, 1]) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) channel.send('x');
    const ms = performance.now() - t0;
    if (round === 1) results.rawChannelSendPerSecond = Math.round((n / ms) * 1000);
  }
  await new Promise((r) => setTimeout(r, 50));
  a.send({ type: 'CLOSE' });
  await waitFor(b, (s) => s.matches('closed'));
  return { events: n, ...results, delivered: received };
}

async function idleActorBytes() {
  const n = quick ? 200 : 2_000;
  const keep: PeerActor[] = [];
  const network = createFakeNetwork();
  await settle();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) {
    const [signaling] = createInMemorySignalingPair();
    keep.push(
      createPeer({
        signaling,
        polite: false,
        peerConnection: network.factory('a'),
        autoStart: false,
        dev: false,
      }).start(),
    );
  }
  await settle();
  const after = process.memoryUsage().heapUsed;
  const perActor = Math.round((after - before) / n);
  for (const actor of keep) actor.stop();
  return { actors: n, bytesPerIdleActor: perActor };
}

const result = { ...(await eventsPerSecond()), ...(await idleActorBytes()) };
console.log(JSON.stringify(result));
