/**
 * Connect arms (issue 22): one call from nothing to a data-channel round trip, measured the same
 * way for a raw `RTCPeerConnection` pair, simple-peer, and the SDK over direct signaling and over
 * its in-memory pair; with or without fake audio+video. "Direct signaling" hands every message
 * to the other side by a plain function call with a JSON copy, so the arms differ only in what
 * runs between the engine's events, not in how the wire behaves.
 */

import {
  createInMemorySignalingPair,
  createPeer,
  type PeerActor,
  type SignalingChannel,
} from '@peerstatejs/core';
import SimplePeer from 'simple-peer';
import type { InspectionEvent } from 'xstate';
import { type FloorMode, rawWithXState } from './xstateFloor.js';

const now = () => performance.now();
const TIMEOUT = 20_000;

export type ConnectArm =
  | 'raw'
  | 'raw-listeners'
  | 'raw-xstate'
  | 'raw-xstate-coarse'
  | 'simple-peer'
  | 'sdk-direct'
  | 'sdk-memory';
export interface ConnectResult {
  readonly connectedMs: number;
  readonly roundTripMs: number;
  /** The floor arms (xstateFloor.ts): XState events of the call, both peers (0: no machine). */
  readonly machineEvents?: number;
}

let media: MediaStream | null = null;
/** Clones of one fake camera and microphone capture (captured once per page). */
export async function mediaClones(): Promise<MediaStream> {
  media ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  return new MediaStream(media.getTracks().map((t) => t.clone()));
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no result in ${TIMEOUT} ms`)), TIMEOUT),
    ),
  ]);
}

/** Two signaling channels whose `send` calls the other side's listeners at once, on a copy. */
export function directSignalingPair(): readonly [SignalingChannel, SignalingChannel] {
  const listeners = [new Set<(m: unknown) => void>(), new Set<(m: unknown) => void>()];
  const end = (self: number, other: number): SignalingChannel => ({
    send(message) {
      const delivered = copy(message);
      for (const listener of listeners[other] ?? []) listener(delivered);
    },
    subscribe(listener) {
      listeners[self]?.add(listener);
      return () => listeners[self]?.delete(listener);
    },
  });
  return [end(0, 1), end(1, 0)];
}

const connectedOf = (pc: RTCPeerConnection) =>
  new Promise<number>((resolve) => {
    const check = () => pc.connectionState === 'connected' && resolve(now());
    pc.addEventListener('connectionstatechange', check);
  });

/** Two RTCPeerConnections wired by hand: trickle ICE and one offer/answer, direct calls. */
async function raw(stream: MediaStream | null): Promise<ConnectResult> {
  const t0 = now();
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.addEventListener('icecandidate', ({ candidate }) => {
    if (candidate) void b.addIceCandidate(copy(candidate.toJSON()));
  });
  b.addEventListener('icecandidate', ({ candidate }) => {
    if (candidate) void a.addIceCandidate(copy(candidate.toJSON()));
  });
  b.addEventListener('datachannel', ({ channel }) => {
    channel.addEventListener('message', () => channel.send('pong'));
  });
  for (const track of stream?.getTracks() ?? []) a.addTrack(track, stream as MediaStream);
  const chat = a.createDataChannel('chat');
  const connected = connectedOf(a);
  const pong = new Promise<number>((resolve) =>
    chat.addEventListener('message', () => resolve(now())),
  );
  chat.addEventListener('open', () => chat.send('ping'));
  await a.setLocalDescription();
  await b.setRemoteDescription(copy(a.localDescription?.toJSON()) as RTCSessionDescriptionInit);
  await b.setLocalDescription();
  await a.setRemoteDescription(copy(b.localDescription?.toJSON()) as RTCSessionDescriptionInit);
  const pongAt = await within(pong, 'raw round trip');
  const connectedAt = await within(connected, 'raw connected');
  a.close();
  b.close();
  return { connectedMs: connectedAt - t0, roundTripMs: pongAt - t0 };
}

/** simple-peer 9.11.1 as its README uses it: `signal` events handed across (with a copy). */
async function simplePeer(stream: MediaStream | null): Promise<ConnectResult> {
  const t0 = now();
  const extra = stream ? { stream } : {};
  const a = new SimplePeer({ initiator: true, ...extra });
  const b = new SimplePeer({});
  a.on('signal', (data) => b.signal(copy(data)));
  b.on('signal', (data) => a.signal(copy(data)));
  b.on('data', () => b.send('pong'));
  // simple-peer's own data channel is its `connect`; "connected" is the same engine state as
  // the other arms read, from the peer connection simple-peer holds.
  const pc = (a as unknown as { _pc: RTCPeerConnection })._pc;
  const connected = connectedOf(pc);
  const pong = new Promise<number>((resolve) => a.on('data', () => resolve(now())));
  a.on('connect', () => a.send('ping'));
  const pongAt = await within(pong, 'simple-peer round trip');
  const connectedAt = await within(connected, 'simple-peer connected');
  a.destroy();
  b.destroy();
  return { connectedMs: connectedAt - t0, roundTripMs: pongAt - t0 };
}

/** Set by the trace arm (trace.ts): XState inspection of both SDK peers. */
export const sdkInspection: { observer: ((event: InspectionEvent) => void) | undefined } = {
  observer: undefined,
};

/** The SDK: `createPeer` on both sides, the connected state and a `data` round trip. */
async function sdk(stream: MediaStream | null, memory: boolean): Promise<ConnectResult> {
  const t0 = now();
  const [left, right] = memory ? createInMemorySignalingPair() : directSignalingPair();
  const inspect = sdkInspection.observer ? { inspect: sdkInspection.observer } : {};
  const a = createPeer({ signaling: left, polite: false, dev: false, ...inspect });
  const b = createPeer({ signaling: right, polite: true, dev: false, ...inspect });
  let connectedAt = 0;
  let pinged = false;
  // One snapshot listener for both: the connected state, and the channel open (then the ping).
  const connected = new Promise<number>((resolve) => {
    const sub = a.subscribe((s) => {
      if (!connectedAt && s.matches({ active: { connection: 'connected' } })) {
        connectedAt = now();
        resolve(connectedAt);
      }
      if (!pinged && s.context.dataChannels.some((c) => c.readyState === 'open')) {
        pinged = true;
        a.send({ type: 'SEND_DATA', label: 'chat', data: 'ping' });
      }
      if (connectedAt && pinged) sub.unsubscribe();
    });
  });
  const pong = new Promise<number>((resolve) => a.on('data', () => resolve(now())));
  b.on('data', ({ label }) => b.send({ type: 'SEND_DATA', label, data: 'pong' }));
  a.start();
  b.start();
  for (const track of stream?.getTracks() ?? [])
    a.send({ type: 'ADD_TRACK', track, streams: [stream as MediaStream] });
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  const pongAt = await within(pong, 'sdk round trip');
  await within(connected, 'sdk connected');
  await closePair(a, b);
  return { connectedMs: connectedAt - t0, roundTripMs: pongAt - t0 };
}

async function closePair(a: PeerActor, b: PeerActor): Promise<void> {
  a.send({ type: 'CLOSE', stopTracks: true });
  b.send({ type: 'CLOSE', stopTracks: true });
}

/** The floor arms (xstateFloor.ts) and their modes. */
const FLOORS: Partial<Record<ConnectArm, FloorMode>> = {
  'raw-listeners': 'listeners',
  'raw-xstate': 'every',
  'raw-xstate-coarse': 'coarse',
};

/** One call of `arm`; with `withMedia`, a clone of the fake camera and microphone from a. */
export async function connectArm(arm: ConnectArm, withMedia: boolean): Promise<ConnectResult> {
  const stream = withMedia ? await mediaClones() : null;
  try {
    if (arm === 'raw') return await raw(stream);
    const floor = FLOORS[arm];
    if (floor) return await within(rawWithXState(stream, floor), arm);
    if (arm === 'simple-peer') return await simplePeer(stream);
    return await sdk(stream, arm === 'sdk-memory');
  } finally {
    for (const track of stream?.getTracks() ?? []) track.stop();
  }
}

const usedHeap = () =>
  (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;

/**
 * `n` calls of `arm` (data channel only), one after the other: the JS heap in use after each
 * (Chromium reports exact figures with `--enable-precise-memory-info`), its peak above the
 * heap before the first, and the peer connections still open after the last.
 */
export async function heapCycles(arm: ConnectArm, n: number) {
  const base = usedHeap();
  let peak = base;
  for (let i = 0; i < n; i++) {
    await connectArm(arm, false);
    peak = Math.max(peak, usedHeap());
  }
  return { base, peak, peakAboveBase: peak - base, open: window.__pcs.open() };
}
