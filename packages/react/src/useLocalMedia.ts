'use client';

import {
  type LocalMediaView,
  localMediaView,
  type MuteMode,
  type PeerActions,
  type PeerActor,
  peerCommands,
} from '@peerstatejs/core';
import { useSelector } from '@xstate/react';
import { useMemo } from 'react';

/** What {@link useLocalMedia} returns: what is sent and muted, and the controls (guide 14). */
export interface UseLocalMediaResult extends LocalMediaView {
  /** Mutes what is unmuted and unmutes what is muted (`mode` applies to muting). */
  readonly toggleMute: (kind: 'audio' | 'video', mode?: MuteMode) => Promise<void>;
  /** `SET_MUTED`: mute (`soft` by default, or `hard`) or unmute a kind or one track. */
  readonly setMuted: PeerActions<Promise<void>>['setMuted'];
  /** `SWITCH_DEVICE`: capture another camera or microphone on the same sender. */
  readonly switchDevice: PeerActions<Promise<void>>['switchDevice'];
  /** `START_SCREEN_SHARE`. */
  readonly startScreenShare: PeerActions<Promise<void>>['startScreenShare'];
  /** `STOP_SCREEN_SHARE`. */
  readonly stopScreenShare: PeerActions<Promise<void>>['stopScreenShare'];
  /** Starts a screen share, or stops the running one. */
  readonly toggleScreenShare: (options?: { readonly replace?: boolean }) => Promise<void>;
}

const sameSource = (a: LocalMediaView['audio'], b: LocalMediaView['audio']) =>
  a.sending === b.sending && a.muted === b.muted && a.deviceId === b.deviceId;
const sameView = (a: LocalMediaView, b: LocalMediaView) =>
  a.screenSharing === b.screenSharing &&
  sameSource(a.audio, b.audio) &&
  sameSource(a.video, b.video);

/**
 * The local media controls of a peer: re-renders when what it sends, its mutes, devices or
 * screen share change. Each control returns the command's promise (it rejects with the typed
 * error, e.g. `MEDIA_FAILED` from `getDisplayMedia` when the user refused). The peer must have
 * the media controls (`createPeer({ …, mediaControls })`, from `@peerstatejs/core/media-controls`);
 * without them each control rejects with `UNSUPPORTED`.
 *
 * @example
 * ```tsx
 * const media = useLocalMedia(actor);
 * <button onClick={() => media.toggleMute('audio')}>{media.audio.muted ? 'Unmute' : 'Mute'}</button>
 * ```
 */
export function useLocalMedia(actor: PeerActor): UseLocalMediaResult {
  const view = useSelector(actor, localMediaView, sameView);
  const commands = useMemo(() => peerCommands(actor), [actor]);
  return useMemo(
    () => ({
      ...view,
      setMuted: commands.setMuted,
      switchDevice: commands.switchDevice,
      startScreenShare: commands.startScreenShare,
      stopScreenShare: commands.stopScreenShare,
      toggleMute: (kind, mode) => commands.setMuted(kind, view[kind].muted === null, mode),
      toggleScreenShare: (options) =>
        view.screenSharing ? commands.stopScreenShare() : commands.startScreenShare(options),
    }),
    [view, commands],
  );
}
