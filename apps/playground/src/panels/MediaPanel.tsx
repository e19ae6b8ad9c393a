import type { PeerActor } from '@peerstatejs/core';
import type { ContextProjection, SessionEntry, StatsSample } from '@peerstatejs/core/recorder';
import { PeerVideo, usePeer } from '@peerstatejs/react';
import { useMemo } from 'react';
import { formatAt } from './format.js';

/** The live videos: what this peer sends (its current local tracks) and what it receives. */
function LiveVideos({ actor }: { actor: PeerActor }) {
  const { localTracks, remoteStreams } = usePeer(actor);
  const sending = localTracks.filter((entry) => entry.sending && !entry.ended);
  const trackKey = sending.map((entry) => entry.track.id).join();
  // After REPLACE_TRACK the capture stream still holds the old track: show the sent ones.
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt when the sent tracks change
  const local = useMemo(
    () => (sending.length ? new MediaStream(sending.map((entry) => entry.track)) : null),
    [trackKey],
  );
  return (
    <div className="videos">
      <figure>
        <PeerVideo data-testid="local-video" stream={local} muted />
        <figcaption>local (sent)</figcaption>
      </figure>
      <figure>
        <PeerVideo data-testid="remote-video" stream={remoteStreams[0]} muted />
        <figcaption>remote (received)</figcaption>
      </figure>
    </div>
  );
}

/**
 * Whether media arrives, from the stats sampler: engines keep `muted` set in cases where frames
 * are decoded (Chromium after a glare rollback), so the flag alone shows black for a working call.
 */
function flowText(flowing: boolean | null | undefined): string {
  if (flowing === true) return ' · media flowing';
  if (flowing === false) return ' · no media arriving';
  return '';
}

function TrackList({
  context,
  stats,
}: {
  context: ContextProjection | undefined;
  stats: StatsSample | undefined;
}) {
  if (!context) return null;
  const flowOf = (id: string) => stats?.inbound?.find((s) => s.trackIdentifier === id)?.flowing;
  return (
    <ul className="track-list">
      {context.localTracks.map((track) => (
        <li key={`l-${track.id}`}>
          sends {track.kind} {track.settings} <span className="muted">{track.label}</span>
          {track.sending ? '' : ' (not sending)'}
          {track.ended ? ' (ended)' : ''}
        </li>
      ))}
      {context.remoteTracks.map((track) => (
        <li
          key={`r-${track.id}`}
          data-testid="remote-track"
          data-kind={track.kind}
          data-flowing={String(flowOf(track.id) ?? 'unknown')}
        >
          receives {track.kind} (mid {track.mid ?? '?'}){track.muted ? ' muted' : ''}
          {track.ended ? ' (ended)' : ''}
          {flowText(flowOf(track.id))}
        </li>
      ))}
      {context.localTracks.length + context.remoteTracks.length === 0 ? (
        <li className="muted">No tracks.</li>
      ) : null}
    </ul>
  );
}

function messageText(entry: SessionEntry): string {
  const detail = entry.detail;
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return '';
  const data = detail.data;
  return typeof data === 'string' ? data : JSON.stringify(data);
}

export interface MediaPanelProps {
  readonly actor: PeerActor | null;
  readonly context: ContextProjection | undefined;
  readonly entries: readonly SessionEntry[];
  /** The newest stats sample at the cursor. */
  readonly stats: StatsSample | undefined;
}

/** Videos (live only), the tracks at the cursor, and the chat as the machine saw it. */
export function MediaPanel({ actor, context, entries, stats }: MediaPanelProps) {
  const chat = entries.filter(
    (entry) => entry.type === 'SEND_DATA' || entry.type === 'pc.dataChannelMessage',
  );
  return (
    <div className="media-panel">
      {actor ? (
        <LiveVideos actor={actor} />
      ) : (
        <p className="muted">Replay: no media, only what the machine knew about its tracks.</p>
      )}
      <TrackList context={context} stats={stats} />
      <h4>Chat</h4>
      <ol className="chat-log" data-testid="chat-log">
        {chat.map((entry) => (
          <li key={entry.seq}>
            <span className="muted">{formatAt(entry.at)}</span>{' '}
            {entry.type === 'SEND_DATA' ? '→ ' : '← '}
            {messageText(entry)}
          </li>
        ))}
      </ol>
    </div>
  );
}
