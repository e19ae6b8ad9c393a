/**
 * The peer connections whose parameterless `setLocalDescription()` is emulated as
 * `createOffer()` then `setLocalDescription(offer)` (legacy/implicitSetLocalDescription.ts).
 * Between the two the operations chain is empty, so an engine's `negotiationneeded` task that
 * ran meanwhile fires for a change the offer under way already carries (libwebrtc in Node:
 * two offers where one was needed). The machine then waits for that event before its first
 * offer (machine/negotiation/firstOfferAtOnce.ts) instead of offering at once.
 * @module
 */
export const offersInTwoSteps = new WeakSet<object>();
