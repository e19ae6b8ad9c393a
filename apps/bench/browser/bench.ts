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
import { connectArm, heapCycles, mediaClones } from './connect.js';
import { traceArm } from './trace.js';

const now = () => performance.now();
const TIMEOUT = 20_000;

declare global {
  interface Window {
    __pcs: { open(): number; created(): number; reachable(): number };
    bench: typeof bench;
  }
}

const isConnected = (s: PeerSnapshot) => s.matches({ active: { connection: 'connected' } });

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

/**
 * A hand-written W3C pair: the spec's perfect-negotiation example (webrtc-pc §10.7) over the same
 * in-memory signaling and protocol messages, plain `addTrack`, and for ICE the restart people
 * write by hand: the impolite side calls `restartIce()` once a second while ICE is not connected.
 */
function w3cPair(configuration?: RTCConfiguration) {
  const [left, right] = createInMemorySignalingPair();
  const peer = (channel: SignalingChannel, polite: boolean, name: string) => {
    const pc = new RTCPeerConnection(configuration);
    let makingOffer = false;
    let ignoreOffer = false;
    let sent = 0;
    let lastRemoteOffer: string | null = null;
    const ufrag = () => pc.localDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1] ?? null;
    const counters = { rollbacks: 0, offersIgnored: 0 };
    const sendDescription = () => {
      const d = pc.localDescription!;
      const id = `${name}:0:${sent++}`;
      void channel.send(createDescriptionMessage(d, { id, inReplyTo: lastRemoteOffer }));
    };
    pc.addEventListener('negotiationneeded', async () => {
      try {
        makingOffer = true;
        await pc.setLocalDescription();
        sendDescription();
      } finally {
        makingOffer = false;
      }
    });
    pc.addEventListener('icecandidate', ({ candidate }) => {
      void channel.send(
        createCandidateMessage(candidate ? candidate.toJSON() : null, { ufrag: ufrag() }),
      );
    });
    channel.subscribe(async (raw) => {
      const parsed = parseSignalingMessage(raw);
      if (!parsed.ok) return;
      const message = parsed.message;
      if (message.type === 'description') {
        const { description } = message;
        const collision =
          description.type === 'offer' && (makingOffer || pc.signalingState !== 'stable');
        ignoreOffer = !polite && collision;
        if (ignoreOffer) {
          counters.offersIgnored++;
          return;
        }
        if (collision) counters.rollbacks++;
        await pc.setRemoteDescription(description);
        if (description.type === 'offer') {
          lastRemoteOffer = message.id;
          await pc.setLocalDescription();
          sendDescription();
        }
      } else if (message.type === 'candidate') {
        await pc.addIceCandidate(message.candidate ?? undefined).catch((e) => {
          if (!ignoreOffer && message.candidate?.candidate) console.warn(String(e));
        });
      }
    });
    return { pc, counters };
  };
  const a = peer(left, false, 'left');
  const b = peer(right, true, 'right');
  let timer: ReturnType<typeof setInterval> | undefined;
  const restartWhileBroken = () => {
    const state = a.pc.iceConnectionState;
    if (state === 'connected' || state === 'completed') {
      clearInterval(timer);
      timer = undefined;
    } else if ((state === 'disconnected' || state === 'failed') && timer === undefined) {
      a.pc.restartIce();
      timer = setInterval(() => a.pc.restartIce(), 1000);
    }
  };
  a.pc.addEventListener('iceconnectionstatechange', restartWhileBroken);
  const close = () => {
    clearInterval(timer);
    a.pc.close();
    b.pc.close();
    left.close();
  };
  return { a, b, close };
}

const w3cConnected = (pc: RTCPeerConnection) =>
  pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';

/** Resolves when `test` holds, checked on each of `pc`'s state and track events. */
function w3cUntil(pc: RTCPeerConnection, test: () => boolean, timeout = TIMEOUT): Promise<void> {
  return new Promise((resolve, reject) => {
    const events = ['iceconnectionstatechange', 'signalingstatechange', 'track'];
    const check = () => {
      if (!test()) return;
      clearTimeout(timer);
      for (const e of events) pc.removeEventListener(e, check);
      resolve();
    };
    const timer = setTimeout(() => reject(new Error('w3cUntil: timeout')), timeout);
    for (const e of events) pc.addEventListener(e, check);
    check();
  });
}

/** How long a new remote track may stay muted before the round counts as stuck. */
const FLOW_TIMEOUT = 3_000;

/**
 * Whether `track` received media within `timeout` ms: engines keep a remote track muted until
 * its first RTP packet arrives (mediacapture-main `muted`; webrtc-pc §4.4.1.6).
 */
function flowing(track: MediaStreamTrack, timeout = FLOW_TIMEOUT): Promise<boolean> {
  if (!track.muted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeout);
    track.addEventListener(
      'unmute',
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      { once: true },
    );
  });
}

/** What one round took: to negotiated (stable, tracks announced) and to media flowing. */
interface Round {
  /** ms until both sides are stable with media flowing on every new remote track; null if stuck. */
  readonly ms: number | null;
  /** ms until both sides are stable, the new remote tracks announced (media or not). */
  readonly negotiatedMs: number;
  readonly rollbacks: number;
  readonly offersIgnored: number;
}

/** Times a round: `negotiated` resolves to the remote tracks to see flowing, then they must. */
async function timeRound(t0: number, negotiated: Promise<MediaStreamTrack[]>) {
  const tracks = await negotiated;
  const negotiatedMs = now() - t0;
  const flowed = await Promise.all(tracks.map((track) => flowing(track)));
  return { ms: flowed.every(Boolean) ? now() - t0 : null, negotiatedMs };
}

/** Stable, with `track`'s transceiver negotiated to send (the answer to its offer applied). */
const sendsNegotiated = (pc: RTCPeerConnection, track: MediaStreamTrack) =>
  pc.signalingState === 'stable' &&
  pc
    .getTransceivers()
    .some(
      (t) =>
        t.sender.track === track &&
        (t.currentDirection === 'sendrecv' || t.currentDirection === 'sendonly'),
    );

/**
 * The W3C pair: both add a track at the same instant, or only one. Timed like the machine's
 * (`renegotiate`): until both sides are stable and every new remote track has media flowing.
 */
async function w3cRenegotiate(glare: boolean): Promise<Round> {
  const { a, b, close } = w3cPair();
  a.pc.createDataChannel('chat');
  await Promise.all([
    w3cUntil(a.pc, () => w3cConnected(a.pc)),
    w3cUntil(b.pc, () => w3cConnected(b.pc)),
  ]);
  const [trackA] = (await mediaClones()).getAudioTracks();
  const [trackB] = (await mediaClones()).getAudioTracks();
  // The audio track the other side sends: on a transceiver whose negotiated direction receives
  // (its own sender's transceiver has a receiver track too, so the direction decides).
  const receiving = (pc: RTCPeerConnection) =>
    pc
      .getTransceivers()
      .find(
        (t) =>
          t.receiver.track.kind === 'audio' &&
          (t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv'),
      )?.receiver.track;
  const receives = async (pc: RTCPeerConnection) => {
    await w3cUntil(pc, () => pc.signalingState === 'stable' && receiving(pc) !== undefined);
    return [receiving(pc)!];
  };
  const t0 = now();
  a.pc.addTrack(trackA!);
  if (glare) b.pc.addTrack(trackB!);
  const round = await timeRound(
    t0,
    Promise.all([
      receives(b.pc),
      glare ? receives(a.pc) : w3cUntil(a.pc, () => sendsNegotiated(a.pc, trackA!)).then(() => []),
    ]).then((lists) => lists.flat()),
  );
  const counters = {
    rollbacks: a.counters.rollbacks + b.counters.rollbacks,
    offersIgnored: a.counters.offersIgnored + b.counters.offersIgnored,
  };
  close();
  trackA?.stop();
  trackB?.stop();
  return { ...round, ...counters };
}

/**
 * Both peers add a track at the same instant (glare) vs only one (a plain renegotiation), on a
 * settled call: the polite peer's start-up holds (negotiation/firstOffer.ts) are over, so the two
 * offers really collide, as they do mid-call. Timed until both sides are stable and every new
 * remote track has media flowing (unmuted), for both kinds of round alike.
 */
async function renegotiate(glare: boolean): Promise<Round> {
  const { a, b } = machinePair();
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  const settled = (s: PeerSnapshot) =>
    s.matches({ active: { connection: 'connected', signaling: 'stable', renegotiation: 'idle' } });
  await waitFor(a, settled, { timeout: TIMEOUT });
  await waitFor(b, settled, { timeout: TIMEOUT });
  const [trackA] = (await mediaClones()).getAudioTracks();
  const [trackB] = (await mediaClones()).getAudioTracks();
  const stable = (s: PeerSnapshot) => s.matches({ active: { signaling: 'stable' } });
  const receives = (peer: PeerActor) =>
    waitFor(peer, (s) => stable(s) && s.context.remoteTracks.length >= 1, {
      timeout: TIMEOUT,
    }).then((s) => s.context.remoteTracks.map((entry) => entry.track));
  const sent = (s: PeerSnapshot) =>
    stable(s) &&
    s.context.pc !== null &&
    sendsNegotiated(s.context.pc as RTCPeerConnection, trackA!);
  const t0 = now();
  a.send({ type: 'ADD_TRACK', track: trackA! });
  if (glare) b.send({ type: 'ADD_TRACK', track: trackB! });
  const round = await timeRound(
    t0,
    Promise.all([
      receives(b),
      glare ? receives(a) : waitFor(a, sent, { timeout: TIMEOUT }).then(() => []),
    ]).then((lists) => lists.flat()),
  );
  const counters = {
    rollbacks:
      a.getSnapshot().context.counters.rollbacks + b.getSnapshot().context.counters.rollbacks,
    offersIgnored:
      a.getSnapshot().context.counters.offersIgnored +
      b.getSnapshot().context.counters.offersIgnored,
  };
  await closePair(a, b);
  trackA?.stop();
  trackB?.stop();
  return { ...round, ...counters };
}

/**
 * ICE restart: two relay-only calls through the same TURN server, the machine's and the W3C
 * pair's, broken by the same outage (the Node side kills and restarts the server).
 */
let iceCalls: { a: PeerActor; b: PeerActor; w3c: ReturnType<typeof w3cPair> } | null = null;
async function iceConnect(configuration: RTCConfiguration) {
  const t0 = now();
  const { a, b } = machinePair(configuration);
  const w3c = w3cPair(configuration);
  iceCalls = { a, b, w3c };
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  w3c.a.pc.createDataChannel('chat');
  await Promise.all([
    waitFor(a, isConnected, { timeout: TIMEOUT }),
    w3cUntil(w3c.a.pc, () => w3cConnected(w3c.a.pc)),
  ]);
  return { connectedMs: now() - t0 };
}
/** Both calls have noticed the outage. */
async function iceWaitBroken() {
  const t0 = now();
  const { a, w3c } = iceCalls!;
  const [machine, raw] = await Promise.all([
    waitFor(a, (s) => !isConnected(s), { timeout: 60_000 }).then(() => now() - t0),
    w3cUntil(w3c.a.pc, () => !w3cConnected(w3c.a.pc), 60_000).then(() => now() - t0),
  ]);
  return { brokenAfterMs: { machine, w3c: raw } };
}
/** ms from now (the relay is back) until each call is connected again. */
async function iceWaitRecovered() {
  const t0 = now();
  const { a, b, w3c } = iceCalls!;
  const offersBefore = a.getSnapshot().context.counters.offersSent;
  const [s, raw] = await Promise.all([
    waitFor(a, isConnected, { timeout: 60_000 }).then((snapshot) => ({ snapshot, at: now() })),
    w3cUntil(w3c.a.pc, () => w3cConnected(w3c.a.pc), 60_000).then(() => now()),
  ]);
  const result = {
    recoveredAfterMs: { machine: s.at - t0, w3c: raw - t0 },
    lastIceRecoveryMs: s.snapshot.context.lastIceRecoveryMs,
    iceRestarts: {
      a: s.snapshot.context.counters.iceRestarts,
      b: b.getSnapshot().context.counters.iceRestarts,
    },
    offersSent: {
      a: s.snapshot.context.counters.offersSent,
      b: b.getSnapshot().context.counters.offersSent,
    },
    offersBefore,
  };
  await closePair(a, b);
  w3c.close();
  iceCalls = null;
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
  connectArm,
  heapCycles,
  traceArm,
  renegotiate,
  w3cRenegotiate,
  iceConnect,
  iceWaitBroken,
  iceWaitRecovered,
  cycles,
  reachable,
};
window.bench = bench;
