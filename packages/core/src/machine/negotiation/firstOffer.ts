/**
 * How long the polite peer's first offer on a new connection waits for the impolite peer's (#23).
 * Long enough for an offer made at start-up to cross a signaling server, also when the other
 * page started later (seen 350 ms later, Firefox on a loaded machine); short enough that a call
 * where only the polite side sends still connects well within 2 s.
 */
export const FIRST_OFFER_HOLD_MS = 500;

/**
 * The same hold on a rebuilt connection. Both sides reconcile the same intent onto it, so the
 * impolite side offers whenever it has anything, and a polite offer that loses the glare costs
 * the media: Chromium's receivers of a rolled-back offer's transceivers stay muted for good
 * (apps/e2e `12-engine-chromium-rolled-back-addtrack-receiver-stays-muted`). Seen: the impolite
 * offer of a rebuild 650 ms after its connection, under load (the playground's development
 * build, both cores busy), which the 500 ms hold missed, and the polite peer received nothing.
 */
export const REBUILD_FIRST_OFFER_HOLD_MS = 2_000;

/**
 * How long the polite peer holds again after answering the impolite peer's first offer, for the
 * camera that often follows a data-channel-only first offer (seen 280–370 ms after it, Firefox
 * impolite on a loaded machine; a polite offer in between collides with it).
 */
export const HOLD_AFTER_ANSWER_MS = 600;
