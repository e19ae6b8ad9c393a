import type { Json, SnapshotRecord } from '@peerstatejs/core/recorder';
import { formatAt } from './format.js';

/** `{ a: { b: 1 } }` → `a.b: 1`, one line per leaf (arrays kept whole: they read as one value). */
function flatten(value: Json, prefix: string, into: Map<string, string>): Map<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) {
      flatten(inner, prefix ? `${prefix}.${key}` : key, into);
    }
  } else {
    into.set(prefix, JSON.stringify(value));
  }
  return into;
}

function plain(snapshot: SnapshotRecord | undefined): Map<string, string> {
  if (!snapshot) return new Map();
  const value = {
    status: snapshot.status,
    value: snapshot.value,
    ...snapshot.context,
  } as unknown as Json;
  return flatten(value, '', new Map());
}

export interface ContextCompareProps {
  readonly name: string;
  readonly pinned: SnapshotRecord | undefined;
  readonly current: SnapshotRecord | undefined;
}

/** Two moments of one peer side by side, the fields that differ first and marked. */
export function ContextCompare({ name, pinned, current }: ContextCompareProps) {
  const left = plain(pinned);
  const right = plain(current);
  const keys = [...new Set([...left.keys(), ...right.keys()])];
  const changed = keys.filter((key) => left.get(key) !== right.get(key));
  const same = keys.filter((key) => left.get(key) === right.get(key));
  const label = (snapshot: SnapshotRecord | undefined) =>
    snapshot ? `#${snapshot.seq} (${formatAt(snapshot.at)})` : 'none';
  return (
    <table className="compare" aria-label={`${name}: context at two moments`} data-testid="compare">
      <caption>
        {changed.length} field{changed.length === 1 ? '' : 's'} differ between {label(pinned)} and{' '}
        {label(current)}
      </caption>
      <thead>
        <tr>
          <th scope="col">field</th>
          <th scope="col">pinned {label(pinned)}</th>
          <th scope="col">cursor {label(current)}</th>
        </tr>
      </thead>
      <tbody>
        {[...changed, ...same].map((key) => (
          <tr key={key} className={changed.includes(key) ? 'differs' : ''} data-field={key}>
            <th scope="row">{key}</th>
            <td>{left.get(key) ?? '—'}</td>
            <td>{right.get(key) ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
