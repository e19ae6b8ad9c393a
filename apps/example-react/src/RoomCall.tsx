import { PeerVideo, useCall } from '@peerstatejs/react';

/** A 1:1 video call in a room of the reference server: open it in two tabs. */
export function RoomCall({ url, room }: { url: string; room: string }) {
  const call = useCall({ url, room, media: { audio: true, video: true } });
  const { view } = call;
  return (
    <section data-testid="room-call">
      <p>
        Room {room}: signaling <b data-testid="signaling">{call.state}</b>, remote{' '}
        <b data-testid="remote">{call.remote ?? 'not here yet'}</b>, call{' '}
        <b data-testid="phase">{view?.phase ?? 'waiting'}</b>
        {view?.closeReason ? ` (${view.closeReason})` : ''}
      </p>
      <PeerVideo data-testid="local-video" stream={view?.localStreams[0]} muted />
      <PeerVideo data-testid="remote-video" stream={view?.remoteStreams[0]} />
      <button type="button" onClick={() => call.close()}>
        Hang up
      </button>
    </section>
  );
}
