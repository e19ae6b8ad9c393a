import { MediaError } from '../errors.js';
import type { PeerConnectionLike } from '../platform/types.js';
import { markSpare } from './media/spareSenders.js';
import { sendsOnNewTransceiver } from './negotiation/politeTracks.js';
import type { LocalTrack, PeerInternalEvent, RemoteTrack } from './types.js';

type Report = (event: PeerInternalEvent) => void;

/** Sends a track. The engine fires `negotiationneeded`, which the machine serializes. */
export function addLocalTrack(
  pc: PeerConnectionLike,
  track: MediaStreamTrack,
  streams: readonly MediaStream[],
  owned: boolean,
  report: Report,
  newTransceiver = false,
): void {
  try {
    // `newTransceiver` is `polite`; the rule and its engine repros: negotiation/politeTracks.ts.
    const sender =
      sendsOnNewTransceiver(pc, track.kind, newTransceiver) && pc.addTransceiver
        ? pc.addTransceiver(track, { direction: 'sendrecv', streams: [...streams] }).sender
        : pc.addTrack(track, ...streams);
    report({ type: 'peer.trackAdded', track, streams, sender, owned });
  } catch (cause) {
    report({
      type: 'peer.error',
      error: new MediaError('addTrack', `could not add ${track.kind} track ${track.id}`, cause),
    });
  }
}

/**
 * Adds a transceiver; with a track, the track is sent like `addTrack`'s. `handle`: the track the
 * app knows a trackless (muted) sender by.
 */
export function addLocalTransceiver(
  pc: PeerConnectionLike,
  trackOrKind: MediaStreamTrack | 'audio' | 'video',
  init: RTCRtpTransceiverInit | undefined,
  report: Report,
  owned = false,
  handle = typeof trackOrKind === 'string' ? undefined : trackOrKind,
): void {
  try {
    // Missing before Unified Plan: the TypeError of the call is the cause reported.
    const transceiver = (pc.addTransceiver as NonNullable<typeof pc.addTransceiver>)(
      trackOrKind,
      init,
    );
    if (handle) {
      report({
        type: 'peer.trackAdded',
        track: handle,
        streams: init?.streams ?? [],
        sender: transceiver.sender,
        owned,
      });
    }
  } catch (cause) {
    const what = typeof trackOrKind === 'string' ? trackOrKind : `${trackOrKind.kind} track`;
    report({
      type: 'peer.error',
      error: new MediaError('addTransceiver', `could not add a ${what} transceiver`, cause),
    });
  }
}

/** Stops sending a track the app added before. */
export function removeLocalTrack(
  pc: PeerConnectionLike,
  localTracks: readonly LocalTrack[],
  track: MediaStreamTrack,
  report: Report,
): void {
  // Not on this connection (the engine refused it): nothing to undo.
  const local = localTracks.find((entry) => entry.track === track);
  try {
    if (local?.sending) {
      pc.removeTrack(local.sender);
    } else if (local) {
      // removeTrack does nothing for a sender without a track (it was replaced by null), so
      // stop sending on its transceiver directly; that renegotiates as removeTrack would.
      const transceiver = pc.getTransceivers().find((t) => t.sender === local.sender);
      if (transceiver && transceiver.currentDirection !== 'stopped') {
        transceiver.direction = transceiver.direction === 'sendrecv' ? 'recvonly' : 'inactive';
      }
    }
    if (local) markSpare(pc, local.sender);
    report({ type: 'peer.trackRemoved', track });
  } catch (cause) {
    report({
      type: 'peer.error',
      error: new MediaError('removeTrack', `could not remove track ${track.id}`, cause),
    });
  }
}

/**
 * Swaps a sent track without renegotiation. Where the engine cannot (`replaceTrack` missing or
 * refusing, as over the legacy stream API) it falls back to remove + add, which renegotiates.
 * Settles once the outcome is reported; never rejects.
 */
export function replaceLocalTrack(
  pc: PeerConnectionLike,
  localTracks: readonly LocalTrack[],
  track: MediaStreamTrack,
  withTrack: MediaStreamTrack | null,
  report: Report,
): Promise<void> {
  const local = localTracks.find((entry) => entry.track === track);
  if (!local) {
    report({
      type: 'peer.error',
      error: new MediaError('replaceTrack', `track ${track.id} is not sent by this peer`),
    });
    return Promise.resolve();
  }
  const fallback = (cause: unknown) => {
    if (!withTrack) {
      report({
        type: 'peer.error',
        error: new MediaError('replaceTrack', `could not replace track ${track.id}`, cause),
      });
      return;
    }
    try {
      pc.removeTrack(local.sender);
      report({ type: 'peer.trackRemoved', track });
    } catch (removeCause) {
      report({
        type: 'peer.error',
        error: new MediaError('replaceTrack', `could not replace track ${track.id}`, removeCause),
      });
      return;
    }
    addLocalTrack(pc, withTrack, local.streams, false, report);
  };
  if (typeof local.sender.replaceTrack !== 'function') {
    fallback(new Error('replaceTrack is not supported by this engine'));
    return Promise.resolve();
  }
  return local.sender.replaceTrack(withTrack).then(
    () => report({ type: 'peer.trackReplaced', track, withTrack }),
    (cause: unknown) => {
      if (pc.signalingState === 'closed') return;
      fallback(cause);
    },
  );
}

/** The remote track entry after an event on the track or its streams. */
export function refreshRemoteTrack(entry: RemoteTrack): RemoteTrack {
  const { track } = entry;
  return {
    ...entry,
    // A stream the remote stopped sending on no longer lists the track.
    streams: entry.streams.filter((stream) => stream.getTrackById(track.id) !== null),
    muted: track.muted,
    ended: track.readyState === 'ended',
  };
}

/** Adds or updates the entry of a remote track announced by a `track` event. */
export function upsertRemoteTrack(
  remoteTracks: readonly RemoteTrack[],
  track: MediaStreamTrack,
  streams: readonly MediaStream[],
  mid: string | null,
): RemoteTrack[] {
  const entry: RemoteTrack = {
    track,
    streams,
    muted: track.muted,
    ended: track.readyState === 'ended',
    mid,
  };
  const index = remoteTracks.findIndex((existing) => existing.track === track);
  if (index === -1) return [...remoteTracks, entry];
  return remoteTracks.map((existing, i) => (i === index ? entry : existing));
}
