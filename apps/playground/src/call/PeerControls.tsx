import type { PeerActor } from '@peerstatejs/core';
import { usePeer } from '@peerstatejs/react';
import { type FormEvent, useState } from 'react';
import { breakConnection, stopTrack, switchCamera } from './mediaActions.js';

export const CHAT_LABEL = 'chat';

/** The commands a user sends one peer. State shown next to them comes from `usePeer`. */
export function PeerControls({ actor, name }: { actor: PeerActor; name: string }) {
  const peer = usePeer(actor);
  const [draft, setDraft] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const active = peer.snapshot.status === 'active' && !peer.isClosed && peer.phase !== 'starting';
  const chatOpen = peer.dataChannels.some(
    (channel) => channel.label === CHAT_LABEL && channel.readyState === 'open',
  );
  const sendingVideo = peer.localTracks.some(
    (entry) => entry.track.kind === 'video' && entry.sending && !entry.ended,
  );
  const attempt = (work: () => Promise<void>) => {
    setNotice(null);
    work().catch((error: unknown) => setNotice(String((error as Error).message ?? error)));
  };
  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    peer.sendData(CHAT_LABEL, draft);
    setDraft('');
  };

  return (
    <fieldset className="controls plain">
      <legend className="visually-hidden">{name} commands</legend>
      <div className="buttons">
        <button
          type="button"
          disabled={!active || peer.localTracks.length > 0}
          onClick={() => peer.startMedia({ audio: true, video: { width: 640, height: 480 } })}
        >
          Start camera + mic
        </button>
        <button
          type="button"
          disabled={!active || !sendingVideo}
          onClick={() => attempt(() => switchCamera(actor))}
        >
          Switch camera
        </button>
        <button
          type="button"
          disabled={!active || peer.dataChannels.some((c) => c.label === CHAT_LABEL)}
          onClick={() => peer.createDataChannel(CHAT_LABEL)}
        >
          Open data channel
        </button>
        <button type="button" disabled={!active} onClick={peer.restartIce}>
          Restart ICE
        </button>
        <button
          type="button"
          className="danger"
          disabled={!active}
          title="Closes this side's RTCPeerConnection without telling the machine, as when its process dies: the other side's ICE consent checks go unanswered (about 5 s), it goes disconnected, restarts ICE with backoff and, when restarts cannot help, asks for a rebuild: both sides create a new peer connection and the call comes back."
          onClick={() => breakConnection(actor)}
        >
          Break connection
        </button>
        <button
          type="button"
          disabled={peer.isClosed}
          onClick={() => peer.close({ stopTracks: true })}
        >
          Close
        </button>
      </div>
      <div className="row">
        {peer.localTracks.length > 0 ? (
          <ul className="tracks" aria-label={`${name} local tracks`}>
            {peer.localTracks.map((entry) => (
              <li key={entry.track.id}>
                {entry.track.kind} <span className="muted">{entry.track.label}</span>
                {entry.sending ? '' : ' (not sending)'}{' '}
                <button
                  type="button"
                  className="small"
                  disabled={!active}
                  onClick={() => attempt(() => stopTrack(actor, entry.track))}
                >
                  Stop {entry.track.kind}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <form className="chat-form" onSubmit={send}>
          <label>
            <span className="visually-hidden">{name} chat message</span>
            <input
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              placeholder={chatOpen ? 'Message' : 'Open a data channel to chat'}
              disabled={!chatOpen}
            />
          </label>
          <button type="submit" disabled={!chatOpen || !draft}>
            Send
          </button>
        </form>
      </div>
      {notice ? (
        <p className="notice" role="alert">
          {notice}
        </p>
      ) : null}
    </fieldset>
  );
}
