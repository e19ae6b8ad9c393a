import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bothConnected, createTestCall, tick } from '../../machine/__tests__/call.js';
import { normalizeStats } from '../../stats/normalize.js';
import { createFakeStream, createFakeTrack } from '../../testing/index.js';
import { parseSession, serializeSession } from '../io.js';
import { createSessionRecorder } from '../recorder.js';

function recordedCall() {
  const recorder = createSessionRecorder({
    signaling: 'in-memory',
    peers: [
      { name: 'a', polite: false },
      { name: 'b', polite: true },
    ],
  });
  const call = createTestCall({
    a: { inspect: recorder.inspector(0) },
    b: { inspect: recorder.inspector(1) },
    wrapA: (channel) => recorder.tapSignaling(0, channel),
    wrapB: (channel) => recorder.tapSignaling(1, channel),
  });
  recorder.watch(0, call.a.actor);
  recorder.watch(1, call.b.actor);
  return { recorder, call };
}

describe('recorder wiring', () => {
  it('records every signaling message a peer sends, in order, and every error it emits', async () => {
    const { recorder, call } = recordedCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    // A hostile message from the remote: the peer reports it (and keeps going).
    call.toB.send({ v: 2, type: 'description' } as never);
    await tick(50);
    const [a] = recorder.session.peers;
    const sent = a?.entries.filter((e) => e.kind === 'sent').map((e) => e.type) ?? [];
    expect(sent).toEqual(call.a.sent.map((m) => m.type));
    expect(sent).toContain('description');
    expect(call.a.errors.map((e) => e.code)).toContain('INVALID_SIGNALING_MESSAGE');
    expect(a?.entries.filter((e) => e.kind === 'error').map((e) => e.type)).toEqual(
      call.a.errors.map((e) => e.code),
    );
  });

  it('stats samples go in reduced, stamped with the position', async () => {
    const { recorder, call } = recordedCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    const pending = call.a.pc().getStats();
    await tick(50); // the fake engine answers on its own (fake) clock
    const report = await pending;
    recorder.addStats(0, normalizeStats(report));
    const [stat] = recorder.session.peers[0]?.stats ?? [];
    expect(stat?.seq).toBe(recorder.session.peers[0]?.entries.at(-1)?.seq);
    expect(stat?.pairs.length).toBeGreaterThan(0);
  });

  it('is bounded: the oldest records go first and are counted', async () => {
    const recorder = createSessionRecorder({
      signaling: 'in-memory',
      peers: [{ name: 'a', polite: false }],
      limits: { entries: 20, stats: 5 },
    });
    const channel = recorder.tapSignaling(0, { send: () => {}, subscribe: () => () => {} });
    for (let n = 0; n < 50; n += 1) channel.send({ v: 2, type: 'bye' } as never);
    for (let n = 0; n < 12; n += 1) recorder.addStats(0, normalizeStats([]));
    const peer = recorder.session.peers[0];
    expect(peer?.entries.length).toBeLessThanOrEqual(20);
    expect(peer?.stats.length).toBeLessThanOrEqual(5);
    expect((peer?.dropped?.entries ?? 0) + (peer?.entries.length ?? 0)).toBe(50);
    expect((peer?.dropped?.stats ?? 0) + (peer?.stats.length ?? 0)).toBe(12);
    // The newest survive, in order.
    expect(peer?.entries.at(-1)?.seq).toBe(50);
    expect(parseSession(serializeSession(recorder.session)).peers[0]?.dropped).toEqual(
      peer?.dropped,
    );
  });
});

type Step =
  | { kind: 'channel'; label: string }
  | { kind: 'send'; label: string; data: string }
  | { kind: 'track'; video: boolean }
  | { kind: 'restartIce' }
  | { kind: 'garbage'; value: unknown }
  | { kind: 'outage'; ms: number }
  | { kind: 'wait'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('channel' as const), label: fc.constantFrom('chat', 'files') }),
  fc.record({
    kind: fc.constant('send' as const),
    label: fc.constantFrom('chat', 'files'),
    data: fc.string({ maxLength: 40 }),
  }),
  fc.record({ kind: fc.constant('track' as const), video: fc.boolean() }),
  fc.record({ kind: fc.constant('restartIce' as const) }),
  fc.record({ kind: fc.constant('garbage' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('outage' as const), ms: fc.integer({ min: 100, max: 4000 }) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 500 }) }),
);

describe('recorder export (property)', () => {
  it('any recorded session exports to a file that imports back to the same session', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), fc.boolean(), async (steps, close) => {
        const { recorder, call } = recordedCall();
        for (const s of steps) {
          const peer = s.kind === 'track' && s.video ? call.b : call.a;
          if (s.kind === 'channel')
            peer.actor.send({ type: 'CREATE_DATA_CHANNEL', label: s.label });
          if (s.kind === 'send')
            peer.actor.send({ type: 'SEND_DATA', label: s.label, data: s.data });
          if (s.kind === 'track') {
            const track = createFakeTrack(s.video ? 'video' : 'audio');
            peer.actor.send({ type: 'ADD_TRACK', track, streams: [createFakeStream([track])] });
          }
          if (s.kind === 'restartIce') peer.actor.send({ type: 'RESTART_ICE' });
          if (s.kind === 'garbage') call.toB.send(s.value as never);
          if (s.kind === 'outage') {
            call.network.down();
            await tick(s.ms);
            call.network.up();
          }
          await tick(s.kind === 'wait' ? s.ms : 10);
        }
        if (close) call.a.actor.send({ type: 'CLOSE' });
        await tick(100);
        const at = new Date(0);
        const text = serializeSession(recorder.session, at);
        const imported = parseSession(text);
        // Nothing the recorder stored is lost or changed by JSON (no undefined, NaN, live objects).
        expect(imported).toStrictEqual({ ...recorder.session, exportedAt: at.toISOString() });
        expect(serializeSession(imported, at)).toBe(text);
        for (const peer of imported.peers) {
          const seqs = peer.entries.map((e) => e.seq);
          expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        }
        call.a.actor.stop();
        call.b.actor.stop();
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
