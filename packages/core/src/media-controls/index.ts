/**
 * `@peerstatejs/core/media-controls`: mute (soft and hard, announced to the remote), device
 * switch, screen share, sender parameters and codec preferences (guide 14). A plain call needs
 * none of them, so the main entry does not carry them: an app that wants them passes them in,
 * `createPeer({ signaling, polite, mediaControls })`. Without them, each of these commands
 * settles with `UNSUPPORTED` naming this entry.
 *
 * Where each control lives (`src/machine/media/`): `SET_MUTED` (`track.enabled`, or
 * `replaceTrack(null)` and a new `getUserMedia` on unmute; the `muted` message) and
 * `SWITCH_DEVICE` in `controls.actions.ts`, with `START_SCREEN_SHARE` / `STOP_SCREEN_SHARE`
 * (`getDisplayMedia`, `contentHint`, the track's `ended`); `setParameters` and
 * `setCodecPreferences` in `senderSettings.ts`; the intent they keep in `controls.intent.ts`;
 * the machine's side (routing, the refusal) in `controls.ts`, the remote's `muted` message in
 * `peerMuted.ts`.
 * @module media-controls
 */
import { controlsActions as on } from '../machine/media/controls.actions.js';
import type { ControlsArgs, MediaControls } from '../machine/media/controls.js';
import { applyCodecPreferences, applySenderParameters } from '../machine/media/senderSettings.js';

export type { ControlsArgs, ControlsEnqueue, MediaControls } from '../machine/media/controls.js';

/** Each command and follow-up event, and the handler that runs it. */
const HANDLERS: Readonly<Record<string, (args: ControlsArgs) => void>> = {
  SET_MUTED: on.setMuted,
  SWITCH_DEVICE: on.switchDevice,
  'peer.trackRecaptured': on.swapRecaptured,
  START_SCREEN_SHARE: on.startScreenShare,
  STOP_SCREEN_SHARE: on.stopScreenShare,
  'peer.screenShareEnded': on.endScreenShare,
  SET_SENDER_PARAMETERS: on.setSenderParameters,
  SET_CODEC_PREFERENCES: on.setCodecPreferences,
};

/** The media controls: pass them to `createPeer` (or a machine's input) as `mediaControls`. */
export const mediaControls: MediaControls = {
  handle: (args) => HANDLERS[args.event.type]?.(args),
  trackAdded: on.preferCodecsOnNewSender,
  negotiated: on.announceMutedAfterNegotiation,
  restore: applyCodecPreferences,
  senderReport: ({ track, controls }, report) => {
    const parameters = controls?.parameters;
    if (!parameters) return report;
    return (event) => {
      report(event);
      if (event.type === 'peer.trackAdded' && event.track === track) {
        applySenderParameters(event.sender, parameters, report);
      }
    };
  },
};
