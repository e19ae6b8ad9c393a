import { describe, expect, it } from 'vitest';
import { bothConnected, closeAndExpectNoLeaks, createTestCall, until } from './call.js';

describe('data channels', () => {
  it('creates a channel, announces it remotely, and carries messages both ways in order', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat', options: { ordered: true } });
    expect(call.a.actor.getSnapshot().context.dataChannels[0]).toMatchObject({
      label: 'chat',
      origin: 'local',
      readyState: 'connecting',
    });
    await bothConnected(call);
    await until(call.a, (s) => s.context.dataChannels[0]?.readyState === 'open');
    const b = await until(call.b, (s) => s.context.dataChannels[0]?.readyState === 'open');
    expect(b.context.dataChannels[0]).toMatchObject({ label: 'chat', origin: 'remote' });
    expect(call.b.emitted.filter((e) => e.type === 'dataChannel')).toHaveLength(1);

    for (let i = 0; i < 20; i++)
      call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: `m${i}` });
    call.b.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'pong' });
    await until(call.b, () => call.b.emitted.filter((e) => e.type === 'data').length === 20);
    await until(call.a, () => call.a.emitted.some((e) => e.type === 'data'));
    const received = call.b.emitted.flatMap((e) => (e.type === 'data' ? [e.data] : []));
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(call.a.emitted.find((e) => e.type === 'data')).toMatchObject({
      label: 'chat',
      data: 'pong',
    });
    await closeAndExpectNoLeaks(call);
  });

  it('reflects a channel closed by the remote', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(call.b, (s) => s.context.dataChannels[0]?.readyState === 'open');
    call.a.actor.getSnapshot().context.dataChannels[0]?.channel.close();
    await until(call.b, (s) => s.context.dataChannels[0]?.readyState === 'closed');
    await until(call.a, (s) => s.context.dataChannels[0]?.readyState === 'closed');
    await closeAndExpectNoLeaks(call);
  });

  it('reports SEND_DATA to a label with no channel as DATA_CHANNEL_FAILED; one before open waits (outbox.test.ts)', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'SEND_DATA', label: 'nope', data: 'x' });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'early' });
    expect(call.a.errors.map((e) => e.code)).toEqual(['DATA_CHANNEL_FAILED']);
    expect(call.a.errors[0]?.message).toMatch(/no channel with this label/);
    await bothConnected(call);
    await until(call.b, () => call.b.emitted.some((e) => e.type === 'data'));
    expect(call.a.errors).toHaveLength(1);
    await closeAndExpectNoLeaks(call);
  });

  it('reports a channel the engine refuses to create', async () => {
    const call = createTestCall();
    // Two negotiated channels may not share an id.
    call.a.actor.send({
      type: 'CREATE_DATA_CHANNEL',
      label: 'x',
      options: { negotiated: true, id: 3 },
    });
    call.a.actor.send({
      type: 'CREATE_DATA_CHANNEL',
      label: 'y',
      options: { negotiated: true, id: 3 },
    });
    expect(call.a.errors.map((e) => e.code)).toEqual(['DATA_CHANNEL_FAILED']);
    expect(call.a.actor.getSnapshot().context.dataChannels).toHaveLength(1);
    await closeAndExpectNoLeaks(call);
  });
});
