/**
 * How long a negotiated connection may go without sending a single local candidate before the
 * `gathering` region says `stalled` (peerView's `gatheringStalled`). Seen in #23: a polite
 * Chromium connection whose first offer was rolled back stayed `gathering` with no
 * `icecandidate` event at all, and the call sat in `new` for 15 s, silently, until the ICE
 * restart (which did not help either). Host candidates come within milliseconds of
 * setLocalDescription here; a TURN allocation within a few hundred.
 */
export const GATHERING_STALL_MS = 1_000;
