import type {
  EntryKind,
  PeerRecord,
  SessionEntry,
  SnapshotRecord,
} from '@peerstatejs/core/recorder';
import { useEffect, useRef } from 'react';
import { eventLabel } from '../diagram/machineGraph.js';
import { formatAt, summarize } from './format.js';

const WINDOW = 300;

export interface TimelinePanelProps {
  readonly peer: PeerRecord;
  readonly cursor: number;
  readonly live: boolean;
  readonly kinds: ReadonlySet<EntryKind>;
  readonly snapshot: SnapshotRecord | undefined;
  readonly onSelect: (seq: number) => void;
}

/** Every event and transition of one peer; clicking one moves the replay cursor there. */
export function TimelinePanel({
  peer,
  cursor,
  live,
  kinds,
  snapshot,
  onSelect,
}: TimelinePanelProps) {
  const shown = peer.entries.filter((entry) => kinds.has(entry.kind));
  let current = -1;
  for (const [index, entry] of shown.entries()) if (entry.seq <= cursor) current = index;
  // A long session renders a window around the cursor, not thousands of rows.
  const start = Math.max(0, Math.min(current - WINDOW / 2, shown.length - WINDOW));
  const rows = shown.slice(start, start + WINDOW);
  const list = useRef<HTMLOListElement>(null);
  const currentSeq = shown[current]?.seq;

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the current row changes
  useEffect(() => {
    const row = list.current?.querySelector<HTMLElement>('[data-current="true"]');
    if (!row || !list.current) return;
    // Keep the current row in view without scrolling the whole page.
    const box = list.current;
    const top = row.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - row.offsetHeight) {
      box.scrollTop = top - box.clientHeight / 2;
    }
  }, [currentSeq]);

  return (
    <div className="timeline-panel">
      <p className="muted small-print">
        {shown.length} of {peer.entries.length} entries
        {start > 0 ? ` · ${start} earlier not shown` : ''}
        {live ? ' · following live' : ''}
      </p>
      <ol className="timeline" ref={list} aria-label={`${peer.name} timeline`}>
        {rows.map((entry: SessionEntry) => {
          const isCurrent = entry.seq === currentSeq;
          return (
            <li
              key={entry.seq}
              data-current={isCurrent}
              data-future={entry.seq > cursor}
              data-kind={entry.kind}
            >
              <button
                type="button"
                onClick={() => onSelect(entry.seq)}
                aria-current={isCurrent ? 'step' : undefined}
                data-seq={entry.seq}
              >
                <span className="at">{formatAt(entry.at)}</span>
                <span className={`kind kind-${entry.kind}`}>{entry.kind}</span>
                <span className="type" title={entry.type}>
                  {eventLabel(entry.type)}
                </span>
                <span className="detail">{summarize(entry)}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <details className="snapshot" open>
        <summary>
          Snapshot {snapshot ? `after #${snapshot.seq} (${formatAt(snapshot.at)})` : '(none yet)'}
        </summary>
        <pre data-testid="snapshot-json">
          {snapshot
            ? JSON.stringify(
                { status: snapshot.status, value: snapshot.value, ...snapshot.context },
                null,
                1,
              )
            : ''}
        </pre>
      </details>
    </div>
  );
}
