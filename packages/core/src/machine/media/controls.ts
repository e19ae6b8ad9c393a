/**
 * Where the media controls plug in (guide 14). `SET_MUTED`, `SWITCH_DEVICE`, screen share,
 * `SET_SENDER_PARAMETERS` and `SET_CODEC_PREFERENCES` are implemented in the opt-in entry
 * `@peerstatejs/core/media-controls` (a plain call needs none of them), which an app passes as
 * `createPeer({ …, mediaControls })`. The machine routes the commands, their follow-up events and
 * the two moments the controls act on by themselves (a new sender, a finished negotiation) to
 * it; without it, each command settles with `UNSUPPORTED` naming the entry.
 * @module
 */
import { UnsupportedError } from '../../errors.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import { peerSetupBase as base } from '../base.js';
import { asCommand, commandReporter } from '../commands.js';
import type {
  MediaIntent,
  PeerContext,
  PeerEmitted,
  PeerEvent,
  PeerInternalEvent,
  TransceiverIntent,
} from '../types.js';
import { type CaptureEnqueue, type CaptureRequest, requestCapture } from './capture.js';

/** The part of XState's `enqueue` the controls use (a structural subset of it). */
export interface ControlsEnqueue {
  /** Records the new intent. */
  assign(patch: { readonly intent: MediaIntent }): void;
  /** Asks the root's capture actor for media. */
  sendTo(actor: 'mediaCapture', request: CaptureRequest): void;
  /** Raises one of the machine's own events. */
  raise(event: PeerInternalEvent): void;
  /** Emits an event to the app's listeners. */
  emit(event: PeerEmitted): void;
}

/** What a control's handler gets: the action arguments XState passes, typed for the peer. */
export interface ControlsArgs {
  readonly context: PeerContext;
  readonly event: PeerEvent;
  readonly self: {
    /** Sends an event to the peer. */
    send(event: PeerEvent): void;
    /** The peer's current snapshot. */
    getSnapshot(): { readonly status: string; readonly context: PeerContext };
  };
  readonly enqueue: ControlsEnqueue;
}

/**
 * The media controls, as `@peerstatejs/core/media-controls` exports them (`mediaControls`).
 * An app does not implement this; the shape is public so that `PeerOptions` can name it.
 */
export interface MediaControls {
  /** Runs a control command (`SET_MUTED`, …) or one of its follow-up events. */
  readonly handle: (args: ControlsArgs) => void;
  /** A track reached a sender: the codec preferences and sender parameters apply to it. */
  readonly trackAdded: (args: ControlsArgs) => void;
  /** A negotiation finished: the remote learns again what this peer muted (the mids may be new). */
  readonly negotiated: (args: ControlsArgs) => void;
  /** A fresh connection got the intent (a rebuild): the codec preferences go on it first. */
  readonly restore: (
    pc: PeerConnectionLike,
    intent: MediaIntent,
    scope: object,
    report: (event: PeerInternalEvent) => void,
  ) => void;
  /** The report for one entry's new sender on a fresh connection: it applies its parameters. */
  readonly senderReport: (
    entry: TransceiverIntent,
    report: (event: PeerInternalEvent) => void,
  ) => (event: PeerInternalEvent) => void;
}

/** The entry every control lives in; named by the refusal. */
export const MEDIA_CONTROLS_ENTRY = '@peerstatejs/core/media-controls';

/**
 * The controls' arguments, with a `sendTo('mediaCapture')` that spawns the capture actor on the
 * peer's first capture (capture.ts `requestCapture`).
 */
function withCapture(args: ControlsArgs & { readonly enqueue: CaptureEnqueue }): ControlsArgs {
  const { enqueue, self, context } = args;
  return {
    ...args,
    enqueue: {
      assign: enqueue.assign,
      raise: enqueue.raise,
      emit: enqueue.emit,
      sendTo: (_actor, request) =>
        requestCapture(enqueue, self, context.options.mediaDevices, request),
    },
  };
}

/** The routing actions: each runs the installed controls, or refuses a command without them. */
export const controlsRouting = {
  mediaControl: base.enqueueActions((args) => {
    const controls = args.context.options.mediaControls;
    if (controls) return controls.handle(withCapture(args));
    const command = asCommand(args.event);
    if (!command) return;
    const { report, done } = commandReporter(args.self, command);
    report({
      type: 'peer.error',
      error: new UnsupportedError(
        ['mediaControls'],
        `${command.type} needs the media controls: import { mediaControls } from '${MEDIA_CONTROLS_ENTRY}' and pass createPeer({ …, mediaControls })`,
      ),
    });
    done();
  }),
  mediaControlsOnTrackAdded: base.enqueueActions((args) => {
    args.context.options.mediaControls?.trackAdded(withCapture(args));
  }),
  mediaControlsOnNegotiated: base.enqueueActions((args) => {
    args.context.options.mediaControls?.negotiated(withCapture(args));
  }),
};
