import type { Json, SessionEntry } from '@peerstatejs/core/recorder';
import { shortId } from '../diagram/machineGraph.js';

/** Milliseconds since start, as the timeline shows them. */
export function formatAt(ms: number): string {
  return `+${(ms / 1000).toFixed(3)} s`;
}

function inline(value: Json, depth = 0): string {
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => inline(item, depth + 1)).join(', ')}]`;
  if ('$sdp' in value) return `sdp#${String(value.$sdp)}`;
  if (depth > 1) return '{…}';
  return Object.entries(value)
    .filter(([key]) => key !== '$type' || depth > 0)
    .map(([key, item]) => `${key}: ${inline(item, depth + 1)}`)
    .join(', ');
}

/** One line for a timeline row. */
export function summarize(entry: SessionEntry, max = 110): string {
  const { detail } = entry;
  if (entry.kind === 'transition' && detail && typeof detail === 'object' && 'from' in detail) {
    const to = Array.isArray(detail.to) ? detail.to.map((id) => shortId(String(id))) : [];
    return `${shortId(String(detail.from))} → ${to.join(', ')}`;
  }
  const text = detail === null ? '' : inline(detail);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `{ active: { signaling: 'stable' } }` → `active · signaling: stable`. */
export function describeValue(value: Json | undefined): string {
  if (value === undefined) return '—';
  if (!value || typeof value !== 'object' || Array.isArray(value)) return String(value);
  return Object.entries(value)
    .map(([key, sub]) =>
      typeof sub === 'string' ? `${key}: ${sub}` : `${key} · ${describeValue(sub)}`,
    )
    .join(' · ');
}
