/**
 * Turns what the machine holds (live tracks, channels, the peer connection) into plain data.
 * @module
 */
import { isPeerCommandType } from '@peerstatejs/core';
import type { PeerContext } from '@peerstatejs/core/internal';
import type { ContextProjection, DescriptionRef, EntryKind, Json, TrackSummary } from './types.js';

/** Stores each SDP once and returns its index. */
export type InternSdp = (sdp: string) => number;

/** Timeline filter kind of an event type: the machine's naming scheme, not a list of events. */
export function kindOf(type: string): EntryKind {
  if (isPeerCommandType(type)) return 'command';
  if (type.startsWith('signal.')) return 'signal';
  if (type.startsWith('pc.')) return 'pc';
  return 'internal';
}

const MAX_STRING = 2000;

function tagOf(value: object): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

export function summarizeTrack(track: MediaStreamTrack): TrackSummary {
  const settings = typeof track.getSettings === 'function' ? track.getSettings() : {};
  const size =
    settings.width && settings.height ? `${settings.width}×${settings.height}` : undefined;
  return {
    id: track.id,
    kind: track.kind,
    label: track.label,
    readyState: track.readyState,
    enabled: track.enabled,
    muted: track.muted,
    settings: [size, settings.frameRate ? `${Math.round(settings.frameRate)} fps` : undefined]
      .filter(Boolean)
      .join(' '),
  };
}

/**
 * A JSON-safe copy of an event payload. Platform objects (tracks, channels, candidates, errors)
 * become small summaries; SDP text is interned so a session stores each description once.
 */
export function toPlain(value: unknown, intern: InternSdp, key = '', depth = 0): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    if (key === 'sdp') return { $sdp: intern(value) };
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'object') return `[${typeof value}]`;
  if (depth > 5) return '[…]';
  if (Array.isArray(value)) return value.map((item) => toPlain(item, intern, '', depth + 1));
  const tag = tagOf(value);
  if (tag === 'MediaStreamTrack')
    return { $type: tag, ...summarizeTrack(value as MediaStreamTrack) };
  if (tag === 'MediaStream') {
    const stream = value as MediaStream;
    return { $type: tag, id: stream.id, tracks: stream.getTracks().length };
  }
  if (tag === 'RTCDataChannel') {
    const channel = value as RTCDataChannel;
    return { $type: tag, label: channel.label, id: channel.id, readyState: channel.readyState };
  }
  if (value instanceof Error) {
    const { code } = value as Error & { code?: unknown };
    return {
      $type: value.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: value.message,
    };
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    return toPlain(toJSON.call(value), intern, key, depth + 1);
  }
  if (tag !== 'Object') return { $type: tag };
  const out: { [key: string]: Json } = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'function') continue;
    out[name] = toPlain(item, intern, name, depth + 1);
  }
  return out;
}

function describe(
  description: RTCSessionDescription | null | undefined,
  intern: InternSdp,
): DescriptionRef | null {
  if (!description?.sdp) return null;
  return { type: description.type, sdp: intern(description.sdp) };
}

/** The data in a context; the peer connection contributes its current descriptions. */
export function projectContext(context: PeerContext, intern: InternSdp): ContextProjection {
  const { pc } = context;
  return {
    pcStates: { ...context.pcStates },
    counters: { ...context.counters },
    localTracks: context.localTracks.map((entry) => ({
      ...summarizeTrack(entry.track),
      sending: entry.sending,
      owned: entry.owned,
      ended: entry.ended,
    })),
    remoteTracks: context.remoteTracks.map((entry) => ({
      ...summarizeTrack(entry.track),
      mid: entry.mid,
      streams: entry.streams.length,
      ended: entry.ended,
    })),
    dataChannels: context.dataChannels.map(({ label, id, origin, readyState }) => ({
      label,
      id,
      origin,
      readyState,
    })),
    lastError: context.lastError
      ? { code: context.lastError.code, message: context.lastError.message }
      : null,
    localDescription: describe(pc?.localDescription, intern),
    remoteDescription: describe(pc?.remoteDescription, intern),
    iceRestartAttempts: context.iceRestartAttempts,
    lastIceRecoveryMs: context.lastIceRecoveryMs,
    closeReason: context.closeReason,
    ignoreOffer: context.ignoreOffer,
    inbox: context.inbox.length,
    bufferedCandidates: context.bufferedCandidates.length,
    platform: context.platform ? `${context.platform.name} (${context.platform.api})` : null,
  };
}
