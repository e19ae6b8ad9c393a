import type { Session } from '@peerstatejs/core/recorder';
import { eventLabel } from './diagram/machineGraph.js';
import { formatAt, summarize } from './panels/format.js';
import { entryAt } from './session/select.js';

export interface ReplayBarProps {
  readonly session: Session;
  readonly at: number;
  readonly last: number;
  readonly live: boolean;
  readonly following: boolean;
  readonly moveTo: (seq: number) => void;
  readonly followLive: () => void;
}

/** First, step, scrub, last, live: the cursor every panel and badge follows. */
export function ReplayBar({
  session,
  at,
  last,
  live,
  following,
  moveTo,
  followLive,
}: ReplayBarProps) {
  const current = entryAt(session, at);
  return (
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
          onClick={followLive}
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
  );
}
