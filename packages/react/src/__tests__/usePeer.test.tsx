import {
  type CreatePeerOptions,
  createPeer,
  type PeerActor,
  type PeerStateError,
  peerView,
} from '@peerstatejs/core';
import {
  createFakeStream,
  createFakeTrack,
  liveFakeListenerCount,
  openFakePeerConnections,
} from '@peerstatejs/core/testing';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { useEffect, useState } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type PeerEventHandlers,
  PeerProvider,
  PeerVideo,
  type UsePeerResult,
  usePeer,
  usePeerActorRef,
  usePeerContext,
  usePeerSelector,
} from '../index.js';
import { fakeCall } from './fakeCall.js';

afterEach(cleanup);

/** Lets the fake network, the in-memory signaling and a pending close run. */
const settle = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 20)));

interface PeerProps {
  readonly name: string;
  readonly source: CreatePeerOptions | PeerActor;
  readonly on?: PeerEventHandlers;
  /** Receives the latest `usePeer` result on every render. */
  readonly report?: (peer: UsePeerResult) => void;
}

/** One peer: its phase, the messages it received and its remote video. */
function Peer({ name, source, on, report }: PeerProps) {
  const [messages, setMessages] = useState<string[]>([]);
  const peer = usePeer(source, {
    on: {
      ...on,
      data: (event) => {
        on?.data?.(event);
        setMessages((list) => [...list, String(event.data)]);
      },
    },
  });
  report?.(peer);
  return (
    <div>
      <p data-testid={`${name}-phase`}>{peer.phase}</p>
      <p data-testid={`${name}-messages`}>{messages.join(',')}</p>
      <PeerVideo data-testid={`${name}-video`} stream={peer.remoteStreams[0]} muted />
    </div>
  );
}

function MountProbe({ onMount }: { onMount: () => void }) {
  useEffect(() => onMount(), [onMount]);
  return null;
}

/** Owns the caller's peer; the callee lives in a child that can be removed. */
function CallerWithCallee(props: {
  call: ReturnType<typeof fakeCall>;
  showCallee: boolean;
  onClosed: (reason: string) => void;
}) {
  const caller = usePeerActorRef(props.call.caller, {
    on: { closed: ({ reason }) => props.onClosed(reason) },
  });
  const phase = usePeerSelector(caller, (snapshot) => peerView(snapshot).phase);
  return (
    <>
      <p data-testid="caller-phase">{phase}</p>
      {props.showCallee ? <Peer name="callee" source={props.call.callee} /> : null}
    </>
  );
}

function ContextPhase({ onRender }: { onRender: () => void }) {
  const phase = usePeerSelector(usePeerContext(), (snapshot) => peerView(snapshot).phase);
  onRender();
  return <p data-testid="context-phase">{phase}</p>;
}

function ContextChannels({ report }: { report: (peer: UsePeerResult) => void }) {
  const peer = usePeer(usePeerContext());
  report(peer);
  return <p data-testid="channels">{peer.dataChannels.map((c) => c.readyState).join()}</p>;
}

function SharedCall(props: {
  call: ReturnType<typeof fakeCall>;
  onRender: () => void;
  report: (peer: UsePeerResult) => void;
}) {
  const peer = usePeerActorRef(props.call.caller);
  return (
    <PeerProvider peer={peer}>
      <ContextPhase onRender={props.onRender} />
      <ContextChannels report={props.report} />
      <Peer name="callee" source={props.call.callee} />
    </PeerProvider>
  );
}

function Orphan() {
  usePeerContext();
  return null;
}

// StrictMode must wrap the root: under a newly mounted non-strict parent (an RTL `wrapper`),
// React 19 does not replay effects.
describe.each([
  ['plain', false],
  ['StrictMode', true],
] as const)('%s', (_mode, reactStrictMode) => {
  const options = { reactStrictMode };

  /** Renders caller and callee; `peers()` is their latest `usePeer` results. */
  function renderCall(on: { caller?: PeerEventHandlers; callee?: PeerEventHandlers } = {}) {
    const call = fakeCall();
    const latest: { caller?: UsePeerResult; callee?: UsePeerResult } = {};
    const utils = render(
      <>
        <Peer
          name="caller"
          source={call.caller}
          report={(peer) => {
            latest.caller = peer;
          }}
          {...(on.caller ? { on: on.caller } : {})}
        />
        <Peer
          name="callee"
          source={call.callee}
          report={(peer) => {
            latest.callee = peer;
          }}
          {...(on.callee ? { on: on.callee } : {})}
        />
      </>,
      options,
    );
    const peers = () => latest as Required<typeof latest>;
    return { ...call, ...utils, peers };
  }
  const text = (testId: string) => screen.getByTestId(testId).textContent;

  it('connects two peers and carries data-channel messages', async () => {
    const onData = vi.fn();
    const { peers } = renderCall({ callee: { data: onData } });
    expect(text('caller-phase')).toBe('negotiating');
    act(() => peers().caller.createDataChannel('chat'));
    await waitFor(() => expect(text('callee-phase')).toBe('connected'));
    expect(text('caller-phase')).toBe('connected');
    const channels = (peer: UsePeerResult) =>
      peer.dataChannels.map((c) => [c.label, c.origin, c.readyState]);
    await waitFor(() => expect(channels(peers().caller)).toEqual([['chat', 'local', 'open']]));
    expect(channels(peers().callee)).toEqual([['chat', 'remote', 'open']]);
    expect(peers().caller.matches({ active: { connection: 'connected' } })).toBe(true);
    expect(peers().caller.state).toEqual(peers().caller.snapshot.value);
    expect(peers().caller.view).toEqual(peerView(peers().caller.snapshot));

    act(() => peers().caller.sendData('chat', 'hello'));
    await waitFor(() => expect(text('callee-messages')).toBe('hello'));
    expect(onData).toHaveBeenCalledOnce();
    expect(onData.mock.calls[0]?.[0]).toMatchObject({ type: 'data', label: 'chat', data: 'hello' });
  });

  it('sends, replaces and removes tracks; PeerVideo shows the remote stream', async () => {
    const { peers } = renderCall();
    const video = () => screen.getByTestId('callee-video') as HTMLVideoElement;
    expect(video().srcObject).toBeNull();
    expect(video().autoplay).toBe(true);
    const camera = createFakeTrack('video');
    const stream = createFakeStream([camera]);
    act(() => peers().caller.addTrack(camera, stream));
    await waitFor(() => expect(peers().callee.remoteStreams).toHaveLength(1));
    expect(peers().callee.remoteStreams[0]?.id).toBe(stream.id);
    expect(video().srcObject).toBe(peers().callee.remoteStreams[0]);
    expect(peers().caller.localTracks.map((t) => t.track)).toEqual([camera]);

    const other = createFakeTrack('video');
    act(() => peers().caller.replaceTrack(camera, other));
    await waitFor(() => expect(peers().caller.localTracks[0]?.track).toBe(other));

    act(() => peers().caller.removeTrack(other));
    await waitFor(() => expect(peers().callee.remoteStreams).toEqual([]));
    expect(peers().caller.localTracks).toEqual([]);
    expect(video().srcObject).toBeNull();
  });

  it('captures media and restarts ICE', async () => {
    const { peers } = renderCall();
    act(() => peers().caller.startMedia({ audio: true, video: true }));
    await waitFor(() => expect(peers().callee.remoteTracks).toHaveLength(2));
    expect(peers().caller.localTracks.every((t) => t.owned)).toBe(true);
    await waitFor(() => expect(peers().caller.isConnected).toBe(true));
    act(() => peers().caller.restartIce());
    // At least one: a restart slower than the backoff delay (a loaded machine) is followed by another.
    await waitFor(() =>
      expect(peers().caller.snapshot.context.counters.iceRestarts).toBeGreaterThanOrEqual(1),
    );
    await waitFor(() => expect(peers().caller.phase).toBe('connected'));
  });

  it('reports errors through the result and the on.error handler', async () => {
    const errors: PeerStateError[] = [];
    const { peers } = renderCall({ caller: { error: ({ error }) => errors.push(error) } });
    expect(peers().caller.error).toBeNull();
    act(() => peers().caller.send({ type: 'SEND_DATA', label: 'missing', data: 'x' }));
    await waitFor(() => expect(peers().caller.error?.code).toBe('DATA_CHANNEL_FAILED'));
    expect(errors).toEqual([peers().caller.error]);
  });

  it('reports UNSUPPORTED where there is no peer connection', async () => {
    const { callee } = fakeCall();
    const codes: string[] = [];
    render(
      <Peer
        name="lonely"
        source={{ signaling: callee.signaling, polite: true, scope: {}, dev: false }}
        on={{ error: ({ error }) => codes.push(error.code) }}
      />,
      options,
    );
    await waitFor(() => expect(text('lonely-phase')).toBe('failed'));
    expect(codes).toEqual(['UNSUPPORTED']);
  });

  it('creates one peer connection per peer and closes both on unmount', async () => {
    let mounts = 0;
    const onMount = () => {
      mounts += 1;
    };
    render(<MountProbe onMount={onMount} />, options);
    // The premise: StrictMode really mounts, unmounts and mounts again.
    expect(mounts).toBe(reactStrictMode ? 2 : 1);
    const { peers, created, unmount } = renderCall();
    act(() => peers().caller.createDataChannel('chat'));
    await waitFor(() => expect(peers().callee.isConnected).toBe(true));
    expect(created).toHaveLength(2);
    expect(openFakePeerConnections()).toHaveLength(2);
    const { caller, callee } = peers();
    unmount();
    await waitFor(() => {
      expect(openFakePeerConnections()).toEqual([]);
      expect(liveFakeListenerCount()).toBe(0);
    });
    expect(created).toHaveLength(2);
    // CLOSE ends the peer in its final state: the actor is done (stop() after it changes nothing).
    expect(caller.actor.getSnapshot().status).toBe('done');
    expect(peerView(caller.actor.getSnapshot()).phase).toBe('closed');
    expect(peerView(callee.actor.getSnapshot()).phase).toBe('closed');
  });

  it('closes the call when its component unmounts; the remote hears bye', async () => {
    const call = fakeCall();
    const onClosed = vi.fn();
    const { rerender } = render(
      <CallerWithCallee call={call} showCallee onClosed={onClosed} />,
      options,
    );
    await waitFor(() => expect(call.created).toHaveLength(2));
    rerender(<CallerWithCallee call={call} showCallee={false} onClosed={onClosed} />);
    await waitFor(() => expect(text('caller-phase')).toBe('closed'));
    expect(onClosed).toHaveBeenCalledWith('remote');
    expect(openFakePeerConnections()).toEqual([]);
  });

  it('shares a peer through PeerProvider; usePeerSelector re-renders only on change', async () => {
    const call = fakeCall();
    let phaseRenders = 0;
    let shared: UsePeerResult | undefined;
    render(
      <SharedCall
        call={call}
        onRender={() => {
          phaseRenders += 1;
        }}
        report={(peer) => {
          shared = peer;
        }}
      />,
      options,
    );
    act(() => shared?.createDataChannel('chat'));
    await waitFor(() => expect(text('context-phase')).toBe('connected'));
    await waitFor(() => expect(text('channels')).toBe('open'));
    const before = phaseRenders;
    act(() => shared?.createDataChannel('more'));
    await waitFor(() => expect(text('channels')).toBe('open,open'));
    expect(phaseRenders).toBe(before);
  });

  it('only reads a peer it was given: no start, no close', async () => {
    const call = fakeCall();
    const actor = createPeer(call.caller);
    const { unmount } = render(<Peer name="given" source={actor} />, options);
    await settle();
    expect(call.created).toHaveLength(0);
    act(() => void actor.start());
    expect(call.created).toHaveLength(1);
    expect(text('given-phase')).toBe('negotiating');
    unmount();
    await settle();
    expect(openFakePeerConnections()).toHaveLength(1);
    actor.send({ type: 'CLOSE' });
    expect(openFakePeerConnections()).toEqual([]);
  });

  it('hydrates server markup without a mismatch, then connects', async () => {
    const call = fakeCall();
    let caller: UsePeerResult | undefined;
    const ui = (
      <>
        <Peer
          name="caller"
          source={call.caller}
          report={(peer) => {
            caller = peer;
          }}
        />
        <Peer name="callee" source={call.callee} />
      </>
    );
    const container = document.createElement('div');
    container.innerHTML = renderToString(ui);
    document.body.append(container);
    expect(text('caller-phase')).toBe('starting');
    expect(call.created).toHaveLength(0);
    const errors = vi.spyOn(console, 'error');
    render(ui, { ...options, container, hydrate: true });
    expect(call.created).toHaveLength(2);
    act(() => caller?.createDataChannel('chat'));
    await waitFor(() => expect(text('callee-phase')).toBe('connected'));
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('usePeerContext outside a provider names the fix', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<Orphan />, options)).toThrow(/inside <PeerProvider peer=\{actor\}>/);
    vi.restoreAllMocks();
  });
});
