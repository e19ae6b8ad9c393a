/**
 * `getUserMedia` / `getDisplayMedia` for the media commands, and the ownership of what they
 * captured. Invoked at the root of the machine, not per connection: captured tracks outlive a
 * rebuild, and end with the peer.
 * @module
 */
import { fromCallback } from 'xstate';
import { MediaError } from '../../errors.js';
import type { PeerInternalEvent, PeerMediaDevices } from '../types.js';

/**
 * What a media command asks the root's capture actor (`mediaCapture`) for: `START_MEDIA` a
 * `getUserMedia` stream that becomes `peer.mediaReady`; the media controls
 * (`@peerstatejs/core/media-controls`) a screen (`getDisplayMedia`) or one track again (unmute
 * after a hard mute, `SWITCH_DEVICE`), which they place themselves (`arrived`).
 */
export interface CaptureRequest {
  readonly type: 'capture';
  /** @defaultValue 'getUserMedia' */
  readonly operation?: 'getUserMedia' | 'getDisplayMedia';
  readonly constraints: MediaStreamConstraints | DisplayMediaStreamOptions;
  /** The command's reporter. */
  readonly report: (event: PeerInternalEvent) => void;
  /**
   * What becomes of the stream (by default, `peer.mediaReady`). `watchEnded` calls `onEnded`
   * when the user agent ends a track, until the peer ends.
   */
  readonly arrived?: (
    stream: MediaStream,
    watchEnded: (track: MediaStreamTrack, onEnded: () => void) => void,
  ) => void;
  /** Called when nothing arrives: the capture failed, or the peer ended meanwhile. */
  readonly abandoned?: () => void;
}

/** The part of XState's `enqueue` that starts the capture actor and asks it for media. */
export interface CaptureEnqueue {
  spawnChild(
    src: 'mediaCapture',
    options: {
      readonly id: 'mediaCapture';
      readonly input: { readonly mediaDevices: PeerMediaDevices | undefined };
    },
  ): void;
  sendTo(actor: 'mediaCapture', request: CaptureRequest): void;
}

/** Peers whose capture actor is spawned (or enqueued to be, earlier in this macrostep). */
const spawned = new WeakSet<object>();

/**
 * Asks the peer's capture actor (`mediaCapture`, a child of the root) for media, spawning it
 * first when this is the peer's first capture. Spawned on demand, not invoked at the root: an
 * invoked actor costs every peer an actor and two snapshot copies (#22: ~28 KiB in Node), and
 * most peers never capture. Spawned at the root all the same, so what it captured outlives
 * every rebuild and is stopped with the peer (the cleanup below).
 */
export function requestCapture(
  enqueue: CaptureEnqueue,
  self: object,
  mediaDevices: PeerMediaDevices | undefined,
  request: CaptureRequest,
): void {
  if (!spawned.has(self)) {
    spawned.add(self);
    enqueue.spawnChild('mediaCapture', { id: 'mediaCapture', input: { mediaDevices } });
  }
  enqueue.sendTo('mediaCapture', request);
}

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
  const watchEnded = (track: MediaStreamTrack, onEnded: () => void) => {
    const listener = () => {
      if (!stopped) onEnded();
    };
    track.addEventListener('ended', listener, { once: true });
    unwatch.add(() => track.removeEventListener('ended', listener));
  };
  receive((request) => {
    const { report, operation = 'getUserMedia', arrived, abandoned } = request;
    const capture = mediaDevices?.[operation]?.bind(mediaDevices) as
      | ((constraints: CaptureRequest['constraints']) => Promise<MediaStream>)
      | undefined;
    const fail = (detail: string, cause?: unknown) => {
      report({ type: 'peer.error', error: new MediaError(operation, detail, cause) });
      abandoned?.();
    };
    if (!capture) {
      return fail(
        mediaDevices
          ? `${operation} is not supported by this engine`
          : 'navigator.mediaDevices is not available here',
      );
    }
    capture(request.constraints).then(
      (stream) => {
        if (!adopt(stream)) return abandoned?.();
        if (arrived) return arrived(stream, watchEnded);
        report({ type: 'peer.mediaReady', stream });
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
