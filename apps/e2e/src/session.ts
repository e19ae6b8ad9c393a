/**
 * A 1:1 call as an app writes it with `createSignalingSession` of `@peerstatejs/signaling`, over
 * the reference server: no `polite`, no presence wiring. The runner reads the session's
 * snapshot and waits for conditions on it (test/session.mjs).
 */
import {
  createSignalingSession,
  type SignalingSession,
  type SignalingSessionSnapshot,
} from '@peerstatejs/signaling';
import { record } from './log.js';

export interface SessionSpec {
  readonly url: string;
  readonly room: string;
  readonly peerId?: string;
  /** A TURN REST endpoint (`GET` → `{ urls, username, credential }`): relay-only, fetched each time. */
  readonly turnApi?: string;
}

/** What a condition may ask of the snapshot; every given field must match. */
export interface SessionCondition {
  readonly state?: string;
  readonly remote?: string | null;
  readonly phase?: string;
  readonly closeReason?: string | null;
  /** The peer is another one than the peer of this earlier summary (`peerSerial`). */
  readonly newerThan?: number;
  /** More TURN credentials were fetched than this. */
  readonly issuedAbove?: number;
}

let session: SignalingSession | null = null;
let issued = 0;
const serials = new WeakMap<object, number>();
let nextSerial = 1;

function serialOf(snapshot: SignalingSessionSnapshot): number | null {
  if (!snapshot.peer) return null;
  let serial = serials.get(snapshot.peer);
  if (serial === undefined) {
    serial = nextSerial++;
    serials.set(snapshot.peer, serial);
  }
  return serial;
}

function summarize(snapshot: SignalingSessionSnapshot) {
  return {
    state: snapshot.state,
    peerId: snapshot.peerId,
    remote: snapshot.remote,
    polite: snapshot.polite,
    phase: snapshot.view?.phase ?? null,
    closeReason: snapshot.view?.closeReason ?? null,
    peerSerial: serialOf(snapshot),
    credentialsIssued: issued,
    at: Date.now(),
  };
}

function matches(snapshot: SignalingSessionSnapshot, until: SessionCondition): boolean {
  const s = summarize(snapshot);
  return (
    (until.state === undefined || s.state === until.state) &&
    (until.remote === undefined || s.remote === until.remote) &&
    (until.phase === undefined || s.phase === until.phase) &&
    (until.closeReason === undefined || s.closeReason === until.closeReason) &&
    (until.newerThan === undefined || (s.peerSerial ?? 0) > until.newerThan) &&
    (until.issuedAbove === undefined || s.credentialsIssued > until.issuedAbove)
  );
}

function requireSession(): SignalingSession {
  if (!session) throw new Error('no session: call sessionStart first');
  return session;
}

export const sessionApi = {
  sessionStart(spec: SessionSpec) {
    const { turnApi } = spec;
    session = createSignalingSession({
      url: spec.url,
      room: spec.room,
      ...(spec.peerId ? { peerId: spec.peerId } : {}),
      media: { video: true },
      peer: {
        dev: false,
        ...(turnApi
          ? {
              // Short-lived TURN credentials: fetched again for each connection and ICE restart.
              configuration: async (): Promise<RTCConfiguration> => {
                const response = await fetch(turnApi);
                const server = (await response.json()) as RTCIceServer;
                issued += 1;
                record('session', 'turn-credentials', String(server.username));
                return { iceServers: [server], iceTransportPolicy: 'relay' };
              },
            }
          : {}),
      },
    });
    session.subscribe(() => {
      const s = summarize(requireSession().getSnapshot());
      record('session', 'snapshot', `${s.state} ${s.remote} ${s.phase} ${s.closeReason}`);
    });
    session.start();
    return summarize(session.getSnapshot());
  },

  sessionSummary: () => summarize(requireSession().getSnapshot()),

  /** Resolves with the summary at the moment the condition held (its `at`: wall clock). */
  sessionWait(args: { until: SessionCondition; timeoutMs: number }) {
    const target = requireSession();
    return new Promise<ReturnType<typeof summarize>>((resolve, reject) => {
      const check = (): void => {
        const snapshot = target.getSnapshot();
        if (!matches(snapshot, args.until)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(summarize(snapshot));
      };
      const timer = setTimeout(() => {
        unsubscribe();
        reject(
          new Error(
            `sessionWait ${JSON.stringify(args.until)} not met in ${args.timeoutMs} ms: ${JSON.stringify(summarize(target.getSnapshot()))}`,
          ),
        );
      }, args.timeoutMs);
      const unsubscribe = target.subscribe(check);
      check();
    });
  },

  sessionRestartIce() {
    requireSession().getSnapshot().peer?.send({ type: 'RESTART_ICE' });
  },

  /** Closes the peer connection underneath the machine: it rebuilds (`connection-closed`). */
  sessionClosePeerConnection() {
    requireSession().getSnapshot().peer?.getSnapshot().context.pc?.close();
  },

  /**
   * The selected candidate pair's local and remote candidate types (`relay`, `host`, …) and
   * ICE ufrags: after an ICE restart, a pair of the new generation proves it gathered again.
   */
  async sessionSelectedPair() {
    const pc = requireSession().getSnapshot().peer?.getSnapshot().context.pc;
    if (!pc) return null;
    const report = await pc.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    report.forEach((stat: Record<string, unknown>) => {
      byId.set(String(stat.id), stat);
    });
    for (const stat of byId.values()) {
      if (stat.type !== 'transport' || typeof stat.selectedCandidatePairId !== 'string') continue;
      const pair = byId.get(stat.selectedCandidatePairId);
      const local = byId.get(String(pair?.localCandidateId));
      const remote = byId.get(String(pair?.remoteCandidateId));
      return {
        local: local?.candidateType ?? null,
        remote: remote?.candidateType ?? null,
        // The ICE generation of the pair in use, and the one the connection now offers.
        pairUfrag: local?.usernameFragment ?? null,
        ufrag: /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1] ?? null,
      };
    }
    return null;
  },
};
