import { createFakePeerConnectionFactory } from '@peerstatejs/core/testing';
import { mount } from '@vue/test-utils';
import { expect, it } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { type UseCallReturn, useCall } from '../index.js';
import { fakeTransports } from './fakeTransport.js';

function component(create: ReturnType<typeof fakeTransports>['create'], out: UseCallReturn[]) {
  return defineComponent({
    setup() {
      const call = useCall({
        url: 'ws://127.0.0.1:1',
        room: 'demo',
        peerId: 'bob',
        leaveOnPageHide: false,
        createTransport: create,
        peer: { peerConnection: createFakePeerConnectionFactory(), dev: false },
      });
      out.push(call);
      return () => h('p', `${call.state.value} ${call.remote.value} ${call.view.value?.phase}`);
    },
  });
}

it('joins once mounted, pairs with the remote, shows remote-left, leaves on unmount', async () => {
  const transports = fakeTransports();
  const calls: UseCallReturn[] = [];
  const wrapper = mount(component(transports.create, calls));
  expect(transports.created).toHaveLength(1);
  const transport = transports.created[0];
  const call = calls[0];
  if (!transport || !call) throw new Error('not mounted');
  transport.open(['alice']);
  // bob > alice: bob is the impolite one, decided by the SDK.
  expect([call.state.value, call.remote.value, call.polite.value]).toEqual([
    'open',
    'alice',
    false,
  ]);
  await wrapper.vm.$nextTick();
  expect(wrapper.text()).toMatch(/^open alice /);
  transport.presence({ type: 'left', peer: 'alice' });
  expect(call.view.value).toMatchObject({ phase: 'closed', closeReason: 'remote-left' });
  wrapper.unmount();
  expect(transport.state).toBe('closed');
});

it('server rendering connects nothing', async () => {
  const transports = fakeTransports();
  const html = await renderToString(createSSRApp(component(transports.create, [])));
  expect(html).toContain('idle null undefined');
  expect(transports.created).toEqual([]);
});
