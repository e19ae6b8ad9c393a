import { createPeer, type PeerActor } from '@peerstatejs/core';
import { json, type TypedChannelState } from '@peerstatejs/core/channel';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { type UseDataChannelResult, useDataChannel } from '../index.js';
import { fakeCall } from './fakeCall.js';

afterEach(cleanup);

interface Chat {
  readonly text: string;
}

function Chatter(props: {
  readonly actor: PeerActor;
  readonly got: Chat[];
  readonly states: TypedChannelState[];
  readonly report: (result: UseDataChannelResult<Chat>) => void;
}) {
  const result = useDataChannel<Chat>(props.actor, 'chat', {
    codec: json<Chat>(),
    onMessage: (m) => props.got.push(m),
  });
  props.states.push(result.state);
  props.report(result);
  return null;
}

function pair() {
  const call = fakeCall();
  const a = createPeer(call.caller).start();
  const b = createPeer(call.callee).start();
  return { a, b };
}

for (const strict of [false, true]) {
  describe(`useDataChannel${strict ? ' (StrictMode)' : ''}`, () => {
    it('sends and receives typed messages, follows the state, closes on unmount', async () => {
      const { a, b } = pair();
      const got: Chat[] = [];
      const states: TypedChannelState[] = [];
      let sender: UseDataChannelResult<Chat> | undefined;
      const wrap = (node: React.ReactNode) => (strict ? <StrictMode>{node}</StrictMode> : node);
      const view = render(
        wrap(
          <>
            <Chatter actor={a} got={[]} states={states} report={(r) => (sender = r)} />
            <Chatter actor={b} got={got} states={[]} report={() => {}} />
          </>,
        ),
      );
      await waitFor(() => expect(sender?.state).toBe('open'));
      await act(() => sender?.send({ text: 'hello' }));
      await waitFor(() => expect(got).toEqual([{ text: 'hello' }]));
      expect(states).toContain('connecting');
      const channel = sender?.channel;
      view.unmount();
      expect(channel?.state).toBe('closed');
      const error = await sender?.send({ text: 'late' }).catch((e: { reason: string }) => e);
      expect(error).toMatchObject({ reason: 'closed' });
      a.stop();
      b.stop();
    });
  });
}

function Probe(props: { readonly actor: PeerActor; readonly seen: UseDataChannelResult<Chat>[] }) {
  props.seen.push(useDataChannel<Chat>(props.actor, 'chat', { codec: json<Chat>() }));
  return null;
}

describe('useDataChannel before mount', () => {
  it('rejects a send with closed while there is no channel', async () => {
    const { a, b } = pair();
    const seen: UseDataChannelResult<Chat>[] = [];
    render(<Probe actor={a} seen={seen} />);
    const first = seen[0];
    expect(first?.channel).toBeNull();
    await expect(first?.send({ text: 'x' })).rejects.toMatchObject({ reason: 'closed' });
    a.stop();
    b.stop();
  });
});
