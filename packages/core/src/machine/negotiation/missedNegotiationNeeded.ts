/**
 * Firefox (153) never fires `negotiationneeded` for a data channel created while
 * `createOffer()` runs, although the channel is in its next offer (webrtc-pc §4.7.3 says the
 * flag is updated once the exchange is back in `stable`, which fires the event; Chromium does).
 * The channel would then never open. So after each answer to our offer the machine runs that
 * one clause of "check if negotiation is needed" itself.
 *
 * Bounded: once per connection. A channel created while a description operation runs is lost
 * for good (no later offer has the section: data/dataChannel.actions.ts keeps such channels
 * until the operation is over); an engine that leaves the section out of the re-offer too would
 * get the same offer after every answer, forever (seen: 227 offers in 15 s, before the
 * deferral). The second time it is reported, and the connection rebuilt when a rebuild is left:
 * a new connection gets its channels before its first offer.
 * @module
 */
import { DataChannelError } from '../../errors.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import { peerSetupBase as base } from '../base.js';
import { requirePc } from '../context.js';
import type { DataChannelInfo } from '../types.js';

const APPLICATION_SECTION = /^m=application /m;

/** How many times each connection was found with a channel left out of its offer. */
const leftOut = new WeakMap<PeerConnectionLike, number>();

/**
 * The label of a local data channel (not closed) when no offer of this connection carried an
 * application m-section: the exchange just completed left it out. `null` otherwise.
 */
export function dataChannelLeftOutOfOffer(
  pc: PeerConnectionLike,
  dataChannels: readonly DataChannelInfo[],
): string | null {
  const channel = dataChannels.find((c) => c.origin === 'local' && c.readyState !== 'closed');
  const sdp = pc.localDescription?.sdp;
  if (!channel || sdp === undefined || APPLICATION_SECTION.test(sdp)) return null;
  return channel.label;
}

export const missedNegotiationActions = {
  /** After the answer to our offer: asks once for the offer the engine will not ask for. */
  offerDataChannelLeftOut: base.enqueueActions(({ context, enqueue, check }) => {
    const pc = requirePc(context);
    const label = dataChannelLeftOutOfOffer(pc, context.dataChannels);
    if (label === null) return;
    const times = (leftOut.get(pc) ?? 0) + 1;
    leftOut.set(pc, times);
    if (times === 1) return enqueue.raise({ type: 'pc.negotiationNeeded' });
    if (times > 2) return;
    const rebuild = check('canRebuild');
    const error = new DataChannelError(
      label,
      `the engine left it out of its offer twice${rebuild ? ': rebuilding the connection' : ''}`,
    );
    enqueue.assign({ lastError: error });
    enqueue.emit({ type: 'error', error });
    if (rebuild) enqueue.raise({ type: 'peer.rebuildNeeded', reason: 'negotiation-stuck' });
  }),
};
