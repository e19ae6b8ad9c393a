/**
 * The room benchmark's page: one participant of a `createRoom` mesh over the reference server,
 * 160×120 video at 15 fps and audio, as the e2e rooms scenario sends. The runner (rooms.mjs)
 * opens one page per participant and times each join.
 */
import type { PeerActor } from '@peerstatejs/core';
import { createRoom, type Room } from '@peerstatejs/signaling';

let room: Room | null = null;

async function inbound(peer: PeerActor): Promise<{ frames: number; audio: number }> {
  const { pc } = peer.getSnapshot().context;
  const counts = { frames: 0, audio: 0 };
  if (!pc || pc.signalingState === 'closed') return counts;
  (await pc.getStats()).forEach((s: Record<string, number | string>) => {
    if (s.type !== 'inbound-rtp') return;
    if (s.kind === 'video') counts.frames += Number(s.framesDecoded ?? 0);
    if (s.kind === 'audio') counts.audio += Number(s.packetsReceived ?? 0);
  });
  return counts;
}

const api = {
  start(url: string, name: string, peerId: string) {
    room = createRoom({
      url,
      room: name,
      peerId,
      media: { audio: true, video: { width: 160, height: 120, frameRate: 15 } },
      peer: { dev: false },
    });
    room.start();
  },
  /** Ms epoch at which `ids` were all connected with video frames and audio packets arriving. */
  async connectedTo(ids: string[], timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    const first = new Map<string, { frames: number; audio: number }>();
    for (;;) {
      const participants = room?.getSnapshot().participants ?? [];
      let ok = true;
      for (const id of ids) {
        const p = participants.find((q) => q.id === id);
        if (p?.view.phase !== 'connected') {
          ok = false;
          continue;
        }
        const now = await inbound(p.peer);
        const before = first.get(id);
        if (!before) first.set(id, now);
        if (!before || now.frames <= before.frames || now.audio <= before.audio) ok = false;
      }
      if (ok) return Date.now();
      if (Date.now() > deadline) throw new Error(`not connected to ${ids.join(',')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  },
};

declare global {
  interface Window {
    roomBench?: typeof api;
  }
}
window.roomBench = api;
