/**
 * Issue 17: typed channels (`@peerstatejs/core/channel`) driven inside the page, where a runner
 * round trip per message or chunk would be the thing measured. Each check computes its own
 * SHA-256 of what it sent and what it got, apart from the SDK's.
 */
import {
  type ChannelError,
  dataChannel,
  type IncomingTransfer,
  json,
  type TypedChannel,
} from '@peerstatejs/core/channel';
import { getPeer } from './peers.js';

interface Numbered {
  readonly seq: number;
  readonly text: string;
}
const isNumbered = (v: unknown): v is Numbered =>
  typeof v === 'object' && v !== null && typeof (v as Numbered).seq === 'number';

interface Incoming {
  readonly transfer: IncomingTransfer;
  progressEvents: number;
  outcome: Promise<Record<string, unknown>>;
}

interface Typed {
  readonly channel: TypedChannel<Numbered>;
  readonly received: Numbered[];
  readonly errors: string[];
  readonly incoming: Incoming[];
  /** What the next incoming transfer does: keep it (`blob`), read it slowly (`slow`), abort. */
  receive: { mode: 'blob' | 'slow'; abortAtBytes?: number; busyMsPerChunk?: number };
}

const typed = new Map<string, Typed>();
const key = (name: string, label: string) => `${name}/${label}`;

function getTyped(name: string, label: string): Typed {
  const found = typed.get(key(name, label));
  if (!found) throw new Error(`no typed channel ${label} on ${name}`);
  return found;
}

const hex = (digest: ArrayBuffer) =>
  Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
const reasonOf = (error: unknown) => (error as ChannelError).reason ?? String(error);

/** Deterministic bytes (xorshift32), so both ends could regenerate them. */
function bytesOf(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, size);
}

function busy(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // A slow consumer: the main thread is taken.
  }
}

function follow(entry: Typed, transfer: IncomingTransfer): Incoming {
  const { mode, abortAtBytes, busyMsPerChunk } = entry.receive;
  const started = performance.now();
  const record: Incoming = { transfer, progressEvents: 0, outcome: Promise.resolve({}) };
  transfer.on('progress', ({ bytes }) => {
    record.progressEvents += 1;
    if (busyMsPerChunk) busy(busyMsPerChunk);
    if (abortAtBytes !== undefined && bytes >= abortAtBytes) transfer.abort('receiver test abort');
  });
  const settle = async () => {
    if (mode === 'slow') {
      const reader = transfer.stream().getReader();
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
      }
      await transfer.done;
      return { bytes };
    }
    const blob = await transfer.blob();
    const sha256 = hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    return { bytes: blob.size, sha256, sdkSha256: transfer.sha256 };
  };
  record.outcome = settle().then(
    (result) => ({ ok: true, ms: performance.now() - started, ...result }),
    (error: unknown) => ({
      ok: false,
      reason: reasonOf(error),
      remote: (error as ChannelError).remote,
      received: transfer.received,
    }),
  );
  return record;
}

export const typedChannels = {
  typedOpen(args: { name: string; label: string; lowWaterMark?: number; highWaterMark?: number }) {
    const { actor } = getPeer(args.name);
    const channel = dataChannel<Numbered>(actor, args.label, {
      codec: json(isNumbered),
      ...(args.lowWaterMark ? { lowWaterMark: args.lowWaterMark } : {}),
      ...(args.highWaterMark ? { highWaterMark: args.highWaterMark } : {}),
      maxQueued: 20_000,
    });
    const entry: Typed = {
      channel,
      received: [],
      errors: [],
      incoming: [],
      receive: { mode: 'blob' },
    };
    channel.on('message', (m) => entry.received.push(m));
    channel.on('error', (e) => entry.errors.push(`${e.reason}: ${e.message}`));
    channel.on('transfer', (t) => entry.incoming.push(follow(entry, t)));
    typed.set(key(args.name, args.label), entry);
    return { state: channel.state };
  },

  typedReceiveMode(args: { name: string; label: string } & Typed['receive']) {
    const { name, label, ...receive } = args;
    getTyped(name, label).receive = receive;
  },

  /** Sends `count` numbered messages without waiting between them; resolves when all did. */
  async typedSendMany(args: { name: string; label: string; count: number }) {
    const { channel } = getTyped(args.name, args.label);
    const started = performance.now();
    const sends = [];
    for (let seq = 0; seq < args.count; seq++) sends.push(channel.send({ seq, text: `m${seq} ✓` }));
    await Promise.all(sends);
    return { ms: performance.now() - started };
  },

  async typedReceived(args: { name: string; label: string; count: number; timeoutMs: number }) {
    const entry = getTyped(args.name, args.label);
    const deadline = performance.now() + args.timeoutMs;
    while (entry.received.length < args.count && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const inOrder = entry.received.every((m, i) => m.seq === i);
    return { count: entry.received.length, inOrder, errors: entry.errors };
  },

  /** Sends `size` bytes (an ArrayBuffer, or a stream of `piece`-byte pieces); aborts at `abortAtBytes`. */
  async typedTransfer(args: {
    name: string;
    label: string;
    size: number;
    seed: number;
    abortAtBytes?: number;
    stream?: { piece: number };
  }) {
    const { channel } = getTyped(args.name, args.label);
    const started = performance.now();
    let progressEvents = 0;
    let sha256: string | null = null;
    let pulled = 0;
    let handed = 0;
    let maxAhead = 0;
    let maxBuffered = 0;
    const rawChannel = () =>
      getPeer(args.name)
        .actor.getSnapshot()
        .context.dataChannels.findLast((c) => c.label === args.label && c.origin === 'local')
        ?.channel;
    let source: ArrayBuffer | ReadableStream<Uint8Array>;
    if (args.stream) {
      const piece = bytesOf(args.stream.piece, args.seed);
      source = new ReadableStream<Uint8Array>({
        pull: (controller) => {
          if (pulled >= args.size) return controller.close();
          const n = Math.min(piece.byteLength, args.size - pulled);
          pulled += n;
          maxAhead = Math.max(maxAhead, pulled - handed);
          // A fresh copy per piece, as a file reader would give.
          controller.enqueue(piece.slice(0, n));
        },
      });
    } else {
      const bytes = bytesOf(args.size, args.seed);
      sha256 = hex(await crypto.subtle.digest('SHA-256', bytes));
      source = bytes.buffer;
    }
    const transfer = channel.sendTransfer(source, { name: `t${args.seed}` });
    transfer.on('progress', ({ bytes }) => {
      progressEvents += 1;
      handed = bytes;
      maxBuffered = Math.max(maxBuffered, rawChannel()?.bufferedAmount ?? 0);
      if (args.abortAtBytes !== undefined && bytes >= args.abortAtBytes) {
        transfer.abort('sender test abort');
      }
    });
    try {
      await transfer.done;
      return {
        ok: true,
        ms: performance.now() - started,
        sha256,
        progressEvents,
        bytes: handed,
        maxAhead,
        maxBuffered,
      };
    } catch (error) {
      return {
        ok: false,
        reason: reasonOf(error),
        remote: (error as ChannelError).remote,
        progressEvents,
        bytes: handed,
      };
    }
  },

  /** The outcome of the `index`th transfer this end received (waits for it to start and settle). */
  async typedIncoming(args: { name: string; label: string; index: number; timeoutMs: number }) {
    const entry = getTyped(args.name, args.label);
    const deadline = performance.now() + args.timeoutMs;
    while (!entry.incoming[args.index] && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const record = entry.incoming[args.index];
    if (!record) throw new Error(`no incoming transfer #${args.index} within ${args.timeoutMs} ms`);
    const timeout = new Promise<Record<string, unknown>>((resolve) =>
      setTimeout(
        () => resolve({ ok: false, reason: 'timeout' }),
        Math.max(0, deadline - performance.now()),
      ),
    );
    const outcome = await Promise.race([record.outcome, timeout]);
    return { ...outcome, progressEvents: record.progressEvents, header: record.transfer.header };
  },
};
