import type { PeerActor } from '@peerstatejs/core';
import { useEffect } from 'react';
import type { SessionRecorder } from '../session/recorder.js';
import { reduceStats, type StatsRecord } from '../stats/reduceStats.js';

export const STATS_INTERVAL_MS = 1000;

/** Samples `getStats` on the machine's own peer connection once a second into the recording. */
export function useStatsSampler(actor: PeerActor, recorder: SessionRecorder, index: number): void {
  useEffect(() => {
    let busy = false;
    const timer = setInterval(() => {
      const snapshot = actor.getSnapshot();
      const pc = snapshot.context.pc;
      if (busy || !pc || snapshot.status !== 'active' || !snapshot.matches('active')) return;
      if (pc.signalingState === 'closed') return;
      busy = true;
      pc.getStats()
        .then((report) => {
          const previous = recorder.session.peers[index]?.stats.at(-1)?.totals;
          recorder.addStats(index, reduceStats(report.values() as Iterable<StatsRecord>, previous));
        })
        // A connection closed between the check and the call has no stats: skip this tick.
        .catch(() => {})
        .finally(() => {
          busy = false;
        });
    }, STATS_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [actor, recorder, index]);
}
