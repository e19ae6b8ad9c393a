/**
 * Actions of the media commands: tracks and transceivers sent, and media captured for sending.
 * Each reports through its command's reporter, so the command settles with its outcome.
 * @module
 */
import { MediaError } from '../../errors.js';
import { peerSetupBase as base } from '../base.js';
import { commandReporter } from '../commands.js';
import { requirePc } from '../context.js';
import { reporter } from '../report.js';
import {
  addLocalTrack,
  addLocalTransceiver,
  captureMedia,
  removeLocalTrack,
  replaceLocalTrack,
} from '../tracks.js';
import { afterOnSender, senderHeadingFor } from './senderQueue.js';

export const mediaActions = {
  addTrack: base.createAction(({ context, event, self }) => {
    if (event.type !== 'ADD_TRACK') return;
    const { report, done } = commandReporter(self, event);
    addLocalTrack(
      requirePc(context),
      event.track,
      event.streams ?? [],
      false,
      report,
      context.options.polite,
    );
    done();
  }),
  addTransceiver: base.createAction(({ context, event, self }) => {
    if (event.type !== 'ADD_TRANSCEIVER') return;
    const { report, done } = commandReporter(self, event);
    addLocalTransceiver(requirePc(context), event.trackOrKind, event.init, report);
    done();
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
    const { report, done } = commandReporter(self, event);
    removeLocalTrack(requirePc(context), context.localTracks, event.track, report);
    done();
  }),
  replaceTrack: base.createAction(({ context, event, self }) => {
    if (event.type !== 'REPLACE_TRACK') return;
    const pc = requirePc(context);
    const { report } = commandReporter(self, event);
    // The track may still be on its way to its sender (an earlier REPLACE_TRACK in flight):
    // the command is keyed by the sender it will find the track on, and waits its turn there.
    const sender =
      context.localTracks.find((entry) => entry.track === event.track)?.sender ??
      senderHeadingFor(pc, event.track);
    if (!sender) {
      report({
        type: 'peer.error',
        error: new MediaError('replaceTrack', `track ${event.track.id} is not sent by this peer`),
      });
      return;
    }
    if (event.withTrack && event.withTrack.kind !== event.track.kind) {
      report({
        type: 'peer.error',
        error: new MediaError(
          'replaceTrack',
          `cannot replace a ${event.track.kind} track with a ${event.withTrack.kind} track`,
        ),
      });
      return;
    }
    afterOnSender(pc, sender, event.withTrack, () =>
      // Read when its turn comes: the replacements before it have been applied by then.
      replaceLocalTrack(
        pc,
        self.getSnapshot().context.localTracks,
        event.track,
        event.withTrack,
        report,
      ),
    );
  }),
  startMedia: base.createAction(({ context, event, self }) => {
    if (event.type !== 'START_MEDIA') return;
    const { report } = commandReporter(self, event);
    captureMedia(
      context.options.mediaDevices,
      event.constraints ?? { audio: true, video: true },
      report,
    );
  }),
};
