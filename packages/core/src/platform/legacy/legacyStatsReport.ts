/**
 * Converts what pre-standard `getStats` implementations handed to their callback into a
 * Map-like `RTCStatsReport` of plain objects, the shape the promise API resolves with.
 * @module
 */

/** One report of legacy Chrome's `RTCStatsResponse.result()` (an `RTCLegacyStatsReport`). */
export interface LegacyStatsItem {
  readonly id: string;
  readonly type: string;
  /** Legacy Chrome reported a `Date`; the standard reports milliseconds. */
  readonly timestamp: Date | number;
  names(): string[];
  stat(name: string): unknown;
}

/** What legacy Chrome's `getStats(callback)` passed to its callback. */
export interface LegacyStatsResponse {
  result(): LegacyStatsItem[];
}

/** One converted stats object: the standard members plus whatever the engine reported. */
export interface ConvertedStats {
  readonly id: string;
  readonly type: string;
  readonly timestamp: number;
  readonly [name: string]: unknown;
}

/**
 * Pre-standard spellings of stats types. Legacy Chrome used the first two; Firefox's
 * prefixed era used all of them.
 */
const STANDARD_TYPES: Readonly<Record<string, string>> = {
  localcandidate: 'local-candidate',
  remotecandidate: 'remote-candidate',
  candidatepair: 'candidate-pair',
  inboundrtp: 'inbound-rtp',
  outboundrtp: 'outbound-rtp',
};

/** Matches the decimal numbers legacy Chrome reported as strings. */
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Converts a legacy stats response into a Map-like `RTCStatsReport` keyed by stats id.
 *
 * Accepts legacy Chrome's `RTCStatsResponse` (items with `names()`/`stat(name)`), an already
 * map-like report (prefixed Firefox, whose types lacked dashes) and a plain id → stats object
 * (early Firefox). Anything else yields an empty report rather than an error, because stats
 * are diagnostics and must not break a call.
 */
export function legacyStatsReport(response: unknown): RTCStatsReport {
  const report = new Map<string, ConvertedStats>();
  if (isLegacyStatsResponse(response)) {
    for (const item of response.result()) {
      const stats: Record<string, unknown> = {};
      for (const name of item.names()) stats[name] = legacyValue(item.stat(name));
      // The standard members win over same-named legacy values.
      const converted = { ...stats, ...standardMembers(item.id, item.type, item.timestamp) };
      report.set(converted.id, converted);
    }
  } else if (isMapLike(response)) {
    response.forEach((value) => {
      add(report, value);
    });
  } else if (typeof response === 'object' && response !== null) {
    for (const value of Object.values(response)) add(report, value);
  }
  // A Map has every member of the maplike RTCStatsReport interface.
  return report as unknown as RTCStatsReport;
}

function add(report: Map<string, ConvertedStats>, value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const stats = value as { id?: unknown; type?: unknown; timestamp?: unknown };
  if (typeof stats.id !== 'string') return;
  const converted = {
    ...(value as Record<string, unknown>),
    ...standardMembers(stats.id, String(stats.type), stats.timestamp),
  };
  report.set(converted.id, converted);
}

function standardMembers(id: string, type: string, timestamp: unknown): ConvertedStats {
  return {
    id,
    type: STANDARD_TYPES[type] ?? type,
    timestamp: timestamp instanceof Date ? timestamp.getTime() : Number(timestamp),
  };
}

/**
 * Legacy Chrome reported every value as a string. Numbers and booleans are restored so that
 * arithmetic on counters such as `bytesReceived` works as it does on standard stats.
 */
function legacyValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (NUMBER.test(value)) return Number(value);
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

function isLegacyStatsResponse(value: unknown): value is LegacyStatsResponse {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { result?: unknown }).result === 'function'
  );
}

function isMapLike(value: unknown): value is { forEach(callback: (value: unknown) => void): void } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { forEach?: unknown }).forEach === 'function'
  );
}
