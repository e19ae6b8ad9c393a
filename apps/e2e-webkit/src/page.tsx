// The page WebKit loads: core on its own, then a React component using `usePeer` and a Vue
// component using the composable. The engine has no RTCPeerConnection, so every peer must end in
// `failed` with UNSUPPORTED, and nothing may throw on the way. The facts are POSTed to the test
// server; test/run.mjs judges them.

import {
  createInMemorySignalingPair,
  createPeer,
  PeerStateError,
  peerView,
  UnsupportedError,
} from '@peerstatejs/core';
import { usePeer } from '@peerstatejs/react';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createApp } from 'vue';
import { VueCall } from './vueCall.js';

export interface ErrorFacts {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly isUnsupportedError: boolean;
  readonly isPeerStateError: boolean;
  readonly lookedFor: readonly string[] | null;
}

/** What an adapter rendered once its peer settled. */
export interface RenderFacts {
  readonly phase: string;
  readonly code: string;
  readonly text: string;
}

export interface PageFacts {
  readonly engine: {
    readonly userAgent: string;
    readonly RTCPeerConnection: string;
    readonly webkitRTCPeerConnection: string;
  };
  readonly core: {
    readonly failed: boolean;
    readonly phase: string;
    readonly emitted: readonly ErrorFacts[];
    readonly viewError: ErrorFacts | null;
  };
  readonly react: RenderFacts;
  readonly vue: RenderFacts;
  /** Uncaught errors, rejections, console.error and framework warnings, in order. */
  readonly problems: readonly string[];
}

declare global {
  interface Window {
    __peerstate?: Promise<PageFacts>;
    /** Filled by the page's inline script, which runs before this module is even fetched. */
    __problems: string[];
    /** POSTs to the test server, which waits for it. */
    __report: (facts: PageFacts | { fatal: string; problems: readonly string[] }) => void;
  }
}

const problems = window.__problems;
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  problems.push(`console.error: ${args.map(String).join(' ')}`);
  consoleError(...args);
};

function errorFacts(error: unknown): ErrorFacts {
  const typed = error instanceof PeerStateError ? error : null;
  return {
    name: error instanceof Error ? error.name : typeof error,
    code: typed?.code ?? '',
    message: error instanceof Error ? error.message : String(error),
    isUnsupportedError: error instanceof UnsupportedError,
    isPeerStateError: typed !== null,
    lookedFor: error instanceof UnsupportedError ? [...error.lookedFor] : null,
  };
}

function checkCore(): PageFacts['core'] {
  const [left] = createInMemorySignalingPair();
  const peer = createPeer({ signaling: left, polite: false });
  const emitted: ErrorFacts[] = [];
  peer.on('error', ({ error }) => emitted.push(errorFacts(error)));
  peer.start();
  const snapshot = peer.getSnapshot();
  const view = peerView(snapshot);
  const facts = {
    failed: snapshot.matches('failed'),
    phase: view.phase,
    emitted,
    viewError: view.error ? errorFacts(view.error) : null,
  };
  peer.send({ type: 'CLOSE' });
  return facts;
}

/** Resolves once `element` shows a settled peer (`data-phase` failed or closed). */
function settled(element: HTMLElement, what: string): Promise<RenderFacts> {
  return new Promise((resolve, reject) => {
    const read = (): boolean => {
      const target = element.querySelector<HTMLElement>('[data-phase]');
      const phase = target?.dataset.phase ?? '';
      if (phase !== 'failed' && phase !== 'closed') return false;
      observer.disconnect();
      clearTimeout(timer);
      resolve({ phase, code: target?.dataset.code ?? '', text: target?.textContent ?? '' });
      return true;
    };
    const observer = new MutationObserver(read);
    // A loaded 2-core machine; the peer fails within a tick of mounting when nothing is wrong.
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`${what} never rendered a failed peer: ${element.innerHTML}`));
    }, 10_000);
    observer.observe(element, { subtree: true, childList: true, attributes: true });
    read();
  });
}

function ReactCall() {
  const [signaling] = useState(() => createInMemorySignalingPair()[0]);
  const { phase, error } = usePeer({ signaling, polite: false });
  return (
    <p data-phase={phase} data-code={error?.code ?? ''}>
      {phase}
      {error ? ` (${error.code})` : ''}
    </p>
  );
}

async function run(): Promise<PageFacts> {
  const engine = {
    userAgent: navigator.userAgent,
    RTCPeerConnection: typeof (window as { RTCPeerConnection?: unknown }).RTCPeerConnection,
    webkitRTCPeerConnection: typeof (window as { webkitRTCPeerConnection?: unknown })
      .webkitRTCPeerConnection,
  };
  const core = checkCore();

  const reactRoot = document.getElementById('react') as HTMLElement;
  createRoot(reactRoot, {
    onUncaughtError: (error) => problems.push(`react uncaught: ${String(error)}`),
    onCaughtError: (error) => problems.push(`react caught: ${String(error)}`),
    onRecoverableError: (error) => problems.push(`react recoverable: ${String(error)}`),
  }).render(
    <StrictMode>
      <ReactCall />
    </StrictMode>,
  );
  const react = await settled(reactRoot, 'React');

  const vueRoot = document.getElementById('vue') as HTMLElement;
  const app = createApp(VueCall);
  app.config.errorHandler = (error) => problems.push(`vue error: ${String(error)}`);
  app.config.warnHandler = (message) => problems.push(`vue warning: ${message}`);
  app.mount(vueRoot);
  const vue = await settled(vueRoot, 'Vue');

  return { engine, core, react, vue, problems };
}

window.__peerstate = run();
window.__peerstate.then(window.__report, (error: unknown) =>
  window.__report({ fatal: String((error as Error)?.stack ?? error), problems }),
);
