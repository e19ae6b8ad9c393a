/**
 * Offers refused again and again are not made and re-sent for ever. Chromium polite against
 * Firefox made an offer whose new m-line carried Chromium's header-extension ids beside
 * Firefox's in one BUNDLE group; Firefox refused it ("A BUNDLE group contains a codec collision
 * for header extension id=6"), sent no answer, and the offer went out again, unchanged, about
 * once a second, for good (#12). The same holds for an offer of ours whose answer our engine
 * refuses (engines fire negotiationneeded again and the same change yields the same offer).
 * Either side counts the offers it refused or saw refused in a row (`refusedOffers`, reset
 * when an exchange completes); at `MAX_REFUSED_OFFERS` it rebuilds the connection (a fresh one
 * has no such history, and negotiation/politeTracks.ts keeps Chromium off that m-line), or, with
 * no rebuild left, reports it, and makes no offer of its own until an exchange completes.
 * @module
 */
import type { PeerContext } from '../types.js';

export const MAX_REFUSED_OFFERS = 3;

export const refusedOffersExhausted = (context: PeerContext): boolean =>
  context.refusedOffers >= MAX_REFUSED_OFFERS;
