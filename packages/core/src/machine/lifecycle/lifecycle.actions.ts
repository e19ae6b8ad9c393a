/**
 * Actions of the peer's life: creating the peer connection, closing it, and misuse after close.
 * @module
 */
import { PeerConnectionError } from '../../errors.js';
import { detectPeerConnection } from '../../platform/detectPeerConnection.js';
import { peerSetupBase as base } from '../base.js';
import { asCommand, closedAnswers } from '../commands.js';
import { withConfiguration } from '../configuration.js';
import { leavesForRebuild, stopOwnedTracks } from '../context.js';
import { asPeerError, byeOfClose, reporter, sendSignalMessage } from '../report.js';

export const lifecycleActions = {
  createPeerConnection: base.createAction(({ context, self }) => {
    const { options } = context;
    const fail = (cause: unknown): void =>
      self.send({
        type: 'peer.error',
        error: asPeerError(cause, (error) => new PeerConnectionError(error)),
      });
    // An async configuration may settle after the peer moved on (closed while it waited).
    const awaiting = (): boolean => {
      const snapshot = self.getSnapshot();
      return (
        snapshot.status === 'active' &&
        (snapshot.matches('starting') || snapshot.matches({ rebuilding: 'creating' }))
      );
    };
    withConfiguration(
      options.configuration,
      (configuration, later) => {
        if (later && !awaiting()) return;
        try {
          if (options.peerConnection) {
            self.send({
              type: 'peer.created',
              pc: options.peerConnection(configuration),
              platform: { name: 'custom', api: 'promise', streamApi: false },
            });
            return;
          }
          const detected = detectPeerConnection(options.scope);
          self.send({
            type: 'peer.created',
            pc: detected.create(configuration),
            platform: { name: detected.name, api: detected.api, streamApi: detected.streamApi },
          });
        } catch (cause) {
          fail(cause);
        }
      },
      (error, later) => {
        if (!later || awaiting()) fail(error);
      },
    );
  }),
  /**
   * Entering an end: what was kept for a connection that will never come. Commands settle with
   * `PEER_CLOSED` (a kept `CLOSE` did what it asked); media captured meanwhile is ours alone, so
   * its devices are released.
   */
  refuseDeferredEvents: base.enqueueActions(({ context, enqueue }) => {
    // Nothing kept (every ordinary close): no assign, so no copy of the context (#22).
    if (context.deferredEvents.length === 0) return;
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
  /**
   * The bye of a `CLOSE`, sent on the way out of the state that holds the connection, before
   * that state's exit closes it: a transition's own actions run after the exits (SCXML order),
   * so the remote used to see the connection die first and hear why only later (~2 s after, for
   * the fifth of five closes under load; apps/e2e rooms).
   */
  sayByeOnClose: base.createAction(({ context, event, self }) => {
    if (event.type !== 'CLOSE') return;
    sendSignalMessage(context.options.signaling, byeOfClose({ event }), reporter(self));
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
