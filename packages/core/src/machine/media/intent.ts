/**
 * The record of what the app asked for (see {@link MediaIntent}): one pure update per command.
 * @module
 */
import { MediaError } from '../../errors.js';
import type { MediaIntent, PeerEvent, TransceiverIntent } from '../types.js';

export const EMPTY_INTENT: MediaIntent = { transceivers: [], dataChannels: [] };

function entry(
  trackOrKind: MediaStreamTrack | 'audio' | 'video',
  streams: readonly MediaStream[],
  init: RTCRtpTransceiverInit | null,
  owned = false,
): TransceiverIntent {
  const track = typeof trackOrKind === 'string' ? null : trackOrKind;
  const kind = (track?.kind ?? trackOrKind) as TransceiverIntent['kind'];
  return { kind, track, streams: init?.streams ?? streams, muted: false, owned, init };
}

/**
 * The intent after a media or channel command (or captured media), or the typed error that
 * refuses it (nothing changes); `undefined` for any other event.
 */
export function nextIntent(
  intent: MediaIntent,
  event: PeerEvent,
): MediaIntent | MediaError | undefined {
  const list = intent.transceivers;
  const withList = (transceivers: readonly TransceiverIntent[]) => ({ ...intent, transceivers });
  switch (event.type) {
    case 'CREATE_DATA_CHANNEL': {
      const { label, options } = event;
      return {
        ...intent,
        dataChannels: [...intent.dataChannels, { label, options, closed: false }],
      };
    }
    case 'peer.mediaReady':
      if (event.place) return event.place(intent);
      return withList([
        ...list,
        ...event.stream.getTracks().map((t) => entry(t, [event.stream], null, true)),
      ]);
    case 'ADD_TRANSCEIVER':
    case 'ADD_TRACK': {
      const track = event.type === 'ADD_TRACK' ? event.track : event.trackOrKind;
      if (list.some((e) => e.track === track)) {
        return new MediaError(
          'addTrack',
          `track ${(track as MediaStreamTrack).id} is already sent by this peer`,
        );
      }
      return withList([
        ...list,
        event.type === 'ADD_TRACK'
          ? entry(event.track, event.streams ?? [], null)
          : entry(event.trackOrKind, [], event.init ?? {}),
      ]);
    }
    case 'REMOVE_TRACK':
    case 'REPLACE_TRACK': {
      const found = list.find((e) => e.track === event.track);
      const operation = event.type === 'REMOVE_TRACK' ? 'removeTrack' : 'replaceTrack';
      if (!found) {
        return new MediaError(operation, `track ${event.track.id} is not sent by this peer`);
      }
      if (event.type === 'REMOVE_TRACK') return withList(list.filter((e) => e !== found));
      const { withTrack } = event;
      if (withTrack && withTrack.kind !== found.kind) {
        return new MediaError(
          operation,
          `cannot replace a ${found.kind} track with a ${withTrack.kind} track`,
        );
      }
      // `null` mutes: the handle stays, to unmute with. A new track becomes the handle.
      const next = withTrack
        ? {
            ...found,
            track: withTrack,
            muted: false,
            owned: found.owned && withTrack === found.track,
          }
        : { ...found, muted: true };
      return withList(list.map((e) => (e === found ? next : e)));
    }
  }
  return undefined;
}
