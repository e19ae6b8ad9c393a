import { describe, expect, it } from 'vitest';
import { createInMemorySignalingPair } from '../../signaling/inMemorySignaling.js';
import type { SignalingChannel } from '../../signaling/types.js';
import { createFakeStream, createFakeTrack } from '../../testing/index.js';
import { createPeer } from '../createPeer.js';
import { peerActions, peerView } from '../peerView.js';
import type { PeerCommand } from '../types.js';
import { bothConnected, closeAndExpectNoLeaks, createTestCall, until } from './call.js';

describe('peerView', () => {
  it('names the signaling state while an offer waits for its answer (a compound state)', async () => {
    const silent: SignalingChannel = { send: () => {}, subscribe: () => () => {} };
    const call = createTestCall({ wrapA: () => silent });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(call.a, (s) => s.matches({ active: { signaling: 'haveLocalOffer' } }));
    expect(peerView(call.a.actor.getSnapshot())).toMatchObject({
      phase: 'negotiating',
      signalingState: 'haveLocalOffer',
      connectionState: 'new',
    });
    await closeAndExpectNoLeaks(call);
  });

  it('follows a call through its phases', async () => {
    const call = createTestCall({ a: { autoStart: false } });
    expect(peerView(call.a.actor.getSnapshot())).toMatchObject({
      phase: 'idle',
      isConnected: false,
      isClosed: false,
      signalingState: null,
      connectionState: null,
    });
    call.a.actor.send({ type: 'START' });
    expect(peerView(call.a.actor.getSnapshot())).toMatchObject({
      phase: 'negotiating',
      signalingState: 'stable',
      connectionState: 'new',
    });
    const audio = createFakeTrack('audio');
    const stream = createFakeStream([audio]);
    call.a.actor.send({ type: 'ADD_TRACK', track: audio, streams: [stream] });
    await until(call.a, (s) => peerView(s).phase === 'connecting');
    await bothConnected(call);
    const b = await until(call.b, (s) => s.context.remoteTracks.length === 1);
    const view = peerView(b);
    expect(view.phase).toBe('connected');
    expect(view.isConnected).toBe(true);
    expect(view.remoteStreams.map((s) => s.id)).toEqual([stream.id]);
    call.network.down();
    await until(call.a, (s) => peerView(s).phase === 'reconnecting');
    call.network.up();
    await until(call.a, (s) => peerView(s).phase === 'connected');
    call.a.actor.send({ type: 'CLOSE' });
    expect(peerView(call.a.actor.getSnapshot())).toMatchObject({ phase: 'closed', isClosed: true });
    await closeAndExpectNoLeaks(call);
  });

  it('shows failed and the last error when WebRTC is missing', () => {
    const [left] = createInMemorySignalingPair();
    const peer = createPeer({ signaling: left, polite: true, scope: {}, dev: false });
    peer.start();
    const view = peerView(peer.getSnapshot());
    expect(view.phase).toBe('failed');
    expect(view.isClosed).toBe(true);
    expect(view.error?.code).toBe('UNSUPPORTED');
  });
});

describe('peerActions', () => {
  it('sends one command per action', () => {
    const sent: PeerCommand[] = [];
    const actions = peerActions((command) => sent.push(command));
    const track = createFakeTrack('video');
    const other = createFakeTrack('video');
    actions.addTrack(track);
    actions.removeTrack(track);
    actions.replaceTrack(track, other);
    actions.startMedia();
    actions.startMedia({ audio: true });
    actions.createDataChannel('a');
    actions.createDataChannel('b', { ordered: false });
    actions.sendData('a', 'hi');
    actions.restartIce();
    actions.close({ reason: 'bye', stopTracks: true });
    expect(sent).toEqual([
      { type: 'ADD_TRACK', track, streams: [] },
      { type: 'REMOVE_TRACK', track },
      { type: 'REPLACE_TRACK', track, withTrack: other },
      { type: 'START_MEDIA' },
      { type: 'START_MEDIA', constraints: { audio: true } },
      { type: 'CREATE_DATA_CHANNEL', label: 'a' },
      { type: 'CREATE_DATA_CHANNEL', label: 'b', options: { ordered: false } },
      { type: 'SEND_DATA', label: 'a', data: 'hi' },
      { type: 'RESTART_ICE' },
      { type: 'CLOSE', reason: 'bye', stopTracks: true },
    ]);
  });
});

describe('inspection', () => {
  it('passes XState inspection events through createPeer', () => {
    const [left] = createInMemorySignalingPair();
    const types = new Set<string>();
    const peer = createPeer({
      signaling: left,
      polite: true,
      scope: {},
      dev: false,
      inspect: (event) => types.add(event.type),
    });
    peer.start();
    expect(types).toContain('@xstate.snapshot');
    expect(types).toContain('@xstate.event');
    expect(types).toContain('@xstate.microstep');
  });
});
