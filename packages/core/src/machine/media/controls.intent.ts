/**
 * The media controls' part of the {@link MediaIntent}: pure updates, one per control. The
 * actions (`controls.actions.ts`) apply them first and then make the connection match.
 * @module
 */
import type { MediaIntent, ScreenShareIntent, SendControls, TransceiverIntent } from '../types.js';

export const NO_CONTROLS: SendControls = {
  mute: null,
  constraints: null,
  screen: null,
  parameters: null,
};

export const controlsOf = (entry: TransceiverIntent): SendControls => entry.controls ?? NO_CONTROLS;

export function withControls(
  entry: TransceiverIntent,
  patch: Partial<SendControls>,
): TransceiverIntent {
  return { ...entry, controls: { ...controlsOf(entry), ...patch } };
}

/** The intent with `entry` (compared by identity) swapped for `next`. */
export function replaceEntry(
  intent: MediaIntent,
  entry: TransceiverIntent,
  next: TransceiverIntent | null,
): MediaIntent {
  const transceivers = next
    ? intent.transceivers.map((e) => (e === entry ? next : e))
    : intent.transceivers.filter((e) => e !== entry);
  return { ...intent, transceivers };
}

/** The sent tracks a control names: one `track`, every one of `kind`, or every one. */
export function targetsOf(
  intent: MediaIntent,
  which: { readonly kind?: 'audio' | 'video'; readonly track?: MediaStreamTrack },
): TransceiverIntent[] {
  return intent.transceivers.filter(
    (e) =>
      e.track !== null &&
      (which.track ? e.track === which.track : !which.kind || e.kind === which.kind),
  );
}

/** The SDK-captured camera or microphone of `kind` (not a screen), which `SWITCH_DEVICE` moves. */
export function capturedOf(intent: MediaIntent, kind: 'audio' | 'video') {
  return intent.transceivers.find(
    (e) => e.kind === kind && e.owned && e.track !== null && !controlsOf(e).screen,
  );
}

/** The entries of the current screen share. */
export function screenEntries(intent: MediaIntent): TransceiverIntent[] {
  return intent.transceivers.filter((e) => controlsOf(e).screen !== null);
}

/**
 * Captured screen media joins the intent: on the camera's entry (`replace`, when there is a
 * camera to replace; the camera is kept to put back), else as entries of its own.
 */
export function withScreen(
  intent: MediaIntent,
  stream: MediaStream,
  { contentHint, replace }: { readonly contentHint: string; readonly replace: boolean },
): MediaIntent {
  const own = (replaced: ScreenShareIntent['replaced']): Partial<SendControls> => ({
    screen: { contentHint, replaced },
  });
  const fresh = (track: MediaStreamTrack): TransceiverIntent =>
    withControls(
      {
        kind: track.kind as 'audio' | 'video',
        track,
        streams: [stream],
        muted: false,
        owned: true,
        init: null,
      },
      own(null),
    );
  const tracks = stream.getTracks();
  const video = tracks.find((t) => t.kind === 'video');
  const camera = intent.transceivers.find(
    (e) => e.kind === 'video' && e.track && !controlsOf(e).screen,
  );
  if (!replace || !video || !camera?.track) {
    return { ...intent, transceivers: [...intent.transceivers, ...tracks.map(fresh)] };
  }
  const onCamera = withControls(
    { ...camera, track: video, owned: true, muted: false },
    { ...own({ track: camera.track, owned: camera.owned }), mute: null },
  );
  const placed = replaceEntry(intent, camera, onCamera);
  const rest = tracks.filter((t) => t !== video).map(fresh);
  return { ...placed, transceivers: [...placed.transceivers, ...rest] };
}

/** The entry after its screen share ended: the camera back (`replaced`), or none (removed). */
export function afterScreen(entry: TransceiverIntent): TransceiverIntent | null {
  const replaced = controlsOf(entry).screen?.replaced;
  if (!replaced) return null;
  return withControls(
    { ...entry, track: replaced.track, owned: replaced.owned, muted: false },
    { screen: null },
  );
}

/** The mute state on the wire: a sent track is muted when a control muted it. */
export const isMutedByControl = (entry: TransceiverIntent): boolean =>
  controlsOf(entry).mute !== null;
