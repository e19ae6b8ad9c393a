/**
 * Actions of the media commands: tracks and transceivers sent, and media captured for sending.
 * @module
 */
import { peerSetupBase as base } from '../base.js';
import { requirePc } from '../context.js';
import { reporter } from '../report.js';
import {
  addLocalTrack,
  addLocalTransceiver,
  captureMedia,
  removeLocalTrack,
  replaceLocalTrack,
} from '../tracks.js';

export const mediaActions = {
  addTrack: base.createAction(({ context, event, self }) => {
    if (event.type !== 'ADD_TRACK') return;
    addLocalTrack(
      requirePc(context),
      event.track,
      event.streams ?? [],
      false,
      reporter(self),
      context.options.polite,
    );
  }),
  addTransceiver: base.createAction(({ context, event, self }) => {
    if (event.type !== 'ADD_TRANSCEIVER') return;
    addLocalTransceiver(requirePc(context), event.trackOrKind, event.init, reporter(self));
  }),
  addOwnedTracks: base.createAction(({ context, event, self }) => {
    if (event.type !== 'peer.mediaReady') return;
    for (const track of event.stream.getTracks()) {
      addLocalTrack(
        requirePc(context),
        track,
        [event.stream],
        true,
        reporter(self),
        context.options.polite,
      );
    }
  }),
  removeTrack: base.createAction(({ context, event, self }) => {
    if (event.type !== 'REMOVE_TRACK') return;
    removeLocalTrack(requirePc(context), context.localTracks, event.track, reporter(self));
  }),
  replaceTrack: base.createAction(({ context, event, self }) => {
    if (event.type !== 'REPLACE_TRACK') return;
    replaceLocalTrack(
      requirePc(context),
      context.localTracks,
      event.track,
      event.withTrack,
      reporter(self),
    );
  }),
  startMedia: base.createAction(({ context, event, self }) => {
    if (event.type !== 'START_MEDIA') return;
    captureMedia(
      context.options.mediaDevices,
      event.constraints ?? { audio: true, video: true },
      reporter(self),
    );
  }),
  stopLateMedia: base.createAction(({ event }) => {
    // Media that arrives after close was captured for us alone: release the devices.
    if (event.type !== 'peer.mediaReady') return;
    for (const track of event.stream.getTracks()) track.stop();
  }),
};
