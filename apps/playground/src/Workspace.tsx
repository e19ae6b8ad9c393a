import { type PeerActor, peerMachine } from '@peerstatejs/core';
import type { SessionStore } from '@peerstatejs/core/recorder';
import {
  ENTRY_KINDS,
  type EntryKind,
  type PeerRecord,
  type Session,
} from '@peerstatejs/core/recorder';
import { usePeer } from '@peerstatejs/react';
import {
  type KeyboardEvent,
  type ReactNode,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { PeerControls } from './call/PeerControls.js';
import { MachineDiagram } from './diagram/MachineDiagram.js';
import { activeStates, type DiagramNode, eventLabel, graphOf } from './diagram/machineGraph.js';
import { describeValue, formatAt, summarize } from './panels/format.js';
import { IcePanel } from './panels/IcePanel.js';
import { MediaPanel } from './panels/MediaPanel.js';
import { SdpPanel } from './panels/SdpPanel.js';
import { StatsPanel } from './panels/StatsPanel.js';
import { TimelinePanel } from './panels/TimelinePanel.js';
import {
  candidatesUpTo,
  entriesUpTo,
  entryAt,
  lastSeq,
  lastTransition,
  offersUpTo,
  sdpText,
  snapshotAt,
  statsUpTo,
} from './session/select.js';

const TABS = ['Timeline', 'SDP', 'ICE', 'Stats', 'Media & chat'] as const;
type Tab = (typeof TABS)[number];

/** The phase badge: only a live peer has one (`peerView` needs the real snapshot). */
function LivePhase({ actor }: { actor: PeerActor }) {
  const { phase, error } = usePeer(actor);
  return (
    <span className={`phase phase-${phase}`} data-testid="phase" title={error?.message}>
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

interface ColumnProps {
  readonly session: Session;
  readonly record: PeerRecord;
  readonly actor: PeerActor | null;
  readonly cursor: number;
  readonly graph: DiagramNode;
}

function PeerHeader({ session, record, actor, cursor, graph }: ColumnProps) {
  const snapshot = snapshotAt(record, cursor);
  const last = lastTransition(record, cursor);
  const lastEntry = last ? record.entries.find((entry) => entry.seq === last.seq) : undefined;
  const context = snapshot?.context;
  return (
    <section className="peer-head" data-peer={record.name} aria-label={record.name}>
      <h2>
        {record.name} <span className="muted">({record.polite ? 'polite' : 'impolite'})</span>{' '}
        {actor ? (
          <LivePhase actor={actor} />
        ) : (
          <span className="phase phase-replay" data-testid="phase">
            replay
          </span>
        )}
      </h2>
      <p className="state-line" data-testid="state-line">
        {describeValue(snapshot?.value)}
      </p>
      <LastError record={record} cursor={cursor} fallback={context?.lastError ?? null} />
      {actor ? <PeerControls actor={actor} name={record.name} /> : null}
      <MachineDiagram
        root={graph}
        active={activeStates(graph, snapshot?.value)}
        last={last}
        lastAt={lastEntry?.at}
        label={`${record.name} state machine`}
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

function PeerPanel({
  tab,
  session,
  record,
  actor,
  cursor,
  kinds,
  live,
  onSelect,
}: ColumnProps & {
  tab: Tab;
  kinds: ReadonlySet<EntryKind>;
  live: boolean;
  onSelect: (seq: number) => void;
}) {
  const snapshot = snapshotAt(record, cursor);
  let body: ReactNode;
  switch (tab) {
    case 'Timeline':
      body = (
        <TimelinePanel
          peer={record}
          cursor={cursor}
          live={live}
          kinds={kinds}
          snapshot={snapshot}
          onSelect={onSelect}
        />
      );
      break;
    case 'SDP':
      body = (
        <SdpPanel
          local={snapshot?.context.localDescription ?? null}
          remote={snapshot?.context.remoteDescription ?? null}
          sdpOf={(ref) => sdpText(session, ref)}
          offers={offersUpTo(session, record, cursor)}
        />
      );
      break;
    case 'ICE':
      body = (
        <IcePanel
          candidates={candidatesUpTo(record, cursor)}
          sample={statsUpTo(record, cursor).at(-1)}
        />
      );
      break;
    case 'Stats':
      body = <StatsPanel samples={statsUpTo(record, cursor)} />;
      break;
    case 'Media & chat':
      body = (
        <MediaPanel
          actor={actor}
          context={snapshot?.context}
          entries={entriesUpTo(record, cursor)}
          stats={statsUpTo(record, cursor).at(-1)}
        />
      );
      break;
  }
  return (
    <section className="peer-panel" data-peer={record.name} aria-label={`${record.name} ${tab}`}>
      {body}
    </section>
  );
}

export interface WorkspaceProps {
  readonly store: SessionStore;
  /** The live peers, in session order; empty when replaying an imported session. */
  readonly actors: readonly PeerActor[];
  readonly title: ReactNode;
  readonly actions: ReactNode;
}

/** Both peers side by side: header, commands, diagram, and the tabbed panels, at a cursor. */
export function Workspace({ store, actors, title, actions }: WorkspaceProps) {
  useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);
  const { session } = store;
  const graph = useMemo(() => graphOf(peerMachine.root), []);
  const [cursor, setCursor] = useState<number | null>(null);
  const [tab, setTab] = useState<Tab>('Timeline');
  const [kinds, setKinds] = useState<ReadonlySet<EntryKind>>(() => new Set(ENTRY_KINDS));
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const last = lastSeq(session);
  const live = actors.length > 0;
  const following = live && cursor === null;
  const at = Math.min(cursor ?? last, last);
  const current = entryAt(session, at);
  const moveTo = (seq: number) => setCursor(Math.max(Math.min(seq, last), Math.min(1, last)));

  const toggleKind = (kind: EntryKind) =>
    setKinds((previous) => {
      const next = new Set(previous);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = (index + step + TABS.length) % TABS.length;
    setTab(TABS[next] as Tab);
    tabs.current[next]?.focus();
  };

  return (
    <div className="app">
      <header className="top">
        <h1>{title}</h1>
        <div className="top-actions">{actions}</div>
      </header>
      <fieldset className="replay plain">
        <legend className="visually-hidden">Replay</legend>
        <button type="button" onClick={() => moveTo(1)} disabled={last === 0}>
          ⇤ First
        </button>
        <button type="button" onClick={() => moveTo(at - 1)} disabled={at <= 1}>
          ◀ Step back
        </button>
        <input
          type="range"
          aria-label="Replay position"
          min={Math.min(1, last)}
          max={last}
          value={at}
          onChange={(event) => moveTo(Number(event.target.value))}
          data-testid="scrubber"
        />
        <button type="button" onClick={() => moveTo(at + 1)} disabled={at >= last}>
          Step ▶
        </button>
        <button type="button" onClick={() => moveTo(last)} disabled={last === 0}>
          Last ⇥
        </button>
        {live ? (
          <button
            type="button"
            className={following ? 'live on' : 'live'}
            aria-pressed={following}
            onClick={() => setCursor(null)}
          >
            ● Live
          </button>
        ) : null}
        <output className="position" data-testid="position">
          #{at} / {last}
          {current
            ? ` · ${formatAt(current.entry.at)} · ${session.peers[current.peer]?.name}: ${eventLabel(current.entry.type)} ${summarize(current.entry, 60)}`
            : ''}
        </output>
      </fieldset>

      <div className={`peers peers-${session.peers.length}`}>
        {session.peers.map((record, index) => (
          <PeerHeader
            key={record.name}
            session={session}
            record={record}
            actor={actors[index] ?? null}
            cursor={at}
            graph={graph}
          />
        ))}
      </div>

      <div className="tabbar">
        <div role="tablist" aria-label="Panels">
          {TABS.map((name, index) => (
            <button
              key={name}
              ref={(element) => {
                tabs.current[index] = element;
              }}
              type="button"
              role="tab"
              id={`tab-${index}`}
              aria-selected={tab === name}
              aria-controls="panels"
              tabIndex={tab === name ? 0 : -1}
              onClick={() => setTab(name)}
              onKeyDown={(event) => onTabKey(event, index)}
            >
              {name}
            </button>
          ))}
        </div>
        {tab === 'Timeline' ? (
          <fieldset className="filters">
            <legend className="visually-hidden">Show kinds</legend>
            {ENTRY_KINDS.map((kind) => (
              <label key={kind} className={`kind kind-${kind}`}>
                <input
                  type="checkbox"
                  checked={kinds.has(kind)}
                  onChange={() => toggleKind(kind)}
                />{' '}
                {kind}
              </label>
            ))}
          </fieldset>
        ) : null}
      </div>

      <div
        id="panels"
        role="tabpanel"
        aria-labelledby={`tab-${TABS.indexOf(tab)}`}
        className={`peers peers-${session.peers.length}`}
      >
        {session.peers.map((record, index) => (
          <PeerPanel
            key={record.name}
            tab={tab}
            session={session}
            record={record}
            actor={actors[index] ?? null}
            cursor={at}
            graph={graph}
            kinds={kinds}
            live={following}
            onSelect={moveTo}
          />
        ))}
      </div>
    </div>
  );
}
