/**
 * One remote participant of a room: its peer (roles from the two ids), the channel that carries
 * only its messages, the shared local tracks, the room's data channel, and its quality sampler.
 * Each member's peer runs its own recovery (ICE restart, rebuild): nothing here touches another.
 * @module
 */

import { createPeer, type PeerActor, peerView } from '@peerstatejs/core';
import { type CallQuality, createStatsSampler } from '@peerstatejs/core/stats';
import { createPeerChannel, type PeerChannel } from '../session/peerChannel.js';
import { isPolite } from '../session/roles.js';
import { wrap } from './envelope.js';
import { type Participant, ROOM_DATA_LABEL, type RoomOptions } from './roomTypes.js';

export interface Member {
  readonly id: string;
  readonly peer: PeerActor;
  readonly channel: PeerChannel;
  /** The participant as the snapshot shows it; replaced on every change. */
  participant: Participant;
  /** Ends the wiring (channel, subscriptions, sampler); the peer is ended by the caller. */
  release(): void;
}

export interface MemberHooks {
  readonly send: (message: ReturnType<typeof wrap>) => void;
  readonly changed: (member: Member) => void;
  readonly data: (from: string, data: unknown) => void;
  readonly error: (error: Error) => void;
}

export function isLive(member: Member): boolean {
  return member.peer.getSnapshot().status === 'active';
}

export function createMember(
  localId: string,
  remote: string,
  options: Pick<RoomOptions, 'peer' | 'qualityIntervalMs'>,
  stream: MediaStream | null,
  hooks: MemberHooks,
): Member {
  const polite = isPolite(localId, remote);
  const channel = createPeerChannel((message) => hooks.send(wrap(remote, message)));
  const peerOptions = typeof options.peer === 'function' ? options.peer(remote) : options.peer;
  const peer = createPeer({
    ...peerOptions,
    id: peerOptions?.id ?? `${localId}→${remote}`,
    signaling: channel,
    polite,
  });
  let quality: CallQuality | null = null;
  const member: Member = {
    id: remote,
    peer,
    channel,
    participant: { id: remote, polite, peer, view: peerView(peer.getSnapshot()), quality },
    release: () => {},
  };
  const refresh = (): void => {
    member.participant = { id: remote, polite, peer, view: peerView(peer.getSnapshot()), quality };
    hooks.changed(member);
  };
  const subscription = peer.subscribe(refresh);
  const events = peer.on('*', (event) => {
    if (event.type === 'data' && event.label === ROOM_DATA_LABEL) hooks.data(remote, event.data);
    else if (event.type === 'error') hooks.error(event.error);
  });
  const intervalMs = options.qualityIntervalMs ?? 2_000;
  const sampler = intervalMs > 0 ? createStatsSampler(peer, { intervalMs }) : null;
  const offQuality = sampler?.onQualityChange((next) => {
    quality = next;
    refresh();
  });
  member.release = () => {
    channel.close();
    subscription.unsubscribe();
    events.unsubscribe();
    offQuality?.();
    sampler?.stop();
  };

  peer.start();
  if (isLive(member)) {
    // Negotiated with a fixed id: both sides open the same channel, with no offer for it.
    peer.send({
      type: 'CREATE_DATA_CHANNEL',
      label: ROOM_DATA_LABEL,
      options: { negotiated: true, id: 0 },
    });
    if (stream) for (const track of stream.getTracks()) addShared(peer, track, stream);
  }
  return member;
}

/** Sends a room track: the room owns it, so the peer must never stop it (`ADD_TRACK`, not START_MEDIA). */
export function addShared(peer: PeerActor, track: MediaStreamTrack, stream: MediaStream): void {
  peer.send({ type: 'ADD_TRACK', track, streams: [stream] });
}
