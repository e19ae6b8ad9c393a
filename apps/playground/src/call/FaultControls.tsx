import type { PeerActor } from '@peerstatejs/core';
import { type FormEvent, useState, useSyncExternalStore } from 'react';
import type { Faults, WireFaults } from './faults.js';

/** A cap on what this peer sends: `maxBitrate` on each video sender of its connection. */
export function BitrateCap({
  actor,
  faults,
  index,
  name,
}: {
  actor: PeerActor;
  faults: Faults;
  index: number;
  name: string;
}) {
  const [kbps, setKbps] = useState('150');
  const [notice, setNotice] = useState<string | null>(null);
  const apply = (value: number | null) => {
    faults
      .capBitrate(index, actor, value)
      .then((senders) =>
        setNotice(
          senders === 0
            ? 'no video sender on this connection: start the camera first'
            : value === null
              ? `cap lifted on ${senders} video sender${senders > 1 ? 's' : ''}`
              : `${value} kbit/s on ${senders} video sender${senders > 1 ? 's' : ''} (this connection; a rebuild starts uncapped)`,
        ),
      )
      .catch((error: unknown) => setNotice(String((error as Error).message ?? error)));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(kbps);
    if (!Number.isFinite(value) || value <= 0) setNotice('a bitrate in kbit/s, above 0');
    else apply(value);
  };
  return (
    <form className="fault-controls" onSubmit={submit} aria-label={`${name} bandwidth cap`}>
      <label>
        Cap video at{' '}
        <input
          type="number"
          min={1}
          value={kbps}
          size={5}
          onChange={(event) => setKbps(event.target.value)}
        />{' '}
        kbit/s
      </label>{' '}
      <button type="submit" className="small">
        Cap
      </button>{' '}
      <button type="button" className="small" onClick={() => apply(null)}>
        Lift cap
      </button>
      {notice ? (
        <span className="muted" role="status" data-testid="cap-notice">
          {' '}
          {notice}
        </span>
      ) : null}
    </form>
  );
}

/** Latency, loss and reordering on the in-memory signaling wire (both directions). */
export function WireFaultControls({ faults }: { faults: Faults }) {
  const wire = useSyncExternalStore(faults.subscribe, () => faults.wire);
  const [draft, setDraft] = useState<WireFaults | null>(wire);
  if (!wire || !draft) return null;
  const dirty =
    draft.latencyMs !== wire.latencyMs ||
    draft.lossPct !== wire.lossPct ||
    draft.reorder !== wire.reorder;
  return (
    <form
      className="wire-faults"
      aria-label="Signaling faults"
      onSubmit={(event) => {
        event.preventDefault();
        faults.setWire(draft);
      }}
    >
      <span className="muted">Signaling wire:</span>{' '}
      <label>
        latency{' '}
        <input
          type="number"
          min={0}
          step={50}
          value={draft.latencyMs}
          onChange={(event) =>
            setDraft({ ...draft, latencyMs: Math.max(0, Number(event.target.value)) })
          }
        />{' '}
        ms
      </label>{' '}
      <label>
        loss{' '}
        <input
          type="number"
          min={0}
          max={100}
          value={draft.lossPct}
          onChange={(event) =>
            setDraft({ ...draft, lossPct: Math.min(100, Math.max(0, Number(event.target.value))) })
          }
        />{' '}
        %
      </label>{' '}
      <label>
        <input
          type="checkbox"
          checked={draft.reorder}
          onChange={(event) => setDraft({ ...draft, reorder: event.target.checked })}
        />{' '}
        reorder
      </label>{' '}
      <button type="submit" disabled={!dirty}>
        Apply faults
      </button>
    </form>
  );
}
