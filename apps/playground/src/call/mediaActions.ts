/**
 * The app's own media work around the SDK's commands: a second camera track to switch to, and
 * releasing the tracks the SDK no longer holds.
 * @module
 */
import type { PeerActor } from '@peerstatejs/core';
import { waitFor } from 'xstate';

/**
 * Replaces the sent camera track with another camera (the next `videoinput`), or, with a single
 * camera as in a fake-device test, the same camera at another resolution so the switch shows.
 */
export async function switchCamera(actor: PeerActor): Promise<void> {
  const local = actor
    .getSnapshot()
    .context.localTracks.find((entry) => entry.track.kind === 'video' && entry.sending);
  if (!local) throw new Error('no camera track is being sent: start the camera first');
  const settings = local.track.getSettings();
  const cameras = (await navigator.mediaDevices.enumerateDevices()).filter(
    (device) => device.kind === 'videoinput',
  );
  const other = cameras.find((device) => device.deviceId && device.deviceId !== settings.deviceId);
  const small = (settings.width ?? 640) > 320;
  const video: MediaTrackConstraints = other
    ? { deviceId: { exact: other.deviceId } }
    : { width: { exact: small ? 320 : 640 }, height: { exact: small ? 240 : 480 } };
  const stream = await navigator.mediaDevices.getUserMedia({ video });
  const [track] = stream.getVideoTracks();
  if (!track) throw new Error('getUserMedia returned no video track');
  actor.send({ type: 'REPLACE_TRACK', track: local.track, withTrack: track });
  const after = await waitFor(
    actor,
    (snapshot) =>
      snapshot.status !== 'active' ||
      snapshot.context.localTracks.some((entry) => entry.track === track) ||
      snapshot.context.lastError?.code === 'MEDIA_FAILED',
    { timeout: 5000 },
  );
  if (after.context.localTracks.some((entry) => entry.track === track)) {
    // The SDK no longer holds the old track, so it will not stop it on close: we do.
    local.track.stop();
  } else {
    track.stop();
  }
}

/** Stops sending a track (`REMOVE_TRACK`, which renegotiates), then releases the device. */
export async function stopTrack(actor: PeerActor, track: MediaStreamTrack): Promise<void> {
  actor.send({ type: 'REMOVE_TRACK', track });
  await waitFor(
    actor,
    (snapshot) =>
      snapshot.status !== 'active' ||
      !snapshot.context.localTracks.some((entry) => entry.track === track),
    { timeout: 5000 },
  );
  track.stop();
}

/**
 * Closes this peer's RTCPeerConnection behind the machine's back, as when the remote process
 * dies without a bye: the other peer's ICE consent checks go unanswered.
 */
export function breakConnection(actor: PeerActor): void {
  actor.getSnapshot().context.pc?.close();
}
