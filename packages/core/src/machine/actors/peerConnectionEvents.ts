import { fromCallback } from 'xstate';
import { NegotiationError } from '../../errors.js';
import type { PeerConnectionLike } from '../../platform/types.js';
import { claimedChannels } from '../data/claimedChannels.js';
import { sendStatesChanged } from '../ice/transports.js';
import { asPeerError } from '../report.js';
import type { PeerInternalEvent } from '../types.js';
import type { NegotiationCommand } from './negotiation.js';

/**
 * Tell the listener to watch an object the machine created itself, or to run a negotiation
 * step on the connection (actors/negotiation.ts).
 */
export type PeerConnectionEventsCommand =
  | { readonly type: 'watchDataChannel'; readonly channel: RTCDataChannel }
  | { readonly type: 'watchLocalTrack'; readonly track: MediaStreamTrack }
  | NegotiationCommand;

/**
 * Every listener the machine puts on the peer connection and the objects it hands out (remote
 * tracks and streams, data channels, local tracks). It lives as long as the `active` state: its
 * cleanup removes every listener, so nothing outlives a closed peer.
 *
 * It also owns the peer connection's end of life. XState runs no exit actions when an actor is
 * stopped (`actor.stop()`, an unmounting component), but it does run this cleanup: closing the
 * connection here means a stopped peer never leaks it. Tracks are not its to stop: a rebuild
 * ends this actor and sends the same tracks on the next connection (`media/capture.ts` owns
 * the captured ones, for the whole life of the peer).
 *
 * The negotiation steps run here too (actors/negotiation.ts): the connection's own actor, where
 * a promise actor per step cost one more actor each (#22).
 */
export const peerConnectionEvents = fromCallback<
  PeerConnectionEventsCommand,
  { readonly pc: PeerConnectionLike }
>(({ input: { pc }, sendBack, receive }) => {
  const send: (event: PeerInternalEvent) => void = sendBack;
  const disposers: Array<() => void> = [];
  const watched = new WeakSet<object>();

  function listen(target: EventTarget, type: string, listener: (event: Event) => void) {
    target.addEventListener(type, listener);
    disposers.push(() => target.removeEventListener(type, listener));
  }

  function watchTrack(track: MediaStreamTrack) {
    if (watched.has(track)) return;
    watched.add(track);
    const changed = () => send({ type: 'pc.trackChanged', track });
    listen(track, 'mute', changed);
    listen(track, 'unmute', changed);
    listen(track, 'ended', changed);
  }

  function watchStream(stream: MediaStream) {
    if (watched.has(stream)) return;
    watched.add(stream);
    // Browsers take a remote track out of its streams when the remote stops sending it.
    const changed = (event: Event) => {
      const track = (event as MediaStreamTrackEvent).track;
      if (track) send({ type: 'pc.trackChanged', track });
    };
    listen(stream, 'removetrack', changed);
    listen(stream, 'addtrack', changed);
  }

  function watchChannel(channel: RTCDataChannel) {
    if (watched.has(channel)) return;
    watched.add(channel);
    const changed = () => send({ type: 'pc.dataChannelChanged', channel });
    listen(channel, 'open', changed);
    listen(channel, 'closing', changed);
    listen(channel, 'close', changed);
    listen(channel, 'error', changed);
    listen(
      channel,
      'message',
      (event) =>
        claimedChannels.has(channel) ||
        send({ type: 'pc.dataChannelMessage', channel, data: (event as MessageEvent).data }),
    );
  }

  listen(pc, 'negotiationneeded', () => send({ type: 'pc.negotiationNeeded' }));
  listen(pc, 'icecandidate', (event) => {
    send({ type: 'pc.iceCandidate', candidate: (event as RTCPeerConnectionIceEvent).candidate });
  });
  for (const type of [
    'signalingstatechange',
    'connectionstatechange',
    'iceconnectionstatechange',
    'icegatheringstatechange',
  ]) {
    listen(pc, type, () => sendStatesChanged(pc, send));
  }
  listen(pc, 'track', (event) => {
    const { track, streams, transceiver } = event as RTCTrackEvent;
    watchTrack(track);
    for (const stream of streams) watchStream(stream);
    send({ type: 'pc.track', track, streams: [...streams], mid: transceiver?.mid ?? null });
  });
  listen(pc, 'datachannel', (event) => {
    const { channel } = event as RTCDataChannelEvent;
    watchChannel(channel);
    send({ type: 'pc.dataChannel', channel });
  });

  // The step under way, if any. A step sent while one runs is chained behind it: only the polite
  // peer's answer to an offer that collides with its own (negotiation/signaling.states.ts
  // `makingOffer`). The new step's state waits for the new result; the older step's comes back
  // as what it is, the offer made behind it (`pc.offerBehind`), never as a step's result.
  let running: { readonly settled: Promise<boolean>; behind: boolean } | null = null;
  receive((command) => {
    if (command.type === 'watchDataChannel') watchChannel(command.channel);
    else if (command.type === 'watchLocalTrack') watchTrack(command.track);
    else {
      const before = running;
      if (before) before.behind = true;
      const result = command.run(pc, command.context, before?.settled ?? null).then(
        (done) => done,
        (cause: unknown): PeerInternalEvent => ({
          type: 'pc.stepFailed',
          // Every step wraps its engine calls; only the answer's own tracks can throw otherwise.
          error: asPeerError(cause, () => new NegotiationError('setLocalDescription', cause)),
        }),
      );
      const step = { settled: result.then((done) => done.type === 'pc.stepDone'), behind: false };
      running = step;
      void result.then((done) => {
        if (running === step) running = null;
        if (!step.behind) send(done);
        else if (done.type === 'pc.stepDone') send({ type: 'pc.offerBehind', output: done.output });
        else if (done.type === 'pc.stepFailed') send({ type: 'pc.offerBehind', error: done.error });
      });
    }
  });

  return () => {
    for (const dispose of disposers.splice(0)) dispose();
    // Idempotent: after CLOSE the exit action has closed it already.
    pc.close();
  };
});
