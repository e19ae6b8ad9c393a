import { createFakePeerConnectionFactory } from '@peerstatejs/core/testing';
import type { Room, RoomEvent } from '@peerstatejs/signaling';
import { act, cleanup, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { type UseRoomResult, useParticipants, useRoom } from '../index.js';
import { fakeTransports } from './fakeTransport.js';

afterEach(cleanup);

const settle = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));

function Tiles({ room }: { room: Room }) {
  const participants = useParticipants(room);
  return <p data-testid="tiles">{participants.map((p) => p.id).join(',')}</p>;
}

function Mesh({
  create,
  report,
  events,
}: {
  create: ReturnType<typeof fakeTransports>['create'];
  report: (room: UseRoomResult) => void;
  events: RoomEvent[];
}) {
  const room = useRoom(
    {
      url: 'ws://127.0.0.1:1',
      room: 'demo',
      peerId: 'zoe',
      leaveOnPageHide: false,
      qualityIntervalMs: 0,
      createTransport: create,
      peer: { peerConnection: createFakePeerConnectionFactory(), dev: false },
    },
    (event) => events.push(event),
  );
  report(room);
  return (
    <>
      <p data-testid="state">{room.state}</p>
      <Tiles room={room.instance} />
    </>
  );
}

for (const strict of [false, true]) {
  describe(`useRoom${strict ? ' (StrictMode)' : ''}`, () => {
    const wrap = (node: React.ReactNode) => (strict ? <StrictMode>{node}</StrictMode> : node);

    it('joins after mount with one transport, a peer per participant, join/leave events, leaves on unmount', async () => {
      const transports = fakeTransports();
      const events: RoomEvent[] = [];
      let latest: UseRoomResult | null = null;
      const view = render(
        wrap(<Mesh create={transports.create} report={(r) => (latest = r)} events={events} />),
      );
      await settle();
      expect(transports.created).toHaveLength(1);
      const transport = transports.created[0];
      if (!transport) throw new Error('no transport');
      act(() => transport.open(['bob', 'carol']));
      expect(view.getByTestId('state').textContent).toBe('open');
      expect(view.getByTestId('tiles').textContent).toBe('bob,carol');
      const current = latest as UseRoomResult | null;
      // zoe > bob, carol: impolite towards both, so their peers are created at once (a polite
      // one waits for the other's offer: the room's own tests).
      expect(current?.participants.map((p) => [p.id, p.polite])).toEqual([
        ['bob', false],
        ['carol', false],
      ]);

      act(() => transport.presence({ type: 'left', peer: 'bob' }));
      expect(view.getByTestId('tiles').textContent).toBe('carol');
      expect(events.map((e) => `${e.type}:${'participant' in e ? e.participant.id : ''}`)).toEqual([
        'joined:bob',
        'joined:carol',
        'left:bob',
      ]);

      view.unmount();
      await settle();
      expect(transport.state).toBe('closed');
      expect(transports.created).toHaveLength(1);
    });
  });
}

it('server rendering connects nothing', () => {
  const transports = fakeTransports();
  const html = renderToString(
    <StrictMode>
      <Mesh create={transports.create} report={() => {}} events={[]} />
    </StrictMode>,
  );
  expect(html).toContain('idle');
  expect(transports.created).toEqual([]);
});
