/**
 * The room view (`?view=room`): participants of one mesh in this page, each running
 * `createRoom` over the in-page room server, each a tile with its picture, what it receives from
 * every other, its controls (mute, camera switch, leave) and its chat; below, every link of the
 * mesh (a pair and its two machines) in the playground's inspectors.
 * @module
 */

import { PeerVideo, useParticipants, usePeer } from '@peerstatejs/react';
import type { Participant } from '@peerstatejs/signaling';
import { type FormEvent, useEffect, useState, useSyncExternalStore } from 'react';
import { Workspace } from '../Workspace.js';
import { type LocalParticipant, PARTICIPANT_NAMES, type RoomPlayground } from './roomPlayground.js';
import { resumeAudio } from './syntheticMedia.js';
import { useInboundMedia } from './useInboundMedia.js';
import './room.css';

/** How many join when the view opens: three pairs to look at. */
const INITIAL_PARTICIPANTS = 3;

function Remote({ participant, onInspect }: { participant: Participant; onInspect: () => void }) {
  const { phase, remoteStreams } = usePeer(participant.peer);
  const inbound = useInboundMedia(participant.peer, remoteStreams[0] ?? null);
  return (
    <figure className="room-remote" data-remote={participant.id}>
      {/* Muted: six tones at once help nobody; the level below says the audio arrives. */}
      <PeerVideo stream={remoteStreams[0] ?? null} muted data-testid="remote-video" />
      <figcaption>
        {participant.id}{' '}
        <span className={`phase phase-${phase}`} data-testid="phase">
          {phase}
        </span>{' '}
        <span className="muted">{participant.polite ? 'polite' : 'impolite'}</span>
        <br />
        <span
          className="muted"
          data-testid="inbound"
          data-frames={inbound.framesDecoded}
          data-audio-packets={inbound.audioPackets}
          data-audio-level={inbound.audioLevel ?? ''}
        >
          {inbound.framesDecoded} frames · {inbound.audioPackets} audio pkts · level{' '}
          {inbound.audioLevel === null ? '—' : inbound.audioLevel.toFixed(3)}
        </span>{' '}
        <button type="button" onClick={onInspect}>
          Inspect
        </button>
      </figcaption>
    </figure>
  );
}

function Tile({
  local,
  playground,
  onInspect,
}: {
  local: LocalParticipant;
  playground: RoomPlayground;
  onInspect: (a: string, b: string) => void;
}) {
  const { room, media } = local;
  const snapshot = useSyncExternalStore(room.subscribe, room.getSnapshot);
  const participants = useParticipants(room);
  const [draft, setDraft] = useState('');
  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    room.broadcast(draft);
    setDraft('');
  };
  return (
    <section className="room-tile" data-participant={local.id} aria-label={local.id}>
      <h2>
        {local.id}{' '}
        <span className="muted" data-testid="room-state">
          {snapshot.state}
        </span>
      </h2>
      <div className="buttons">
        {(['audio', 'video'] as const).map((kind) => (
          <button
            key={kind}
            type="button"
            aria-pressed={snapshot.muted[kind]}
            onClick={() => room.setMuted(kind, !snapshot.muted[kind])}
          >
            {snapshot.muted[kind] ? `Unmute ${kind}` : `Mute ${kind}`}
          </button>
        ))}
        <button
          type="button"
          onClick={() => media.switchCamera((track) => room.replaceTrack(track))}
          title="Sends the other drawn camera to everyone (REPLACE_TRACK on each peer: no renegotiation)"
        >
          Switch camera
        </button>
        <button type="button" onClick={() => playground.remove(local.id)}>
          Leave
        </button>
      </div>
      <PeerVideo
        stream={snapshot.localStream}
        muted
        className="room-local"
        data-testid="local-video"
      />
      <div className="room-remotes">
        {participants.map((participant) => (
          <Remote
            key={`${participant.id}-${participant.peer.id}`}
            participant={participant}
            onInspect={() => onInspect(local.id, participant.id)}
          />
        ))}
      </div>
      <ol className="room-chat" aria-label={`${local.id} chat`}>
        {local.chat.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are only appended
          <li key={index}>
            <b>{line.from}</b> {line.data}
          </li>
        ))}
      </ol>
      <form onSubmit={send}>
        <input
          value={draft}
          size={14}
          aria-label={`${local.id} message`}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit">Send to all</button>
      </form>
    </section>
  );
}

export function RoomView({ playground }: { playground: RoomPlayground }) {
  const participants = useSyncExternalStore(playground.subscribe, playground.participants);
  const links = useSyncExternalStore(playground.links.subscribe, playground.links.list);
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    // Idempotent, so StrictMode's second effect adds nobody.
    while (playground.participants().length < INITIAL_PARTICIPANTS && playground.add());
  }, [playground]);
  // The newest link of the selected pair, or the first link while nothing is selected.
  const link =
    links.findLast((l) => selected !== null && l.ids.join('|') === selected) ?? links[0] ?? null;
  const inspect = (a: string, b: string) => setSelected(a < b ? `${a}|${b}` : `${b}|${a}`);
  return (
    <div className="room-view">
      <header className="top">
        <h1>
          peerstate playground{' '}
          <span className="mode-badge" data-testid="mode-badge">
            live · room · in-memory
          </span>
        </h1>
        <div className="top-actions buttons">
          <button
            type="button"
            disabled={participants.length >= PARTICIPANT_NAMES.length}
            onClick={() => {
              resumeAudio();
              playground.add();
            }}
          >
            Add participant
          </button>
          <a href="?">Two-peer call</a>
        </div>
      </header>
      <div className="room-grid">
        {participants.map((local) => (
          <Tile key={local.id} local={local} playground={playground} onInspect={inspect} />
        ))}
      </div>
      <nav className="room-links buttons" aria-label="Links">
        {links.map((l) => (
          <button
            key={l.id}
            type="button"
            aria-pressed={l === link}
            data-link={l.id}
            onClick={() => setSelected(l.ids.join('|'))}
          >
            {l.id}
            {l.actors.every((actor) => actor === null) ? ' (ended)' : ''}
          </button>
        ))}
      </nav>
      {link ? (
        <Workspace
          key={link.id}
          store={link.recorder}
          actors={link.actors}
          faults={null}
          title={() => <>Link {link.id}</>}
          actions={null}
        />
      ) : null}
    </div>
  );
}
