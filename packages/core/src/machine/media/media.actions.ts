/**
 * Actions of the media commands. Each changes the {@link MediaIntent} first (a refusal changes
 * nothing), then makes the current connection match; its command settles with the outcome.
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
import { requestCapture } from './capture.js';
import { nextIntent } from './intent.js';
import { sendOnSpareTransceiver } from './reconcile.js';
import { afterOnSender, senderHeadingFor } from './senderQueue.js';
import { takeSpareFor } from './spareSenders.js';

interface Enqueue {
  assign(values: Partial<PeerContext>): void;
}

/** Assigns the intent after `event`, a media or channel command; `null` when refused (reported). */
export function changeIntent(
  context: PeerContext,
  event: PeerEvent,
  enqueue: Enqueue,
  report: Report,
): MediaIntent | null {
  const next = nextIntent(context.intent, event) as MediaIntent | MediaError;
  if (next instanceof MediaError) {
    report({ type: 'peer.error', error: next });
    return null;
  }
  // A track the SDK captured has no other owner: its device is released once the app is done.
  const kept = (track: MediaStreamTrack | null) =>
    next.transceivers.some(
      (e) => e.track === track || e.controls?.screen?.replaced?.track === track,
    );
  for (const { owned, track, controls } of context.intent.transceivers) {
    if (owned && !kept(track)) track?.stop();
    const replaced = controls?.screen?.replaced;
    if (replaced?.owned && !kept(replaced.track)) replaced.track.stop();
  }
  enqueue.assign({ intent: next });
  return next;
}

/**
 * Sends each track on the current connection: on a spare transceiver of its kind if one is
 * left, else as addTrack does. Resolves once every reuse did.
 */
function sendTracks(
  context: PeerContext,
  tracks: readonly MediaStreamTrack[],
  streams: readonly MediaStream[],
  owned: boolean,
  report: Report,
): Promise<unknown> {
  const pc = requirePc(context);
  return Promise.all(
    tracks.map((track) => {
      const spare = takeSpareFor(pc, track);
      return spare
        ? sendOnSpareTransceiver(pc, spare, track, streams, owned, report)
        : addLocalTrack(pc, track, streams, owned, report, context.options.polite);
    }),
  );
}

/** The sender `track` is on, or is being put on by a queued replacement. */
function senderOf(context: PeerContext, track: MediaStreamTrack, pc = requirePc(context)) {
  return (
    context.localTracks.find((entry) => entry.track === track)?.sender ??
    (senderHeadingFor(pc, track) as RTCRtpSender)
  );
}

export const mediaActions = {
  addTrack: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'ADD_TRACK') return;
    const { report, done } = commandReporter(self, event);
    if (!changeIntent(context, event, enqueue, report)) return done();
    sendTracks(context, [event.track], event.streams ?? [], false, report).then(done);
  }),
  addTransceiver: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'ADD_TRANSCEIVER') return;
    const { report, done } = commandReporter(self, event);
    if (changeIntent(context, event, enqueue, report)) {
      addLocalTransceiver(requirePc(context), event.trackOrKind, event.init, report);
    }
    done();
  }),
  /** Captured media joins the intent, and the connection unless it is being rebuilt. */
  addOwnedTracks: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'peer.mediaReady') return;
    const report = reporter(self);
    const next = changeIntent(context, event, enqueue, report);
    if (!next || context.pc?.signalingState === 'closed') return;
    const pc = requirePc(context);
    for (const track of event.stream.getTracks()) {
      // A screen sent on the camera's sender (`START_SCREEN_SHARE` with `replace`).
      const camera = next.transceivers.find((e) => e.track === track)?.controls?.screen?.replaced;
      if (!camera) sendTracks(context, [track], [event.stream], true, report);
      else {
        afterOnSender(pc, senderOf(context, camera.track, pc), track, () =>
          replaceLocalTrack(pc, self.getSnapshot().context.localTracks, camera.track, track, (e) =>
            report(e.type === 'peer.trackReplaced' ? { ...e, owned: true } : e),
          ),
        );
      }
    }
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
    if (!changeIntent(context, event, enqueue, report)) return;
    // The track may still be on its way to its sender (an earlier REPLACE_TRACK in flight):
    // the command is keyed by the sender it will find the track on, and waits its turn there.
    // None when the engine refused the track: replaceLocalTrack reports it is not sent.
    const sender =
      context.localTracks.find((entry) => entry.track === event.track)?.sender ??
      (senderHeadingFor(pc, event.track) as RTCRtpSender);
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
  /** The capture runs at the root of the peer, which owns what it yields (`capture.ts`). */
  startMedia: base.enqueueActions(({ context, event, self, enqueue }) => {
    if (event.type !== 'START_MEDIA') return;
    const constraints = event.constraints ?? { audio: true, video: true };
    requestCapture(enqueue, self, context.options.mediaDevices, {
      type: 'capture',
      constraints,
      report: commandReporter(self, event).report,
    });
  }),
};
