import { createPeer, type PeerStateError, peerView } from '@peerstatejs/core';
import {
  createFakeStream,
  createFakeTrack,
  liveFakeListenerCount,
  openFakePeerConnections,
} from '@peerstatejs/core/testing';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createSSRApp, defineComponent, effectScope, h, nextTick, ref } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { injectPeer, PeerVideo, providePeer, type UsePeerReturn, usePeer } from '../index.js';
import { fakeCall } from './fakeCall.js';

/** Lets the fake network and the in-memory signaling run, then Vue re-render. */
async function settle(ms = 20): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await flushPromises();
}

// Waits are for states, not for time: 1 s ran out on a loaded 2-core machine while the fake peers
// were still negotiating (each step is a real task); a wait that succeeds returns at once.
async function until(check: () => void, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await settle(5);
    }
  }
}

function mountCall(hooks: { onError?: (error: PeerStateError) => void } = {}) {
  const call = fakeCall();
  const peers: { caller?: UsePeerReturn; callee?: UsePeerReturn } = {};
  const messages = ref<string[]>([]);
  const Caller = defineComponent(() => {
    const peer = usePeer(call.caller, { on: { error: ({ error }) => hooks.onError?.(error) } });
    peers.caller = peer;
    return () => h('p', { 'data-test': 'caller' }, peer.phase.value);
  });
  const Callee = defineComponent(() => {
    const peer = usePeer(call.callee, {
      on: { data: ({ data }) => messages.value.push(String(data)) },
    });
    peers.callee = peer;
    return () =>
      h('div', [
        h('p', { 'data-test': 'callee' }, peer.phase.value),
        h('p', { 'data-test': 'messages' }, messages.value.join(',')),
        h(PeerVideo, { stream: peer.remoteStreams.value[0], muted: true, 'data-test': 'remote' }),
      ]);
  });
  const wrapper = mount(defineComponent(() => () => h('main', [h(Caller), h(Callee)])));
  return { ...call, wrapper, peers: peers as Required<typeof peers>, messages };
}

describe('usePeer', () => {
  it('connects two peers and carries data-channel messages', async () => {
    const { wrapper, peers } = mountCall();
    const text = (name: string) => wrapper.get(`[data-test="${name}"]`).text();
    expect(text('caller')).toBe('starting');
    await nextTick();
    expect(text('caller')).toBe('negotiating');
    peers.caller.createDataChannel('chat');
    await until(() => expect(text('callee')).toBe('connected'));
    expect(text('caller')).toBe('connected');
    const channels = (peer: UsePeerReturn) =>
      peer.dataChannels.value.map((c) => [c.label, c.origin, c.readyState]);
    await until(() => expect(channels(peers.caller)).toEqual([['chat', 'local', 'open']]));
    expect(channels(peers.callee)).toEqual([['chat', 'remote', 'open']]);
    expect(peers.caller.matches({ active: { connection: 'connected' } })).toBe(true);
    expect(peers.caller.state.value).toEqual(peers.caller.snapshot.value.value);
    expect(peers.caller.view.value).toEqual(peerView(peers.caller.snapshot.value));
    expect(peers.caller.isConnected.value).toBe(true);

    peers.caller.sendData('chat', 'hello');
    await until(() => expect(text('messages')).toBe('hello'));
  });

  it('sends, replaces and removes tracks; PeerVideo shows the remote stream', async () => {
    const { wrapper, peers } = mountCall();
    const video = () => wrapper.get('video').element as HTMLVideoElement;
    expect(video().srcObject).toBeNull();
    expect(video().autoplay).toBe(true);
    expect(video().muted).toBe(true);
    const camera = createFakeTrack('video');
    const stream = createFakeStream([camera]);
    peers.caller.addTrack(camera, stream);
    await until(() => expect(peers.callee.remoteStreams.value).toHaveLength(1));
    expect(peers.callee.remoteStreams.value[0]?.id).toBe(stream.id);
    await nextTick();
    expect(video().srcObject).toBe(peers.callee.remoteStreams.value[0]);
    expect(peers.caller.localTracks.value.map((t) => t.track)).toEqual([camera]);

    const other = createFakeTrack('video');
    peers.caller.replaceTrack(camera, other);
    await until(() => expect(peers.caller.localTracks.value[0]?.track).toBe(other));

    peers.caller.removeTrack(other);
    await until(() => expect(peers.callee.remoteStreams.value).toEqual([]));
    expect(peers.caller.localTracks.value).toEqual([]);
    expect(video().srcObject).toBeNull();
  });

  it('captures media and restarts ICE', async () => {
    const { peers } = mountCall();
    peers.caller.startMedia({ audio: true, video: true });
    await until(() => expect(peers.callee.remoteTracks.value).toHaveLength(2));
    await until(() => expect(peers.caller.phase.value).toBe('connected'));
    peers.caller.restartIce();
    // At least one: a restart slower than the backoff delay (a loaded machine) is followed by another.
    await until(() =>
      expect(peers.caller.snapshot.value.context.counters.iceRestarts).toBeGreaterThanOrEqual(1),
    );
    await until(() => expect(peers.caller.phase.value).toBe('connected'));
  });

  it('reports errors through the refs and the on.error handler', async () => {
    const errors: PeerStateError[] = [];
    const { peers } = mountCall({ onError: (error) => errors.push(error) });
    expect(peers.caller.error.value).toBeNull();
    peers.caller.send({ type: 'SEND_DATA', label: 'missing', data: 'x' });
    await until(() => expect(peers.caller.error.value?.code).toBe('DATA_CHANNEL_FAILED'));
    expect(errors).toEqual([peers.caller.error.value]);
  });

  it('reports UNSUPPORTED where there is no peer connection', async () => {
    const { callee } = fakeCall();
    const codes: string[] = [];
    const wrapper = mount(
      defineComponent(() => {
        const peer = usePeer(
          { signaling: callee.signaling, polite: true, scope: {}, dev: false },
          { on: { error: ({ error }) => codes.push(error.code) } },
        );
        return () => h('p', peer.phase.value);
      }),
    );
    await until(() => expect(wrapper.text()).toBe('failed'));
    expect(codes).toEqual(['UNSUPPORTED']);
  });

  it('closes the call on unmount; the remote hears bye', async () => {
    const { wrapper, peers, created } = mountCall();
    peers.caller.createDataChannel('chat');
    await until(() => expect(peers.callee.isConnected.value).toBe(true));
    expect(created).toHaveLength(2);
    expect(openFakePeerConnections()).toHaveLength(2);
    const { caller, callee } = peers;
    wrapper.unmount();
    expect(openFakePeerConnections()).toEqual([]);
    // CLOSE ends the peer in its final state: the actor is done (stop() after it changes nothing).
    expect(caller.actor.getSnapshot().status).toBe('done');
    expect(peerView(caller.actor.getSnapshot()).phase).toBe('closed');
    await until(() => expect(peerView(callee.actor.getSnapshot()).phase).toBe('closed'));
    await until(() => expect(liveFakeListenerCount()).toBe(0));
  });

  it('shares a peer with provide/inject', async () => {
    const call = fakeCall();
    let child: UsePeerReturn | undefined;
    const Child = defineComponent(() => {
      child = usePeer(injectPeer());
      return () => h('span', child?.phase.value);
    });
    const Parent = defineComponent(() => {
      providePeer(usePeer(call.caller).actor);
      usePeer(call.callee);
      return () => h(Child);
    });
    const wrapper = mount(Parent);
    child?.createDataChannel('chat');
    await until(() => expect(wrapper.text()).toBe('connected'));
    wrapper.unmount();
    expect(openFakePeerConnections()).toEqual([]);
  });

  it('injectPeer without providePeer names the fix', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => mount(defineComponent(() => () => h('p', String(injectPeer()))))).toThrow(
      /call providePeer\(actor\) in an ancestor/,
    );
    vi.restoreAllMocks();
  });

  it('hydrates server markup without a mismatch, then connects', async () => {
    const call = fakeCall();
    let caller: UsePeerReturn | undefined;
    const App = defineComponent(() => {
      caller = usePeer(call.caller);
      const callee = usePeer(call.callee);
      return () => h('p', `${caller?.phase.value} ${callee.phase.value}`);
    });
    const container = document.createElement('div');
    container.innerHTML = await renderToString(createSSRApp(App));
    expect(container.textContent).toBe('starting starting');
    expect(call.created).toHaveLength(0);
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    const app = createSSRApp(App);
    app.mount(container);
    expect(call.created).toHaveLength(2);
    caller?.createDataChannel('chat');
    await until(() => expect(container.textContent).toBe('connected connected'));
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    app.unmount();
    expect(openFakePeerConnections()).toEqual([]);
    vi.restoreAllMocks();
  });

  it('works in a bare effect scope: starts at once, stop() closes', async () => {
    const call = fakeCall();
    const scope = effectScope();
    const peers = scope.run(() => [usePeer(call.caller), usePeer(call.callee)] as const);
    expect(call.created).toHaveLength(2);
    peers?.[0].createDataChannel('chat');
    await until(() => expect(peers?.[1].phase.value).toBe('connected'));
    scope.stop();
    expect(openFakePeerConnections()).toEqual([]);
  });

  it('only reads a peer it was given: no start, no close', async () => {
    const call = fakeCall();
    const actor = createPeer(call.caller);
    const wrapper = mount(
      defineComponent(() => {
        const { phase } = usePeer(actor);
        return () => h('p', phase.value);
      }),
    );
    await settle();
    expect(call.created).toHaveLength(0);
    actor.start();
    await until(() => expect(wrapper.text()).toBe('negotiating'));
    expect(call.created).toHaveLength(1);
    wrapper.unmount();
    expect(openFakePeerConnections()).toHaveLength(1);
    actor.send({ type: 'CLOSE' });
    expect(openFakePeerConnections()).toEqual([]);
  });
});
