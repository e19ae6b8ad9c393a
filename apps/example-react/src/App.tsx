import { createInMemorySignalingPair, type SignalingChannel } from '@peerstatejs/core';
import { mediaControls } from '@peerstatejs/core/media-controls';
import { PeerVideo, usePeer } from '@peerstatejs/react';
import { useState } from 'react';
import { MediaControls } from './MediaControls.js';
import { RoomCall } from './RoomCall.js';

/** One side of the call: everything it shows comes from `usePeer`. */
function PeerPanel({
  name,
  signaling,
  polite,
}: {
  name: string;
  signaling: SignalingChannel;
  polite: boolean;
}) {
  const [log, setLog] = useState<string[]>([]);
  const write = (line: string) => setLog((lines) => [...lines, line]);
  const peer = usePeer(
    // The media controls (mute, device switch, screen share) are an opt-in entry of core.
    { signaling, polite, id: name, mediaControls },
    {
      on: {
        data: ({ label, data }) => write(`← [${label}] ${String(data)}`),
        error: ({ error }) => write(`error ${error.code}: ${error.message}`),
      },
    },
  );
  const chatOpen = peer.dataChannels.some((c) => c.label === 'chat' && c.readyState === 'open');
  const send = () => {
    const text = `hello from ${name}`;
    peer.sendData('chat', text);
    write(`→ [chat] ${text}`);
  };

  return (
    <section data-peer={name}>
      <h2>
        {name} ({polite ? 'polite' : 'impolite'})
      </h2>
      <p>
        Phase: <b data-testid="phase">{peer.phase}</b>
        {peer.error ? ` · last error: ${peer.error.code}` : ''}
      </p>
      <div>
        <button type="button" onClick={() => peer.startMedia({ audio: true, video: true })}>
          Start camera + mic
        </button>
        <button type="button" onClick={() => peer.createDataChannel('chat')}>
          Open data channel
        </button>
        <button type="button" onClick={send} disabled={!chatOpen}>
          Send hello
        </button>
        <button type="button" onClick={peer.restartIce}>
          Restart ICE
        </button>
        <button type="button" onClick={() => peer.close()}>
          Hang up
        </button>
      </div>
      <MediaControls actor={peer.actor} />
      <PeerVideo data-testid="local-video" stream={peer.localStreams[0]} muted />{' '}
      <PeerVideo data-testid="remote-video" stream={peer.remoteStreams[0]} muted />
      <h3>Data channels</h3>
      <ul data-testid="channels">
        {peer.dataChannels.map((c) => (
          <li key={`${c.origin}:${c.label}`}>
            {c.label} ({c.origin}): {c.readyState}
          </li>
        ))}
      </ul>
      <h3>Messages and errors</h3>
      <pre data-testid="log">{log.join('\n')}</pre>
    </section>
  );
}

/**
 * `?room=demo` (and `&server=ws://…`, default the reference server's `ws://127.0.0.1:8787`): a
 * call through the signaling server, one peer per tab. Otherwise both peers in this page.
 */
export function App() {
  const params = new URLSearchParams(window.location.search);
  const room = params.get('room');
  if (room) return <RoomCall url={params.get('server') ?? 'ws://127.0.0.1:8787'} room={room} />;
  return <TwoPeers />;
}

/** Two peers over in-memory signaling; leaving unmounts both, which closes the call. */
function TwoPeers() {
  const [call, setCall] = useState(() => createInMemorySignalingPair());
  const [joined, setJoined] = useState(true);
  const rejoin = () => {
    setCall(createInMemorySignalingPair());
    setJoined(true);
  };
  return (
    <>
      <h1>peerstate + React</h1>
      <p>
        Two peers in one page over in-memory signaling. Every state comes from the SDK's machines
        through <code>usePeer</code>.{' '}
        <button type="button" onClick={joined ? () => setJoined(false) : rejoin}>
          {joined ? 'Leave call (unmount both)' : 'Join again'}
        </button>
      </p>
      {joined ? (
        <main>
          <PeerPanel name="Alice" signaling={call[0]} polite={false} />
          <PeerPanel name="Bob" signaling={call[1]} polite />
        </main>
      ) : null}
      <footer data-testid="build">
        {import.meta.env.DEV ? 'development build (StrictMode mounts twice)' : 'production build'}
      </footer>
    </>
  );
}
