/**
 * The two kinds of call the in-page benchmarks drive: the SDK's (`createPeer` on both sides) and a
 * hand-written W3C perfect-negotiation pair, over the same in-memory signaling.
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
import { type InspectionEvent, waitFor } from 'xstate';

export const TIMEOUT = 20_000;

export const isConnected = (s: PeerSnapshot) => s.matches({ active: { connection: 'connected' } });

export function machinePair(
  configuration?: RTCConfiguration,
  inspect?: (event: InspectionEvent) => void,
) {
  const [left, right] = createInMemorySignalingPair();
  const extra = { ...(configuration ? { configuration } : {}), ...(inspect ? { inspect } : {}) };
  const a = createPeer({ signaling: left, polite: false, dev: false, ...extra });
  const b = createPeer({ signaling: right, polite: true, dev: false, ...extra });
  return { a, b };
}

export async function closePair(a: PeerActor, b: PeerActor) {
  a.send({ type: 'CLOSE', stopTracks: true });
  await waitFor(a, (s) => s.status === 'done' || s.matches('closed'), { timeout: TIMEOUT });
  if (!b.getSnapshot().matches('closed')) b.send({ type: 'CLOSE', stopTracks: true });
  await waitFor(b, (s) => s.status === 'done' || s.matches('closed'), { timeout: TIMEOUT });
}

/**
 * One side of the hand-written W3C pair: the spec's perfect-negotiation example (webrtc-pc
 * §10.7) on `channel`, plain `addTrack`. Used by `w3cPair` and by the two-page glare bench.
 */
export function w3cPeer(
  channel: SignalingChannel,
  polite: boolean,
  name: string,
  configuration?: RTCConfiguration,
) {
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
}

/**
 * A hand-written W3C pair: the spec's perfect-negotiation example (webrtc-pc §10.7) over the same
 * in-memory signaling and protocol messages, plain `addTrack`, and for ICE the restart people
 * write by hand: the impolite side calls `restartIce()` once a second while ICE is not connected.
 */
export function w3cPair(configuration?: RTCConfiguration) {
  const [left, right] = createInMemorySignalingPair();
  const a = w3cPeer(left, false, 'left', configuration);
  const b = w3cPeer(right, true, 'right', configuration);
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

export const w3cConnected = (pc: RTCPeerConnection) =>
  pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';

/** Resolves when `test` holds, checked on each of `pc`'s state and track events. */
export function w3cUntil(
  pc: RTCPeerConnection,
  test: () => boolean,
  timeout = TIMEOUT,
): Promise<void> {
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
