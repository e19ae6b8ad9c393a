import { PeerVideo, useParticipants, useRoom } from '@peerstatejs/react';
import type { Participant, Room, RoomEvent } from '@peerstatejs/signaling';
import { type FormEvent, useState } from 'react';

// ?url=ws://127.0.0.1:8787&room=demo&name=ann: the reference server (apps/signaling-server).
const params = new URLSearchParams(location.search);
const URL_ = params.get('url') ?? 'ws://127.0.0.1:8787';
const ROOM = params.get('room') ?? 'demo';
const NAME = params.get('name') ?? `guest-${Math.random().toString(36).slice(2, 6)}`;

interface Line {
  readonly from: string;
  readonly text: string;
}

function Tile({ participant }: { participant: Participant }) {
  const { id, view, quality } = participant;
  return (
    <figure data-participant={id}>
      <PeerVideo stream={view.remoteStreams[0] ?? null} />
      <figcaption>
        {id} · <b data-testid={`phase-${id}`}>{view.phase}</b>
        {quality?.receive.level ? ` · ${quality.receive.level}` : ''}
        {view.closeReason ? ` · ${view.closeReason}` : ''}
      </figcaption>
    </figure>
  );
}

function Grid({ room, local }: { room: Room; local: MediaStream | null }) {
  const participants = useParticipants(room);
  return (
    <div className="grid">
      <figure>
        <PeerVideo stream={local} muted />
        <figcaption>{room.peerId} (you)</figcaption>
      </figure>
      {participants.map((p) => (
        <Tile key={p.id} participant={p} />
      ))}
    </div>
  );
}

function Call({ onLeave }: { onLeave: () => void }) {
  const [lines, setLines] = useState<readonly Line[]>([]);
  const [draft, setDraft] = useState('');
  const add = (line: Line) => setLines((all) => [...all.slice(-99), line]);
  const room = useRoom(
    {
      url: URL_,
      room: ROOM,
      peerId: NAME,
      media: { audio: true, video: { width: 320, height: 240, frameRate: 15 } },
    },
    (event: RoomEvent) => {
      if (event.type === 'data') add({ from: event.from, text: String(event.data) });
      if (event.type === 'joined') add({ from: '·', text: `${event.participant.id} joined` });
      if (event.type === 'left') add({ from: '·', text: `${event.participant.id} left` });
      if (event.type === 'error') add({ from: '!', text: event.error.message });
    },
  );
  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    room.broadcast(draft);
    add({ from: NAME, text: draft });
    setDraft('');
  };
  return (
    <>
      <p>
        room <b>{ROOM}</b> · <span data-testid="state">{room.state}</span> ·{' '}
        {room.participants.length} other(s){' '}
        <button type="button" onClick={() => room.setMuted('audio', !room.muted.audio)}>
          {room.muted.audio ? 'unmute' : 'mute'}
        </button>
        <button type="button" onClick={() => room.setMuted('video', !room.muted.video)}>
          {room.muted.video ? 'camera on' : 'camera off'}
        </button>
        <button type="button" onClick={onLeave}>
          leave
        </button>
      </p>
      {room.error ? <p role="alert">{room.error.message}</p> : null}
      <Grid room={room.instance} local={room.localStream} />
      <form className="chat" onSubmit={send}>
        <ol>
          {lines.map((line, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an append-only log
            <li key={index}>
              <b>{line.from}</b> {line.text}
            </li>
          ))}
        </ol>
        <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="message" />
        <button type="submit">send to all</button>
      </form>
    </>
  );
}

export function App() {
  const [inCall, setInCall] = useState(true);
  return inCall ? (
    <Call onLeave={() => setInCall(false)} />
  ) : (
    <button type="button" onClick={() => setInCall(true)}>
      join {ROOM} again
    </button>
  );
}
