/**
 * The peer connections whose parameterless `setLocalDescription()` is emulated as
 * `createOffer()` then `setLocalDescription(offer)` (legacy/implicitSetLocalDescription.ts).
 * Between the two the operations chain is empty: a `setRemoteDescription` called meanwhile runs
 * before our offer is set, not behind it. So the polite peer's answer to a colliding offer waits
 * for our offer's result there (machine/actors/negotiation.ts `yieldBehindOwnOffer`) instead of
 * being chained behind it in the engine.
 * @module
 */
export const offersInTwoSteps = new WeakSet<object>();
