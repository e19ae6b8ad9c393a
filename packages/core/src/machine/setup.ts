/**
 * The machine's setup: every implementation the chart names (actors, delays, guards in
 * `base.ts`; actions per concern). Region state configs import this file, never `peerMachine.ts`.
 * @module
 */
import { emit, enqueueActions, raise, sendTo } from 'xstate';
import type { PeerStateError } from '../errors.js';
import { createRebuildMessage } from '../signaling/messages.js';
import type { SignalingMessage } from '../signaling/types.js';
import type { NegotiationStepRun } from './actors/negotiation.js';
import { peerSetupBase } from './base.js';
import { commandActions } from './commands.actions.js';
import { count } from './context.js';
import { dataChannelActions } from './data/dataChannel.actions.js';
import { outboxActions } from './data/outbox.actions.js';
import { iceActions } from './ice/ice.actions.js';
import { lifecycleActions } from './lifecycle/lifecycle.actions.js';
import { controlsRouting } from './media/controls.js';
import { mediaActions } from './media/media.actions.js';
import { peerMutedActions } from './media/peerMuted.js';
import { inboxActions } from './negotiation/inbox.actions.js';
import { missedNegotiationActions } from './negotiation/missedNegotiationNeeded.js';
import { refusedOfferActions } from './negotiation/refusedOffers.actions.js';
import { rebuildActions } from './rebuild/rebuild.actions.js';
import { reporter, sendSignalMessage } from './report.js';
import { recordTransition } from './timeline.js';
import type { RebuildReason } from './types.js';

export const peerSetup = peerSetupBase
  .extend({
    actions: {
      ...lifecycleActions,
      ...commandActions,
      ...inboxActions,
      ...refusedOfferActions,
      ...missedNegotiationActions,
      ...iceActions,
      ...mediaActions,
      ...controlsRouting,
      ...peerMutedActions,
      ...dataChannelActions,
      ...outboxActions,
      ...rebuildActions,
      record: ({ context, self }, params: { region: string; state: string }) =>
        recordTransition(self, { ...params, at: context.options.now() }),
      sendSignal: ({ context, self }, message: SignalingMessage) =>
        sendSignalMessage(context.options.signaling, message, reporter(self)),
      // actors/negotiation.ts: the connection's listener runs the step and reports its result.
      negotiate: sendTo(
        'peerConnectionEvents',
        ({ context }, { run }: { run: NegotiationStepRun }) =>
          ({ type: 'negotiate', run, context }) as const,
      ),
      requestRebuild: raise((_, params: { reason: Exclude<RebuildReason, 'remote'> }) => ({
        type: 'peer.rebuildNeeded' as const,
        reason: params.reason,
      })),
      emitClosed: emit(({ context }) => ({
        type: 'closed' as const,
        reason: context.closeReason ?? 'local',
      })),
    },
  })
  // The actions that enqueue others with params: a second step, so that TypeScript infers
  // the first step's action params before these refer to them.
  .extend({
    actions: {
      reportError: enqueueActions(({ enqueue }, params: { error: PeerStateError }) => {
        enqueue.assign({ lastError: params.error });
        enqueue.emit({ type: 'error', error: params.error });
      }),
      startRebuild: enqueueActions(
        ({ context, enqueue }, params: { reason: RebuildReason; epoch: number }) => {
          enqueue.assign({
            epoch: params.epoch,
            rebuildAttempts: context.rebuildAttempts + (params.reason === 'remote' ? 0 : 1),
            rebuildStartedAt: context.rebuildStartedAt ?? context.options.now(),
            counters: count(context, 'rebuilds'),
          });
          enqueue.emit({ type: 'rebuilding', reason: params.reason, epoch: params.epoch });
          // The request (or, from the remote's side, the answer): the same message either way.
          const message = createRebuildMessage(params.epoch);
          enqueue(({ self }) =>
            sendSignalMessage(context.options.signaling, message, reporter(self)),
          );
        },
      ),
    },
  });
