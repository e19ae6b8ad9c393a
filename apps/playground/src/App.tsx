import type { PeerActor } from '@peerstatejs/core';
import {
  parseSession,
  type Session,
  type SessionRecorder,
  type SessionStore,
  serializeSession,
  staticStore,
} from '@peerstatejs/core/recorder';
import { usePeerActorRef } from '@peerstatejs/react';
import { type ChangeEvent, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import {
  configSearch,
  type PlaygroundConfig,
  QUICK_ICE_RESTART,
  readConfig,
} from './call/config.js';
import { type Call, createCall, type PeerSpec } from './call/createCall.js';
import { WireFaultControls } from './call/FaultControls.js';
import { SignalingStatus } from './call/SignalingStatus.js';
import { useStatsSampler } from './call/useStatsSampler.js';
import { RoomView } from './room/RoomView.js';
import { createRoomPlayground } from './room/roomPlayground.js';
import { Workspace } from './Workspace.js';

/** The peer options of one side: the recorder's inspector is how the playground sees the machine. */
function usePlaygroundPeer(call: Call, index: number, config: PlaygroundConfig): PeerActor {
  const spec = call.peers[index] as PeerSpec;
  const [inspect] = useState(() => call.recorder.inspector(index));
  const actor = usePeerActorRef({
    signaling: spec.signaling,
    polite: spec.polite,
    id: spec.name,
    inspect,
    ...(call.configuration ? { configuration: call.configuration } : {}),
    ...(config.ice === 'quick' ? { iceRestart: QUICK_ICE_RESTART } : {}),
    ...(config.answerTimeout ? { answerTimeout: config.answerTimeout } : {}),
  });
  useStatsSampler(actor, call.recorder, index);
  useEffect(() => call.recorder.watch(index, actor), [call, index, actor]);
  return actor;
}

interface CallViewProps {
  readonly call: Call;
  readonly config: PlaygroundConfig;
  readonly render: (store: SessionRecorder, actors: readonly PeerActor[]) => ReactNode;
}

/** Two peers in this page. */
function TwoPeerCall({ call, config, render }: CallViewProps) {
  const alice = usePlaygroundPeer(call, 0, config);
  const bob = usePlaygroundPeer(call, 1, config);
  return <>{render(call.recorder, [alice, bob])}</>;
}

/** One peer in this tab; the other is in another tab or machine. */
function OneTabCall({ call, config, render }: CallViewProps) {
  const peer = usePlaygroundPeer(call, 0, config);
  return <>{render(call.recorder, [peer])}</>;
}

function download(session: Session) {
  const blob = new Blob([serializeSession(session)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `peerstate-session-${new Date(session.startedAt).toISOString().replace(/[:.]/g, '-')}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function SignalingPicker({ config }: { config: PlaygroundConfig }) {
  const [draft, setDraft] = useState(config);
  const other = { ...config, role: config.role === 'polite' ? 'impolite' : 'polite' } as const;
  return (
    <form
      className="signaling"
      onSubmit={(event) => {
        event.preventDefault();
        window.location.search = configSearch(draft);
      }}
    >
      <label>
        Signaling{' '}
        <select
          value={draft.mode}
          onChange={(event) =>
            setDraft({ ...draft, mode: event.target.value as PlaygroundConfig['mode'] })
          }
        >
          <option value="in-memory">in-memory (both peers here)</option>
          <option value="broadcast-channel">BroadcastChannel (one peer per tab)</option>
          <option value="websocket">WebSocket: reference server room (one peer per tab)</option>
        </select>
      </label>
      {draft.mode === 'websocket' ? (
        <label>
          URL{' '}
          <input
            value={draft.url}
            size={22}
            onChange={(event) => setDraft({ ...draft, url: event.target.value })}
          />
        </label>
      ) : null}
      {draft.mode !== 'in-memory' ? (
        <label>
          Role{' '}
          <select
            value={draft.role}
            onChange={(event) =>
              setDraft({ ...draft, role: event.target.value as PlaygroundConfig['role'] })
            }
          >
            <option value="impolite">Alice (impolite)</option>
            <option value="polite">Bob (polite)</option>
          </select>
        </label>
      ) : null}
      <label title="quick: 1 s grace, 3 restarts from 0.5 s, so a broken call ends within seconds">
        ICE restarts{' '}
        <select
          value={draft.ice}
          onChange={(event) =>
            setDraft({ ...draft, ice: event.target.value as PlaygroundConfig['ice'] })
          }
        >
          <option value="default">SDK defaults</option>
          <option value="quick">quick</option>
        </select>
      </label>
      <label title="iceTransportPolicy 'relay': only TURN candidates; with no TURN server (turn= in the URL) the call cannot connect">
        ICE transport{' '}
        <select
          value={draft.transport}
          onChange={(event) =>
            setDraft({ ...draft, transport: event.target.value as PlaygroundConfig['transport'] })
          }
        >
          <option value="all">all candidates</option>
          <option value="relay">relay only</option>
        </select>
      </label>
      <button type="submit">Apply</button>
      <a href="?view=room">Room view (a mesh in this page)</a>
      {config.mode !== 'in-memory' ? (
        <a href={configSearch(other) || '?'} target="_blank" rel="noreferrer">
          Open the other side in a new tab
        </a>
      ) : null}
    </form>
  );
}

/** The room view: its participants live as long as the page. */
function RoomPage() {
  const [playground] = useState(createRoomPlayground);
  return <RoomView playground={playground} />;
}

export function App() {
  const config = useMemo(() => readConfig(window.location.search), []);
  return config.view === 'room' ? <RoomPage /> : <CallPage config={config} />;
}

function CallPage({ config }: { config: PlaygroundConfig }) {
  const [call, setCall] = useState(() => createCall(config));
  const [imported, setImported] = useState<{ store: SessionStore; name: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const startOver = () => {
    setProblem(null);
    setCall(createCall(config));
    // The old peers close on unmount (a microtask later) and send bye over the old signaling:
    // release it after that. (Not in an effect cleanup: StrictMode runs those on its simulated
    // unmount, which would cut the live call's signaling.)
    setTimeout(() => call.dispose(), 100);
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      setImported({ store: staticStore(parseSession(await file.text())), name: file.name });
      setProblem(null);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  const backToLive = () => {
    setImported(null);
    // A refused file's message was about the import: it has no place on the live call.
    setProblem(null);
  };

  const render = (recorder: SessionRecorder, actors: readonly PeerActor[]) => {
    const store = imported?.store ?? recorder;
    const glare = () => {
      // Both in the same task: each restarts ICE, so each sends an offer before the other's arrives.
      for (const actor of actors) actor.send({ type: 'RESTART_ICE' });
    };
    const actions = (
      <>
        {imported ? null : <SignalingPicker config={config} />}
        <div className="buttons">
          {actors.length === 2 && !imported ? (
            <button
              type="button"
              onClick={glare}
              title="Both peers restart ICE in the same task, so both send an offer at once: the impolite peer ignores the colliding offer, the polite one rolls back and answers."
            >
              Cause glare
            </button>
          ) : null}
          {imported ? null : (
            <button type="button" onClick={startOver}>
              Start over
            </button>
          )}
          <button type="button" onClick={() => download(store.session)}>
            Export session
          </button>
          <button type="button" onClick={() => fileInput.current?.click()}>
            Import session…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            className="visually-hidden"
            tabIndex={-1}
            aria-label="Session file"
            data-testid="import-file"
            onChange={onFile}
          />
          {imported ? (
            <button type="button" onClick={backToLive}>
              Back to the live call
            </button>
          ) : null}
        </div>
        {imported ? null : <WireFaultControls faults={call.faults} />}
        {!imported && call.websocket ? (
          <SignalingStatus channel={call.websocket} url={config.url} />
        ) : null}
        {problem ? (
          <p className="error" role="alert">
            {problem}
          </p>
        ) : null}
      </>
    );
    // The badge says what the page shows: the live call, a moment of it, or an imported file.
    const title = (replaying: boolean) => (
      <>
        peerstate playground{' '}
        {imported ? (
          <span className="mode-badge replay" data-testid="mode-badge">
            replay: {imported.name}
          </span>
        ) : replaying ? (
          <span className="mode-badge replay" data-testid="mode-badge">
            replay of the live call · {config.mode}
          </span>
        ) : (
          <span className="mode-badge" data-testid="mode-badge">
            live · {config.mode}
            {config.transport === 'relay' ? ' · relay only' : ''}
          </span>
        )}
      </>
    );
    return (
      <Workspace
        key={
          imported
            ? `import-${imported.name}-${imported.store.session.startedAt}`
            : `call-${call.id}`
        }
        store={store}
        actors={imported ? [] : actors}
        faults={imported ? null : call.faults}
        title={title}
        actions={actions}
      />
    );
  };

  return config.mode === 'in-memory' ? (
    <TwoPeerCall key={call.id} call={call} config={config} render={render} />
  ) : (
    <OneTabCall key={call.id} call={call} config={config} render={render} />
  );
}
