/**
 * What a call's controls show about the media this peer sends, derived from the intent: pure,
 * so the React and Vue hooks (`useLocalMedia`) agree.
 * @module
 */
import type { PeerSnapshot } from '../createPeer.js';
import type { MuteMode, SendControls, TransceiverIntent } from '../types.js';

// Not controls.intent.ts's: that module is the media controls' (their opt-in entry).
const controlsOf = (entry: TransceiverIntent): Partial<SendControls> => entry.controls ?? {};

/** The camera or the microphone, as the controls show it. */
export interface LocalSourceView {
  /** A track of this kind is sent (muted or not). */
  readonly sending: boolean;
  /** How it is muted (`SET_MUTED`), or `null`. */
  readonly muted: MuteMode | null;
  /** The device it captures (SDK-captured tracks), or `null` when unknown. */
  readonly deviceId: string | null;
}

/** The camera, the microphone and the screen share, as a call's controls show them. */
export interface LocalMediaView {
  readonly audio: LocalSourceView;
  readonly video: LocalSourceView;
  /** A screen share runs (`START_SCREEN_SHARE`). */
  readonly screenSharing: boolean;
}

function deviceOf(entry: TransceiverIntent): string | null {
  const pinned = controlsOf(entry).constraints?.deviceId;
  if (typeof pinned === 'string') return pinned;
  if (pinned && typeof pinned === 'object' && 'exact' in pinned) {
    const exact = pinned.exact;
    if (typeof exact === 'string') return exact;
  }
  return entry.track?.getSettings?.().deviceId ?? null;
}

function sourceView(
  entries: readonly TransceiverIntent[],
  kind: 'audio' | 'video',
): LocalSourceView {
  // A screen sent as a track of its own is no camera; one on the camera's sender stands in
  // for the camera it replaced.
  const entry = entries.find(
    (e) =>
      e.kind === kind &&
      e.track !== null &&
      (!controlsOf(e).screen || controlsOf(e).screen?.replaced),
  );
  if (!entry) return { sending: false, muted: null, deviceId: null };
  const replaced = controlsOf(entry).screen?.replaced;
  if (replaced) {
    return {
      sending: true,
      muted: null,
      deviceId: replaced.track.getSettings?.().deviceId ?? null,
    };
  }
  return { sending: true, muted: controlsOf(entry).mute ?? null, deviceId: deviceOf(entry) };
}

/** The local media view of a snapshot. */
export function localMediaView(snapshot: Pick<PeerSnapshot, 'context'>): LocalMediaView {
  const entries = snapshot.context.intent.transceivers;
  return {
    audio: sourceView(entries, 'audio'),
    video: sourceView(entries, 'video'),
    screenSharing: entries.some((e) => (controlsOf(e).screen ?? null) !== null),
  };
}
