// Issue #17: typed channels of @peerstatejs/core/channel in real browsers, Chromium ↔ Chromium
// and Chromium ↔ Firefox: 10,000 typed messages in order, a 64 MiB transfer with progress on
// both ends and a SHA-256 match (each end hashes what it sent or got itself), and an abort
// mid-transfer from either end. With E2E_LONG=1 also the long one: 256 MiB streamed to a
// receiver whose main thread is slow, the sender's memory sampled.

import assert from 'node:assert/strict';
import { WAIT_MS, wait } from './lib/steps.mjs';

const MiB = 1 << 20;
const LABEL = 'typed';

async function connect(t, first, second) {
  const relay = await t.relay();
  const pa = await t.page(first, 'a');
  const pb = await t.page(second, 'b');
  const signaling = { kind: 'ws', url: relay.url, room: 'typed' };
  await pa.call('create', { name: 'a', polite: false, signaling });
  await pb.call('create', { name: 'b', polite: true, signaling });
  await pa.call('typedOpen', { name: 'a', label: LABEL });
  await pb.call('typedOpen', { name: 'b', label: LABEL });
  await Promise.all([wait(pa, 'a', { channelOpen: LABEL }), wait(pb, 'b', { channelOpen: LABEL })]);
  return { pa, pb };
}

async function messages(t, pa, pb) {
  const count = 10_000;
  const sent = await pa.call('typedSendMany', { name: 'a', label: LABEL, count });
  const got = await pb.call('typedReceived', {
    name: 'b',
    label: LABEL,
    count,
    timeoutMs: WAIT_MS,
  });
  assert.deepEqual(got, { count, inOrder: true, errors: [] }, 'b: 10,000 typed messages in order');
  t.figure('messages', { count, sendMs: Math.round(sent.ms) });
}

async function bigTransfer(t, pa, pb, index) {
  const size = 64 * MiB;
  const sent = await pa.call('typedTransfer', { name: 'a', label: LABEL, size, seed: 17 });
  const got = await pb.call('typedIncoming', { name: 'b', label: LABEL, index, timeoutMs: 60_000 });
  assert.equal(sent.ok, true, `a: the transfer failed: ${sent.reason}`);
  assert.equal(got.ok, true, `b: the transfer failed: ${got.reason}`);
  assert.equal(got.bytes, size, 'b: every byte');
  assert.equal(
    got.sha256,
    sent.sha256,
    'b: the SHA-256 of what arrived is the one of what was sent',
  );
  assert.equal(got.sdkSha256, sent.sha256, "b: the SDK carried the sender's SHA-256");
  assert.equal(got.header.size, size);
  // Progress on both ends: one event per chunk (64 KiB chunks: about 1,025 of them).
  assert.ok(sent.progressEvents >= 1000, `a: ${sent.progressEvents} progress events`);
  assert.equal(got.progressEvents, sent.progressEvents, 'b: a progress event per chunk');
  t.figure('transfer64MiB', {
    ms: Math.round(sent.ms),
    MiBps: Math.round(((size / MiB) * 1000) / sent.ms),
    progressEvents: sent.progressEvents,
  });
}

async function aborts(t, pa, pb, firstIndex) {
  const size = 16 * MiB;
  // The sender aborts at 4 MiB.
  const bySender = await pa.call('typedTransfer', {
    name: 'a',
    label: LABEL,
    size,
    seed: 1,
    abortAtBytes: 4 * MiB,
  });
  const senderSide = await pb.call('typedIncoming', {
    name: 'b',
    label: LABEL,
    index: firstIndex,
    timeoutMs: WAIT_MS,
  });
  assert.deepEqual([bySender.ok, bySender.reason, bySender.remote], [false, 'aborted', false]);
  assert.deepEqual([senderSide.ok, senderSide.reason, senderSide.remote], [false, 'aborted', true]);
  assert.ok(senderSide.received < size, 'b: not every byte arrived');

  // The receiver aborts at 4 MiB.
  await pb.call('typedReceiveMode', {
    name: 'b',
    label: LABEL,
    mode: 'blob',
    abortAtBytes: 4 * MiB,
  });
  const byReceiver = await pa.call('typedTransfer', { name: 'a', label: LABEL, size, seed: 2 });
  const receiverSide = await pb.call('typedIncoming', {
    name: 'b',
    label: LABEL,
    index: firstIndex + 1,
    timeoutMs: WAIT_MS,
  });
  await pb.call('typedReceiveMode', { name: 'b', label: LABEL, mode: 'blob' });
  assert.deepEqual(
    [receiverSide.ok, receiverSide.reason, receiverSide.remote],
    [false, 'aborted', false],
  );
  assert.deepEqual([byReceiver.ok, byReceiver.reason, byReceiver.remote], [false, 'aborted', true]);
  assert.ok(byReceiver.bytes < size, 'a: it stopped sending');
  t.figure('aborts', { senderAbortedAt: senderSide.received, receiverAbortedAt: byReceiver.bytes });

  // The channel goes on carrying messages.
  const after = await pa.call('typedSendMany', { name: 'a', label: LABEL, count: 1 });
  assert.ok(after.ms >= 0);
}

async function noErrors(pa, pb) {
  const [sa, sb] = await Promise.all([
    pa.call('summary', { name: 'a' }),
    pb.call('summary', { name: 'b' }),
  ]);
  for (const s of [sa, sb]) assert.deepEqual(s.errors, [], `${s.name}: error events`);
}

async function everything(t, first, second) {
  const { pa, pb } = await connect(t, first, second);
  await messages(t, pa, pb);
  await bigTransfer(t, pa, pb, 0);
  await aborts(t, pa, pb, 1);
  await noErrors(pa, pb);
}

/** 256 MiB streamed from a ReadableStream to a receiver that blocks 8 ms per 64 KiB chunk. */
async function slowReceiver(t) {
  const { pa, pb } = await connect(t, 'chromium', 'chromium');
  await pb.call('typedReceiveMode', { name: 'b', label: LABEL, mode: 'slow', busyMsPerChunk: 8 });
  const size = 256 * MiB;
  const cdp = await pa.cdp();
  // Retained memory: the heap (ArrayBuffer backing stores included) after a forced GC, each
  // second. Without the GC the figure is mostly chunks already sent and not yet collected.
  const retained = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    return usage.usedSize + (usage.backingStorageSize ?? 0);
  };
  const heap = [];
  let sampling = true;
  const before = await retained();
  const sampler = (async () => {
    while (sampling) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const size = await retained().catch(() => undefined);
      if (size !== undefined) heap.push(size);
    }
  })();
  const sent = await pa.call('typedTransfer', {
    name: 'a',
    label: LABEL,
    size,
    seed: 3,
    stream: { piece: 256 * 1024 },
  });
  const got = await pb.call('typedIncoming', {
    name: 'b',
    label: LABEL,
    index: 0,
    timeoutMs: 300_000,
  });
  sampling = false;
  await sampler;
  assert.equal(sent.ok, true, `a: ${sent.reason}`);
  assert.equal(got.ok, true, `b: ${got.reason}`);
  assert.equal(got.bytes, size);
  assert.ok(heap.length >= 3, `a: ${heap.length} heap samples`);
  const peak = Math.max(...heap);
  // What is held: the piece being sent and the one the ReadableStream's own queue pulled ahead
  // (its default highWaterMark is one chunk), and the SCTP buffer under the high-water mark
  // (4 MiB) plus a chunk.
  assert.ok(sent.maxAhead <= 2 * 256 * 1024, `a: read ${sent.maxAhead} bytes ahead`);
  assert.ok(sent.maxBuffered <= 4 * MiB + 64 * 1024, `a: bufferedAmount ${sent.maxBuffered}`);
  // What the sender's page retains stays far under the 256 MiB sent.
  assert.ok(peak - before < 32 * MiB, `a: the retained heap grew by ${peak - before} bytes`);
  t.figure('slowReceiver256MiB', {
    senderMs: Math.round(sent.ms),
    receiverMs: Math.round(got.ms),
    retainedGrowthMiB: +((peak - before) / MiB).toFixed(1),
    samples: heap.length,
    maxAheadKiB: Math.round(sent.maxAhead / 1024),
    maxBufferedKiB: Math.round(sent.maxBuffered / 1024),
  });
}

export const DATA_CHANNEL_SCENARIOS = [
  {
    name: '17-typed-channels-chromium',
    timeoutMs: 120_000,
    run: (t) => everything(t, 'chromium', 'chromium'),
  },
  {
    name: '17-typed-channels-chromium-firefox',
    timeoutMs: 150_000,
    run: (t) => everything(t, 'chromium', 'firefox'),
  },
  ...(process.env.E2E_LONG === '1'
    ? [{ name: '17-typed-channels-slow-receiver-256MiB', timeoutMs: 400_000, run: slowReceiver }]
    : []),
];
