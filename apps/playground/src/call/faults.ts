/**
 * Faults on demand: the in-memory signaling wire made slow, lossy or out of order, a bandwidth
 * cap on the media (`maxBitrate`, through `RTCRtpSender.setParameters`), and a relay-only ICE
 * policy. Every fault set, and every message it lost or held back, is a `fault` entry of the
 * recording, so the timeline shows it beside what it caused.
 * @module
 */
import type { PeerActor, SignalingChannel, SignalingMessage } from '@peerstatejs/core';
import type { SessionRecorder } from '@peerstatejs/core/recorder';

export interface WireFaults {
  /** Milliseconds added to every message. */
  readonly latencyMs: number;
  /** Share of messages lost, 0–100. */
  readonly lossPct: number;
  /** Hold every other message back until the next one has gone (two messages swap places). */
  readonly reorder: boolean;
}

export const NO_WIRE_FAULTS: WireFaults = { latencyMs: 0, lossPct: 0, reorder: false };

/** How long a held-back message waits at most for one to overtake it. */
const REORDER_HOLD_MS = 500;

export interface Faults {
  /** The wire's faults (in-memory signaling only: the page owns that wire). */
  readonly wire: WireFaults | null;
  setWire(next: WireFaults): void;
  /** Caps each video sender of the peer's current connection; `null` lifts the cap. */
  capBitrate(index: number, actor: PeerActor, kbps: number | null): Promise<number>;
  subscribe(listener: () => void): () => void;
}

export interface FaultyWire extends Faults {
  /** The channel peer `index` sends through: faults apply to what it sends. */
  wrap(index: number, channel: SignalingChannel): SignalingChannel;
}

function describe(message: SignalingMessage): string {
  const { type } = message;
  if (type === 'description') return `description (${message.description.type})`;
  return type;
}

export function createFaults(
  recorder: SessionRecorder,
  peerCount: number,
  options: { readonly wire: boolean; readonly random?: () => number },
): FaultyWire {
  const random = options.random ?? Math.random;
  let wire: WireFaults | null = options.wire ? NO_WIRE_FAULTS : null;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  /** Per sender, the message held back for reordering and its timer. */
  const held = new Map<
    number,
    { message: string; send: () => void; timer: ReturnType<typeof setTimeout> }
  >();

  const wrap = (index: number, channel: SignalingChannel): SignalingChannel => ({
    send(message) {
      const faults = wire ?? NO_WIRE_FAULTS;
      if (faults.lossPct > 0 && random() * 100 < faults.lossPct) {
        recorder.addFault(index, 'signaling.lost', { message: describe(message) });
        return;
      }
      const go = () => {
        if (faults.latencyMs > 0) setTimeout(() => channel.send(message), faults.latencyMs);
        else channel.send(message);
      };
      const waiting = held.get(index);
      if (waiting) {
        // This message overtakes the held one, which goes right after it.
        clearTimeout(waiting.timer);
        held.delete(index);
        recorder.addFault(index, 'signaling.reordered', {
          overtaken: waiting.message,
          by: describe(message),
        });
        go();
        waiting.send();
        return;
      }
      if (faults.reorder) {
        recorder.addFault(index, 'signaling.held', {
          message: describe(message),
          upToMs: REORDER_HOLD_MS,
        });
        const timer = setTimeout(() => {
          held.delete(index);
          go();
        }, REORDER_HOLD_MS);
        held.set(index, { message: describe(message), send: go, timer });
        return;
      }
      go();
    },
    subscribe: (listener) => channel.subscribe(listener),
  });

  return {
    get wire() {
      return wire;
    },
    setWire(next) {
      if (!wire)
        throw new Error('the signaling wire is not in this page: faults need in-memory signaling');
      wire = next;
      for (let index = 0; index < peerCount; index += 1) {
        recorder.addFault(index, 'signaling.faults', { ...next });
      }
      changed();
    },
    async capBitrate(index, actor, kbps) {
      const pc = actor.getSnapshot().context.pc;
      const senders = (pc?.getSenders() ?? []).filter((sender) => sender.track?.kind === 'video');
      for (const sender of senders) {
        const parameters = sender.getParameters();
        for (const encoding of parameters.encodings ?? []) {
          if (kbps === null) delete encoding.maxBitrate;
          else encoding.maxBitrate = kbps * 1000;
        }
        await sender.setParameters(parameters);
      }
      recorder.addFault(index, 'media.maxBitrate', { kbps, senders: senders.length });
      changed();
      return senders.length;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wrap,
  };
}
