/**
 * Defensive readers over `getStats()` records: engines differ in which members they fill, old
 * ones reported strings (converted by `legacyStatsReport`), and a report is diagnostics, so a
 * missing or odd member gives `null`, never an exception.
 * @module
 */
import type { CandidateKind, StatsRecord } from './types.js';

export const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

export const str = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

/** Seconds (how the standard reports RTT and jitter) to milliseconds, to 0.1 ms. */
export const ms = (seconds: unknown): number | null => {
  const value = num(seconds);
  return value === null ? null : Math.round(value * 10_000) / 10;
};

/** A running total that only grows; a counter that went back means a new series. */
export const count = (value: unknown): number => Math.max(0, num(value) ?? 0);

/** bit/s from a byte counter's growth over `intervalMs`. */
export function bitrate(now: number, before: number | undefined, intervalMs: number | null) {
  if (before === undefined || intervalMs === null || intervalMs <= 0) return null;
  return Math.max(0, Math.round(((now - before) * 8 * 1000) / intervalMs));
}

/** The records of a report by id, whatever map-like or iterable shape it came in. */
export function indexReport(report: unknown): Map<string, StatsRecord> {
  const byId = new Map<string, StatsRecord>();
  const add = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    const record = value as StatsRecord;
    if (typeof record.id === 'string' && typeof record.type === 'string')
      byId.set(record.id, record);
  };
  // An RTCStatsReport (or a Map) is walked by forEach; an array of stats objects too.
  if (hasForEach(report)) report.forEach(add);
  else if (isIterable(report)) for (const value of report) add(value);
  return byId;
}

function hasForEach(value: unknown): value is { forEach(cb: (value: unknown) => void): void } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { forEach?: unknown }).forEach === 'function'
  );
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/**
 * RTCIceCandidateType, also from legacy Chrome's names (`local` was host, `stun` server
 * reflexive, `relayed` relay).
 */
export function candidateKind(value: unknown): CandidateKind {
  switch (value) {
    case 'host':
    case 'local':
      return 'host';
    case 'srflx':
    case 'serverreflexive':
    case 'stun':
      return 'srflx';
    case 'prflx':
    case 'peerreflexive':
      return 'prflx';
    case 'relay':
    case 'relayed':
      return 'relay';
    default:
      return 'unknown';
  }
}

/** `audio` or `video` from `kind`, the older `mediaType`, or legacy Chrome's `mediaType`. */
export function mediaKind(record: StatsRecord): 'audio' | 'video' | null {
  const kind = record.kind ?? record.mediaType;
  return kind === 'audio' || kind === 'video' ? kind : null;
}
