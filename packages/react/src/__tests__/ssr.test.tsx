// @vitest-environment node
import { createInMemorySignalingPair, peerView } from '@peerstatejs/core';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  PeerProvider,
  PeerVideo,
  usePeer,
  usePeerActorRef,
  usePeerContext,
  usePeerSelector,
} from '../index.js';

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

function Phase() {
  const phase = usePeerSelector(usePeerContext(), (snapshot) => peerView(snapshot).phase);
  return <span id="phase">{phase}</span>;
}

function Call() {
  const [signaling] = createInMemorySignalingPair();
  const peer = usePeerActorRef({ signaling, polite: true });
  const { remoteStreams, error, isConnected } = usePeer(peer);
  return (
    <PeerProvider peer={peer}>
      <Phase />
      <p>{isConnected ? 'in call' : 'waiting'}</p>
      <p>{error?.code ?? 'no error'}</p>
      <PeerVideo stream={remoteStreams[0]} muted />
    </PeerProvider>
  );
}

function Direct() {
  const [signaling] = createInMemorySignalingPair();
  return <b>{usePeer({ signaling, polite: false, autoStart: false }).phase}</b>;
}

it('renders on the server without reading RTCPeerConnection', () => {
  const html = renderToString(
    <StrictMode>
      <Call />
      <Direct />
    </StrictMode>,
  );
  expect(html).toContain('<span id="phase">starting</span>');
  expect(html).toContain('waiting');
  expect(html).toContain('no error');
  expect(html).toContain('<video');
  expect(html).toContain('<b>idle</b>');
  expect(reads).toEqual([]);
});

it('the trap itself works', () => {
  void (globalThis as Record<string, unknown>).RTCPeerConnection;
  expect(reads).toEqual(['RTCPeerConnection']);
});
