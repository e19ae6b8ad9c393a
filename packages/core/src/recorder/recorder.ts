/**
 * Records a session from XState inspection: every event a peer's actor processed, every
 * transition it took, and a plain projection of the snapshot after each event; plus, when wired,
 * every signaling message sent, every error emitted and the stats samples. Bounded: past a limit
 * the oldest records go, counted in `dropped`.
 * @module
 */
import type { AnyEventObject, InspectionEvent } from 'xstate';
import type { PeerActor, PeerSnapshot } from '../machine/createPeer.js';
import type { SignalingChannel } from '../signaling/types.js';
import type { StatsSample as SdkStatsSample } from '../stats/types.js';
import { kindOf, projectContext, toPlain } from './project.js';
import { recordedStats } from './stats.js';
import type { Json, PeerRecord, Session, SessionEntry, SnapshotRecord } from './types.js';
import { SESSION_FORMAT, SESSION_VERSION } from './types.js';

/** Something React can subscribe to: a session that may grow, and a version that says it did. */
export interface SessionStore {
  readonly session: Session;
  /** Called (once per burst) after the session grew; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Grows with every change: what `useSyncExternalStore` compares. */
  getVersion(): number;
}

/** A recorder: wire it into a peer with {@link SessionRecorder.inspector} and friends. */
export interface SessionRecorder extends SessionStore {
  /** The `inspect` option for the peer at `index`. */
  inspector(index: number): (event: InspectionEvent) => void;
  /** The peer's signaling channel, recording every message it sends (received ones are events). */
  tapSignaling(index: number, channel: SignalingChannel): SignalingChannel;
  /** Records the `error` events the peer emits. Returns the unsubscribe function. */
  watch(index: number, actor: PeerActor): () => void;
  /**
   * Records a fault injected on purpose (a delayed or lost signaling message, a bandwidth cap…)
   * as a `fault` entry, so the timeline shows it beside what it caused.
   */
  addFault(index: number, type: string, detail: Json): void;
  /** Adds a stats sample (from `@peerstatejs/core/stats`), stamped with the current position. */
  addStats(index: number, sample: SdkStatsSample): void;
  /** Milliseconds since the session started. */
  elapsed(): number;
}

/** Per peer, how many records of each list are kept; the oldest go first. */
export interface RecorderLimits {
  /** Default 50 000. */
  readonly entries?: number;
  /** Default 50 000. */
  readonly snapshots?: number;
  /** Default 3 600 (an hour at one sample a second). */
  readonly stats?: number;
}

/** Options of {@link createSessionRecorder}. */
export interface RecorderOptions {
  /** What the peers signal over, for the reader (`in-memory`, `websocket`, …). */
  readonly signaling: string;
  readonly peers: readonly { readonly name: string; readonly polite: boolean }[];
  /** Epoch milliseconds (default `performance.timeOrigin + performance.now()`). */
  readonly now?: () => number;
  readonly limits?: RecorderLimits;
}

/** Keeps a list at `limit` by dropping its oldest tenth; returns what went. */
function bound<T>(list: T[], limit: number): T[] {
  if (list.length <= limit) return [];
  return list.splice(0, Math.max(list.length - limit, Math.ceil(limit / 10)));
}

/** Calls `use` with every `{ $sdp }` index in a recorded value (what `toPlain` interned). */
function forEachSdpRef(value: unknown, use: (index: number) => void): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) forEachSdpRef(item, use);
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.$sdp === 'number') use(record.$sdp);
  for (const item of Object.values(record)) forEachSdpRef(item, use);
}

/** The SDP indices of a snapshot's two descriptions (`projectContext`'s refs). */
function forEachDescriptionSdp(snapshot: SnapshotRecord, use: (index: number) => void): void {
  const { localDescription, remoteDescription } = snapshot.context;
  if (localDescription) use(localDescription.sdp);
  if (remoteDescription) use(remoteDescription.sdp);
}

/** A store over a session that no longer changes (an imported one). */
export function staticStore(session: Session): SessionStore {
  return { session, subscribe: () => () => {}, getVersion: () => 0 };
}

/** Creates a recorder for the given peers (one index each). */
export function createSessionRecorder(options: RecorderOptions): SessionRecorder {
  const limits = {
    entries: options.limits?.entries ?? 50_000,
    snapshots: options.limits?.snapshots ?? 50_000,
    stats: options.limits?.stats ?? 3_600,
  };
  const drop = (peer: PeerRecord, list: 'entries' | 'snapshots' | 'stats') => {
    const dropped = bound<unknown>(peer[list], limits[list]);
    if (dropped.length === 0) return;
    const counts = peer.dropped ?? { entries: 0, snapshots: 0, stats: 0 };
    peer.dropped = { ...counts, [list]: counts[list] + dropped.length };
    forEachSdpRef(dropped, release);
    if (list === 'snapshots') {
      for (const snapshot of dropped as SnapshotRecord[]) forEachDescriptionSdp(snapshot, release);
    }
  };
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
  // References per SDP: once the records that refer to one are all dropped, its text goes too
  // (the slot stays, empty, so the indices of the others hold). Without this the bounds on
  // entries and snapshots did not bound memory: every trickled candidate makes a new SDP.
  const sdpRefs: number[] = [];
  const intern = (sdp: string): number => {
    let index = sdpIndex.get(sdp);
    if (index === undefined) {
      index = session.sdps.push(sdp) - 1;
      sdpIndex.set(sdp, index);
      sdpRefs[index] = 0;
    }
    sdpRefs[index] = (sdpRefs[index] ?? 0) + 1;
    return index;
  };
  const release = (index: number): void => {
    const left = (sdpRefs[index] ?? 0) - 1;
    sdpRefs[index] = left;
    if (left > 0) return;
    const text = session.sdps[index];
    if (text !== undefined && sdpIndex.get(text) === index) sdpIndex.delete(text);
    session.sdps[index] = '';
  };

  let seq = 0;
  let version = 0;
  const pushEntry = (peer: PeerRecord, entry: Omit<SessionEntry, 'seq' | 'at'>): number => {
    seq += 1;
    peer.entries.push({ seq, at: elapsed(), ...entry });
    drop(peer, 'entries');
    return seq;
  };
  const peerAt = (index: number): PeerRecord => {
    const peer = session.peers[index];
    if (!peer) throw new RangeError(`no peer ${index}`);
    return peer;
  };
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
    const peer = peerAt(index);
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

    const push = (entry: Omit<SessionEntry, 'seq' | 'at'>): number => pushEntry(peer, entry);
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
          drop(peer, 'snapshots');
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
      const peer = peerAt(index);
      peer.stats.push({ ...recordedStats(sample), seq, at: elapsed() });
      drop(peer, 'stats');
      changed();
    },
    addFault(index, type, detail) {
      pushEntry(peerAt(index), { kind: 'fault', type, detail: toPlain(detail, intern) });
      changed();
    },
    tapSignaling(index, channel) {
      const peer = peerAt(index);
      return {
        send(message) {
          const { type, ...payload } = message;
          pushEntry(peer, { kind: 'sent', type, detail: toPlain(payload, intern) });
          changed();
          return channel.send(message);
        },
        subscribe: (listener) => channel.subscribe(listener),
      };
    },
    watch(index, actor) {
      const peer = peerAt(index);
      const subscription = actor.on('error', (event) => {
        pushEntry(peer, { kind: 'error', type: event.error.code, detail: toPlain(event, intern) });
        changed();
      });
      return () => subscription.unsubscribe();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getVersion: () => version,
  };
}
