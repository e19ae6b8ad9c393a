import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { createPeer } from '../../machine/createPeer.js';
import { onPeerEvents } from '../../machine/peerEvents.js';
import { peerView } from '../../machine/peerView.js';
import { createFakeCall, liveFakeListenerCount, openFakePeerConnections } from '../index.js';

describe('createFakeCall', () => {
  it('gives two peers a working call with fake media, and counts connections', async () => {
    const call = createFakeCall();
    const caller = createPeer(call.caller);
    const callee = createPeer(call.callee);
    const received: unknown[] = [];
    const tracks: string[] = [];
    const off = onPeerEvents(callee, {
      data: ({ data }) => received.push(data),
      track: ({ track }) => tracks.push(track.kind),
    });
    caller.start();
    callee.start();
    caller.send({ type: 'START_MEDIA', constraints: { audio: true, video: true } });
    caller.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await waitFor(caller, (s) => s.context.dataChannels[0]?.readyState === 'open');
    caller.send({ type: 'SEND_DATA', label: 'chat', data: 'hi' });
    await waitFor(callee, () => received.length === 1);
    await waitFor(callee, (s) => s.context.remoteTracks.length === 2);
    expect(received).toEqual(['hi']);
    expect(tracks.sort()).toEqual(['audio', 'video']);
    expect(call.created).toHaveLength(2);
    expect(call.caller.mediaDevices.callCount).toBe(1);
    const view = peerView(caller.getSnapshot());
    expect(view.localStreams).toHaveLength(1);
    expect(view.localStreams[0]?.getTracks()).toHaveLength(2);
    // Unsubscribed handlers hear nothing more.
    off();
    caller.send({ type: 'SEND_DATA', label: 'chat', data: 'unheard' });
    await new Promise((r) => setTimeout(r, 10));
    expect(received).toEqual(['hi']);
    caller.send({ type: 'CLOSE' });
    await waitFor(callee, (s) => s.matches('closed'));
    expect(openFakePeerConnections()).toEqual([]);
    expect(liveFakeListenerCount()).toBe(0);
  });

  it('onPeerEvents reads handlers lazily when given a function', () => {
    const call = createFakeCall();
    const peer = createPeer({ ...call.caller, scope: {}, peerConnection: undefined as never });
    let handlers: { error?: (e: { error: { code: string } }) => void } = {};
    const seen: string[] = [];
    onPeerEvents(peer, () => handlers);
    handlers = { error: ({ error }) => seen.push(`first:${error.code}`) };
    peer.start();
    handlers = { error: ({ error }) => seen.push(`second:${error.code}`) };
    peer.send({ type: 'RESTART_ICE' });
    expect(seen).toEqual(['first:UNSUPPORTED', 'second:PEER_CLOSED']);
  });
});
