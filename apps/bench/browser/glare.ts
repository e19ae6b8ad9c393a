/**
 * The glare bench (issue 12): on a settled call, both peers add a track at the same instant, or
 * only one; timed alike for the machine and the W3C pair (`run.mjs` glare). `--trace=glare` is
 * glareTrace.ts.
 */

import type { PeerActor, PeerSnapshot } from '@peerstatejs/core';
import { type InspectionEvent, waitFor } from 'xstate';
import { mediaClones } from './connect.js';
import { closePair, machinePair, TIMEOUT, w3cConnected, w3cPair, w3cUntil } from './pairs.js';

const now = () => performance.now();

/** For `--trace=glare` (glareTrace.ts): XState inspection, and the round's start. */
export interface Hooks {
  readonly inspect?: (event: InspectionEvent) => void;
  readonly start?: (t0: number, peers?: { a: PeerActor; b: PeerActor }) => void;
  /** The round is over (what follows is the close). */
  readonly end?: () => void;
}

/** How long a new remote track may stay muted before the round counts as stuck. */
const FLOW_TIMEOUT = 3_000;

/**
 * Whether `track` received media within `timeout` ms: engines keep a remote track muted until
 * its first RTP packet arrives (mediacapture-main `muted`; webrtc-pc §4.4.1.6).
 */
export function flowing(track: MediaStreamTrack, timeout = FLOW_TIMEOUT): Promise<boolean> {
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
export interface Round {
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
export const sendsNegotiated = (pc: RTCPeerConnection, track: MediaStreamTrack) =>
  pc.signalingState === 'stable' &&
  pc
    .getTransceivers()
    .some(
      (t) =>
        t.sender.track === track &&
        (t.currentDirection === 'sendrecv' || t.currentDirection === 'sendonly'),
    );

/**
 * The audio track the other side sends: on a transceiver whose negotiated direction receives
 * (its own sender's transceiver has a receiver track too, so the direction decides).
 */
const receiving = (pc: RTCPeerConnection) =>
  pc
    .getTransceivers()
    .find(
      (t) =>
        t.receiver.track.kind === 'audio' &&
        (t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv'),
    )?.receiver.track;

/** The W3C peer is stable and receives the other side's audio track: that track. */
export async function w3cReceives(pc: RTCPeerConnection) {
  await w3cUntil(pc, () => pc.signalingState === 'stable' && receiving(pc) !== undefined);
  return [receiving(pc)!];
}

/**
 * The W3C pair: both add a track at the same instant, or only one. Timed like the machine's
 * (`renegotiate`): until both sides are stable and every new remote track has media flowing.
 */
export async function w3cRenegotiate(glare: boolean, hooks: Hooks = {}): Promise<Round> {
  const { a, b, close } = w3cPair();
  a.pc.createDataChannel('chat');
  await Promise.all([
    w3cUntil(a.pc, () => w3cConnected(a.pc)),
    w3cUntil(b.pc, () => w3cConnected(b.pc)),
  ]);
  const [trackA] = (await mediaClones()).getAudioTracks();
  const [trackB] = (await mediaClones()).getAudioTracks();
  const t0 = now();
  hooks.start?.(t0);
  a.pc.addTrack(trackA!);
  if (glare) b.pc.addTrack(trackB!);
  const round = await timeRound(
    t0,
    Promise.all([
      w3cReceives(b.pc),
      glare
        ? w3cReceives(a.pc)
        : w3cUntil(a.pc, () => sendsNegotiated(a.pc, trackA!)).then(() => []),
    ]).then((lists) => lists.flat()),
  );
  hooks.end?.();
  const counters = {
    rollbacks: a.counters.rollbacks + b.counters.rollbacks,
    offersIgnored: a.counters.offersIgnored + b.counters.offersIgnored,
  };
  close();
  trackA?.stop();
  trackB?.stop();
  return { ...round, ...counters };
}

/** Connected, stable, no renegotiation pending: the start-up is over. */
export const settled = (s: PeerSnapshot) =>
  s.matches({ active: { connection: 'connected', signaling: 'stable', renegotiation: 'idle' } });

const stable = (s: PeerSnapshot) => s.matches({ active: { signaling: 'stable' } });

/** The peer is stable and announces a remote track: its remote tracks. */
export const machineReceives = (peer: PeerActor) =>
  waitFor(peer, (s) => stable(s) && s.context.remoteTracks.length >= 1, {
    timeout: TIMEOUT,
  }).then((s) => s.context.remoteTracks.map((entry) => entry.track));

/** The peer is stable with `track`'s transceiver negotiated to send. */
export const machineSends = (peer: PeerActor, track: MediaStreamTrack) =>
  waitFor(
    peer,
    (s) =>
      stable(s) &&
      s.context.pc !== null &&
      sendsNegotiated(s.context.pc as RTCPeerConnection, track),
    { timeout: TIMEOUT },
  );

/**
 * Both peers add a track at the same instant (glare) vs only one (a plain renegotiation), on a
 * settled call: the polite peer's start-up holds (negotiation/firstOffer.ts) are over, so the two
 * offers really collide, as they do mid-call. Timed until both sides are stable and every new
 * remote track has media flowing (unmuted), for both kinds of round alike.
 */
export async function renegotiate(glare: boolean, hooks: Hooks = {}): Promise<Round> {
  const { a, b } = machinePair(undefined, hooks.inspect);
  a.start();
  b.start();
  a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  await waitFor(a, settled, { timeout: TIMEOUT });
  await waitFor(b, settled, { timeout: TIMEOUT });
  const [trackA] = (await mediaClones()).getAudioTracks();
  const [trackB] = (await mediaClones()).getAudioTracks();
  const t0 = now();
  hooks.start?.(t0, { a, b });
  a.send({ type: 'ADD_TRACK', track: trackA! });
  if (glare) b.send({ type: 'ADD_TRACK', track: trackB! });
  const round = await timeRound(
    t0,
    Promise.all([
      machineReceives(b),
      glare ? machineReceives(a) : machineSends(a, trackA!).then(() => []),
    ]).then((lists) => lists.flat()),
  );
  hooks.end?.();
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
