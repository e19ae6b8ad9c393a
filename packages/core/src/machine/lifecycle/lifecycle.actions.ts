/**
 * Actions of the peer's life: creating the peer connection, closing it, and misuse after close.
 * @module
 */
import { PeerConnectionError } from '../../errors.js';
import { detectPeerConnection } from '../../platform/detectPeerConnection.js';
import { peerSetupBase as base } from '../base.js';
import { leavesForRebuild, stopOwnedTracks } from '../context.js';
import { asPeerError } from '../report.js';

export const lifecycleActions = {
  createPeerConnection: base.createAction(({ context, self }) => {
    const { options } = context;
    try {
      if (options.peerConnection) {
        self.send({
          type: 'peer.created',
          pc: options.peerConnection(options.configuration),
          platform: { name: 'custom', api: 'promise', streamApi: false },
        });
        return;
      }
      const detected = detectPeerConnection(options.scope);
      self.send({
        type: 'peer.created',
        pc: detected.create(options.configuration),
        platform: { name: detected.name, api: detected.api, streamApi: detected.streamApi },
      });
    } catch (cause) {
      self.send({
        type: 'peer.error',
        error: asPeerError(cause, (error) => new PeerConnectionError(error)),
      });
    }
  }),
  warnAfterClose: base.createAction(({ context, event }) => {
    if (context.options.dev) {
      console.warn(
        `[peerstate] "${event.type}" was sent to a peer that is ${context.closeReason ? `closed (${context.closeReason})` : 'closed'}; it was ignored.`,
      );
    }
  }),
  stopTracksIfAsked: base.createAction(({ context, event }) => {
    if (event.type !== 'CLOSE' || !event.stopTracks) return;
    for (const { track } of context.intent.transceivers) track?.stop();
  }),
  releasePeerConnection: base.createAction(({ context, event }) => {
    // A rebuild keeps the tracks for the next connection; anything else ends them.
    if (!leavesForRebuild(event)) stopOwnedTracks(context);
    for (const { channel } of context.dataChannels) {
      if (channel.readyState !== 'closed') channel.close();
    }
    context.pc?.close();
  }),
  rememberCloseReason: base.assign({
    closeReason: ({ event }) => (event.type === 'CLOSE' ? (event.reason ?? 'local') : 'local'),
  }),
};
