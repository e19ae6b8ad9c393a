/**
 * The record of what the app asked for (see {@link MediaIntent}): pure updates, one per command.
 * Each returns the new intent, or the typed error that refuses the command (nothing changed).
 * @module
 */
import { DataChannelError, MediaError } from '../../errors.js';
import type { DataChannelIntent, MediaIntent, TransceiverIntent } from '../types.js';

export const EMPTY_INTENT: MediaIntent = { transceivers: [], dataChannels: [] };

type Update = MediaIntent | MediaError;

function notSent(operation: 'removeTrack' | 'replaceTrack', track: MediaStreamTrack) {
  return new MediaError(operation, `track ${track.id} is not sent by this peer`);
}

/** The entry the app knows by this track (the last one it gave for it). */
export function sentEntry(intent: MediaIntent, track: MediaStreamTrack) {
  return intent.transceivers.find((entry) => entry.track === track);
}

/** `ADD_TRACK`, `ADD_TRANSCEIVER` (with a track or a kind) and `START_MEDIA`'s tracks. */
export function withTransceiver(
  intent: MediaIntent,
  trackOrKind: MediaStreamTrack | 'audio' | 'video',
  streams: readonly MediaStream[],
  init: RTCRtpTransceiverInit | null,
  owned = false,
): Update {
  const track = typeof trackOrKind === 'string' ? null : trackOrKind;
  if (track && sentEntry(intent, track)) {
    return new MediaError('addTrack', `track ${track.id} is already sent by this peer`);
  }
  const entry: TransceiverIntent = {
    kind: (track?.kind ?? trackOrKind) as TransceiverIntent['kind'],
    track,
    streams: init?.streams ?? streams,
    muted: false,
    owned,
    init,
  };
  return { ...intent, transceivers: [...intent.transceivers, entry] };
}

/** `REMOVE_TRACK`. */
export function withoutTrack(intent: MediaIntent, track: MediaStreamTrack): Update {
  if (!sentEntry(intent, track)) return notSent('removeTrack', track);
  return { ...intent, transceivers: intent.transceivers.filter((entry) => entry.track !== track) };
}

/** `REPLACE_TRACK`: `null` mutes (the handle stays, to unmute with), a track becomes the handle. */
export function withReplacedTrack(
  intent: MediaIntent,
  track: MediaStreamTrack,
  withTrack: MediaStreamTrack | null,
): Update {
  const entry = sentEntry(intent, track);
  if (!entry) return notSent('replaceTrack', track);
  if (withTrack && withTrack.kind !== track.kind) {
    return new MediaError(
      'replaceTrack',
      `cannot replace a ${track.kind} track with a ${withTrack.kind} track`,
    );
  }
  const next: TransceiverIntent = withTrack
    ? { ...entry, track: withTrack, muted: false, owned: entry.owned && withTrack === track }
    : { ...entry, muted: true };
  return {
    ...intent,
    transceivers: intent.transceivers.map((each) => (each === entry ? next : each)),
  };
}

/** `CREATE_DATA_CHANNEL`. */
export function withDataChannel(
  intent: MediaIntent,
  label: string,
  options: RTCDataChannelInit | undefined,
): MediaIntent {
  const channel: DataChannelIntent = { label, options, closed: false };
  return { ...intent, dataChannels: [...intent.dataChannels, channel] };
}

/** A local channel closed while its connection was up: the app (or the remote) is done with it. */
export function withClosedDataChannel(intent: MediaIntent, label: string): MediaIntent {
  return {
    ...intent,
    dataChannels: intent.dataChannels.map((channel) =>
      channel.label === label ? { ...channel, closed: true } : channel,
    ),
  };
}

/** Whether `SEND_DATA` on this label may wait for the channel: the app created it, still wants it. */
export function awaitsDataChannel(intent: MediaIntent, label: string): boolean {
  return intent.dataChannels.some((channel) => channel.label === label && !channel.closed);
}

/** How many `SEND_DATA` wait per label, before the next is refused. */
export const DATA_QUEUE_LIMIT = 64;

/** The refusal of a `SEND_DATA` beyond {@link DATA_QUEUE_LIMIT}. */
export function queueFullError(label: string): DataChannelError {
  return new DataChannelError(
    label,
    `cannot send: ${DATA_QUEUE_LIMIT} messages already wait for the channel to open`,
  );
}
