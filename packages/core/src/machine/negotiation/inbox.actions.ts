/**
 * Actions on the inbox: remote descriptions and candidates, taken one at a time in arrival order.
 * @module
 */
import { NegotiationError } from '../../errors.js';
import { iceUfragsOf } from '../../sdp/iceUfrags.js';
import { createDescriptionMessage } from '../../signaling/messages.js';
import { peerSetupBase as base } from '../base.js';
import { candidateGeneration, count, nextItem, requirePc } from '../context.js';
import { applyRemoteCandidate } from '../ice.js';
import { invalidStateError, reporter, sendSignalMessage } from '../report.js';
import type { BufferedCandidate } from '../types.js';

export const inboxActions = {
  dequeue: base.assign(({ context }) => ({ inbox: context.inbox.slice(1) })),
  bufferNextCandidate: base.assign(({ context }) => {
    const item = nextItem(context);
    if (item?.kind !== 'candidate') return {};
    return {
      inbox: context.inbox.slice(1),
      bufferedCandidates: [
        ...context.bufferedCandidates,
        { candidate: item.candidate, descriptionsApplied: context.remoteDescriptionsApplied },
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
    const kept = context.bufferedCandidates.filter(
      ({ candidate }) => !ignored.includes(candidate?.usernameFragment ?? ''),
    );
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
      pendingRemoteDescription: item?.kind === 'description' ? item.description : null,
    };
  }),
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
  applyNextCandidate: base.createAction(({ context, self }) => {
    const item = nextItem(context);
    if (item?.kind !== 'candidate') return;
    applyRemoteCandidate(requirePc(context), item.candidate, context.ignoreOffer, reporter(self));
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
    // The exact text sent before (the engine's localDescription has gained candidates since).
    const answer = context.lastAnswer?.answer;
    if (answer) {
      const message = createDescriptionMessage(answer);
      enqueue(({ self }) => sendSignalMessage(context.options.signaling, message, reporter(self)));
    }
  }),
  sendOfferHeldByEngine: base.enqueueActions(({ context, enqueue }) => {
    const local = context.pc?.localDescription;
    if (local?.type !== 'offer') return;
    const offer = { type: 'offer' as const, sdp: local.sdp };
    enqueue.assign({ lastLocalDescription: offer, counters: count(context, 'offersSent') });
    const message = createDescriptionMessage(offer);
    enqueue(({ self }) => sendSignalMessage(context.options.signaling, message, reporter(self)));
  }),
  resendOffer: base.enqueueActions(({ context, enqueue }) => {
    enqueue.assign({ offerResends: context.offerResends + 1 });
    const offer = context.lastLocalDescription;
    if (offer?.type === 'offer') {
      const message = createDescriptionMessage(offer);
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
      remoteDescriptionsApplied: context.remoteDescriptionsApplied + 1,
      remoteUfrags: current,
      pastRemoteUfrags: past,
      lastRemoteOfferSdp: applied?.type === 'offer' ? applied.sdp : context.lastRemoteOfferSdp,
      lastRemoteAnswerSdp:
        // Only a final answer: the answer that follows a pranswer may carry the same SDP.
        applied?.type === 'answer' ? applied.sdp : context.lastRemoteAnswerSdp,
    };
  }),
  flushBufferedCandidates: base.enqueueActions(({ context, enqueue, self }) => {
    const pc = requirePc(context);
    const keep: BufferedCandidate[] = [];
    let discarded = 0;
    for (const entry of context.bufferedCandidates) {
      const generation = candidateGeneration(context, entry.candidate);
      // A candidate may overtake its description, but not by two: one that still matches
      // nothing after a later description was applied belonged to an abandoned offer.
      const overtaken = context.remoteDescriptionsApplied - entry.descriptionsApplied > 1;
      if (generation === 'future' && !overtaken) keep.push(entry);
      else if (generation !== 'current') discarded++;
      else applyRemoteCandidate(pc, entry.candidate, context.ignoreOffer, reporter(self));
    }
    enqueue.assign({
      bufferedCandidates: keep,
      counters: count(context, 'candidatesDiscarded', discarded),
    });
  }),
};
