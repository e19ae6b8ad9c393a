/**
 * Records a session from XState inspection: every event a peer's actor processed, every
 * transition it took, and a plain projection of the snapshot after each event.
 * @module
 */
import type { PeerSnapshot } from '@peerstatejs/core';
import type { AnyEventObject, InspectionEvent } from 'xstate';
import { kindOf, projectContext, toPlain } from './project.js';
import type { Json, PeerRecord, Session, SessionEntry, StatsSample } from './types.js';
import { SESSION_FORMAT, SESSION_VERSION } from './types.js';

/** Something React can subscribe to: a session that may grow, and a version that says it did. */
export interface SessionStore {
  readonly session: Session;
  subscribe(listener: () => void): () => void;
  getVersion(): number;
}

export interface SessionRecorder extends SessionStore {
  /** The `inspect` option for the peer at `index`. */
  inspector(index: number): (event: InspectionEvent) => void;
  /** Adds a `getStats` sample, stamped with the current position. */
  addStats(index: number, sample: Omit<StatsSample, 'seq' | 'at'>): void;
  /** Milliseconds since the session started. */
  elapsed(): number;
}

export interface RecorderOptions {
  readonly signaling: string;
  readonly peers: readonly { readonly name: string; readonly polite: boolean }[];
  readonly now?: () => number;
}

/** A store over a session that no longer changes (an imported one). */
export function staticStore(session: Session): SessionStore {
  return { session, subscribe: () => () => {}, getVersion: () => 0 };
}

export function createSessionRecorder(options: RecorderOptions): SessionRecorder {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const startedAt = now();
  const elapsed = () => Math.round((now() - startedAt) * 10) / 10;
  const sdpIndex = new Map<string, number>();
  const session: Session = {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    startedAt: Math.round(startedAt),
    signaling: options.signaling,
    peers: options.peers.map(
      (peer): PeerRecord => ({ ...peer, entries: [], snapshots: [], stats: [] }),
    ),
    sdps: [],
  };
  const intern = (sdp: string): number => {
    let index = sdpIndex.get(sdp);
    if (index === undefined) {
      index = session.sdps.push(sdp) - 1;
      sdpIndex.set(sdp, index);
    }
    return index;
  };

  let seq = 0;
  let version = 0;
  let scheduled = false;
  const listeners = new Set<() => void>();
  const changed = () => {
    if (scheduled) return;
    scheduled = true;
    // Coalesce the burst of inspection events one peer-connection event causes.
    queueMicrotask(() => {
      scheduled = false;
      version += 1;
      for (const listener of [...listeners]) listener();
    });
  };

  function inspector(index: number): (event: InspectionEvent) => void {
    const peer = session.peers[index];
    if (!peer) throw new RangeError(`no peer ${index}`);
    /** Events sent to the actor and not processed yet, in mailbox (FIFO) order. */
    const pending: AnyEventObject[] = [];
    /**
     * The seqs of the events seen in the current macrostep, by object. Only within one macrostep:
     * XState reuses one event object for every firing of a state's `after` timer, and `raise` of
     * a static object reuses it too, so identity cannot number events across macrosteps (a second
     * firing took the first one's seq and the snapshots fell out of seq order).
     */
    let seqOf = new Map<AnyEventObject, number>();
    let root: string | undefined;
    /** The seq of the first event processed since the last snapshot: the macrostep's event. */
    let macrostep: number | undefined;

    const push = (entry: Omit<SessionEntry, 'seq' | 'at'>): number => {
      seq += 1;
      peer.entries.push({ seq, at: elapsed(), ...entry });
      return seq;
    };
    const entryFor = (event: AnyEventObject, raised: boolean): number => {
      const { type, ...payload } = event;
      const detail = toPlain(payload, intern);
      const withFlag: Json =
        raised && detail && typeof detail === 'object' && !Array.isArray(detail)
          ? { ...detail, raised: true }
          : detail;
      const entrySeq = push({ kind: kindOf(type), type, detail: withFlag });
      seqOf.set(event, entrySeq);
      return entrySeq;
    };
    /**
     * The seq of the event being processed. Events get theirs when processing starts, not when
     * sent (an action may send the next event before the current one's transitions are known),
     * so `seq` order is processing order. Raised events never pass the mailbox: they get one here.
     */
    const processing = (event: AnyEventObject): number => {
      let known = seqOf.get(event);
      if (known === undefined) {
        const at = pending.indexOf(event);
        if (at === -1) known = entryFor(event, true);
        else {
          for (const earlier of pending.splice(0, at + 1)) entryFor(earlier, false);
          known = seqOf.get(event) as number;
        }
      }
      macrostep ??= known;
      return known;
    };

    return (inspection) => {
      if (inspection.actorRef.sessionId !== inspection.rootId) return;
      if (inspection.type === '@xstate.actor' || inspection.type === '@xstate.action') return;
      // StrictMode may create a second actor that never starts: follow the first that runs.
      root ??= inspection.rootId;
      if (inspection.rootId !== root) return;
      switch (inspection.type) {
        case '@xstate.event':
          pending.push(inspection.event);
          break;
        case '@xstate.microstep': {
          processing(inspection.event);
          for (const transition of inspection._transitions) {
            if (!transition.target?.length) continue;
            push({
              kind: 'transition',
              type: inspection.event.type,
              detail: {
                from: transition.source.id,
                to: transition.target.map((node) => node.id),
                eventType: String(transition.eventType),
              },
            });
          }
          break;
        }
        case '@xstate.snapshot': {
          const snapshot = inspection.snapshot as PeerSnapshot;
          // The snapshot's event is the macrostep's (a start reports its init event twice, as
          // two objects: the microstep's and the snapshot's).
          let snapshotSeq = macrostep;
          if (snapshotSeq === undefined) snapshotSeq = processing(inspection.event);
          else if (!seqOf.has(inspection.event)) {
            const at = pending.indexOf(inspection.event);
            if (at !== -1) pending.splice(at, 1);
            seqOf.set(inspection.event, snapshotSeq);
          }
          macrostep = undefined;
          seqOf = new Map();
          peer.snapshots.push({
            seq: snapshotSeq,
            at: elapsed(),
            status: snapshot.status,
            value: toPlain(snapshot.value, intern),
            context: projectContext(snapshot.context, intern),
          });
          break;
        }
      }
      changed();
    };
  }

  return {
    session,
    inspector,
    elapsed,
    addStats(index, sample) {
      session.peers[index]?.stats.push({ ...sample, seq, at: elapsed() });
      changed();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getVersion: () => version,
  };
}
