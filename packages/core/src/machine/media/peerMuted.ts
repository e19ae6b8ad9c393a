/**
 * The remote's `muted` message (guide 14): which of its tracks it muted, by mid. Received by
 * every peer, with or without the media controls of its own: what the remote says is shown.
 * @module
 */
import { peerSetupBase as base } from '../base.js';
import type { PeerEvent } from '../types.js';

/** Remote tracks with `mutedByPeer` set from the remote's last `muted` message. */
export function markPeerMuted<
  T extends { readonly mid: string | null; readonly mutedByPeer?: boolean },
>(remoteTracks: readonly T[], mids: readonly string[]): T[] {
  return remoteTracks.map((entry) => {
    const mutedByPeer = entry.mid !== null && mids.includes(entry.mid);
    return (entry.mutedByPeer ?? false) === mutedByPeer ? entry : { ...entry, mutedByPeer };
  });
}

/** Whether a `signal.message` is the remote's `muted` message. */
export const isMutedMessage = (event: PeerEvent): boolean =>
  event.type === 'signal.message' && event.message.type === 'muted';

export const peerMutedActions = {
  /** The remote's `muted` message: its tracks of those mids are shown as muted by the peer. */
  takePeerMuted: base.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'signal.message' || event.message.type !== 'muted') return;
    const { mids } = event.message;
    enqueue.assign({ peerMuted: mids, remoteTracks: markPeerMuted(context.remoteTracks, mids) });
    enqueue.emit({ type: 'peerMuted', mids });
  }),
};
