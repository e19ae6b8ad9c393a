/**
 * `getUserMedia` for `START_MEDIA`, and the ownership of what it captured. Invoked at the root of
 * the machine, not per connection: captured tracks outlive a rebuild, and end with the peer.
 * @module
 */
import { fromCallback } from 'xstate';
import { MediaError } from '../../errors.js';
import type { PeerInternalEvent } from '../types.js';

/** What `START_MEDIA` asks the root's capture actor (`mediaCapture`) to do. */
export interface CaptureRequest {
  readonly type: 'capture';
  readonly constraints: MediaStreamConstraints;
  /** The `START_MEDIA` command's reporter: `peer.mediaReady` or a `MEDIA_FAILED` settles it. */
  readonly report: (event: PeerInternalEvent) => void;
}

/**
 * XState runs no exit actions when an actor is stopped (`actor.stop()`, an unmounting
 * component), but it does run this cleanup: every captured track still live is stopped there,
 * and a capture that resolves after it (getUserMedia cannot be cancelled) is stopped on arrival.
 */
export const mediaCapture = fromCallback<
  CaptureRequest,
  { readonly mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined }
>(({ input: { mediaDevices }, receive }) => {
  let stopped = false;
  const owned = new Set<MediaStreamTrack>();
  receive(({ constraints, report }) => {
    if (!mediaDevices) {
      report({
        type: 'peer.error',
        error: new MediaError('getUserMedia', 'navigator.mediaDevices is not available here'),
      });
      return;
    }
    mediaDevices.getUserMedia(constraints).then(
      (stream) => {
        for (const track of stream.getTracks()) {
          if (stopped) track.stop();
          else owned.add(track);
        }
        if (!stopped) report({ type: 'peer.mediaReady', stream });
      },
      (cause: unknown) =>
        report({
          type: 'peer.error',
          error: new MediaError('getUserMedia', 'capture failed', cause),
        }),
    );
  });
  return () => {
    stopped = true;
    for (const track of owned) track.stop();
  };
});
