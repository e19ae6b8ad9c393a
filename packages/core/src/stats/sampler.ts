/**
 * Polls `getStats()` at an interval into normalized samples with a bounded history, and scores
 * call quality from each one.
 *
 * It follows the peer's **current** connection: give it the peer actor and a rebuild (a new
 * `RTCPeerConnection`) starts a new series (rates never mix two connections' counters).
 * @module
 */
import { normalizeStats } from './normalize.js';
import {
  type CallQuality,
  callQuality,
  DEFAULT_QUALITY_THRESHOLDS,
  type QualityThresholds,
  qualityLevelChanged,
} from './quality.js';
import type { StatsSample } from './types.js';

/** Anything with the promise form of `getStats()`. */
export interface StatsSource {
  /** Resolves with an `RTCStatsReport` (or any map-like or iterable of stats objects). */
  getStats(): Promise<unknown>;
}

/**
 * What the sampler reads: a peer connection, a function returning the current one, or a peer
 * actor (its `context.pc` is read on every tick, so rebuilds are followed).
 */
export type StatsTarget =
  | StatsSource
  | (() => StatsSource | null | undefined)
  | {
      /** The actor's snapshot; its `context.pc` is the connection sampled. */
      getSnapshot(): { readonly context: object };
    };

/** Options of {@link createStatsSampler}. */
export interface StatsSamplerOptions {
  /** Milliseconds between samples (default 1000). */
  readonly intervalMs?: number;
  /** Samples kept (default 60: a minute at the default interval). The oldest go first. */
  readonly historySize?: number;
  /** Start polling at once (default true); otherwise call `start()`. */
  readonly autoStart?: boolean;
  /** Rating bands of the quality score (default {@link DEFAULT_QUALITY_THRESHOLDS}). */
  readonly thresholds?: QualityThresholds;
}

/** Receives every sample with its quality score. */
export type SampleListener = (sample: StatsSample, quality: CallQuality) => void;
/** Receives the new quality and the one before (`null` for the first scored sample). */
export type QualityListener = (quality: CallQuality, previous: CallQuality | null) => void;

/** A running sampler: see {@link createStatsSampler}. */
export interface StatsSampler {
  /** Oldest first, at most `historySize`. */
  readonly history: readonly StatsSample[];
  readonly latest: StatsSample | null;
  readonly quality: CallQuality | null;
  /** Called after every sample. Returns the unsubscribe function. */
  subscribe(listener: SampleListener): () => void;
  /** Called when either direction's level changes (and for the first scored sample). */
  onQualityChange(listener: QualityListener): () => void;
  /** Takes one sample now (also while stopped). `null` if there is no connection to read. */
  sample(): Promise<StatsSample | null>;
  /** Starts polling (idempotent). */
  start(): void;
  /** Stops polling; the history stays. */
  stop(): void;
  readonly running: boolean;
}

function currentSource(target: StatsTarget): StatsSource | null {
  if (typeof target === 'function') return target() ?? null;
  if ('getStats' in target && typeof target.getStats === 'function') return target;
  if ('getSnapshot' in target) {
    const pc = (target.getSnapshot().context as { pc?: unknown }).pc;
    if (typeof pc === 'object' && pc !== null && 'getStats' in pc) {
      const source = pc as StatsSource & { signalingState?: string };
      // A closed connection's getStats rejects (InvalidStateError): nothing to sample.
      return source.signalingState === 'closed' ? null : source;
    }
  }
  return null;
}

/** Creates a sampler over a peer actor, a peer connection, or a function returning one. */
export function createStatsSampler(
  target: StatsTarget,
  options: StatsSamplerOptions = {},
): StatsSampler {
  const intervalMs = options.intervalMs ?? 1000;
  const historySize = Math.max(1, options.historySize ?? 60);
  const thresholds = options.thresholds ?? DEFAULT_QUALITY_THRESHOLDS;
  const history: StatsSample[] = [];
  const sampleListeners = new Set<SampleListener>();
  const qualityListeners = new Set<QualityListener>();
  let quality: CallQuality | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let inFlight: Promise<StatsSample | null> | null = null;
  let lastSource: StatsSource | null = null;
  let series = -1;

  const take = async (): Promise<StatsSample | null> => {
    const source = currentSource(target);
    if (!source) return null;
    if (source !== lastSource) {
      lastSource = source;
      series += 1;
    }
    const mySeries = series;
    let report: unknown;
    try {
      report = await source.getStats();
    } catch {
      // Closed between the check and the call (a rebuild or CLOSE): skip this tick.
      return null;
    }
    const previous = history.at(-1) ?? null;
    const sample = normalizeStats(report, { previous, series: mySeries, now: Date.now() });
    history.push(sample);
    if (history.length > historySize) history.splice(0, history.length - historySize);
    const next = callQuality(sample, thresholds);
    const before = quality;
    quality = next;
    for (const listener of [...sampleListeners]) listener(sample, next);
    const scored = next.receive.level !== null || next.send.level !== null;
    if (scored && qualityLevelChanged(before, next)) {
      for (const listener of [...qualityListeners]) listener(next, before);
    }
    return sample;
  };

  const sampler: StatsSampler = {
    get history() {
      return history;
    },
    get latest() {
      return history.at(-1) ?? null;
    },
    get quality() {
      return quality;
    },
    get running() {
      return timer !== undefined;
    },
    subscribe(listener) {
      sampleListeners.add(listener);
      return () => sampleListeners.delete(listener);
    },
    onQualityChange(listener) {
      qualityListeners.add(listener);
      return () => qualityListeners.delete(listener);
    },
    sample() {
      // One `getStats` at a time: a slow engine must not pile up calls.
      inFlight ??= take().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        if (inFlight === null) void sampler.sample();
      }, intervalMs);
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
  if (options.autoStart !== false) sampler.start();
  return sampler;
}
