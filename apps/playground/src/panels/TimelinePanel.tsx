import type { PeerRecord, SessionEntry, SnapshotRecord } from '@peerstatejs/core/recorder';
import { useEffect, useRef } from 'react';
import { eventLabel } from '../diagram/machineGraph.js';
import { ContextCompare } from './ContextCompare.js';
import { formatAt, summarize } from './format.js';

const WINDOW = 300;

/** Signaling in both directions on the one clock: what this peer sent, what it received. */
function direction(entry: SessionEntry): 'sent' | 'received' | null {
  if (entry.kind === 'sent') return 'sent';
  if (entry.kind === 'signal') return 'received';
  return null;
}

export interface TimelinePanelProps {
  readonly peer: PeerRecord;
  /** The rows the filters keep, in order. */
  readonly shown: readonly SessionEntry[];
  readonly cursor: number;
  readonly live: boolean;
  readonly snapshot: SnapshotRecord | undefined;
  /** The moment pinned for comparison, if any. */
  readonly pinned: SnapshotRecord | undefined;
  readonly onSelect: (seq: number) => void;
  /** Pins the cursor's moment; `null` unpins. */
  readonly onPin: (pin: boolean) => void;
}

/** Every event and transition of one peer; clicking one moves the replay cursor there. */
export function TimelinePanel({
  peer,
  shown,
  cursor,
  live,
  snapshot,
  pinned,
  onSelect,
  onPin,
}: TimelinePanelProps) {
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
          const way = direction(entry);
          const detail = summarize(entry);
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
                title={`#${entry.seq} ${formatAt(entry.at)} ${entry.kind} ${entry.type} ${summarize(entry, 400)}`}
              >
                <span className="at">{formatAt(entry.at)}</span>
                <span className={`kind kind-${entry.kind}`}>
                  {way === 'sent' ? 'sent →' : way === 'received' ? '← received' : entry.kind}
                </span>
                <span className="type">{eventLabel(entry.type)}</span>
                <span className="detail">{detail}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <details className="snapshot" open>
        <summary>
          Snapshot {snapshot ? `after #${snapshot.seq} (${formatAt(snapshot.at)})` : '(none yet)'}
        </summary>
        <button type="button" className="small" onClick={() => onPin(true)} disabled={!snapshot}>
          {pinned ? 'Pin this moment instead' : 'Pin this moment to compare'}
        </button>
        {pinned ? (
          <button type="button" className="small" onClick={() => onPin(false)}>
            Unpin
          </button>
        ) : null}
        {pinned ? (
          <ContextCompare name={peer.name} pinned={pinned} current={snapshot} />
        ) : (
          <pre data-testid="snapshot-json">
            {snapshot
              ? JSON.stringify(
                  { status: snapshot.status, value: snapshot.value, ...snapshot.context },
                  null,
                  1,
                )
              : ''}
          </pre>
        )}
      </details>
    </div>
  );
}
