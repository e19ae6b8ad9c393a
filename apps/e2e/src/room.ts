/**
 * A mesh call as an app writes it with `createRoom` of `@peerstatejs/signaling`, over the
 * reference server: low-resolution camera (160×120, 15 fps: six pages on two cores), one capture
 * sent to every participant. The runner waits for conditions on the room (test/rooms.mjs).
 */
import type { PeerActor } from '@peerstatejs/core';
import { createRoom, type Room } from '@peerstatejs/signaling';
import { record } from './log.js';
import { received, stopProbes, switchToCanvas } from './roomMedia.js';

export interface RoomSpec {
  readonly url: string;
  readonly room: string;
  readonly peerId: string;
}

/** Low enough for 30 encoders and 30 decoders on a 2-core machine. */
export const ROOM_VIDEO = { width: 160, height: 120, frameRate: 15 } as const;

let room: Room | null = null;
/** When each participant's `left` event came (a starved page's polling notices it later). */
const leftAt = new Map<string, number>();

function requireRoom(): Room {
  if (!room) throw new Error('no room: call roomStart first');
  return room;
}

/** Inbound video frames decoded and audio packets received on a peer's current connection. */
async function inbound(peer: PeerActor) {
  const { pc, epoch } = peer.getSnapshot().context;
  const counts = { epoch, frames: 0, audio: 0 };
  if (!pc || pc.signalingState === 'closed') return counts;
  try {
    (await pc.getStats()).forEach((s: Record<string, number | string>) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') counts.frames += Number(s.framesDecoded ?? 0);
      if (s.kind === 'audio') counts.audio += Number(s.packetsReceived ?? 0);
    });
  } catch {
    // Closed between the check and the call (a rebuild): nothing flows on it.
  }
  return counts;
}

function summarize() {
  const snapshot = requireRoom().getSnapshot();
  return {
    state: snapshot.state,
    peerId: snapshot.peerId,
    error: snapshot.error?.message ?? null,
    participants: snapshot.participants.map((p) => ({
      id: p.id,
      polite: p.polite,
      phase: p.view.phase,
      closeReason: p.view.closeReason,
      epoch: p.peer.getSnapshot().context.epoch,
      // Collisions (perfect negotiation's glare): each one costs a round trip at start-up.
      rollbacks: p.peer.getSnapshot().context.counters.rollbacks,
      offersIgnored: p.peer.getSnapshot().context.counters.offersIgnored,
      remoteKinds: p.view.remoteTracks.filter((t) => !t.ended).map((t) => t.track.kind),
    })),
    at: Date.now(),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const roomApi = {
  roomStart(spec: RoomSpec) {
    room = createRoom({
      url: spec.url,
      room: spec.room,
      peerId: spec.peerId,
      media: { audio: true, video: ROOM_VIDEO },
      peer: { dev: false },
    });
    room.on((event) => {
      if (event.type === 'joined' || event.type === 'left')
        record('room', event.type, event.participant.id);
      if (event.type === 'left') leftAt.set(event.participant.id, Date.now());
      if (event.type === 'error') record('room', 'error', event.error.message);
    });
    const phases = new Map<string, string>();
    room.subscribe(() => {
      for (const p of requireRoom().getSnapshot().participants) {
        if (phases.get(p.id) === p.view.phase) continue;
        phases.set(p.id, p.view.phase);
        record('room', 'phase', `${p.id} ${p.view.phase}`);
      }
    });
    room.start();
    return summarize();
  },

  roomSummary: () => summarize(),

  /**
   * Resolves once exactly `ids` are the participants, each connected with its audio and video
   * flowing (inbound framesDecoded and audio packets both grew); `at` is when that held.
   */
  async roomWaitConnected(args: { ids: string[]; timeoutMs: number }) {
    const target = requireRoom();
    const deadline = Date.now() + args.timeoutMs;
    const first = new Map<string, { frames: number; audio: number; epoch: number }>();
    for (;;) {
      const { participants } = target.getSnapshot();
      const wanted = participants.length === args.ids.length;
      let flowing = wanted;
      for (const id of args.ids) {
        const p = participants.find((q) => q.id === id);
        if (p?.view.phase !== 'connected') {
          flowing = false;
          continue;
        }
        const now = await inbound(p.peer);
        const before = first.get(id);
        if (!before || before.epoch !== now.epoch) first.set(id, now);
        if (!before || now.frames <= before.frames || now.audio <= before.audio) flowing = false;
      }
      if (flowing) return summarize();
      if (Date.now() > deadline) {
        throw new Error(
          `not connected with media to ${args.ids.join(',')} in ${args.timeoutMs} ms: ${JSON.stringify(summarize())}`,
        );
      }
      await pause(100);
    }
  },

  /**
   * Resolves once `id` is no participant any more; `at` is when this poll saw it, `leftAt` when
   * the room's `left` event came (the SDK's moment: polling in a starved page lags it).
   */
  async roomWaitGone(args: { id: string; timeoutMs: number }) {
    const target = requireRoom();
    const deadline = Date.now() + args.timeoutMs;
    while (target.getSnapshot().participants.some((p) => p.id === args.id)) {
      if (Date.now() > deadline) {
        const left = summarize().participants.find((p) => p.id === args.id);
        throw new Error(`${args.id} still a participant: ${JSON.stringify(left)}`);
      }
      await pause(20);
    }
    return { ...summarize(), leftAt: leftAt.get(args.id) ?? null };
  },

  /**
   * Samples every participant's inbound video for `ms` (every 150 ms) and reports, per
   * participant, the longest time its decoded-frame count stood still and its epochs seen.
   */
  async roomWatchFrames(args: { ms: number }) {
    const target = requireRoom();
    const watch = new Map<
      string,
      { last: number; since: number; maxStallMs: number; epochs: Set<number> }
    >();
    const end = Date.now() + args.ms;
    while (Date.now() < end) {
      for (const p of target.getSnapshot().participants) {
        const now = await inbound(p.peer);
        const at = Date.now();
        const entry = watch.get(p.id) ?? { last: -1, since: at, maxStallMs: 0, epochs: new Set() };
        entry.epochs.add(now.epoch);
        if (now.frames !== entry.last) {
          entry.last = now.frames;
          entry.since = at;
        }
        entry.maxStallMs = Math.max(entry.maxStallMs, at - entry.since);
        watch.set(p.id, entry);
      }
      await pause(150);
    }
    return Object.fromEntries(
      [...watch].map(([id, e]) => [id, { maxStallMs: e.maxStallMs, epochs: [...e.epochs] }]),
    );
  },

  /** Closes every participant's peer connection underneath: each peer must rebuild its own. */
  roomBreakConnections() {
    for (const p of requireRoom().getSnapshot().participants) {
      p.peer.getSnapshot().context.pc?.close();
    }
    return summarize();
  },

  /** `stoppedAt`: when `stop()` ran (the call may wait in a starved page's task queue). */
  roomStop() {
    const stoppedAt = Date.now();
    requireRoom().stop();
    stopProbes();
    return { ...summarize(), stoppedAt };
  },

  /** What this participant sees and hears of each other (see roomMedia.ts). */
  roomReceived: () => received(requireRoom()),

  roomSetMuted(args: { kind: 'audio' | 'video'; muted: boolean }) {
    requireRoom().setMuted(args.kind, args.muted);
    return summarize();
  },

  /** Switches the camera for a flat magenta canvas on every peer; returns the new track's id. */
  roomSwitchCamera: () => switchToCanvas(requireRoom(), ROOM_VIDEO),
};
