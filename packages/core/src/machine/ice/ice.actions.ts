/**
 * Actions of the connection region: the peer connection's states and ICE restarts.
 * @module
 */
import { peerSetupBase as base } from '../base.js';
import { restartIceWithConfiguration } from '../configuration.js';
import { requirePc } from '../context.js';

export const iceActions = {
  resetIceRestart: base.assign({ iceRestartAttempts: 0, iceRestartStartedAt: null }),
  recordIceRecovery: base.assign(({ context }) => ({
    lastIceRecoveryMs:
      context.iceRestartStartedAt === null
        ? context.lastIceRecoveryMs
        : context.options.now() - context.iceRestartStartedAt,
    iceRestartAttempts: 0,
    iceRestartStartedAt: null,
  })),
  storePcStates: base.assign({
    pcStates: ({ context, event }) =>
      event.type === 'pc.statesChanged' ? event.states : context.pcStates,
  }),
  restartIce: base.createAction(({ context, self }) =>
    restartIceWithConfiguration(requirePc(context), context.options.configuration, self),
  ),
};
