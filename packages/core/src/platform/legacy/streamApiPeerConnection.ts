/**
 * Emulates the track API (`addTrack`, `removeTrack`, `getSenders`, `getReceivers`,
 * `getTransceivers`, `track` events) on engines that only have the stream API (`addStream`,
 * `removeStream`, `addstream`/`removestream` events), such as Chrome before version 64.
 * @module
 */

import type { PeerConnectionLike } from '../types.js';
import {
  emulatedReceiver,
  emulatedSender,
  emulatedTransceiver,
  notSupported,
} from './emulatedRtp.js';
import { overlay } from './overlay.js';

/** The stream-API members the emulation is built on. */
export interface StreamApiPeerConnectionLike extends EventTarget {
  readonly signalingState: RTCSignalingState;
  addStream(stream: MediaStream): void;
  removeStream(stream: MediaStream): void;
  getStats(selector?: MediaStreamTrack | null): Promise<RTCStatsReport>;
}

/** Builds a local stream holding some tracks (`MediaStream`, or `webkitMediaStream`). */
export type MediaStreamConstructor = new (tracks: MediaStreamTrack[]) => MediaStream;

export interface StreamApiOptions {
  /**
   * Builds the local streams handed to `addStream`. Needed whenever the tracks added for a
   * stream are not exactly that stream's tracks; without it such an `addTrack` throws
   * `NotSupportedError`.
   */
  readonly MediaStream?: MediaStreamConstructor;
  /**
   * Whether to dispatch `track` events for `addstream` events and to provide `ontrack`.
   * Defaults to whether the engine lacks `ontrack`: engines that have it already fire them.
   */
  readonly trackEvents?: boolean;
}

/** The members the emulation adds. */
export type TrackApiMembers = Pick<
  PeerConnectionLike,
  'addTrack' | 'removeTrack' | 'getSenders' | 'getReceivers' | 'getTransceivers'
> & { ontrack: ((this: unknown, event: RTCTrackEvent) => unknown) | null };

/** The tracks added for one stream argument (or for none) and the stream published for them. */
interface LocalGroup {
  readonly stream: MediaStream | undefined;
  tracks: readonly MediaStreamTrack[];
  published: MediaStream | undefined;
}

interface RemoteEntry {
  readonly tracks: Set<MediaStreamTrack>;
  readonly onAddTrack: (event: Event) => void;
  readonly onRemoveTrack: (event: Event) => void;
}

interface RemoteTrack {
  readonly receiver: RTCRtpReceiver;
  readonly transceiver: RTCRtpTransceiver;
}

/**
 * Adds the track API to a stream-API peer connection.
 *
 * Local side: the tracks added for each stream argument are published as one local stream
 * (`addStream`), replaced (`removeStream` + `addStream`) whenever that set changes. When the
 * set is exactly the caller's stream, the caller's stream itself is published so the remote
 * peer sees its id; otherwise a new stream is built and the remote sees that one's id.
 * `replaceTrack` and the other sender operations the engine cannot do reject with
 * `NotSupportedError`.
 *
 * Remote side: each track of each `addstream` event (and each track later added to such a
 * stream) is announced as a `track` event carrying `track`, `streams`, `receiver` and
 * `transceiver`. When the engine removes a remote stream, its tracks are removed from it and
 * a `removetrack` event is dispatched on it, as a modern engine does when a remote track ends.
 *
 * Senders, receivers and transceivers are emulated objects, never the engine's own.
 */
export function streamApiPeerConnection<T extends StreamApiPeerConnectionLike>(
  native: T,
  options: StreamApiOptions = {},
): Omit<T, keyof TrackApiMembers> & TrackApiMembers {
  const emulateTrackEvents = options.trackEvents ?? !('ontrack' in native);
  const stats = (track: MediaStreamTrack | null) => native.getStats(track);
  const groups = new Map<MediaStream | undefined, LocalGroup>();
  const senders = new Map<RTCRtpSender, { group: LocalGroup; transceiver: RTCRtpTransceiver }>();
  // Removing a sender twice is a no-op, as on a real peer connection.
  const removed = new WeakSet<RTCRtpSender>();
  const remoteStreams = new Map<MediaStream, RemoteEntry>();
  const remoteTracks = new Map<MediaStreamTrack, RemoteTrack>();

  const streamFor = (group: LocalGroup, tracks: readonly MediaStreamTrack[]): MediaStream => {
    if (group.stream && sameTracks(group.stream.getTracks(), tracks)) return group.stream;
    if (!options.MediaStream) throw notSupported('addTrack without a MediaStream constructor');
    return new options.MediaStream([...tracks]);
  };

  /** Publishes `tracks` for the group; throws before changing anything if it cannot. */
  const publish = (group: LocalGroup, tracks: readonly MediaStreamTrack[]): void => {
    const next = tracks.length === 0 ? undefined : streamFor(group, tracks);
    if (next !== group.published) {
      if (group.published) native.removeStream(group.published);
      if (next) native.addStream(next);
    }
    group.tracks = tracks;
    group.published = next;
    if (tracks.length === 0) groups.delete(group.stream);
  };

  const assertOpen = (operation: string): void => {
    if (native.signalingState === 'closed') {
      throw new DOMException(`${operation}: the peer connection is closed`, 'InvalidStateError');
    }
  };

  const dispatch = (target: EventTarget, type: string, fields: Record<string, unknown>): void => {
    const event = new Event(type);
    for (const [name, value] of Object.entries(fields)) {
      Object.defineProperty(event, name, { value, enumerable: true });
    }
    target.dispatchEvent(event);
  };

  const announce = (track: MediaStreamTrack, stream: MediaStream, entry: RemoteEntry): void => {
    if (entry.tracks.has(track)) return;
    entry.tracks.add(track);
    let remote = remoteTracks.get(track);
    if (!remote) {
      const receiver = emulatedReceiver(track, stats);
      const transceiver = emulatedTransceiver(emulatedSender(null, stats), receiver, 'recvonly');
      remote = { receiver, transceiver };
      remoteTracks.set(track, remote);
    }
    if (emulateTrackEvents) {
      dispatch(native, 'track', {
        track,
        streams: Object.freeze([stream]),
        receiver: remote.receiver,
        transceiver: remote.transceiver,
      });
    }
  };

  /** Forgets a remote track once no remote stream holds it any more. */
  const release = (track: MediaStreamTrack): void => {
    for (const entry of remoteStreams.values()) if (entry.tracks.has(track)) return;
    remoteTracks.delete(track);
  };

  native.addEventListener('addstream', (event) => {
    const stream = (event as Event & { stream?: MediaStream | null }).stream;
    if (!stream || remoteStreams.has(stream)) return;
    const entry: RemoteEntry = {
      tracks: new Set(),
      // Stream-era engines added a renegotiated track to the existing remote stream.
      onAddTrack: (trackEvent) => {
        const track = (trackEvent as Event & { track?: MediaStreamTrack | null }).track;
        if (track) announce(track, stream, entry);
      },
      onRemoveTrack: (trackEvent) => {
        const track = (trackEvent as Event & { track?: MediaStreamTrack | null }).track;
        if (track && entry.tracks.delete(track)) release(track);
      },
    };
    remoteStreams.set(stream, entry);
    stream.addEventListener('addtrack', entry.onAddTrack);
    stream.addEventListener('removetrack', entry.onRemoveTrack);
    for (const track of stream.getTracks()) announce(track, stream, entry);
  });

  native.addEventListener('removestream', (event) => {
    const stream = (event as Event & { stream?: MediaStream | null }).stream;
    const entry = stream ? remoteStreams.get(stream) : undefined;
    if (!stream || !entry) return;
    // Detached first, so the removals below are not mistaken for the engine's own.
    stream.removeEventListener('addtrack', entry.onAddTrack);
    stream.removeEventListener('removetrack', entry.onRemoveTrack);
    remoteStreams.delete(stream);
    const present = new Set(stream.getTracks());
    for (const track of entry.tracks) {
      release(track);
      // The engine may already have emptied the stream; announce only what it did not.
      if (!present.has(track)) continue;
      stream.removeTrack(track);
      dispatch(stream, 'removetrack', { track });
    }
  });

  let ontrack: TrackApiMembers['ontrack'] = null;
  const ontrackMembers = emulateTrackEvents
    ? (() => {
        // Registered once, up front: the handler is looked up when the event fires.
        native.addEventListener('track', (event) => {
          ontrack?.call(proxy, event as RTCTrackEvent);
        });
        return {
          get ontrack() {
            return ontrack;
          },
          set ontrack(handler: unknown) {
            ontrack =
              typeof handler === 'function' ? (handler as TrackApiMembers['ontrack']) : null;
          },
        };
      })()
    : {};

  const members = {
    addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender {
      assertOpen('addTrack');
      for (const sender of senders.keys()) {
        if (sender.track === track) {
          throw new DOMException('addTrack: the track is already added', 'InvalidAccessError');
        }
      }
      // A published stream can carry a track under one stream only; further streams are
      // ignored, as the stream-era engines could not express them.
      const stream = streams[0];
      const group = groups.get(stream) ?? { stream, tracks: [], published: undefined };
      publish(group, [...group.tracks, track]);
      groups.set(stream, group);
      const sender = emulatedSender(track, stats);
      const transceiver = emulatedTransceiver(sender, emulatedReceiver(null, stats), 'sendonly');
      senders.set(sender, { group, transceiver });
      return sender;
    },
    removeTrack(sender: RTCRtpSender): void {
      assertOpen('removeTrack');
      const entry = senders.get(sender);
      if (removed.has(sender)) return;
      if (!entry) {
        throw new DOMException(
          'removeTrack: the sender was not created by this peer connection',
          'InvalidAccessError',
        );
      }
      const { group } = entry;
      publish(
        group,
        group.tracks.filter((track) => track !== sender.track),
      );
      senders.delete(sender);
      removed.add(sender);
      (sender as { track: MediaStreamTrack | null }).track = null;
    },
    getSenders(): RTCRtpSender[] {
      return [...senders.keys()];
    },
    getReceivers(): RTCRtpReceiver[] {
      return [...remoteTracks.values()].map((remote) => remote.receiver);
    },
    getTransceivers(): RTCRtpTransceiver[] {
      return [
        ...[...senders.values()].map((entry) => entry.transceiver),
        ...[...remoteTracks.values()].map((remote) => remote.transceiver),
      ];
    },
  };

  const proxy = overlay<Omit<T, keyof TrackApiMembers> & TrackApiMembers>(
    native,
    Object.defineProperties(members, Object.getOwnPropertyDescriptors(ontrackMembers)),
  );
  return proxy;
}

function sameTracks(a: readonly MediaStreamTrack[], b: readonly MediaStreamTrack[]): boolean {
  return a.length === b.length && a.every((track) => b.includes(track));
}
