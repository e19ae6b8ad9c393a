import type { WebSocketSignaling, WebSocketSignalingState } from '@peerstatejs/signaling';
import { useEffect, useState } from 'react';

/** How long without a server before the page says how to start one. */
const NO_SERVER_HINT_MS = 2500;

/**
 * The WebSocket room channel as it is: its state, who else is in the room, and, when no server
 * answers, how to start the reference one (the call otherwise just sits in `negotiating`).
 */
export function SignalingStatus({ channel, url }: { channel: WebSocketSignaling; url: string }) {
  const [state, setState] = useState<WebSocketSignalingState>(channel.state);
  const [peers, setPeers] = useState<readonly string[]>(channel.peers);
  const [everJoined, setEverJoined] = useState(channel.state === 'open');
  const [waited, setWaited] = useState(false);
  useEffect(() => {
    const offState = channel.onStateChange((next) => {
      setState(next);
      setPeers(channel.peers);
      if (next === 'open') setEverJoined(true);
    });
    const offPresence = channel.onPresence(() => setPeers(channel.peers));
    const timer = setTimeout(() => setWaited(true), NO_SERVER_HINT_MS);
    return () => {
      offState();
      offPresence();
      clearTimeout(timer);
    };
  }, [channel]);
  return (
    <div className="signaling-status" data-testid="signaling-status" data-state={state}>
      <span>
        WebSocket <b data-testid="signaling-state">{state}</b> · room <code>{channel.room}</code> ·
        me <code title={channel.peerId}>{channel.peerId.slice(0, 8)}</code> · in the room:{' '}
        <span data-testid="room-peers" data-count={peers.length}>
          {peers.length === 0
            ? 'nobody else'
            : peers.map((peer) => (
                <code key={peer} title={peer}>
                  {peer.slice(0, 8)}{' '}
                </code>
              ))}
        </span>
        {channel.pending > 0 ? ` · ${channel.pending} unacknowledged` : ''}
      </span>
      {!everJoined && waited && state !== 'open' ? (
        <p className="notice" role="status" data-testid="no-server">
          No signaling server answers at <code>{url}</code>. Start the reference server at the
          repository root with <code>npm run signaling-server</code> (it listens on
          ws://127.0.0.1:8787), then this page joins by itself.
        </p>
      ) : null}
    </div>
  );
}
