/**
 * Actions of the peer's life: creating the peer connection, closing it, and misuse after close.
 * @module
 */
import { PeerConnectionError } from '../../errors.js';
import { detectPeerConnection } from '../../platform/detectPeerConnection.js';
import { peerSetupBase as base } from '../base.js';
import { asCommand, closedAnswers } from '../commands.js';
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
  /**
   * Entering an end: what was kept for a connection that will never come. Commands settle with
   * `PEER_CLOSED` (a kept `CLOSE` did what it asked); media captured meanwhile is ours alone, so
   * its devices are released.
   */
  refuseDeferredEvents: base.enqueueActions(({ context, enqueue }) => {
    enqueue.assign({ deferredEvents: [] });
    for (const event of context.deferredEvents) {
      if (event.type === 'peer.mediaReady') {
        for (const track of event.stream.getTracks()) track.stop();
      }
      const command = asCommand(event);
      for (const answer of command ? closedAnswers(command.type, command.id ?? null) : []) {
        enqueue.emit(answer);
      }
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
