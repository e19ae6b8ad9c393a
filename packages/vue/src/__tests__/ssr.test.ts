// @vitest-environment node
import { createInMemorySignalingPair } from '@peerstatejs/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { injectPeer, PeerVideo, providePeer, usePeer } from '../index.js';

const NAMES = ['RTCPeerConnection', 'webkitRTCPeerConnection', 'mozRTCPeerConnection'] as const;
let reads: string[] = [];

beforeEach(() => {
  reads = [];
  for (const name of NAMES) {
    expect(name in globalThis, `${name} is absent in Node`).toBe(false);
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        reads.push(name);
        return undefined;
      },
    });
  }
});

afterEach(() => {
  for (const name of NAMES) Reflect.deleteProperty(globalThis, name);
});

const Phase = defineComponent(() => {
  const { phase } = usePeer(injectPeer());
  return () => h('span', { id: 'phase' }, phase.value);
});

const Call = defineComponent(() => {
  const [signaling] = createInMemorySignalingPair();
  const { actor, remoteStreams, error, isConnected } = usePeer({ signaling, polite: true });
  providePeer(actor);
  const idle = usePeer({ signaling, polite: false, autoStart: false });
  return () =>
    h('div', [
      h(Phase),
      h('p', isConnected.value ? 'in call' : 'waiting'),
      h('p', error.value?.code ?? 'no error'),
      h('b', idle.phase.value),
      h(PeerVideo, { stream: remoteStreams.value[0], muted: true }),
    ]);
});

it('renders on the server without reading RTCPeerConnection', async () => {
  const html = await renderToString(createSSRApp(Call));
  expect(html).toContain('<span id="phase">starting</span>');
  expect(html).toContain('waiting');
  expect(html).toContain('no error');
  expect(html).toContain('<b>idle</b>');
  expect(html).toContain('<video');
  expect(reads).toEqual([]);
});

it('the trap itself works', () => {
  void (globalThis as Record<string, unknown>).RTCPeerConnection;
  expect(reads).toEqual(['RTCPeerConnection']);
});
