import type { PeerActor } from '@peerstatejs/core';
import type { PeerRecord, Session } from '@peerstatejs/core/recorder';
import { usePeer } from '@peerstatejs/react';
import { useState } from 'react';
import { BitrateCap } from './call/FaultControls.js';
import type { Faults } from './call/faults.js';
import { PeerControls } from './call/PeerControls.js';
import type { Chart } from './diagram/chart.js';
import { MachineDiagram } from './diagram/MachineDiagram.js';
import { activeStates, activeTags, phaseOf } from './diagram/machineGraph.js';
import { NextTransitions } from './diagram/NextTransitions.js';
import { StateGraph } from './diagram/StateGraph.js';
import { type DiagramTransition, transitionsFrom } from './diagram/transitions.js';
import { describeValue, formatAt } from './panels/format.js';
import { entriesUpTo, lastTransition, snapshotAt } from './session/select.js';

/** The live phase badge: `peerView` needs the real snapshot. */
function LivePhase({ actor }: { actor: PeerActor }) {
  const { phase, error } = usePeer(actor);
  return (
    <span
      className={`phase phase-${phase}`}
      data-testid="phase"
      data-live="true"
      title={error?.message}
    >
      {phase}
    </span>
  );
}

/**
 * The newest error up to the cursor, as history: when it happened, and whether the peer has been
 * connected since (a banner that outlived its cause looked like a broken call that works).
 */
function LastError({
  record,
  cursor,
  fallback,
}: {
  record: PeerRecord;
  cursor: number;
  fallback: { readonly code: string; readonly message: string } | null;
}) {
  const entries = entriesUpTo(record, cursor);
  const entry = entries.findLast((e) => e.kind === 'error');
  if (!entry) {
    // Sessions recorded before errors were entries (format 1) only have the context's copy.
    if (!fallback || record.entries.some((e) => e.kind === 'sent')) return null;
    return (
      <p className="error" data-testid="last-error">
        <b>{fallback.code}</b> {fallback.message}
      </p>
    );
  }
  const recovered = entries.some(
    (e) =>
      e.seq > entry.seq &&
      e.kind === 'transition' &&
      JSON.stringify(e.detail).includes('active.connection.connected'),
  );
  const detail = entry.detail;
  const error =
    detail && typeof detail === 'object' && !Array.isArray(detail) ? detail.error : undefined;
  const message =
    error && typeof error === 'object' && !Array.isArray(error) && typeof error.message === 'string'
      ? error.message
      : '';
  return (
    <p
      className={recovered ? 'error error-past' : 'error'}
      data-testid="last-error"
      data-recovered={String(recovered)}
    >
      <b>{entry.type}</b> at {formatAt(entry.at)} {message}
      {recovered ? <span className="muted"> (connected again since)</span> : null}
    </p>
  );
}

export interface PeerHeaderProps {
  readonly session: Session;
  readonly record: PeerRecord;
  readonly index: number;
  readonly actor: PeerActor | null;
  readonly cursor: number;
  /** Following the live call (else the badge shows the replayed moment's phase). */
  readonly live: boolean;
  readonly chart: Chart;
  readonly faults: Faults | null;
}

export function PeerHeader({
  session,
  record,
  index,
  actor,
  cursor,
  live,
  chart,
  faults,
}: PeerHeaderProps) {
  const snapshot = snapshotAt(record, cursor);
  const last = lastTransition(record, cursor);
  const lastEntry = last ? record.entries.find((entry) => entry.seq === last.seq) : undefined;
  const context = snapshot?.context;
  const active = activeStates(chart.root, snapshot?.value);
  const [focus, setFocus] = useState<DiagramTransition | null>(null);
  // No snapshot yet at this moment (the other peer's first event came first): nothing to show.
  const replayedPhase = snapshot ? phaseOf(activeTags(chart.root, active.ids)) : '—';
  return (
    <section className="peer-head" data-peer={record.name} aria-label={record.name}>
      <h2>
        {record.name} <span className="muted">({record.polite ? 'polite' : 'impolite'})</span>{' '}
        {actor && live ? (
          <LivePhase actor={actor} />
        ) : (
          <span
            className={`phase phase-replay phase-${replayedPhase}`}
            data-testid="phase"
            data-live="false"
            title={`The phase at #${cursor}, not the live one`}
          >
            replay: {replayedPhase}
          </span>
        )}
      </h2>
      <p className="state-line" data-testid="state-line">
        {describeValue(snapshot?.value)}
      </p>
      <LastError record={record} cursor={cursor} fallback={context?.lastError ?? null} />
      {actor ? <PeerControls actor={actor} name={record.name} /> : null}
      {actor && faults ? (
        <BitrateCap actor={actor} faults={faults} index={index} name={record.name} />
      ) : null}
      <MachineDiagram
        root={chart.root}
        active={active}
        last={last}
        lastAt={lastEntry?.at}
        label={`${record.name} state machine`}
      />
      <StateGraph
        views={chart.views}
        active={active.ids}
        last={last}
        focus={focus}
        label={`${record.name} statechart`}
      />
      <NextTransitions
        transitions={transitionsFrom(chart.transitions, active.ids)}
        label={`${record.name}: transitions out of the current state`}
        onFocus={setFocus}
      />
      {context ? (
        <ul className="counters" aria-label={`${record.name} counters`}>
          {Object.entries(context.counters).map(([key, value]) => (
            <li key={key} data-counter={key} data-value={value} className={value ? '' : 'zero'}>
              {key} <b>{value}</b>
            </li>
          ))}
          <li>
            pc <b>{context.pcStates.connection}</b>/ice <b>{context.pcStates.iceConnection}</b>
          </li>
          {session.signaling !== 'in-memory' ? <li>signaling {session.signaling}</li> : null}
        </ul>
      ) : null}
    </section>
  );
}
