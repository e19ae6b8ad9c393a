import type { PeerActor } from '@peerstatejs/core';
import { useLocalMedia, useMediaDevices } from '@peerstatejs/react';

/** Mute, camera switch, speaker and screen share: each control is one call (guide 14). */
export function MediaControls({ actor }: { actor: PeerActor }) {
  const media = useLocalMedia(actor);
  const devices = useMediaDevices();
  // The promises reject with the typed error, which the peer also emits (shown in the log).
  const run = (action: Promise<void>) => action.catch(() => {});
  return (
    <div data-testid="media-controls">
      <button
        type="button"
        disabled={!media.audio.sending}
        onClick={() => run(media.toggleMute('audio'))}
      >
        {media.audio.muted ? 'Unmute mic' : 'Mute mic'}
      </button>
      <button
        type="button"
        disabled={!media.video.sending}
        onClick={() => run(media.toggleMute('video', 'hard'))}
      >
        {media.video.muted ? 'Camera on' : 'Camera off'}
      </button>
      <select
        aria-label="Camera"
        value={media.video.deviceId ?? ''}
        disabled={!media.video.sending}
        onChange={(e) => run(media.switchDevice('video', e.target.value))}
      >
        {devices.cameras.map((c) => (
          <option key={c.deviceId} value={c.deviceId}>
            {c.label || 'camera'}
          </option>
        ))}
      </select>
      {devices.canPickSpeaker ? (
        <select
          aria-label="Speaker"
          value={devices.speaker}
          onChange={(e) => run(devices.setSpeaker(e.target.value))}
        >
          <option value="">Default speaker</option>
          {devices.speakers.map((s) => (
            <option key={s.deviceId} value={s.deviceId}>
              {s.label || 'speaker'}
            </option>
          ))}
        </select>
      ) : null}
      <button type="button" onClick={() => run(media.toggleScreenShare())}>
        {media.screenSharing ? 'Stop sharing' : 'Share screen'}
      </button>
    </div>
  );
}
