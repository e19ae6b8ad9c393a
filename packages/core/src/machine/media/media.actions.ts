/**
 * Actions of the media commands. Each changes the {@link MediaIntent} first (a refusal changes
 * nothing), then, when a connection exists, makes it match; its command settles with the outcome.
 * @module
 */
import { MediaError } from '../../errors.js';
import { peerSetupBase as base } from '../base.js';
import { commandReporter } from '../commands.js';
import { requirePc } from '../context.js';
import { type Report, reporter } from '../report.js';
import {
  addLocalTrack,
  addLocalTransceiver,
  removeLocalTrack,
  replaceLocalTrack,
} from '../tracks.js';
import type { MediaIntent, PeerContext, PeerEvent } from '../types.js';
import { sentEntry, withoutTrack, withReplacedTrack, withTransceiver } from './intent.js';
import { sendOnSpareTransceiver, spareSenderFor } from './reconcile.js';
import { afterOnSender, senderHeadingFor } from './senderQueue.js';

interface Enqueue {
  assign(values: Partial<PeerContext>): void;
}

/** The intent after `event`, assigned; `null` when it was refused (reported, nothing changed). */
export function changeIntent(
  context: PeerContext,
  event: PeerEvent,
  enqueue: Enqueue,
  report: Report,
): MediaIntent | null {
  const { intent } = context;
  let next: MediaIntent | MediaError = intent;
  if (event.type === 'ADD_TRACK')
    next = withTransceiver(intent, event.track, event.streams ?? [], null);
  else if (event.type === 'ADD_TRANSCEIVER') {
    next = withTransceiver(intent, event.trackOrKind, [], event.init ?? {});
  } else if (event.type === 'REMOVE_TRACK') next = withoutTrack(intent, event.track);
  else if (event.type === 'REPLACE_TRACK') {
    next = withReplacedTrack(intent, event.track, event.withTrack);
  } else if (event.type === 'peer.mediaReady') {
    for (const track of event.stream.getTracks()) {
      const added = withTransceiver(next as MediaIntent, track, [event.stream], null, true);
      if (added instanceof MediaError) report({ type: 'peer.error', error: added });
      else next = added;
    }
  }
  if (next instanceof MediaError) {
    report({ type: 'peer.error', error: next });
    return null;
  }
  // A track the SDK captured has no other owner: its device is released once the app is done.
  for (const entry of intent.transceivers) {
    if (entry.owned && entry.track && !next.transceivers.some((e) => e.track === entry.track)) {
      entry.track.stop();
    }
  }
  enqueue.assign({ intent: next });
  return next;
}

/**
 * Sends a track on the current connection: on a spare transceiver of its kind if one is left
 * (taken out of `spares`), else as addTrack does. Returns the reuse's promise, if any.
 */
function sendTrack(
  context: PeerContext,
  spares: RTCRtpSender[],
  track: MediaStreamTrack,
  streams: readonly MediaStream[],
  owned: boolean,
  report: Report,
): Promise<void> | undefined {
  const pc = requirePc(context);
  const spare = spareSenderFor(pc, spares, track);
  if (!spare) {
    addLocalTrack(pc, track, streams, owned, report, context.options.polite);
    return undefined;
  }
  spares.splice(spares.indexOf(spare.sender), 1);
  return sendOnSpareTransceiver(pc, spare, track, streams, owned, report);
}

export const mediaActions = {
  addTrack: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'ADD_TRACK') return;
    const { report, done } = commandReporter(self, event);
    if (changeIntent(context, event, enqueue, report)) {
      const spares = [...context.spareSenders];
      const sending = sendTrack(context, spares, event.track, event.streams ?? [], false, report);
      enqueue.assign({ spareSenders: spares });
      if (sending) {
        sending.then(done);
        return;
      }
    }
    done();
  }),
  addTransceiver: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'ADD_TRANSCEIVER') return;
    const { report, done } = commandReporter(self, event);
    if (changeIntent(context, event, enqueue, report)) {
      addLocalTransceiver(requirePc(context), event.trackOrKind, event.init, report);
    }
    done();
  }),
  addOwnedTracks: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'peer.mediaReady') return;
    const report = reporter(self);
    const before = context.intent.transceivers;
    const next = changeIntent(context, event, enqueue, report);
    const spares = [...context.spareSenders];
    for (const { track } of next?.transceivers.filter((e) => !before.includes(e)) ?? []) {
      if (track) sendTrack(context, spares, track, [event.stream], true, report);
    }
    enqueue.assign({ spareSenders: spares });
  }),
  removeTrack: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'REMOVE_TRACK') return;
    const { report, done } = commandReporter(self, event);
    if (changeIntent(context, event, enqueue, report)) {
      removeLocalTrack(requirePc(context), context.localTracks, event.track, report);
    }
    done();
  }),
  replaceTrack: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'REPLACE_TRACK') return;
    const pc = requirePc(context);
    const { report } = commandReporter(self, event);
    // The track may still be on its way to its sender (an earlier REPLACE_TRACK in flight):
    // the command is keyed by the sender it will find the track on, and waits its turn there.
    const sender =
      context.localTracks.find((entry) => entry.track === event.track)?.sender ??
      senderHeadingFor(pc, event.track);
    if (sentEntry(context.intent, event.track) && !sender) {
      report({
        type: 'peer.error',
        error: new MediaError('replaceTrack', `track ${event.track.id} has no sender yet`),
      });
      return;
    }
    if (!changeIntent(context, event, enqueue, report) || !sender) return;
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
  startMedia: base.enqueueActions(({ event, self, enqueue }) => {
    if (event.type !== 'START_MEDIA') return;
    const { report } = commandReporter(self, event);
    const constraints = event.constraints ?? { audio: true, video: true };
    enqueue.sendTo('mediaCapture', { type: 'capture' as const, constraints, report });
  }),
  stopLateMedia: base.createAction(({ event }) => {
    // Media that arrives after close was captured for us alone: release the devices.
    if (event.type !== 'peer.mediaReady') return;
    for (const track of event.stream.getTracks()) track.stop();
  }),
};
