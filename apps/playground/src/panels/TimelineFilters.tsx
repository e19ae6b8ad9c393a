import { ENTRY_KINDS, type EntryKind } from '@peerstatejs/core/recorder';
import type { DiagramView } from '../diagram/views.js';
import type { TimelineFilter } from '../session/filter.js';

export interface TimelineFiltersProps {
  readonly filter: TimelineFilter;
  readonly onChange: (filter: TimelineFilter) => void;
  readonly regions: readonly DiagramView[];
  readonly onNextError: () => void;
  /** What the last "next error" found, for the screen reader and the eye. */
  readonly notice: string | null;
}

/** Kind checkboxes, a region, a search box, and "next error". */
export function TimelineFilters({
  filter,
  onChange,
  regions,
  onNextError,
  notice,
}: TimelineFiltersProps) {
  const toggle = (kind: EntryKind) => {
    const kinds = new Set(filter.kinds);
    if (kinds.has(kind)) kinds.delete(kind);
    else kinds.add(kind);
    onChange({ ...filter, kinds });
  };
  return (
    <fieldset className="filters">
      <legend className="visually-hidden">Show kinds</legend>
      {ENTRY_KINDS.map((kind) => (
        <label key={kind} className={`kind kind-${kind}`}>
          <input type="checkbox" checked={filter.kinds.has(kind)} onChange={() => toggle(kind)} />{' '}
          {kind}
        </label>
      ))}
      {/* Labelled by aria-label, not a wrapping label: its options' names would be its label. */}
      <span className="select">
        Region{' '}
        <select
          aria-label="Region"
          value={filter.region ?? ''}
          onChange={(event) => onChange({ ...filter, region: event.target.value || null })}
        >
          <option value="">all</option>
          {regions.map((view) => (
            <option key={view.id} value={view.id}>
              {view.title}
            </option>
          ))}
        </select>
      </span>
      <label>
        <span className="visually-hidden">Search the timeline</span>
        <input
          type="search"
          placeholder="Search events"
          value={filter.query}
          size={14}
          onChange={(event) => onChange({ ...filter, query: event.target.value })}
        />
      </label>
      <button type="button" className="small" onClick={onNextError}>
        Next error ↓
      </button>
      <output className="muted" data-testid="next-error-notice">
        {notice ?? ''}
      </output>
    </fieldset>
  );
}
