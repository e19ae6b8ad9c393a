/**
 * Issue 17's data arms, bundled by `data.mjs`: a 64 MiB transfer and message round trips through
 * a typed channel (`@peerstatejs/core/channel`) and through a raw `RTCDataChannel` loop, in the
 * same page. The raw loop is the usual one: 64 KiB messages, sending while `bufferedAmount` is
 * under 4 MiB, waiting for `bufferedamountlow` (1 MiB) otherwise; the receiver counts bytes.
 */

import { createInMemorySignalingPair, createPeer, type PeerActor } from '@peerstatejs/core';
import { dataChannel, json } from '@peerstatejs/core/channel';
import { waitFor } from 'xstate';

const TIMEOUT = 60_000;
const CHUNK = 64 * 1024;
const HIGH = 4 * 1024 * 1024;
const LOW = 1024 * 1024;
const now = () => performance.now();

declare global {
  interface Window {
    benchData: typeof benchData;
  }
}

/** Two RTCPeerConnections wired to each other in the page, one negotiated channel. */
async function rawPair() {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  const ca = a.createDataChannel('raw', { negotiated: true, id: 0 });
  const cb = b.createDataChannel('raw', { negotiated: true, id: 0 });
  ca.binaryType = 'arraybuffer';
  cb.binaryType = 'arraybuffer';
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription as RTCSessionDescription);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription as RTCSessionDescription);
  await Promise.all(
    [ca, cb].map(
      (c) => new Promise((resolve) => c.addEventListener('open', resolve, { once: true })),
    ),
  );
  const close = () => {
    a.close();
    b.close();
  };
  return { a, b, ca, cb, close };
}

interface Msg {
  readonly seq: number;
}

async function sdkPair() {
  const [left, right] = createInMemorySignalingPair();
  const a = createPeer({ signaling: left, polite: false, dev: false }).start();
  const b = createPeer({ signaling: right, polite: true, dev: false }).start();
  const ta = dataChannel<Msg>(a, 'sdk', {
    codec: json<Msg>(),
    lowWaterMark: LOW,
    highWaterMark: HIGH,
  });
  const tb = dataChannel<Msg>(b, 'sdk', { codec: json<Msg>(), create: false });
  const open = (x: PeerActor) =>
    waitFor(x, (s) => s.context.dataChannels.some((c) => c.readyState === 'open'), {
      timeout: TIMEOUT,
    });
  await Promise.all([open(a), open(b)]);
  const close = async (x: PeerActor) => {
    x.send({ type: 'CLOSE' });
    await waitFor(x, (s) => s.status === 'done', { timeout: TIMEOUT });
  };
  return { ta, tb, close: () => Promise.all([close(a), close(b)]) };
}

function payload(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 4096) bytes[i] = i & 0xff;
  return bytes;
}

async function rawTransfer(size: number) {
  const { ca, cb, close } = await rawPair();
  const bytes = payload(size);
  ca.bufferedAmountLowThreshold = LOW;
  let received = 0;
  const done = new Promise<number>((resolve) => {
    cb.onmessage = (e) => {
      received += (e.data as ArrayBuffer).byteLength;
      if (received >= size) resolve(now());
    };
  });
  const t0 = now();
  for (let at = 0; at < size; at += CHUNK) {
    if (ca.bufferedAmount >= HIGH) {
      await new Promise((resolve) =>
        ca.addEventListener('bufferedamountlow', resolve, { once: true }),
      );
    }
    ca.send(bytes.subarray(at, at + CHUNK));
  }
  const end = await done;
  close();
  return { ms: end - t0 };
}

async function sdkTransfer(size: number, integrity: boolean) {
  const { ta, tb, close } = await sdkPair();
  const bytes = payload(size);
  const arrived = new Promise<number>((resolve, reject) => {
    tb.on('transfer', (t) => t.done.then(() => resolve(now()), reject));
  });
  const t0 = now();
  const transfer = ta.sendTransfer(bytes.buffer, { integrity });
  await transfer.done;
  const end = await arrived;
  await close();
  return { ms: end - t0 };
}

/** `n` round trips one after the other; the mean (performance.now() is coarsened to 0.1 ms). */
async function roundTrips(n: number, send: (i: number) => void, onReply: (cb: () => void) => void) {
  let resolveReply: () => void = () => {};
  onReply(() => resolveReply());
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const reply = new Promise<void>((resolve) => {
      resolveReply = resolve;
    });
    send(i);
    await reply;
  }
  return { meanMs: (now() - t0) / n };
}

async function rawRtt(n: number) {
  const { ca, cb, close } = await rawPair();
  cb.onmessage = (e) => cb.send(e.data);
  const r = await roundTrips(
    n,
    (i) => ca.send(JSON.stringify({ seq: i })),
    (cb2) => {
      ca.onmessage = () => cb2();
    },
  );
  close();
  return r;
}

async function sdkRtt(n: number) {
  const { ta, tb, close } = await sdkPair();
  tb.on('message', (m) => void tb.send(m));
  const r = await roundTrips(
    n,
    (i) => void ta.send({ seq: i }),
    (cb) => ta.on('message', cb),
  );
  await close();
  return r;
}

/** The machine alone (`SEND_DATA` and `data` events), to show what of the SDK's RTT is its own. */
async function machineRtt(n: number) {
  const [left, right] = createInMemorySignalingPair();
  const a = createPeer({ signaling: left, polite: false, dev: false }).start();
  const b = createPeer({ signaling: right, polite: true, dev: false }).start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'm' });
  const open = (x: PeerActor) =>
    waitFor(x, (s) => s.context.dataChannels.some((c) => c.readyState === 'open'), {
      timeout: TIMEOUT,
    });
  await Promise.all([open(a), open(b)]);
  b.on('data', ({ data }) => b.send({ type: 'SEND_DATA', label: 'm', data: data as string }));
  const r = await roundTrips(
    n,
    (i) => a.send({ type: 'SEND_DATA', label: 'm', data: JSON.stringify({ seq: i }) }),
    (cb) => a.on('data', cb),
  );
  for (const x of [a, b]) {
    x.send({ type: 'CLOSE' });
    await waitFor(x, (s) => s.status === 'done', { timeout: TIMEOUT });
  }
  return r;
}

export const benchData = { rawTransfer, sdkTransfer, rawRtt, sdkRtt, machineRtt };
window.benchData = benchData;
