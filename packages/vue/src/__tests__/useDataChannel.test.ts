import { createPeer } from '@peerstatejs/core';
import { json } from '@peerstatejs/core/channel';
import { describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import { useDataChannel } from '../index.js';
import { fakeCall } from './fakeCall.js';

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Chat {
  readonly text: string;
}

describe('useDataChannel', () => {
  it('queues a send made in setup, delivers it typed, and closes with the scope', async () => {
    const call = fakeCall();
    const a = createPeer(call.caller).start();
    const b = createPeer(call.callee).start();
    const scope = effectScope();
    const refs = scope.run(() => {
      const sender = useDataChannel<Chat>(a, 'chat', { codec: json<Chat>() });
      const receiver = useDataChannel<Chat>(b, 'chat', { codec: json<Chat>() });
      // As in `<script setup>`: sent before anything is connected.
      const sent = sender.send({ text: 'early' });
      return { sender, receiver, sent };
    });
    if (!refs) throw new Error('no refs');
    expect(refs.sender.state.value).toBe('connecting');
    await refs.sent;
    expect(refs.sender.state.value).toBe('open');
    await until(() => refs.receiver.last.value !== null);
    expect(refs.receiver.last.value).toEqual({ text: 'early' });
    scope.stop();
    expect(refs.sender.state.value).toBe('closed');
    await expect(refs.sender.send({ text: 'late' })).rejects.toMatchObject({ reason: 'closed' });
    a.stop();
    b.stop();
  });
});
