/**
 * The impolite peer's first offer on a connection is made in a microtask after the command that
 * needs it, not after the engine's `negotiationneeded`.
 *
 * Why: engines queue `negotiationneeded` as a task (webrtc-pc §4.7.3, "update the
 * negotiation-needed flag"), so in a page that is busy (both peers, the app rendering) the first
 * offer waited for it: 4.7 ms of a 35 ms connect in `apps/bench --trace=raw,sdk-direct`, where
 * the raw pair calls `setLocalDescription()` at once (#22).
 *
 * Why it is safe: a connection with no local description needs an offer for any track,
 * transceiver or data channel (JSEP 5.2.1: each gets an m-section). The engine's own task then
 * finds the operations chain busy with our offer and, once it is empty, the signaling state not
 * `stable`, so it fires nothing; after the answer, "check if negotiation is needed" is false. An
 * engine that fires it anyway costs one offer that changes nothing (`renegotiation` → `pending`),
 * as any spurious `negotiationneeded` does.
 *
 * Only the impolite peer, and only before any description: the polite peer's first offer holds
 * for the impolite's (renegotiation.states.ts, #23), and a remote offer makes ours unneeded.
 * Only on the first connection: on a rebuilt one the remote may still be in its rebuild
 * handshake, which drops what is not a `rebuild` message (seen in the fake: an offer made at
 * once reached the polite peer before the impolite's `rebuild`, and was dropped; the engine's
 * task came late enough). A rebuild is not the connect path #22 measures. And not where the
 * offer is made in two steps (platform/offersInTwoSteps.ts): the engine's own event would ask
 * for a second one.
 *
 * An engine that fires its event anyway, for the change our offer already carries (libwebrtc
 * in Node, `@roamhq/wrtc`, as a bare `RTCPeerConnection`: seen in packages/signaling's WHIP
 * test, where the second offer is refused as a renegotiation WHIP does not have), is answered
 * by the spec's own check (webrtc-pc §4.7.3 "check if negotiation is needed", what the engine
 * should have run): until that first exchange is over, an event for which every transceiver
 * has an m-section of its direction in our offer, and every channel an application m-section,
 * is dropped (negotiation/firstExchange.ts).
 * @module
 */
import { stateIn } from 'xstate';
import { offersInTwoSteps } from '../../platform/offersInTwoSteps.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import { peerSetupBase as base } from '../base.js';
import { startFirstExchange } from './firstExchange.js';

/** Nothing under way: no exchange, no rebuild, no polite hold, no offer already wanted. */
const idleAndStable = { active: { signaling: 'stable', renegotiation: 'idle' } } as const;

/** The connections whose first offer is asked for already. */
const asked = new WeakSet<PeerConnectionLike>();

export const firstOfferActions = {
  /**
   * After a command that gave the connection a track, transceiver or channel: asks for the
   * offer in a microtask, so that the commands the app sends in the same turn (a camera's two
   * tracks, then a channel) share it, as they share the engine's task, without its wait.
   */
  offerFirstAtOnce: base.enqueueActions(({ context, self, enqueue, check }) => {
    const { pc } = context;
    if (!pc || context.options.polite || context.epoch > 0) return;
    if (asked.has(pc) || offersInTwoSteps.has(pc) || !neverOffered(pc)) return;
    if (!check(stateIn(idleAndStable))) return;
    enqueue(() => {
      asked.add(pc);
      startFirstExchange(pc);
      queueMicrotask(() => {
        const current = self.getSnapshot();
        if (current.context.pc !== pc || !current.matches(idleAndStable) || !neverOffered(pc)) {
          return;
        }
        self.send({ type: 'pc.negotiationNeeded' });
      });
    });
  }),
};

/** No description set yet, on either side: the first offer is still to be made, by anyone. */
function neverOffered(pc: PeerConnectionLike): boolean {
  return (
    pc.signalingState === 'stable' && pc.localDescription === null && pc.remoteDescription === null
  );
}
