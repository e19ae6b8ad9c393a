/**
 * A rebuild replaces the peer connection and its channels: a transfer under way fails with
 * `interrupted` on both ends (it does not resume), and the typed channel carries on over the
 * new RTCDataChannel.
 */
import { describe, expect, it } from 'vitest';
import {
  bothConnected,
  bothSettled,
  CONNECTED,
  closeAndExpectNoLeaks,
  createTestCall,
  until,
} from '../../machine/__tests__/call.js';
import type { FakePeerConnection } from '../../testing/index.js';
import { dataChannel } from '../channel.js';
import { text } from '../codec.js';
import type { IncomingTransfer } from '../incoming.js';
import { eventually, pattern, rejection, resolved } from './helpers.js';

const fast = {
  iceRestart: { disconnectedGracePeriod: 30, initialDelay: 40, factor: 1, maxAttempts: 2 },
  rebuild: { maxAttempts: 2, timeout: 500 },
};

describe('typed channel across a rebuild', () => {
  it('fails the transfer under way with interrupted, then carries messages on the new channel', async () => {
    const call = createTestCall({ a: fast, b: fast, network: { latencyMs: 5 } });
    const a = dataChannel(call.a.actor, 'chat', {
      codec: text,
      chunkSize: 1024,
      lowWaterMark: 2048,
    });
    const b = dataChannel(call.b.actor, 'chat', { codec: text });
    const got: string[] = [];
    const incoming: IncomingTransfer[] = [];
    b.on('message', (m) => got.push(m));
    b.on('transfer', (t) => incoming.push(t));
    const states: string[] = [];
    a.on('close', () => states.push(a.state));
    a.on('open', () => states.push(a.state));
    await bothConnected(call);
    await bothSettled(call);
    await resolved(a.send('before'));

    const transfer = a.sendTransfer(pattern(500_000));
    await eventually(() => (incoming[0]?.received ?? 0) > 0);
    (call.network.peer('a') as FakePeerConnection).failDtls();
    expect((await rejection(transfer.done)).reason).toBe('interrupted');
    expect((await rejection((incoming[0] as IncomingTransfer).done)).reason).toBe('interrupted');

    // Sent while the connection is rebuilt: queued for the new channel.
    const during = a.send('during');
    await until(call.a, (s) => s.context.epoch === 1 && s.matches(CONNECTED));
    await resolved(during);
    await resolved(a.send('after'));
    await eventually(() => got.length === 3);
    expect(got).toEqual(['before', 'during', 'after']);
    expect(states).toEqual(['open', 'connecting', 'open']);
    await closeAndExpectNoLeaks(call);
  });
});
