/**
 * The first exchange of a connection whose offer was made at once (firstOfferAtOnce.ts), and the
 * spec's check of the engine's `negotiationneeded` meanwhile. Apart from the action so that the
 * connection's listener (actors/peerConnectionEvents.ts) and ice.ts can use it.
 * @module
 */
import type { PeerConnectionLike } from '../../platform/types.js';

/** Those whose first exchange, made at once, is not over yet. */
const inFirstExchange = new WeakSet<PeerConnectionLike>();

/**
 * For the connection's listener, on the engine's `negotiationneeded`: whether our first offer
 * already carries everything it could be for (`covered`: the event is dropped), or is still
 * being set (`later`: asked again once it is). `channels`: the connection has channels of ours.
 */
export function firstOfferCovers(
  pc: PeerConnectionLike,
  channels: boolean,
): 'covered' | 'needed' | 'later' {
  if (!inFirstExchange.has(pc)) return 'needed';
  const offer = pc.localDescription;
  if (!offer && pc.signalingState === 'stable') return 'later';
  if (offer?.type !== 'offer') return 'needed';
  const directions = new Map<string, string>();
  for (const section of offer.sdp.split(/\r?\nm=/).slice(1)) {
    const mid = /\na=mid:(\S+)/.exec(section)?.[1];
    const direction = /\na=(sendrecv|sendonly|recvonly|inactive)\b/.exec(section)?.[1];
    if (mid) directions.set(mid, direction ?? 'sendrecv');
  }
  if (channels && !/\nm=application /.test(offer.sdp)) return 'needed';
  const covered = pc
    .getTransceivers()
    .every(
      (t) =>
        t.currentDirection === 'stopped' ||
        (t.mid !== null && directions.get(t.mid) === t.direction),
    );
  return covered ? 'covered' : 'needed';
}

/**
 * On `signalingstatechange`: back in stable, the first exchange is over (answered, or our offer
 * rolled back), or `force`: an ICE restart was asked for, a need the check cannot see. From
 * then on the engine's events are its own.
 */
export function endFirstExchange(pc: PeerConnectionLike, force = false): void {
  if (force || pc.signalingState === 'stable') inFirstExchange.delete(pc);
}

/** Our first offer is asked for at once on `pc`. */
export function startFirstExchange(pc: PeerConnectionLike): void {
  inFirstExchange.add(pc);
}
