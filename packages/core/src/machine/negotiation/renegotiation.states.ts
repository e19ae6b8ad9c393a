/**
 * The `renegotiation` region: whether an offer is wanted, and when it may be made (the polite
 * peer's start-up holds, the hold after a glare answer, the retry after a failed offer). The
 * `signaling` region (signaling.states.ts) makes it when this region is `pending`.
 * @module
 */
import { not, stateIn } from 'xstate';
import { peerSetup } from '../setup.js';
import type { PeerContext } from '../types.js';
import { FOLLOW_UP_HOLD_MS, holdsFollowUpOffer } from './answerOnOfferedMlines.js';

/** A glare answer moved our track: the offer for the spare it left can wait (answerOnOfferedMlines.ts). */
const followUpHeld = ({ context }: { context: PeerContext }) => holdsFollowUpOffer(context.pc);

/** A hold of the first offer (see `holdingFirstOffer`); `onAnswered` is where an answer leads. */
function holding(
  name: 'holdingFirstOffer' | 'holdingAfterAnswer',
  delay: 'firstOfferHold' | 'holdAfterAnswer',
  onAnswered: string,
) {
  return {
    initial: 'clean',
    after: {
      [delay]: [
        {
          guard: stateIn({ active: { renegotiation: { [name]: 'needed' } } }),
          target: 'pending',
        },
        { target: 'idle' },
      ],
    },
    on: { 'peer.negotiated': onAnswered },
    states: {
      clean: { on: { 'pc.negotiationNeeded': 'needed' } },
      needed: { entry: { type: 'record', params: { region: 'renegotiation', state: name } } },
    },
  } as const;
}

/** `idle`, or `pending` when the engine asked for an offer while one was under way; `retrying` after a failed offer; `holdingFollowUp` after a glare answer. */
export const renegotiationRegion = peerSetup.createStateConfig({
  initial: 'holdingFirstOffer',
  states: {
    // The polite peer's first offer on a new connection waits `firstOfferHold` (the impolite
    // peer does not hold): a polite first offer rolled back by the impolite's can leave Chromium's
    // connection gathering no candidate at all (#23; apps/e2e `23-startup-glare-*`), and one that
    // added m-lines the impolite's offer then fills with other header-extension ids is refused
    // for good (apps/e2e/test/engine.mjs `12-engine-chromium-rollback-keeps-extension-ids`).
    // Meanwhile an offer of the impolite peer is answered, and tracks added with addTrack before
    // it ride on its m-lines (JSEP 5.10), so often no offer of ours is needed at all: the engine
    // fires negotiationneeded again after that answer only if one still is.
    holdingFirstOffer: {
      ...holding('holdingFirstOffer', 'firstOfferHold', 'holdingAfterAnswer'),
      // The impolite peer never holds (so never reaches holdingAfterAnswer either): its hold
      // would be a 0 ms timer between negotiationneeded and its first offer (#22).
      always: { guard: 'isImpolite', target: 'idle' },
    },
    // The impolite peer's first offer is often its data channel alone, its camera's a moment
    // later (Firefox's fake camera: 370 ms after, under load): after answering one, the polite
    // peer holds once more, HOLD_AFTER_ANSWER_MS (once: later offers do not extend it).
    holdingAfterAnswer: holding('holdingAfterAnswer', 'holdAfterAnswer', '.clean'),
    idle: {
      on: {
        'pc.negotiationNeeded': [
          { guard: followUpHeld, target: 'holdingFollowUp' },
          { target: 'pending' },
        ],
        'peer.offerFailed': 'retrying',
      },
    },
    // After a glare answer that moved our track onto the remote's m-line, the offer the engine
    // asks for only gives the spare left behind an m-line: it waits for the media that answer
    // carried (negotiation/answerOnOfferedMlines.ts). Checked after every event, so the unmute
    // (`pc.trackChanged`) or the spare taken for a new track ends it; a second request too.
    holdingFollowUp: {
      entry: { type: 'record', params: { region: 'renegotiation', state: 'holdingFollowUp' } },
      always: { guard: not(followUpHeld), target: 'pending' },
      after: { [FOLLOW_UP_HOLD_MS]: 'pending' },
      on: { 'pc.negotiationNeeded': 'pending' },
    },
    pending: {
      entry: { type: 'record', params: { region: 'renegotiation', state: 'pending' } },
      on: { 'peer.offerStarted': 'idle' },
    },
    retrying: {
      entry: { type: 'record', params: { region: 'renegotiation', state: 'retrying' } },
      after: { offerRetryDelay: 'pending' },
      on: { 'pc.negotiationNeeded': 'pending' },
    },
  },
});
