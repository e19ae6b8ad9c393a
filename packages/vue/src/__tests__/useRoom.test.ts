import { createFakePeerConnectionFactory } from '@peerstatejs/core/testing';
import type { RoomEvent } from '@peerstatejs/signaling';
import { mount } from '@vue/test-utils';
import { expect, it } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { type UseRoomReturn, useParticipants, useRoom } from '../index.js';
import { fakeTransports } from './fakeTransport.js';

function component(
  create: ReturnType<typeof fakeTransports>['create'],
  out: UseRoomReturn[],
  events: RoomEvent[],
) {
  return defineComponent({
    setup() {
      const room = useRoom(
        {
          url: 'ws://127.0.0.1:1',
          room: 'demo',
          peerId: 'bob',
          leaveOnPageHide: false,
          qualityIntervalMs: 0,
          createTransport: create,
          peer: { peerConnection: createFakePeerConnectionFactory(), dev: false },
        },
        (event) => events.push(event),
      );
      const participants = useParticipants(room.instance);
      out.push(room);
      return () => h('p', `${room.state.value} ${participants.value.map((p) => p.id).join(',')}`);
    },
  });
}

it('joins once mounted, a peer per participant, join/leave events, leaves on unmount', async () => {
  const transports = fakeTransports();
  const rooms: UseRoomReturn[] = [];
  const events: RoomEvent[] = [];
  const wrapper = mount(component(transports.create, rooms, events));
  expect(transports.created).toHaveLength(1);
  const transport = transports.created[0];
  const room = rooms[0];
  if (!transport || !room) throw new Error('not mounted');
  transport.open(['alice', 'abe']);
  // bob > alice, abe: impolite towards both, so their peers are created at once (a polite one
  // waits for the other's offer: the room's own tests).
  expect(room.participants.value.map((p) => [p.id, p.polite])).toEqual([
    ['alice', false],
    ['abe', false],
  ]);
  await wrapper.vm.$nextTick();
  expect(wrapper.text()).toBe('open alice,abe');
  transport.presence({ type: 'left', peer: 'alice' });
  await wrapper.vm.$nextTick();
  expect(wrapper.text()).toBe('open abe');
  expect(events.map((e) => `${e.type}:${'participant' in e ? e.participant.id : ''}`)).toEqual([
    'joined:alice',
    'joined:abe',
    'left:alice',
  ]);
  wrapper.unmount();
  expect(transport.state).toBe('closed');
});

it('server rendering connects nothing', async () => {
  const transports = fakeTransports();
  const html = await renderToString(createSSRApp(component(transports.create, [], [])));
  expect(html).toContain('idle ');
  expect(transports.created).toEqual([]);
});
