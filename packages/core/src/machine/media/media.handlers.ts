/**
 * How `active` follows the media and data channels: the commands that change them, and the
 * engine's and async work's reports of what changed.
 * @module
 */
import { assign, emit, sendTo } from 'xstate';
import { upsertDataChannel } from '../dataChannels.js';
import { peerSetup } from '../setup.js';
import { refreshRemoteTrack, upsertRemoteTrack } from '../tracks.js';
import { markPeerMuted } from './peerMuted.js';

/** The handlers `active` adds for tracks, transceivers and data channels. */
export const mediaHandlers = peerSetup.createStateConfig({
  on: {
    'pc.track': {
      actions: [
        assign({
          remoteTracks: ({ context, event }) =>
            markPeerMuted(
              upsertRemoteTrack(context.remoteTracks, event.track, event.streams, event.mid),
              context.peerMuted ?? [],
            ),
        }),
        emit(({ event }) => ({
          type: 'track' as const,
          track: event.track,
          streams: event.streams,
        })),
      ],
    },
    'pc.trackChanged': {
      actions: assign({
        remoteTracks: ({ context, event }) =>
          context.remoteTracks.map((entry) =>
            entry.track === event.track ? refreshRemoteTrack(entry) : entry,
          ),
        localTracks: ({ context, event }) =>
          context.localTracks.map((entry) =>
            entry.track === event.track
              ? { ...entry, ended: entry.track.readyState === 'ended' }
              : entry,
          ),
      }),
    },
    'pc.dataChannel': {
      actions: [
        // The remote's channel is sent on from its `open` (`pc.dataChannelChanged`), not here:
        // the remote end may not be open yet.
        'takeRemoteDataChannel',
        emit(({ event }) => ({ type: 'dataChannel' as const, channel: event.channel })),
      ],
    },
    'pc.dataChannelChanged': {
      actions: [
        assign({
          dataChannels: ({ context, event }) =>
            upsertDataChannel(context.dataChannels, event.channel, 'local'),
        }),
        'followDataChannel',
        'flushOutbox',
      ],
    },
    'peer.outboxExpired': { actions: 'expireOutbox' },
    'pc.dataChannelMessage': {
      actions: emit(({ event }) => ({
        type: 'data' as const,
        label: event.channel.label,
        data: event.data,
        channel: event.channel,
      })),
    },
    ADD_TRACK: { actions: 'addTrack' },
    ADD_TRANSCEIVER: { actions: 'addTransceiver' },
    START_MEDIA: { actions: 'startMedia' },
    'peer.mediaReady': { actions: 'addOwnedTracks' },
    'peer.trackAdded': {
      actions: [
        assign({
          localTracks: ({ context, event }) => [
            // The engine may reuse a sender (a track replaced by null, then a new addTrack).
            ...context.localTracks.filter(
              (entry) => entry.track !== event.track && entry.sender !== event.sender,
            ),
            {
              track: event.track,
              streams: event.streams,
              sender: event.sender,
              // A muted send put on a new connection has a sender without a track.
              sending: event.sender.track !== null,
              owned: event.owned,
              ended: event.track.readyState === 'ended',
            },
          ],
        }),
        sendTo('peerConnectionEvents', ({ event }) => ({
          type: 'watchLocalTrack' as const,
          track: event.track,
        })),
        'mediaControlsOnTrackAdded',
      ],
    },
    REMOVE_TRACK: { actions: 'removeTrack' },
    'peer.trackRemoved': {
      actions: assign({
        localTracks: ({ context, event }) =>
          context.localTracks.filter((entry) => entry.track !== event.track),
      }),
    },
    REPLACE_TRACK: { actions: 'replaceTrack' },
    'peer.trackReplaced': {
      actions: [
        assign({
          localTracks: ({ context, event }) =>
            context.localTracks.map((entry) => {
              if (entry.track !== event.track) return entry;
              // Keep the old track as the handle when nothing replaces it, so the app can
              // put it back with another REPLACE_TRACK.
              return event.withTrack
                ? {
                    ...entry,
                    track: event.withTrack,
                    sending: true,
                    owned: event.owned ?? (entry.owned && event.withTrack === entry.track),
                    ended: event.withTrack.readyState === 'ended',
                  }
                : { ...entry, sending: false };
            }),
        }),
        sendTo('peerConnectionEvents', ({ event }) => ({
          type: 'watchLocalTrack' as const,
          track: event.withTrack ?? event.track,
        })),
      ],
    },
    CREATE_DATA_CHANNEL: { actions: 'createDataChannel' },
    'peer.dataChannelCreated': {
      actions: [
        assign({
          dataChannels: ({ context, event }) =>
            upsertDataChannel(context.dataChannels, event.channel, 'local'),
        }),
        sendTo('peerConnectionEvents', ({ event }) => ({
          type: 'watchDataChannel' as const,
          channel: event.channel,
        })),
      ],
    },
    SEND_DATA: { actions: 'sendData' },
    // The media controls (guide 14): run by `@peerstatejs/core/media-controls` when installed
    // (media/controls.ts routes them), refused with UNSUPPORTED otherwise.
    SET_MUTED: { actions: 'mediaControl' },
    SWITCH_DEVICE: { actions: 'mediaControl' },
    'peer.trackRecaptured': { actions: 'mediaControl' },
    START_SCREEN_SHARE: { actions: 'mediaControl' },
    STOP_SCREEN_SHARE: { actions: 'mediaControl' },
    'peer.screenShareEnded': { actions: 'mediaControl' },
    SET_SENDER_PARAMETERS: { actions: 'mediaControl' },
    SET_CODEC_PREFERENCES: { actions: 'mediaControl' },
  },
}).on;
