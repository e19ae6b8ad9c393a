/**
 * Actions on the inbox: remote descriptions and candidates, taken one at a time in arrival order.
 * @module
 */
import { NegotiationError } from '../../errors.js';
import { iceUfragsOf } from '../../sdp/iceUfrags.js';
import { createDescriptionMessage } from '../../signaling/messages.js';
import type { DescriptionPayload } from '../../signaling/types.js';
import { peerSetupBase as base } from '../base.js';
import { candidateGeneration, count, nextDescriptionId, nextItem, requirePc } from '../context.js';
import { applyRemoteCandidate } from '../ice.js';
import { invalidStateError, reporter, sendSignalMessage } from '../report.js';
import type { BufferedCandidate } from '../types.js';
import { isCandidateOfIgnoredOffer } from './ignoredOfferCandidates.js';

export const inboxActions = {
  bufferNextCandidate: base.assign(({ context }) => {
    const item = nextItem(context);
    if (item?.kind !== 'candidate') return {};
    return {
      inbox: context.inbox.slice(1),
      bufferedCandidates: [
        ...context.bufferedCandidates,
        {
          candidate: item.candidate,
          ufrag: item.ufrag,
          descriptionsApplied: context.remoteDescriptionsApplied,
        },
      ],
      counters: count(context, 'candidatesBuffered'),
    };
  }),
  ignoreNextOffer: base.assign(({ context }) => {
    const item = nextItem(context);
    // The ignored offer's ICE generation will never be applied: its candidates, buffered
    // already or still to come, are dropped.
    const ignored =
      item?.kind === 'description'
        ? iceUfragsOf(item.description.sdp).filter(
            (ufrag) =>
              !context.remoteUfrags.includes(ufrag) && !context.pastRemoteUfrags.includes(ufrag),
          )
        : [];
    const kept = context.bufferedCandidates.filter(({ ufrag }) => !ignored.includes(ufrag ?? ''));
    const counters = count(context, 'offersIgnored');
    return {
      inbox: context.inbox.slice(1),
      ignoreOffer: true,
      pastRemoteUfrags: [...context.pastRemoteUfrags, ...ignored],
      bufferedCandidates: kept,
      counters: {
        ...counters,
        candidatesDiscarded:
          counters.candidatesDiscarded + context.bufferedCandidates.length - kept.length,
      },
    };
  }),
  takeNextDescription: base.assign(({ context }) => {
    const item = nextItem(context);
    return {
      inbox: context.inbox.slice(1),
      ignoreOffer: false,
      pendingRemoteDescription:
        item?.kind === 'description'
          ? { description: item.description, id: item.id, inReplyTo: item.inReplyTo }
          : null,
    };
  }),
  discardStaleAnswer: base.assign(({ context }) => ({
    inbox: context.inbox.slice(1),
    counters: count(context, 'staleAnswers'),
  })),
  rejectUnexpectedAnswer: base.enqueueActions(({ context, enqueue }) => {
    const item = nextItem(context);
    enqueue.assign({ inbox: context.inbox.slice(1) });
    if (item?.kind !== 'description') return;
    const error = new NegotiationError(
      'setRemoteDescription',
      invalidStateError(
        `received an ${item.description.type} while no offer of ours was pending (signaling state stable)`,
      ),
    );
    enqueue.assign({ lastError: error });
    enqueue.emit({ type: 'error', error });
  }),
  /** Hands the next candidate to the engine: dequeued and counted as applied in one assign. */
  applyNextCandidate: base.assign(({ context, self }) => {
    const item = nextItem(context);
    if (item?.kind !== 'candidate') return {};
    applyRemoteCandidate(requirePc(context), item.candidate, context.ignoreOffer, reporter(self));
    return { inbox: context.inbox.slice(1), counters: count(context, 'candidatesApplied') };
  }),
  discardNextCandidate: base.assign(({ context }) => ({
    inbox: context.inbox.slice(1),
    counters: count(context, 'candidatesDiscarded'),
  })),
  discardNextDescription: base.assign(({ context }) => ({
    inbox: context.inbox.slice(1),
    counters: count(context, 'duplicatesIgnored'),
  })),
  answerRepeatedOffer: base.enqueueActions(({ context, enqueue }) => {
    enqueue.assign({
      inbox: context.inbox.slice(1),
      counters: count(context, 'duplicatesIgnored'),
    });
    // The exact message sent before, id included (the engine's localDescription has gained
    // candidates since).
    const message = context.lastAnswer?.message;
    if (message) {
      enqueue(({ self }) => sendSignalMessage(context.options.signaling, message, reporter(self)));
    }
  }),
  /**
   * Sends the description just made (or, after a failed call, the offer the engine holds) with
   * a fresh id, an answer naming the offer it answers, and keeps it to send again as it was.
   */
  sendLocalDescription: base.enqueueActions(({ context, enqueue, event }) => {
    const made = (event as { output?: DescriptionPayload }).output ?? context.pc?.localDescription;
    const answers = (made?.type === 'answer' && context.pendingRemoteDescription?.id) || null;
    if ((made?.type !== 'offer' && !answers) || !made?.sdp) return;
    const message = createDescriptionMessage(
      { type: made.type, sdp: made.sdp },
      { id: nextDescriptionId(context), inReplyTo: answers },
    );
    enqueue.assign(
      answers
        ? {
            pendingRemoteDescription: null,
            lastLocalDescription: message,
            lastAnswer: { offerId: answers, message },
            counters: count(context, 'answersSent'),
          }
        : { lastLocalDescription: message, counters: count(context, 'offersSent') },
    );
    enqueue(({ self }) => sendSignalMessage(context.options.signaling, message, reporter(self)));
  }),
  resendOffer: base.enqueueActions(({ context, enqueue }) => {
    enqueue.assign({ offerResends: context.offerResends + 1 });
    // The same message, the same id: the remote answers a repeat with the answer it sent.
    const message = context.lastLocalDescription;
    if (message?.description.type === 'offer') {
      enqueue(({ self }) => sendSignalMessage(context.options.signaling, message, reporter(self)));
    }
  }),
  rememberRemoteDescription: base.assign(({ context }) => {
    const applied = context.pendingRemoteDescription;
    const sdp = context.pc?.remoteDescription?.sdp ?? '';
    const current = sdp ? iceUfragsOf(sdp) : [];
    const past = [
      ...context.pastRemoteUfrags,
      ...context.remoteUfrags.filter(
        (ufrag) => !current.includes(ufrag) && !context.pastRemoteUfrags.includes(ufrag),
      ),
    ];
    return {
      // An exchange went through: the engines agree again (refusedOffers.ts).
      refusedOffers: 0,
      remoteDescriptionsApplied: context.remoteDescriptionsApplied + 1,
      remoteUfrags: current,
      pastRemoteUfrags: past,
      lastRemoteAnswerId:
        applied?.description.type === 'offer' ? context.lastRemoteAnswerId : (applied?.id ?? null),
    };
  }),
  flushBufferedCandidates: base.enqueueActions(({ context, enqueue, self }) => {
    // Nothing buffered: no assign, so no copy of the context (#22).
    if (context.bufferedCandidates.length === 0) return;
    const pc = requirePc(context);
    const keep: BufferedCandidate[] = [];
    let discarded = 0;
    let applied = 0;
    for (const entry of context.bufferedCandidates) {
      const generation = candidateGeneration(context, entry.ufrag);
      // A candidate may overtake its description, but not by two: one that still matches
      // nothing after a later description was applied belonged to an abandoned offer.
      const overtaken = context.remoteDescriptionsApplied - entry.descriptionsApplied > 1;
      if (generation === 'future' && !overtaken) keep.push(entry);
      else if (generation !== 'current') discarded++;
      else if (isCandidateOfIgnoredOffer(context, entry.candidate, entry.ufrag)) discarded++;
      else {
        applyRemoteCandidate(pc, entry.candidate, context.ignoreOffer, reporter(self));
        applied++;
      }
    }
    const counters = count(context, 'candidatesDiscarded', discarded);
    enqueue.assign({
      bufferedCandidates: keep,
      counters: { ...counters, candidatesApplied: counters.candidatesApplied + applied },
    });
  }),
};
