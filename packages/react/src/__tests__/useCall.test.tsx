import { createFakePeerConnectionFactory } from '@peerstatejs/core/testing';
import { act, cleanup, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { type UseCallResult, useCall } from '../index.js';
import { fakeTransports } from './fakeTransport.js';

afterEach(cleanup);

const settle = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));

function Call({
  create,
  report,
}: {
  create: ReturnType<typeof fakeTransports>['create'];
  report: (call: UseCallResult) => void;
}) {
  const call = useCall({
    url: 'ws://127.0.0.1:1',
    room: 'demo',
    peerId: 'alice',
    leaveOnPageHide: false,
    createTransport: create,
    peer: { peerConnection: createFakePeerConnectionFactory(), dev: false },
  });
  report(call);
  return <p data-testid="phase">{`${call.state} ${call.remote} ${call.view?.phase}`}</p>;
}

for (const strict of [false, true]) {
  describe(`useCall${strict ? ' (StrictMode)' : ''}`, () => {
    const wrap = (node: React.ReactNode) => (strict ? <StrictMode>{node}</StrictMode> : node);

    it('joins after mount with one transport, pairs with the remote, shows remote-left, leaves on unmount', async () => {
      const transports = fakeTransports();
      const seen: { latest: UseCallResult | null } = { latest: null };
      const view = render(
        wrap(<Call create={transports.create} report={(c) => (seen.latest = c)} />),
      );
      await settle();
      // StrictMode's simulated remount keeps the one session and its one transport.
      expect(transports.created).toHaveLength(1);
      const transport = transports.created[0];
      if (!transport) throw new Error('no transport');
      act(() => transport.open([]));
      expect(seen.latest).toMatchObject({ state: 'open', remote: null, peer: null });

      act(() => transport.presence({ type: 'joined', peer: 'bob' }));
      // alice < bob: alice is the polite one, decided by the SDK.
      expect(seen.latest).toMatchObject({ remote: 'bob', polite: true });
      expect(view.getByTestId('phase').textContent).toMatch(/^open bob /);

      act(() => transport.presence({ type: 'left', peer: 'bob' }));
      expect(seen.latest?.view).toMatchObject({ phase: 'closed', closeReason: 'remote-left' });

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
      <Call create={transports.create} report={() => {}} />
    </StrictMode>,
  );
  expect(html).toContain('idle null undefined');
  expect(transports.created).toEqual([]);
});
