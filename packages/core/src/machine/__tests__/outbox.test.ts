/**
 * `SEND_DATA` to a channel on its way waits in a bounded per-label queue (data/outbox.ts; #12,
 * "commands during a rebuild take effect on the new connection"): right after a rebuild the
 * rebuilt channel is still `connecting`, and the send used to be refused ("not open
 * (connecting)"; apps/e2e `23-startup-glare-late-firefox-chromium-10x`).
 */
import { describe, expect, it } from 'vitest';
import { OUTBOX_MAX_MESSAGES, OUTBOX_TIMEOUT_MS, QueuedSendError } from '../data/outbox.js';
import type { PeerEmitted } from '../types.js';
import {
  bothConnected,
  bothSettled,
  closeAndExpectNoLeaks,
  createTestCall,
  type TestCall,
  type TestPeer,
  tick,
  until,
} from './call.js';

const fast = {
  iceRestart: { disconnectedGracePeriod: 30, initialDelay: 40, factor: 1, maxAttempts: 2 },
  rebuild: { maxAttempts: 3, timeout: 500 },
};

function settled(peer: TestPeer, id: string) {
  return peer.emitted.find(
    (event): event is Extract<PeerEmitted, { type: 'settled' }> =>
      event.type === 'settled' && event.id === id,
  );
}

const received = (peer: TestPeer) =>
  peer.emitted.flatMap((e) => (e.type === 'data' ? [e.data] : []));

/** A call with a's channel "chat" open on both sides. */
async function chatCall(): Promise<TestCall> {
  const call = createTestCall({ a: fast, b: fast });
  call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  await bothConnected(call);
  await until(call.b, (s) => s.context.dataChannels[0]?.readyState === 'open');
  await bothSettled(call);
  return call;
}

describe('SEND_DATA waits for a channel on its way', () => {
  it('right after a rebuild, on both sides, while the rebuilt channel connects: sent in order once it opens', async () => {
    const call = await chatCall();
    call.a.pc().failDtls();
    await until(call.a, (s) => s.matches('rebuilding'));
    // During the rebuild: no connection at all.
    call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'a1', id: 'a1' });
    // Right after it: a's channel is created again and connecting; b's (the remote's) has not
    // arrived yet.
    await until(call.a, (s) => s.context.epoch === 1 && s.matches({ active: {} }));
    await until(call.b, (s) => s.context.epoch === 1 && s.matches({ active: {} }));
    expect(call.a.actor.getSnapshot().context.dataChannels[0]?.readyState).toBe('connecting');
    expect(call.b.actor.getSnapshot().context.dataChannels).toEqual([]);
    call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'a2', id: 'a2' });
    call.b.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'b1', id: 'b1' });
    expect(settled(call.a, 'a2')).toBeUndefined();
    expect(settled(call.b, 'b1')).toBeUndefined();
    await until(call.b, () => received(call.b).length === 2);
    expect(received(call.b)).toEqual(['a1', 'a2']);
    // b's went out on the remote's channel once it opened. (Not checked on a: the fake opens
    // the announced end before the creator's and drops what arrives there before its open; in
    // SCTP the creator's end opens on the DCEP ACK, which comes first on the stream.)
    await until(call.b, () => settled(call.b, 'b1') !== undefined);
    expect(call.b.pc().getTransceivers()).toEqual([]);
    for (const [peer, id] of [
      [call.a, 'a1'],
      [call.a, 'a2'],
      [call.b, 'b1'],
    ] as const)
      expect(settled(peer, id)?.ok, id).toBe(true);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    expect(call.a.actor.getSnapshot().context.outbox.queued).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('before the first open too; a label with no channel on its way is refused at once', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'SEND_DATA', label: 'nope', data: 'x', id: 'nope' });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'early', id: 'early' });
    expect(settled(call.a, 'nope')).toMatchObject({
      ok: false,
      error: { code: 'DATA_CHANNEL_FAILED', message: expect.stringMatching(/no channel/) },
    });
    await bothConnected(call);
    await until(call.b, () => received(call.b).length === 1);
    expect(received(call.b)).toEqual(['early']);
    expect(settled(call.a, 'early')?.ok).toBe(true);
    await closeAndExpectNoLeaks(call);
  });

  it(`is bounded: message ${OUTBOX_MAX_MESSAGES + 1} fails with reason 'queue-full', the rest go out`, async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    for (let i = 0; i <= OUTBOX_MAX_MESSAGES; i++)
      call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: `m${i}`, id: `m${i}` });
    const full = settled(call.a, `m${OUTBOX_MAX_MESSAGES}`);
    expect(full?.ok).toBe(false);
    expect(full?.ok === false && full.error).toBeInstanceOf(QueuedSendError);
    expect(full?.ok === false && (full.error as QueuedSendError).reason).toBe('queue-full');
    await bothConnected(call);
    await until(call.b, () => received(call.b).length === OUTBOX_MAX_MESSAGES);
    expect(received(call.b).at(-1)).toBe(`m${OUTBOX_MAX_MESSAGES - 1}`);
    expect(call.a.errors.map((e) => e.code)).toEqual(['DATA_CHANNEL_FAILED']);
    await closeAndExpectNoLeaks(call);
  });

  it(`fails with reason 'not-opened' when the channel has not opened within OUTBOX_TIMEOUT_MS`, async () => {
    // b never starts: a's channel never opens.
    const call = createTestCall({ start: false });
    call.a.actor.start();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'first', id: 'first' });
    await tick(OUTBOX_TIMEOUT_MS / 2);
    call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'second', id: 'second' });
    await tick(OUTBOX_TIMEOUT_MS / 2 - 1);
    expect(settled(call.a, 'first')).toBeUndefined();
    await tick(1);
    expect(settled(call.a, 'first')).toMatchObject({ ok: false, error: { reason: 'not-opened' } });
    // Each waits its own OUTBOX_TIMEOUT_MS.
    expect(settled(call.a, 'second')).toBeUndefined();
    await tick(OUTBOX_TIMEOUT_MS / 2);
    expect(settled(call.a, 'second')).toMatchObject({ ok: false, error: { reason: 'not-opened' } });
    await closeAndExpectNoLeaks(call);
  });

  it("fails with reason 'closed' when the app closes the channel before it opened, and with PEER_CLOSED when the peer ends", async () => {
    const call = await chatCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'log' });
    call.a.actor.send({ type: 'SEND_DATA', label: 'log', data: 'x', id: 'log' });
    call.a.actor
      .getSnapshot()
      .context.dataChannels.find((c) => c.label === 'log')
      ?.channel.close();
    await until(call.a, () => settled(call.a, 'log') !== undefined);
    expect(settled(call.a, 'log')).toMatchObject({ ok: false, error: { reason: 'closed' } });
    // A rebuild the remote never joins: the queued send ends with the peer.
    call.b.actor.send({ type: 'CLOSE' });
    call.a.pc().failDtls();
    await until(call.a, (s) => s.matches('rebuilding') || s.matches('closed'));
    call.a.actor.send({ type: 'SEND_DATA', label: 'chat', data: 'y', id: 'end' });
    call.a.actor.send({ type: 'CLOSE' });
    expect(settled(call.a, 'end')).toMatchObject({ ok: false });
    expect(received(call.b)).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });
});
