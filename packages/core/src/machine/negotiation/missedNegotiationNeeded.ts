/**
 * Firefox (153) never fires `negotiationneeded` for a data channel created while
 * `setLocalDescription()` is making an offer: the offer is made when the call starts, the channel
 * is not in it, and after the answer the engine takes the need as met (webrtc-pc §4.7.3 says the
 * flag is updated once the exchange is back in `stable`, which fires the event; Chromium does).
 * The channel then never opens: seen as the cross-browser scenario's `chat` channel stuck in
 * `connecting` under load, and reproduced on bare connections (apps/e2e/test/engine.mjs
 * `12-engine-firefox-channel-created-during-offer`). So after each answer to our offer the machine
 * runs that one clause of "check if negotiation is needed" itself.
 * @module
 */
import type { PeerConnectionLike } from '../../platform/types.js';
import { peerSetupBase as base } from '../base.js';
import { requirePc } from '../context.js';
import type { DataChannelInfo } from '../types.js';

const APPLICATION_SECTION = /^m=application /m;

/**
 * True when a local data channel exists but no offer of this connection carried an application
 * m-section: the exchange just completed left it out. Never true twice for one cause: the next
 * offer carries the section (every engine adds it once a channel exists), so this cannot loop.
 */
export function dataChannelLeftOutOfOffer(
  pc: PeerConnectionLike,
  dataChannels: readonly DataChannelInfo[],
): boolean {
  if (!dataChannels.some((c) => c.origin === 'local' && c.readyState !== 'closed')) return false;
  const sdp = pc.localDescription?.sdp;
  return sdp !== undefined && !APPLICATION_SECTION.test(sdp);
}

export const missedNegotiationActions = {
  /** After the answer to our offer: asks for the offer the engine will not ask for. */
  offerDataChannelLeftOut: base.enqueueActions(({ context, enqueue }) => {
    if (dataChannelLeftOutOfOffer(requirePc(context), context.dataChannels))
      enqueue.raise({ type: 'pc.negotiationNeeded' });
  }),
};
