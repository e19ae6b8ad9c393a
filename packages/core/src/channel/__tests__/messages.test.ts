import { describe, expect, it } from 'vitest';
import {
  bothConnected,
  closeAndExpectNoLeaks,
  createTestCall,
  until,
} from '../../machine/__tests__/call.js';
import { dataChannel } from '../channel.js';
import { binary, json, text } from '../codec.js';
import type { ChannelError } from '../errors.js';
import { eventually, localChannel, rejection, resolved } from './helpers.js';

interface Chat {
  readonly n: number;
  readonly text: string;
}
const isChat = (v: unknown): v is Chat =>
  typeof v === 'object' && v !== null && typeof (v as Chat).n === 'number';

describe('typed channel messages', () => {
  it('carries typed messages both ways, in order, queued until the channel opens', async () => {
    const call = createTestCall();
    const a = dataChannel<Chat>(call.a.actor, 'chat', { codec: json(isChat) });
    const b = dataChannel<Chat>(call.b.actor, 'chat', { codec: json(isChat) });
    const atB: Chat[] = [];
    const atA: Chat[] = [];
    b.on('message', (m) => atB.push(m));
    a.on('message', (m) => atA.push(m));
    expect(a.state).toBe('connecting');
    // Sent before anything is connected: they wait in the queue.
    const sends = Array.from({ length: 500 }, (_, n) => a.send({ n, text: `m${n}` }));
    expect(a.queued).toBe(500);
    await resolved(Promise.all(sends));
    expect(a.state).toBe('open');
    await resolved(b.send({ n: -1, text: 'pong' }));
    await eventually(() => atB.length === 500);
    await eventually(() => atA.length === 1);
    expect(atB.map((m) => m.n)).toEqual(Array.from({ length: 500 }, (_, n) => n));
    expect(atA).toEqual([{ n: -1, text: 'pong' }]);
    await closeAndExpectNoLeaks(call);
  });

  it('emits a decode error for a message the codec rejects and goes on', async () => {
    const call = createTestCall();
    dataChannel(call.a.actor, 'chat', { codec: text });
    const b = dataChannel<Chat>(call.b.actor, 'chat', { codec: json(isChat), create: false });
    const messages: Chat[] = [];
    const errors: ChannelError[] = [];
    b.on('message', (m) => messages.push(m));
    b.on('error', (e) => errors.push(e));
    await bothConnected(call);
    await until(call.a, (s) => s.context.dataChannels[0]?.readyState === 'open');
    const raw = localChannel(call.a, 'chat');
    raw.send('not json');
    raw.send('{"text":"no n"}');
    raw.send(new Uint8Array([9, 9]));
    raw.send('{"n":1,"text":"fine"}');
    await eventually(() => messages.length === 1);
    expect(messages).toEqual([{ n: 1, text: 'fine' }]);
    expect(errors.map((e) => [e.code, e.reason])).toEqual([
      ['DATA_CHANNEL_FAILED', 'decode'],
      ['DATA_CHANNEL_FAILED', 'decode'],
      ['DATA_CHANNEL_FAILED', 'protocol'],
    ]);
    expect(errors[0]?.cause).toBeInstanceOf(SyntaxError);
    await closeAndExpectNoLeaks(call);
  });

  it('rejects a value the codec cannot encode, and sends binary messages as bytes', async () => {
    const call = createTestCall();
    const a = dataChannel<unknown>(call.a.actor, 'j', { codec: json() });
    const bin = dataChannel(call.a.actor, 'bin', { codec: binary });
    const b = dataChannel(call.b.actor, 'bin', { codec: binary });
    const got: Uint8Array[] = [];
    b.on('message', (m) => got.push(m));
    expect((await rejection(a.send(10n))).reason).toBe('encode');
    expect((await rejection(a.send(undefined))).reason).toBe('encode');
    await resolved(bin.send(new Uint8Array([0, 1, 2, 255])));
    await eventually(() => got.length === 1);
    expect([...(got[0] ?? [])]).toEqual([0, 1, 2, 255]);
    await closeAndExpectNoLeaks(call);
  });

  it('bounds the queue by count and bytes, with a typed queue-full error', async () => {
    const call = createTestCall({ start: false });
    const a = dataChannel(call.a.actor, 'q', { codec: text, maxQueued: 3, maxQueuedBytes: 10 });
    const first = [a.send('aa'), a.send('bb'), a.send('cc')];
    const full = await rejection(a.send('d'));
    expect(full.reason).toBe('queue-full');
    expect(a.queued).toBe(3);
    const b = dataChannel(call.b.actor, 'q2', { codec: text, maxQueuedBytes: 10 });
    await resolved(Promise.resolve());
    expect((await rejection(b.send('x'.repeat(11)))).reason).toBe('queue-full');
    call.a.actor.start();
    call.b.actor.start();
    await resolved(Promise.all(first));
    await closeAndExpectNoLeaks(call);
  });

  it('rejects what is queued with closed when the app closes the channel or the peer ends', async () => {
    const call = createTestCall({ start: false });
    const a = dataChannel(call.a.actor, 'chat', { codec: text });
    const waiting = a.send('never');
    a.close();
    expect((await rejection(waiting)).reason).toBe('closed');
    expect((await rejection(a.send('after'))).reason).toBe('closed');
    expect(a.state).toBe('closed');

    const other = dataChannel(call.b.actor, 'chat', { codec: text });
    const closes: unknown[] = [];
    other.on('close', () => closes.push(true));
    const pending = other.send('x');
    call.b.actor.start();
    call.b.actor.send({ type: 'CLOSE' });
    const error = await rejection(pending);
    expect(error.reason).toBe('closed');
    expect(error.message).toMatch(/peer ended/);
    expect(other.state).toBe('closed');
    expect(closes).toHaveLength(1);
    await closeAndExpectNoLeaks(call);
  });

  it('refuses a message over maxMessageSize with too-large', async () => {
    const call = createTestCall();
    const a = dataChannel(call.a.actor, 'big', { codec: binary });
    await resolved(a.send(new Uint8Array(10)));
    const max = (call.a.pc() as unknown as { sctp: RTCSctpTransport }).sctp.maxMessageSize;
    expect((await rejection(a.send(new Uint8Array(max)))).reason).toBe('too-large');
    await closeAndExpectNoLeaks(call);
  });
});

describe('typed channel and the peer', () => {
  it('reads its own messages: the peer emits no data event for them, but does for other labels', async () => {
    const call = createTestCall();
    const a = dataChannel<Chat>(call.a.actor, 'chat', { codec: json(isChat) });
    const b = dataChannel<Chat>(call.b.actor, 'chat', { codec: json(isChat) });
    const got: Chat[] = [];
    b.on('message', (m) => got.push(m));
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'plain' });
    await resolved(a.send({ n: 1, text: 'typed' }));
    await eventually(() => got.length === 1);
    await until(call.a, (s) =>
      s.context.dataChannels.some((c) => c.label === 'plain' && c.readyState === 'open'),
    );
    call.a.actor.send({ type: 'SEND_DATA', label: 'plain', data: 'raw' });
    await eventually(() => call.b.emitted.some((e) => e.type === 'data'));
    const data = call.b.emitted.flatMap((e) => (e.type === 'data' ? [[e.label, e.data]] : []));
    expect(data).toEqual([['plain', 'raw']]);
    b.close();
    await closeAndExpectNoLeaks(call);
  });
});
