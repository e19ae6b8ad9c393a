/**
 * The glare bench with one peer per page (issue 12): the same rounds as glare.ts, but each peer
 * in its own page, so its own renderer process, as the two ends of a real call are on two
 * machines. In one page both peers share one main thread and one WebRTC signaling thread, so in
 * a glare round the polite peer's `ADD_TRACK` and offer queue behind the impolite peer's (and
 * the other way round), work a clean round never does at the same time: that contention is the
 * one page's, not glare's. Signaling is the SDK's `BroadcastChannel` channel for both arms.
 *
 * The two pages' clocks are compared (`pagesClockSync`, NTP-style over a `BroadcastChannel`),
 * both start their `ADD_TRACK` at the same instant by that clock, and each reports when its
 * side was done; `glarePages.mjs` takes the later of the two.
 */

import { createBroadcastChannelSignaling, createPeer, type PeerActor } from '@peerstatejs/core';
import { waitFor } from 'xstate';
import { mediaClones } from './connect.js';
import {
  flowing,
  machineReceives,
  machineSends,
  sendsNegotiated,
  settled,
  w3cReceives,
} from './glare.js';
import { TIMEOUT, w3cConnected, w3cPeer, w3cUntil } from './pairs.js';

/** One clock for both pages: `performance.now()` counts from each page's own time origin. */
const clock = () => performance.timeOrigin + performance.now();

type Kind = 'machine' | 'w3c';
type Role = 'a' | 'b';

interface Side {
  readonly kind: Kind;
  readonly role: Role;
  readonly signaling: ReturnType<typeof createBroadcastChannelSignaling>;
  readonly clockChannel: BroadcastChannel;
  readonly machine: PeerActor | null;
  readonly w3c: ReturnType<typeof w3cPeer> | null;
  track: MediaStreamTrack | null;
}

let side: Side | null = null;
const current = () => {
  if (!side) throw new Error('pagesOpen first');
  return side;
};

/**
 * Creates this page's peer (`a` is impolite, `b` polite) and its channels, without starting
 * it: a `BroadcastChannel` delivers nothing posted before the other end exists, so both pages
 * open before either connects.
 */
export function pagesOpen(kind: Kind, role: Role, name: string) {
  const signaling = createBroadcastChannelSignaling({ name: `glare-${name}`, peerId: role });
  const clockChannel = new BroadcastChannel(`clock-${name}`);
  if (role === 'b') {
    clockChannel.onmessage = ({ data }: MessageEvent<{ ping: number }>) =>
      clockChannel.postMessage({ pong: data.ping, at: clock() });
  }
  const polite = role === 'b';
  side = {
    kind,
    role,
    signaling,
    clockChannel,
    machine: kind === 'machine' ? createPeer({ signaling, polite, dev: false }) : null,
    w3c: kind === 'w3c' ? w3cPeer(signaling, polite, role === 'a' ? 'left' : 'right') : null,
    track: null,
  };
}

/** Connects (a opens the data channel) and waits until this side has settled; gets its track. */
export async function pagesConnect() {
  const s = current();
  if (s.machine) {
    s.machine.start();
    if (s.role === 'a') s.machine.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await waitFor(s.machine, settled, { timeout: TIMEOUT });
  } else {
    const { pc } = s.w3c!;
    if (s.role === 'a') pc.createDataChannel('chat');
    await w3cUntil(pc, () => w3cConnected(pc) && pc.signalingState === 'stable');
  }
  s.track = (await mediaClones()).getAudioTracks()[0] ?? null;
}

/**
 * From page a: the other page's clock minus this one's, from the ping with the shortest round
 * trip (its error is at most half that round trip), and this page's clock now.
 */
export async function pagesClockSync(pings = 15) {
  const { clockChannel } = current();
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let ping = 0; ping < pings; ping++) {
    const sent = clock();
    const at = await new Promise<number>((resolve) => {
      clockChannel.onmessage = ({ data }: MessageEvent<{ pong: number; at: number }>) => {
        if (data.pong === ping) resolve(data.at);
      };
      clockChannel.postMessage({ ping });
    });
    const back = clock();
    if (back - sent < best.rtt) best = { rtt: back - sent, offset: at - (sent + back) / 2 };
  }
  return { ...best, now: clock() };
}

/** What one side saw of a round, in its own clock. */
export interface PageRound {
  /** ms this side started after the agreed instant (a round whose sides were late is dropped). */
  readonly late: number;
  /** When this side was stable with what it waits for announced (see `pagesRound`). */
  readonly negotiatedAt: number;
  /** When media flowed on every new remote track too; null if it did not within 3 s. */
  readonly flowedAt: number | null;
  readonly rollbacks: number;
  readonly offersIgnored: number;
}

/**
 * One round, started at `startAt` (this page's clock): a always adds its track, b only for
 * glare. b waits to receive a's track with media flowing; a waits for b's in a glare round, and
 * otherwise for its own track's transceiver to be negotiated to send (as glare.ts).
 */
export async function pagesRound(glare: boolean, startAt: number): Promise<PageRound> {
  const s = current();
  const track = s.track!;
  const lead = startAt - clock();
  if (lead > 15) await new Promise((resolve) => setTimeout(resolve, lead - 15));
  while (clock() < startAt) {
    // Spin the last ms: a timer fires late, by more than a few ms on a busy machine.
  }
  const late = clock() - startAt;
  const adds = s.role === 'a' || glare;
  const receives = s.role === 'b' || glare;
  let tracks: Promise<MediaStreamTrack[]>;
  if (s.machine) {
    const peer = s.machine;
    if (adds) peer.send({ type: 'ADD_TRACK', track });
    tracks = receives ? machineReceives(peer) : machineSends(peer, track).then(() => []);
  } else {
    const { pc } = s.w3c!;
    if (adds) pc.addTrack(track);
    tracks = receives
      ? w3cReceives(pc)
      : w3cUntil(pc, () => sendsNegotiated(pc, track)).then(() => []);
  }
  const remote = await tracks;
  const negotiatedAt = clock();
  const flowed = await Promise.all(remote.map((t) => flowing(t)));
  const flowedAt = flowed.every(Boolean) ? clock() : null;
  const counters = s.machine ? s.machine.getSnapshot().context.counters : s.w3c!.counters;
  return {
    late,
    negotiatedAt,
    flowedAt,
    rollbacks: counters.rollbacks,
    offersIgnored: counters.offersIgnored,
  };
}

/** Closes this page's peer, its channels and track. */
export async function pagesClose() {
  const s = current();
  side = null;
  if (s.machine) {
    s.machine.send({ type: 'CLOSE', stopTracks: true });
    await waitFor(
      s.machine,
      (snapshot) => snapshot.status === 'done' || snapshot.matches('closed'),
      {
        timeout: TIMEOUT,
      },
    );
  } else {
    s.w3c!.pc.close();
  }
  s.track?.stop();
  s.signaling.close();
  s.clockChannel.close();
}
