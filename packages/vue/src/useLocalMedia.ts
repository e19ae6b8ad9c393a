import {
  type LocalMediaView,
  localMediaView,
  type MuteMode,
  type PeerActions,
  type PeerActor,
  peerCommands,
} from '@peerstatejs/core';
import { type ComputedRef, computed, getCurrentScope, onScopeDispose, shallowRef } from 'vue';

/** What {@link useLocalMedia} returns: the view as a computed ref, and the controls (guide 14). */
export interface UseLocalMediaReturn {
  readonly media: ComputedRef<LocalMediaView>;
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

/**
 * The local media controls of a peer, following its snapshots while the scope lives. Each
 * control returns the command's promise (rejected with the typed error). The peer must have the
 * media controls (`createPeer({ …, mediaControls })`, from `@peerstatejs/core/media-controls`);
 * without them each control rejects with `UNSUPPORTED`.
 *
 * @example
 * ```ts
 * const { media, toggleMute } = useLocalMedia(actor);
 * // <button @click="toggleMute('audio')">{{ media.audio.muted ? 'Unmute' : 'Mute' }}</button>
 * ```
 */
export function useLocalMedia(actor: PeerActor): UseLocalMediaReturn {
  const snapshot = shallowRef(actor.getSnapshot());
  const subscription = actor.subscribe((next) => {
    snapshot.value = next;
  });
  if (getCurrentScope()) onScopeDispose(() => subscription.unsubscribe());
  const media = computed(() => localMediaView(snapshot.value));
  const commands = peerCommands(actor);
  return {
    media,
    setMuted: commands.setMuted,
    switchDevice: commands.switchDevice,
    startScreenShare: commands.startScreenShare,
    stopScreenShare: commands.stopScreenShare,
    toggleMute: (kind, mode) => commands.setMuted(kind, media.value[kind].muted === null, mode),
    toggleScreenShare: (options) =>
      media.value.screenSharing ? commands.stopScreenShare() : commands.startScreenShare(options),
  };
}
