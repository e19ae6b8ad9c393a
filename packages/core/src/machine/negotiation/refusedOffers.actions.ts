/**
 * Actions of the bound on refused local offers (see refusedOffers.ts).
 * @module
 */
import { NegotiationError } from '../../errors.js';
import { peerSetupBase as base } from '../base.js';
import { rebuildLeft } from '../context.js';
import { MAX_REFUSED_OFFERS } from './refusedOffers.js';

type Step = 'setLocalDescription' | 'setRemoteDescription';

/** Counts a refused offer; the last one allowed asks for a rebuild or reports. */
const countRefusedOffer = (step: Step) =>
  base.enqueueActions(({ context, enqueue }) => {
    const refusedOffers = context.refusedOffers + 1;
    enqueue.assign({ refusedOffers });
    if (refusedOffers !== MAX_REFUSED_OFFERS) return;
    if (rebuildLeft(context)) {
      enqueue.raise({ type: 'peer.rebuildNeeded', reason: 'negotiation-stuck' });
      return;
    }
    const error = new NegotiationError(
      step,
      new Error(
        `${refusedOffers} offers refused in a row and no rebuild left; no offer of ours is made until an exchange completes`,
      ),
    );
    enqueue.assign({ lastError: error });
    enqueue.emit({ type: 'error', error });
  });

export const refusedOfferActions = {
  /** Our engine refused to make our offer. */
  countRefusedLocalOffer: countRefusedOffer('setLocalDescription'),
  /** Our engine refused a remote offer, or the answer to ours. */
  countRefusedExchange: countRefusedOffer('setRemoteDescription'),
};
