import { describe, expect, it } from 'vitest';
import { SignalingMessageError } from '../../errors.js';
import {
  bothConnected,
  bothSettled,
  closeAndExpectNoLeaks,
  createTestCall,
  tick,
  until,
} from './call.js';

const MALFORMED: ReadonlyArray<[string, unknown]> = [
  ['not JSON', '{oops'],
  ['a number', 42],
  ['null', null],
  ['unknown type', { v: 2, type: 'hello' }],
  ['future version', { v: 3, type: 'bye' }],
  ['protocol v1 (no ids, no ICE generation)', { v: 1, type: 'candidate', candidate: null }],
  [
    'description without sdp',
    { v: 2, type: 'description', id: 'x:0:1', inReplyTo: null, description: { type: 'offer' } },
  ],
  [
    'rollback on the wire',
    {
      v: 2,
      type: 'description',
      id: 'x:0:1',
      inReplyTo: null,
      description: { type: 'rollback', sdp: 'v=0' },
    },
  ],
  [
    'sdp that is not SDP',
    {
      v: 2,
      type: 'description',
      id: 'x:0:1',
      inReplyTo: null,
      description: { type: 'offer', sdp: 'hello' },
    },
  ],
  [
    'huge sdp',
    {
      v: 2,
      type: 'description',
      id: 'x:0:1',
      inReplyTo: null,
      description: { type: 'offer', sdp: `v=0\r\n${'a'.repeat(300_000)}` },
    },
  ],
  [
    'description without an id',
    { v: 2, type: 'description', inReplyTo: null, description: { type: 'offer', sdp: 'v=0\r\n' } },
  ],
  [
    'answer that names no offer',
    { v: 2, type: 'description', id: 'x:0:2', description: { type: 'answer', sdp: 'v=0\r\n' } },
  ],
  [
    'end of candidates without an epoch',
    { v: 2, type: 'candidate', ufrag: 'abcd', candidate: null },
  ],
  [
    'candidate of a negative epoch',
    { v: 2, type: 'candidate', ufrag: null, epoch: -1, candidate: null },
  ],
  ['candidate of wrong type', { v: 2, type: 'candidate', ufrag: null, epoch: 0, candidate: 7 }],
  [
    'candidate without mid or index',
    {
      v: 2,
      type: 'candidate',
      ufrag: null,
      epoch: 0,
      candidate: {
        candidate: 'candidate:1 1 udp 1 1.2.3.4 9 typ host',
        sdpMid: null,
        sdpMLineIndex: null,
      },
    },
  ],
];

describe('hostile signaling', () => {
  it.each(MALFORMED)(
    'rejects %s with INVALID_SIGNALING_MESSAGE and changes nothing else',
    async (_, raw) => {
      const call = createTestCall();
      call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
      await bothConnected(call);
      await bothSettled(call);
      const before = call.b.actor.getSnapshot().context;
      call.toA.send(raw as never);
      await until(call.b, (s) => s.context.lastError !== null);
      const after = call.b.actor.getSnapshot();
      expect(call.b.errors).toHaveLength(1);
      expect(call.b.errors[0]).toBeInstanceOf(SignalingMessageError);
      expect(call.b.errors[0]?.code).toBe('INVALID_SIGNALING_MESSAGE');
      expect(after.matches({ active: { signaling: 'stable', connection: 'connected' } })).toBe(
        true,
      );
      expect(after.context.inbox).toEqual([]);
      expect(after.context.counters).toEqual({ ...before.counters, invalidMessages: 1 });
      // Still usable: a new channel renegotiates.
      call.b.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'after' });
      await until(call.a, (s) => s.context.dataChannels.some((c) => c.label === 'after'));
      await closeAndExpectNoLeaks(call);
    },
  );

  it('survives a channel whose send throws, reporting SIGNALING_TRANSPORT_FAILED', async () => {
    const call = createTestCall({
      wrapA: (channel) => ({
        send: (message) => {
          if (message.type === 'candidate') throw new Error('socket closed');
          return channel.send(message);
        },
        subscribe: (listener) => channel.subscribe(listener),
      }),
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(call.a, (s) => s.context.lastError !== null);
    expect(call.a.errors[0]?.code).toBe('SIGNALING_TRANSPORT_FAILED');
    await closeAndExpectNoLeaks(call);
  });

  it('reports a channel whose send rejects', async () => {
    const call = createTestCall({
      wrapA: (channel) => ({
        send: (message) =>
          message.type === 'description'
            ? Promise.reject(new Error('offline'))
            : channel.send(message),
        subscribe: (listener) => channel.subscribe(listener),
      }),
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(call.a, (s) => s.context.lastError !== null);
    expect(call.a.errors[0]?.code).toBe('SIGNALING_TRANSPORT_FAILED');
    expect(call.a.errors[0]?.message).toMatch(/description/);
    await closeAndExpectNoLeaks(call);
  });

  it('reports a channel whose subscribe throws', async () => {
    const call = createTestCall({
      wrapB: () => ({
        send: () => {},
        subscribe: () => {
          throw new Error('no socket');
        },
      }),
    });
    await tick(5);
    expect(call.b.errors.map((e) => e.code)).toEqual(['SIGNALING_TRANSPORT_FAILED']);
    await closeAndExpectNoLeaks(call);
  });
});
