import type { PeerActor } from '@peerstatejs/core';
import {
  ENTRY_KINDS,
  type PeerRecord,
  type Session,
  type SessionStore,
} from '@peerstatejs/core/recorder';
import {
  type KeyboardEvent,
  type ReactNode,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { Faults } from './call/faults.js';
import { type Chart, peerChart } from './diagram/chart.js';
import { PeerHeader } from './PeerHeader.js';
import { formatAt } from './panels/format.js';
import { IcePanel } from './panels/IcePanel.js';
import { MediaPanel } from './panels/MediaPanel.js';
import { SdpPanel } from './panels/SdpPanel.js';
import { StatsPanel } from './panels/StatsPanel.js';
import { TimelineFilters } from './panels/TimelineFilters.js';
import { TimelinePanel } from './panels/TimelinePanel.js';
import { ReplayBar } from './ReplayBar.js';
import { filterEntries, nextError, type TimelineFilter } from './session/filter.js';
import {
  candidatesUpTo,
  entriesUpTo,
  lastSeq,
  offersUpTo,
  sdpText,
  snapshotAt,
  statsUpTo,
} from './session/select.js';

const TABS = ['Timeline', 'SDP', 'ICE', 'Stats', 'Media & chat'] as const;
type Tab = (typeof TABS)[number];

interface PanelProps {
  readonly tab: Tab;
  readonly session: Session;
  readonly record: PeerRecord;
  readonly actor: PeerActor | null;
  readonly cursor: number;
  readonly filter: TimelineFilter;
  readonly live: boolean;
  readonly pinned: number | null;
  readonly onSelect: (seq: number) => void;
  readonly onPin: (pin: boolean) => void;
}

function PeerPanel({
  tab,
  session,
  record,
  actor,
  cursor,
  filter,
  live,
  pinned,
  onSelect,
  onPin,
}: PanelProps) {
  const snapshot = snapshotAt(record, cursor);
  let body: ReactNode;
  switch (tab) {
    case 'Timeline':
      body = (
        <TimelinePanel
          peer={record}
          shown={filterEntries(record, filter)}
          cursor={cursor}
          live={live}
          snapshot={snapshot}
          pinned={pinned === null ? undefined : snapshotAt(record, pinned)}
          onSelect={onSelect}
          onPin={onPin}
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
  /**
   * The live peers, in session order; empty when replaying an imported session. A room's link
   * has `null` for a side whose machine ended (its participant left).
   */
  readonly actors: readonly (PeerActor | null)[];
  /** The live call's faults; null when replaying. */
  readonly faults: Faults | null;
  readonly title: (replaying: boolean) => ReactNode;
  readonly actions: ReactNode;
}

/** Both peers side by side: header, commands, diagram, and the tabbed panels, at a cursor. */
export function Workspace({ store, actors, faults, title, actions }: WorkspaceProps) {
  useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);
  const { session } = store;
  const chart: Chart = useMemo(() => peerChart(), []);
  const [cursor, setCursor] = useState<number | null>(null);
  const [pinned, setPinned] = useState<number | null>(null);
  const [tab, setTab] = useState<Tab>('Timeline');
  const [filter, setFilter] = useState<TimelineFilter>(() => ({
    kinds: new Set(ENTRY_KINDS),
    region: null,
    query: '',
  }));
  const [errorNotice, setErrorNotice] = useState<string | null>(null);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const last = lastSeq(session);
  const live = actors.some((actor) => actor !== null);
  const following = live && cursor === null;
  const at = Math.min(cursor ?? last, last);
  const moveTo = (seq: number) => setCursor(Math.max(Math.min(seq, last), Math.min(1, last)));

  const jumpToNextError = () => {
    // From the live end (or past the last error), it starts again from the first.
    const after = nextError(session.peers, at);
    const found = after ?? nextError(session.peers, 0);
    if (!found) {
      setErrorNotice('no error recorded');
      return;
    }
    const peer = session.peers.find((record) => record.entries.includes(found));
    setErrorNotice(
      `${after ? '' : 'from the start: '}${peer?.name}: ${found.type} at ${formatAt(found.at)}`,
    );
    // The row must show: an error hidden by the filters would be jumped to unseen.
    if (!filter.kinds.has('error') || filter.query || filter.region) {
      setFilter({ ...filter, kinds: new Set([...filter.kinds, 'error']), query: '', region: null });
    }
    setTab('Timeline');
    moveTo(found.seq);
  };
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
        <h1>{title(!following)}</h1>
        <div className="top-actions">{actions}</div>
      </header>
      <ReplayBar
        session={session}
        at={at}
        last={last}
        live={live}
        following={following}
        moveTo={moveTo}
        followLive={() => setCursor(null)}
      />

      <div className={`peers peers-${session.peers.length}`}>
        {session.peers.map((record, index) => (
          <PeerHeader
            key={record.name}
            session={session}
            record={record}
            index={index}
            actor={actors[index] ?? null}
            cursor={at}
            live={following}
            chart={chart}
            faults={faults}
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
          <TimelineFilters
            filter={filter}
            onChange={setFilter}
            regions={chart.views}
            onNextError={jumpToNextError}
            notice={errorNotice}
          />
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
            filter={filter}
            live={following}
            pinned={pinned}
            onSelect={moveTo}
            onPin={(pin) => setPinned(pin ? at : null)}
          />
        ))}
      </div>
    </div>
  );
}
