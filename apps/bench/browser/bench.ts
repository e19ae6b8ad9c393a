/**
 * In-page benchmarks, bundled by `run.mjs` and driven from Node with `page.evaluate`. Every
 * function returns plain JSON. The SDK is imported from its source, like the browser suite does.
 */

import {
  createCandidateMessage,
  createDescriptionMessage,
  createInMemorySignalingPair,
  createPeer,
  type PeerActor,
  type PeerSnapshot,
  parseSignalingMessage,
  type SignalingChannel,
} from '@peerstatejs/core';
import { waitFor } from 'xstate';

const now = () => performance.now();
const TIMEOUT = 20_000;

declare global {
  interface Window {
    __pcs: { open(): number; created(): number; reachable(): number };
    bench: typeof bench;
  }
}

let media: MediaStream | null = null;
async function mediaClones(): Promise<MediaStream> {
  media ??= await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  return new MediaStream(media.getTracks().map((t) => t.clone()));
}

const isConnected = (s: PeerSnapshot) => s.matches({ active: { connection: 'connected' } });
const channelOpen = (label: string) => (s: PeerSnapshot) =>
  s.context.dataChannels.some((c) => c.label === label && c.readyState === 'open');

function machinePair(configuration?: RTCConfiguration) {
  const [left, right] = createInMemorySignalingPair();
  const extra = configuration ? { configuration } : {};
  const a = createPeer({ signaling: left, polite: false, dev: false, ...extra });
  const b = createPeer({ signaling: right, polite: true, dev: false, ...extra });
  return { a, b };
}

async function closePair(a: PeerActor, b: PeerActor) {
  a.send({ type: 'CLOSE', stopTracks: true });
  await waitFor(a, (s) => s.status === 'done' || s.matches('closed'), { timeout: TIMEOUT });
  if (!b.getSnapshot().matches('closed')) b.send({ type: 'CLOSE', stopTracks: true });
  await waitFor(b, (s) => s.status === 'done' || s.matches('closed'), { timeout: TIMEOUT });
}

/** One machine call: ms to connected (peer a) and to the first data-channel round trip. */
async function machineConnect(withMedia: boolean) {
  const stream = withMedia ? await mediaClones() : null;
  const t0 = now();
  const { a, b } = machinePair();
  let pongAt = 0;
  const pong = new Promise<void>((resolve) => {
    a.on('data', () => {
      pongAt = now();
      resolve();
    });
  });
  b.on('data', ({ label }) => b.send({ type: 'SEND_DATA', label, data: 'pong' }));
  a.start();
  b.start();
  if (stream)
    for (const track of stream.getTracks()) a.send({ type: 'ADD_TRACK', track, streams: [stream] });
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  const connected = waitFor(a, isConnected, { timeout: TIMEOUT }).then(() => now());
  await waitFor(a, channelOpen('chat'), { timeout: TIMEOUT });
  a.send({ type: 'SEND_DATA', label: 'chat', data: 'ping' });
  await pong;
  const connectedAt = await connected;
  await closePair(a, b);
  return { connectedMs: connectedAt - t0, roundTripMs: pongAt - t0 };
}

/** The same call by hand: two RTCPeerConnections over the same in-memory signaling. */
async function rawConnect(withMedia: boolean) {
  const stream = withMedia ? await mediaClones() : null;
  const t0 = now();
  const [left, right] = createInMemorySignalingPair();
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  const wire = (pc: RTCPeerConnection, channel: SignalingChannel, answerer: boolean) => {
    // Protocol v2: the end of candidates names its ICE generation, from the local description.
    pc.addEventListener('icecandidate', ({ candidate }) => {
      const ufrag = pc.localDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1] ?? null;
      void channel.send(createCandidateMessage(candidate ? candidate.toJSON() : null, { ufrag }));
    });
    channel.subscribe(async (raw) => {
      const parsed = parseSignalingMessage(raw);
      if (!parsed.ok) return;
      const message = parsed.message;
      if (message.type === 'description') {
        await pc.setRemoteDescription(message.description);
        if (answerer) {
          await pc.setLocalDescription();
          // Protocol v2: the answer names the offer it answers.
          const ids = { id: 'right:0:0', inReplyTo: message.id };
          void channel.send(createDescriptionMessage(pc.localDescription!, ids));
        }
      } else if (message.type === 'candidate') {
        await pc.addIceCandidate(message.candidate ?? undefined).catch(() => {});
      }
    });
  };
  wire(a, left, false);
  wire(b, right, true);
  b.addEventListener('datachannel', ({ channel }) => {
    channel.addEventListener('message', () => channel.send('pong'));
  });
  if (stream) for (const track of stream.getTracks()) a.addTrack(track, stream);
  const chat = a.createDataChannel('chat');
  const connected = new Promise<number>((resolve) => {
    const check = () => a.connectionState === 'connected' && resolve(now());
    a.addEventListener('connectionstatechange', check);
  });
  const pong = new Promise<number>((resolve) =>
    chat.addEventListener('message', () => resolve(now())),
  );
  chat.addEventListener('open', () => chat.send('ping'));
  await a.setLocalDescription();
  await left.send(createDescriptionMessage(a.localDescription!, { id: 'left:0:0' }));
  const pongAt = await pong;
  const connectedAt = await connected;
  a.close();
  b.close();
  left.close();
  for (const track of stream?.getTracks() ?? []) track.stop();
  return { connectedMs: connectedAt - t0, roundTripMs: pongAt - t0 };
}

/** Both peers add a track at the same instant (glare) vs only one (a plain renegotiation). */
async function renegotiate(glare: boolean) {
  const { a, b } = machinePair();
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  await waitFor(a, isConnected, { timeout: TIMEOUT });
  await waitFor(b, isConnected, { timeout: TIMEOUT });
  const [trackA] = (await mediaClones()).getAudioTracks();
  const [trackB] = (await mediaClones()).getAudioTracks();
  const stable = (s: PeerSnapshot) => s.matches({ active: { signaling: 'stable' } });
  const hasRemote = (n: number) => (s: PeerSnapshot) =>
    s.context.remoteTracks.length >= n && stable(s);
  const t0 = now();
  a.send({ type: 'ADD_TRACK', track: trackA! });
  if (glare) b.send({ type: 'ADD_TRACK', track: trackB! });
  await Promise.all([
    waitFor(b, hasRemote(1), { timeout: TIMEOUT }),
    glare ? waitFor(a, hasRemote(1), { timeout: TIMEOUT }) : Promise.resolve(),
  ]);
  const ms = now() - t0;
  const counters = {
    rollbacks:
      a.getSnapshot().context.counters.rollbacks + b.getSnapshot().context.counters.rollbacks,
    offersIgnored:
      a.getSnapshot().context.counters.offersIgnored +
      b.getSnapshot().context.counters.offersIgnored,
  };
  await closePair(a, b);
  trackB?.stop();
  return { ms, ...counters };
}

/** ICE restart: a relay-only call whose TURN server the Node side kills and restarts. */
let iceCall: { a: PeerActor; b: PeerActor } | null = null;
async function iceConnect(configuration: RTCConfiguration) {
  const t0 = now();
  iceCall = machinePair(configuration);
  const { a, b } = iceCall;
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  await waitFor(a, isConnected, { timeout: TIMEOUT });
  return { connectedMs: now() - t0 };
}
async function iceWaitBroken() {
  const t0 = now();
  await waitFor(iceCall!.a, (s) => !isConnected(s), { timeout: 60_000 });
  return { brokenAfterMs: now() - t0 };
}
async function iceWaitRecovered() {
  const t0 = now();
  const s = await waitFor(iceCall!.a, isConnected, { timeout: 60_000 });
  const result = {
    recoveredAfterMs: now() - t0,
    lastIceRecoveryMs: s.context.lastIceRecoveryMs,
    iceRestarts: s.context.counters.iceRestarts,
  };
  await closePair(iceCall!.a, iceCall!.b);
  iceCall = null;
  return result;
}

/**
 * `n` connect/close cycles; returns how many completed, the first failure if one stalled, and
 * the open peer-connection count after them.
 */
async function cycles(n: number) {
  let done = 0;
  let error: string | null = null;
  for (; done < n; done++) {
    const { a, b } = machinePair();
    try {
      a.start();
      b.start();
      a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
      await waitFor(a, isConnected, { timeout: TIMEOUT });
    } catch (e) {
      const describe = (peer: PeerActor) => {
        const s = peer.getSnapshot();
        return `state ${JSON.stringify(s.value)}, pc ${JSON.stringify(s.context.pcStates)}, counters ${JSON.stringify(s.context.counters)}`;
      };
      error = `${String(e)}; a: ${describe(a)}; b: ${describe(b)}`;
    }
    await closePair(a, b);
    if (error) break;
  }
  return { done, error, open: window.__pcs.open(), created: window.__pcs.created() };
}

function reachable() {
  return {
    open: window.__pcs.open(),
    reachable: window.__pcs.reachable(),
    created: window.__pcs.created(),
  };
}

const bench = {
  machineConnect,
  rawConnect,
  renegotiate,
  iceConnect,
  iceWaitBroken,
  iceWaitRecovered,
  cycles,
  reachable,
};
window.bench = bench;
