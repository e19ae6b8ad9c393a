/**
 * The media controls' handlers (guide 14): mute, device switch, screen share, sender settings,
 * one per command or follow-up event, run by the machine's `mediaControl` action once the app
 * installed them (`@peerstatejs/core/media-controls`). Each changes the {@link MediaIntent}
 * first (a refusal changes nothing), then makes the current connection match; a rebuild's
 * reconcile applies the same intent to the next one.
 * @module
 */
import { MediaError } from '../../errors.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import { createMutedMessage } from '../../signaling/messages.js';
import { commandReporter } from '../commands.js';
import { type Report, reporter, sendSignalMessage } from '../report.js';
import { removeLocalTrack, replaceLocalTrack } from '../tracks.js';
import type { MediaIntent, PeerContext, PeerEvent, TransceiverIntent } from '../types.js';
import {
  afterScreen,
  capturedOf,
  controlsOf,
  isMutedByControl,
  replaceEntry,
  screenEntries,
  targetsOf,
  withControls,
  withScreen,
} from './controls.intent.js';
import type { ControlsArgs } from './controls.js';
import { afterOnSender, senderHeadingFor } from './senderQueue.js';
import {
  applyCodecPreferences,
  applySenderParameters,
  invalidParameters,
  receiveCodecs,
  unknownCodecs,
} from './senderSettings.js';

interface Self {
  send(event: PeerEvent): void;
  getSnapshot(): { readonly status: string; readonly context: PeerContext };
}

/** The connection to apply a control to now; none while it is being replaced (the intent is). */
const livePc = (context: PeerContext): PeerConnectionLike | null =>
  context.pc && context.pc.signalingState !== 'closed' ? context.pc : null;

/** Swaps `track` for `withTrack` on its sender, after the sender's earlier swaps (senderQueue). */
function swap(
  pc: PeerConnectionLike,
  self: Self,
  track: MediaStreamTrack,
  withTrack: MediaStreamTrack | null,
  report: Report,
): Promise<void> {
  const { localTracks } = self.getSnapshot().context;
  const sender =
    localTracks.find((e) => e.track === track)?.sender ??
    (senderHeadingFor(pc, track) as RTCRtpSender);
  return afterOnSender(pc, sender, withTrack, () =>
    replaceLocalTrack(pc, self.getSnapshot().context.localTracks, track, withTrack, report),
  );
}

/** The capture constraints of a track, with its device pinned: what unmuting captures again. */
function constraintsOf(entry: TransceiverIntent): MediaTrackConstraints {
  const recorded = controlsOf(entry).constraints;
  if (recorded) return recorded;
  const track = entry.track as MediaStreamTrack;
  const deviceId = track.getSettings?.().deviceId;
  return { ...track.getConstraints?.(), ...(deviceId ? { deviceId: { exact: deviceId } } : {}) };
}

/** The mids of the transceivers whose track a control muted, on the current connection. */
export function mutedMids(context: PeerContext, intent: MediaIntent = context.intent): string[] {
  const pc = context.pc;
  if (!pc) return [];
  const mids: string[] = [];
  for (const entry of intent.transceivers) {
    if (!isMutedByControl(entry)) continue;
    const sender = context.localTracks.find((l) => l.track === entry.track)?.sender;
    const mid = pc.getTransceivers().find((t) => t.sender === sender)?.mid;
    if (mid) mids.push(mid);
  }
  return mids;
}

function announce(context: PeerContext, self: Self, intent?: MediaIntent): void {
  const message = createMutedMessage(mutedMids(context, intent));
  sendSignalMessage(context.options.signaling, message, reporter(self));
}

const refuse = (report: Report, done: () => void, error: MediaError) => {
  report({ type: 'peer.error', error });
  done();
};

/** One track captured again (unmute after a hard mute, `SWITCH_DEVICE`): `peer.trackRecaptured`. */
function recapture(
  enqueue: ControlsArgs['enqueue'],
  track: MediaStreamTrack,
  constraints: MediaTrackConstraints,
  report: Report,
  done: () => void,
): void {
  enqueue.sendTo('mediaCapture', {
    type: 'capture',
    constraints: { [track.kind]: constraints },
    report,
    abandoned: done,
    arrived: (stream) => {
      const [withTrack] = stream.getTracks();
      if (withTrack) {
        return report({
          type: 'peer.trackRecaptured',
          track,
          withTrack,
          constraints,
          report,
          done,
        });
      }
      refuse(report, done, new MediaError('getUserMedia', `no ${track.kind} track was captured`));
    },
  });
}

function describeTarget(event: { kind?: string; track?: MediaStreamTrack }): string {
  if (event.track) return `track ${event.track.id} is not sent by this peer`;
  return `no ${event.kind ? `${event.kind} ` : ''}track is sent by this peer`;
}

export const controlsActions = {
  setMuted: ({ context, event, self, enqueue }: ControlsArgs) => {
    if (event.type !== 'SET_MUTED') return;
    const { report, done } = commandReporter(self, event);
    const targets = targetsOf(context.intent, event);
    if (!targets.length) return refuse(report, done, new MediaError('mute', describeTarget(event)));
    const pc = livePc(context);
    let intent = context.intent;
    const work: Promise<unknown>[] = [];
    for (const entry of targets) {
      const track = entry.track as MediaStreamTrack;
      const { mute } = controlsOf(entry);
      let next = entry;
      // Muting what is muted (in either mode) and unmuting what is not change nothing.
      if (event.muted && !mute && (event.mode ?? 'soft') === 'soft') {
        track.enabled = false;
        next = withControls(entry, { mute: 'soft' });
      } else if (event.muted && !mute) {
        const constraints = entry.owned ? constraintsOf(entry) : null;
        next = withControls({ ...entry, muted: true }, { mute: 'hard', constraints });
        if (pc && !entry.muted) {
          work.push(swap(pc, self, track, null, report).then(() => entry.owned && track.stop()));
        } else if (entry.owned) track.stop();
      } else if (!event.muted && mute === 'soft') {
        track.enabled = true;
        next = withControls(entry, { mute: null });
      } else if (!event.muted && mute === 'hard' && !entry.owned) {
        next = withControls({ ...entry, muted: false }, { mute: null });
        if (pc) work.push(swap(pc, self, track, track, report));
      } else if (!event.muted && mute === 'hard') {
        // The device was released: capture it again; the intent changes when it arrives.
        const constraints = constraintsOf(entry);
        work.push(
          new Promise<void>((resolve) => recapture(enqueue, track, constraints, report, resolve)),
        );
      }
      intent = replaceEntry(intent, entry, next);
    }
    enqueue.assign({ intent });
    if (pc) announce(context, self, intent);
    Promise.all(work).then(done);
  },

  /** A capture for an unmute or a device switch arrived: it takes the old track's place. */
  swapRecaptured: ({ context, event, self, enqueue }: ControlsArgs) => {
    if (event.type !== 'peer.trackRecaptured') return;
    const { track, withTrack, constraints, report, done } = event;
    const entry = context.intent.transceivers.find((e) => e.track === track);
    if (!entry) {
      // Removed (or the peer closing) while the device was opening.
      withTrack.stop();
      return done();
    }
    const { mute } = controlsOf(entry);
    withTrack.enabled = mute !== 'soft';
    const next = withControls(
      { ...entry, track: withTrack, muted: false },
      { mute: mute === 'hard' ? null : mute, constraints },
    );
    enqueue.assign({ intent: replaceEntry(context.intent, entry, next) });
    track.stop();
    const pc = livePc(context);
    if (!pc) return done();
    const owned: Report = (e) =>
      report(e.type === 'peer.trackReplaced' ? { ...e, owned: true } : e);
    swap(pc, self, track, withTrack, owned).then(() => {
      announce(self.getSnapshot().context, self);
      done();
    });
  },

  switchDevice: ({ context, event, self, enqueue }: ControlsArgs) => {
    if (event.type !== 'SWITCH_DEVICE') return;
    const { report, done } = commandReporter(self, event);
    const entry = capturedOf(context.intent, event.kind);
    if (!entry?.track) {
      return refuse(
        report,
        done,
        new MediaError(
          'switchDevice',
          `no ${event.kind} track captured by the SDK (START_MEDIA); replace the app's own tracks with REPLACE_TRACK`,
        ),
      );
    }
    const { deviceId: _previous, ...rest } = constraintsOf(entry);
    const constraints = { ...rest, deviceId: { exact: event.deviceId } };
    if (controlsOf(entry).mute === 'hard') {
      // Nothing is captured while hard-muted: unmuting captures the chosen device.
      enqueue.assign({
        intent: replaceEntry(context.intent, entry, withControls(entry, { constraints })),
      });
      return done();
    }
    recapture(enqueue, entry.track, constraints, report, done);
  },

  startScreenShare: ({ context, event, self, enqueue }: ControlsArgs) => {
    if (event.type !== 'START_SCREEN_SHARE') return;
    const { report, done } = commandReporter(self, event);
    if (screenEntries(context.intent).length) {
      return refuse(
        report,
        done,
        new MediaError('getDisplayMedia', 'a screen share is already running'),
      );
    }
    const contentHint = event.contentHint ?? 'detail';
    const replace = event.replace ?? false;
    enqueue.sendTo('mediaCapture', {
      type: 'capture',
      operation: 'getDisplayMedia',
      constraints: event.options ?? { video: true },
      report,
      arrived: (stream, watchEnded) => {
        for (const track of stream.getTracks()) {
          if (track.kind === 'video') track.contentHint = contentHint;
          // Fired only when the user agent ends the capture (its "stop sharing" UI), never for
          // `track.stop()`: the one way to learn the user stopped sharing.
          watchEnded(track, () =>
            report({ type: 'peer.screenShareEnded', track, reason: 'ended' }),
          );
        }
        report({
          type: 'peer.mediaReady',
          stream,
          place: (intent) => withScreen(intent, stream, { contentHint, replace }),
        });
      },
    });
  },

  stopScreenShare: ({ context, event, self, enqueue }: ControlsArgs) => {
    if (event.type !== 'STOP_SCREEN_SHARE') return;
    for (const entry of screenEntries(context.intent)) {
      enqueue.raise({
        type: 'peer.screenShareEnded',
        track: entry.track as MediaStreamTrack,
        reason: 'stopped',
      });
    }
    commandReporter(self, event).done();
  },

  /** The share ended (the browser's UI or STOP_SCREEN_SHARE): remove it, or put the camera back. */
  endScreenShare: ({ context, event, self, enqueue }: ControlsArgs) => {
    if (event.type !== 'peer.screenShareEnded') return;
    const entry = screenEntries(context.intent).find((e) => e.track === event.track);
    if (!entry) return;
    const next = afterScreen(entry);
    enqueue.assign({ intent: replaceEntry(context.intent, entry, next) });
    event.track.stop();
    const pc = livePc(context);
    const report = reporter(self);
    if (pc && next) swap(pc, self, event.track, next.track, report);
    else if (pc) removeLocalTrack(pc, context.localTracks, event.track, report);
    enqueue.emit({ type: 'screenShareEnded', track: event.track, reason: event.reason });
  },

  setSenderParameters: ({ context, event, self, enqueue }: ControlsArgs) => {
    if (event.type !== 'SET_SENDER_PARAMETERS') return;
    const { report, done } = commandReporter(self, event);
    const invalid = invalidParameters(event.parameters);
    if (invalid) return refuse(report, done, invalid);
    const targets = targetsOf(context.intent, event);
    if (!targets.length) {
      return refuse(report, done, new MediaError('setParameters', describeTarget(event)));
    }
    let intent = context.intent;
    const work: Promise<void>[] = [];
    const pc = livePc(context);
    for (const entry of targets) {
      const parameters = { ...controlsOf(entry).parameters, ...event.parameters };
      intent = replaceEntry(intent, entry, withControls(entry, { parameters }));
      const sender = context.localTracks.find((l) => l.track === entry.track)?.sender;
      if (pc && sender) work.push(applySenderParameters(sender, parameters, report));
    }
    enqueue.assign({ intent });
    Promise.all(work).then(done);
  },

  setCodecPreferences: ({ context, event, self, enqueue }: ControlsArgs) => {
    if (event.type !== 'SET_CODEC_PREFERENCES') return;
    const { report, done } = commandReporter(self, event);
    const codecs = receiveCodecs(context.options.scope, event.kind);
    if (!codecs) {
      return refuse(
        report,
        done,
        new MediaError(
          'setCodecPreferences',
          'RTCRtpReceiver.getCapabilities is not available here',
        ),
      );
    }
    const unknown = unknownCodecs(codecs, event.mimeTypes);
    if (unknown.length) {
      return refuse(
        report,
        done,
        new MediaError('setCodecPreferences', `this engine cannot receive ${unknown.join(', ')}`),
      );
    }
    const intent: MediaIntent = {
      ...context.intent,
      codecPreferences: { ...context.intent.codecPreferences, [event.kind]: [...event.mimeTypes] },
    };
    enqueue.assign({ intent });
    const pc = livePc(context);
    if (pc) {
      applyCodecPreferences(pc, intent, context.options.scope, report);
      // setCodecPreferences fires no negotiationneeded (webrtc-pc): ask for the offer here.
      enqueue.raise({ type: 'pc.negotiationNeeded' });
    }
    done();
  },

  /** A transceiver added later gets the codec preferences too (before its offer is made). */
  preferCodecsOnNewSender: ({ context, self }: ControlsArgs) => {
    const pc = livePc(context);
    if (pc && context.intent.codecPreferences) {
      applyCodecPreferences(pc, context.intent, context.options.scope, reporter(self));
    }
  },

  /** After every negotiation (a rebuild's first among them) the remote learns the mids anew. */
  announceMutedAfterNegotiation: ({ context, self }: ControlsArgs) => {
    if (context.intent.transceivers.some(isMutedByControl)) announce(context, self);
  },
};
