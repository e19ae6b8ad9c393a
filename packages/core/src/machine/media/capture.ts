/**
 * `getUserMedia` / `getDisplayMedia` for the media commands, and the ownership of what they
 * captured. Invoked at the root of the machine, not per connection: captured tracks outlive a
 * rebuild, and end with the peer.
 * @module
 */
import { fromCallback } from 'xstate';
import { MediaError } from '../../errors.js';
import type { PeerInternalEvent, PeerMediaDevices } from '../types.js';

/** What the media commands ask the root's capture actor (`mediaCapture`) to do. */
export type CaptureRequest =
  /** `START_MEDIA`: `peer.mediaReady` or a `MEDIA_FAILED` settles it. */
  | {
      readonly type: 'capture';
      readonly constraints: MediaStreamConstraints;
      /** The command's reporter. */
      readonly report: (event: PeerInternalEvent) => void;
    }
  /** `START_SCREEN_SHARE`: `peer.mediaReady` with `screen` set. */
  | {
      readonly type: 'display';
      readonly options: DisplayMediaStreamOptions;
      readonly contentHint: string;
      readonly replace: boolean;
      /** The command's reporter. */
      readonly report: (event: PeerInternalEvent) => void;
    }
  /** One track again (unmute after a hard mute, `SWITCH_DEVICE`): `peer.trackRecaptured`. */
  | {
      readonly type: 'recapture';
      readonly track: MediaStreamTrack;
      readonly constraints: MediaTrackConstraints;
      /** The command's reporter. */
      readonly report: (event: PeerInternalEvent) => void;
      /** Called once the capture arrived, or failed. */
      readonly done: () => void;
    };

/**
 * XState runs no exit actions when an actor is stopped (`actor.stop()`, an unmounting
 * component), but it does run this cleanup: every captured track still live is stopped there,
 * and a capture that resolves after it (getUserMedia cannot be cancelled) is stopped on arrival.
 */
export const mediaCapture = fromCallback<
  CaptureRequest,
  { readonly mediaDevices: PeerMediaDevices | undefined }
>(({ input: { mediaDevices }, receive }) => {
  let stopped = false;
  const owned = new Set<MediaStreamTrack>();
  /** The `ended` listeners of screen tracks, removed when the peer ends. */
  const unwatch = new Set<() => void>();
  /** Keeps what arrived, or stops it when the peer has ended meanwhile; `false` then. */
  const adopt = (stream: MediaStream): boolean => {
    for (const track of stream.getTracks()) {
      if (stopped) track.stop();
      else owned.add(track);
    }
    return !stopped;
  };
  receive((request) => {
    const { report } = request;
    const operation = request.type === 'display' ? 'getDisplayMedia' : 'getUserMedia';
    const capture = mediaDevices?.[operation]?.bind(mediaDevices);
    const fail = (detail: string, cause?: unknown) => {
      report({ type: 'peer.error', error: new MediaError(operation, detail, cause) });
      if (request.type === 'recapture') request.done();
    };
    if (!capture) {
      return fail(
        mediaDevices
          ? `${operation} is not supported by this engine`
          : 'navigator.mediaDevices is not available here',
      );
    }
    const constraints =
      request.type === 'capture'
        ? request.constraints
        : request.type === 'display'
          ? request.options
          : { [request.track.kind]: request.constraints };
    capture(constraints).then(
      (stream) => {
        if (!adopt(stream)) return request.type === 'recapture' ? request.done() : undefined;
        if (request.type === 'capture') return report({ type: 'peer.mediaReady', stream });
        if (request.type === 'recapture') {
          const [withTrack] = stream.getTracks();
          if (!withTrack) return fail(`no ${request.track.kind} track was captured`);
          return report({
            type: 'peer.trackRecaptured',
            track: request.track,
            withTrack,
            constraints: request.constraints,
            report,
            done: request.done,
          });
        }
        for (const track of stream.getTracks()) {
          if (track.kind === 'video') track.contentHint = request.contentHint;
          // Fired only when the user agent ends the capture (its "stop sharing" UI), never for
          // `track.stop()`: the one way to learn the user stopped sharing.
          const onEnded = () => {
            if (!stopped) report({ type: 'peer.screenShareEnded', track, reason: 'ended' });
          };
          track.addEventListener('ended', onEnded, { once: true });
          unwatch.add(() => track.removeEventListener('ended', onEnded));
        }
        report({
          type: 'peer.mediaReady',
          stream,
          screen: { contentHint: request.contentHint, replace: request.replace },
        });
      },
      // The DOMException's name says why: NotAllowedError (refused), NotFoundError,
      // OverconstrainedError (the device is gone), NotReadableError (in use elsewhere).
      (cause: unknown) =>
        fail(`capture failed${cause instanceof Error ? ` (${cause.name})` : ''}`, cause),
    );
  });
  return () => {
    stopped = true;
    for (const remove of unwatch) remove();
    for (const track of owned) track.stop();
  };
});
