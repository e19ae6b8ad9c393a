import { describe, expect, it } from 'vitest';
import { closeAndExpectNoLeaks, createTestCall, tick } from '../../machine/__tests__/call.js';
import { dataChannel } from '../channel.js';
import { text } from '../codec.js';
import type { ChannelError } from '../errors.js';
import { CHUNK, chunkFrame, controlFrame, END, START } from '../frames.js';
import type { IncomingTransfer } from '../incoming.js';
import type { TransferProgress } from '../transfer.js';
import { eventually, localChannel, pattern, rejection, resolved } from './helpers.js';

function pair(options: { chunkSize?: number; latencyMs?: number } = {}) {
  const call = createTestCall({ network: { latencyMs: options.latencyMs ?? 0 } });
  const chunkSize = options.chunkSize ?? 1024;
  const a = dataChannel(call.a.actor, 'files', { codec: text, chunkSize, lowWaterMark: 4096 });
  const b = dataChannel(call.b.actor, 'files', { codec: text, chunkSize });
  const incoming: IncomingTransfer[] = [];
  b.on('transfer', (t) => incoming.push(t));
  return { call, a, b, incoming };
}

async function firstIncoming(t: ReturnType<typeof pair>): Promise<IncomingTransfer> {
  await eventually(() => t.incoming.length > 0);
  return t.incoming[0] as IncomingTransfer;
}

describe('typed channel transfers', () => {
  it('sends an ArrayBuffer in chunks within maxMessageSize, with progress on both ends and a SHA-256 check', async () => {
    const t = pair({ chunkSize: 1 << 20 });
    const bytes = pattern(600_000);
    const sent: TransferProgress[] = [];
    const transfer = t.a.sendTransfer(bytes.buffer, { name: 'data.bin', meta: { v: 1 } });
    transfer.on('progress', (p) => sent.push(p));
    const received: TransferProgress[] = [];
    // Listening in the `transfer` handler sees every chunk: several may arrive in one task.
    t.b.on('transfer', (incoming) => incoming.on('progress', (p) => received.push(p)));
    const incoming = await firstIncoming(t);
    expect(incoming.header).toEqual({ size: 600_000, name: 'data.bin', meta: { v: 1 } });
    await resolved(transfer.done);
    const blob = await resolved(incoming.blob());
    expect(Buffer.from(await blob.arrayBuffer()).equals(bytes)).toBe(true);
    expect(incoming.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The fake's maxMessageSize is 256 KiB: a 1 MiB chunk option is capped to it.
    const max = (t.call.a.pc() as unknown as { sctp: RTCSctpTransport }).sctp.maxMessageSize;
    const frames = localChannel(t.call.a, 'files').sent as Uint8Array[];
    expect(Math.max(...frames.map((f) => f.byteLength))).toBe(max);
    expect(sent.at(-1)).toEqual({ bytes: 600_000, total: 600_000 });
    expect(received.map((p) => p.bytes)).toEqual(sent.map((p) => p.bytes));
    await closeAndExpectNoLeaks(t.call);
  });

  it('sends a Blob and a ReadableStream, and streams to a receiver that asks for it', async () => {
    const t = pair();
    const bytes = pattern(10_000);
    const blobTransfer = t.a.sendTransfer(new Blob([bytes], { type: 'application/x-test' }));
    const first = await firstIncoming(t);
    expect(first.header).toEqual({ size: 10_000, type: 'application/x-test' });
    const blob = await resolved(first.blob());
    expect(blob.type).toBe('application/x-test');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
    await resolved(blobTransfer.done);

    // A stream of odd-sized pieces, one bigger than a chunk.
    const pieces = [bytes.subarray(0, 10), bytes.subarray(10, 5000), bytes.subarray(5000)];
    const source = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        const next = pieces.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(next);
      },
    });
    const streamed = t.a.sendTransfer(source);
    expect(streamed.size).toBeNull();
    await eventually(() => t.incoming.length === 2);
    const second = t.incoming[1] as IncomingTransfer;
    expect(second.header.size).toBeNull();
    const reader = second.stream().getReader();
    const parts: Uint8Array[] = [];
    const read = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parts.push(value);
      }
    })();
    await resolved(Promise.all([streamed.done, second.done, read]));
    expect(
      new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer()),
    ).toEqual(bytes);
    expect(second.sha256).toBeNull();
    expect((await rejection(second.blob())).reason).toBe('protocol');
    await closeAndExpectNoLeaks(t.call);
  });

  it('aborts on the sender: the receiver is told and both ends reject with aborted', async () => {
    const t = pair({ latencyMs: 5 });
    const transfer = t.a.sendTransfer(pattern(200_000));
    const incoming = await firstIncoming(t);
    await eventually(() => incoming.received > 0);
    transfer.abort('changed my mind');
    const local = await rejection(transfer.done);
    expect([local.reason, local.remote]).toEqual(['aborted', false]);
    const remote = await rejection(incoming.done);
    expect([remote.reason, remote.remote, remote.message]).toEqual([
      'aborted',
      true,
      'data channel "files": aborted: changed my mind',
    ]);
    expect(incoming.received).toBeLessThan(200_000);
    await closeAndExpectNoLeaks(t.call);
  });

  it('aborts on the receiver: the sender stops and rejects with aborted (remote)', async () => {
    const t = pair({ latencyMs: 5 });
    const errors: ChannelError[] = [];
    t.b.on('error', (e) => errors.push(e));
    const transfer = t.a.sendTransfer(pattern(200_000));
    const incoming = await firstIncoming(t);
    await eventually(() => incoming.received > 0);
    incoming.abort('no room');
    expect((await rejection(incoming.done)).reason).toBe('aborted');
    const sender = await rejection(transfer.done);
    expect([sender.reason, sender.remote]).toEqual(['aborted', true]);
    const chunks = localChannel(t.call.a, 'files').sent.length;
    await tick(50);
    // Nothing more after the cancel arrived, and chunks in flight were dropped quietly.
    expect(localChannel(t.call.a, 'files').sent.length).toBe(chunks);
    expect(errors).toEqual([]);
    // The channel still carries messages.
    const got: string[] = [];
    t.b.on('message', (m) => got.push(m));
    await resolved(t.a.send('still here'));
    await eventually(() => got.length === 1);
    await closeAndExpectNoLeaks(t.call);
  });

  it('fails a transfer on both ends with interrupted when its channel closes mid-way', async () => {
    const t = pair({ latencyMs: 5 });
    const transfer = t.a.sendTransfer(pattern(200_000));
    const incoming = await firstIncoming(t);
    await eventually(() => incoming.received > 0);
    localChannel(t.call.a, 'files').close();
    expect((await rejection(transfer.done)).reason).toBe('interrupted');
    expect((await rejection(incoming.done)).reason).toBe('interrupted');
    await closeAndExpectNoLeaks(t.call);
  });

  it('rejects a transfer whose chunks are out of order, or whose SHA-256 does not match', async () => {
    const t = pair();
    await resolved(t.a.send('open'));
    const raw = localChannel(t.call.a, 'files');
    raw.send(controlFrame(START, 7, JSON.stringify({ size: 4 })));
    raw.send(chunkFrame(7, 1, new Uint8Array([1, 2])));
    const reordered = await firstIncoming(t);
    expect((await rejection(reordered.done)).reason).toBe('integrity');

    raw.send(controlFrame(START, 8, JSON.stringify({ size: 2 })));
    raw.send(chunkFrame(8, 0, new Uint8Array([1, 2])));
    raw.send(controlFrame(END, 8, JSON.stringify({ size: 2, sha256: '00'.repeat(32) })));
    await eventually(() => t.incoming.length === 2);
    const tampered = await rejection((t.incoming[1] as IncomingTransfer).done);
    expect([tampered.reason, tampered.message]).toEqual([
      'integrity',
      expect.stringMatching(/SHA-256 [0-9a-f]{64}, the sender's 0{64}/),
    ]);

    // More than announced fails at the chunk that overflows, before anything more is kept.
    raw.send(controlFrame(START, 10, JSON.stringify({ size: 1 })));
    raw.send(chunkFrame(10, 0, new Uint8Array([1, 2])));
    await eventually(() => t.incoming.length === 3);
    const overflow = await rejection((t.incoming[2] as IncomingTransfer).done);
    expect([overflow.reason, overflow.message]).toEqual([
      'integrity',
      'data channel "files": integrity: more than 1 bytes arrived',
    ]);

    raw.send(controlFrame(START, 9, JSON.stringify({ size: 3 })));
    raw.send(chunkFrame(9, 0, new Uint8Array([1, 2])));
    raw.send(controlFrame(END, 9, JSON.stringify({ size: 2, sha256: null })));
    await eventually(() => t.incoming.length === 4);
    expect((await rejection((t.incoming[3] as IncomingTransfer).done)).reason).toBe('integrity');
    await closeAndExpectNoLeaks(t.call);
  });

  it('reports a chunk of a transfer never started, and an unknown frame, as protocol errors', async () => {
    const t = pair();
    const errors: ChannelError[] = [];
    t.b.on('error', (e) => errors.push(e));
    await resolved(t.a.send('open'));
    const raw = localChannel(t.call.a, 'files');
    raw.send(chunkFrame(42, 0, new Uint8Array([1])));
    raw.send(new Uint8Array([77, 0, 0, 0, 0]));
    raw.send(new Uint8Array([CHUNK, 0]));
    await eventually(() => errors.length === 3);
    expect(errors.map((e) => e.reason)).toEqual(['protocol', 'protocol', 'protocol']);
    await closeAndExpectNoLeaks(t.call);
  });
});
