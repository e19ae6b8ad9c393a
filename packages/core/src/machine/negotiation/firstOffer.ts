/**
 * How long the polite peer's first offer on a new connection waits for the impolite peer's (#23).
 * Long enough for an offer made at start-up to cross a signaling server; short enough that a call
 * where only the polite side sends still connects well within 2 s.
 */
export const FIRST_OFFER_HOLD_MS = 300;
