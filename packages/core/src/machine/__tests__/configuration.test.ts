/**
 * `configuration` as a function: called for every new peer connection and before every ICE
 * restart, so short-lived TURN credentials are fresh when a recovery gathers again. And
 * `REMOTE_LEFT`: the remote gone from the room ends the peer at once, with its own reason.
 */
import { describe, expect, it } from 'vitest';
import type { FakePeerConnection } from '../../testing/index.js';
import { peerView } from '../peerView.js';
import {
  bothConnected,
  bothSettled,
  CONNECTED,
  closeAndExpectNoLeaks,
  createTestCall,
  tick,
  until,
} from './call.js';

const fast = {
  iceRestart: { disconnectedGracePeriod: 30, initialDelay: 40, factor: 1, maxAttempts: 2 },
  rebuild: { maxAttempts: 2, timeout: 500 },
};

/** A TURN REST API stand-in: each call hands out the next credential. */
function credentials(delay: number | null) {
  let issued = 0;
  const make = (): RTCConfiguration => {
    issued += 1;
    return {
      iceServers: [{ urls: 'turn:127.0.0.1:3478', username: `user-${issued}`, credential: 'x' }],
      iceTransportPolicy: 'relay',
      bundlePolicy: 'max-bundle',
    };
  };
  const configuration =
    delay === null
      ? make
      : () => new Promise<RTCConfiguration>((resolve) => setTimeout(() => resolve(make()), delay));
  return { configuration, issued: () => issued };
}

const usernameOf = (pc: FakePeerConnection): unknown =>
  pc.getConfiguration().iceServers?.[0]?.username;

describe('configuration function', () => {
  for (const delay of [null, 25]) {
    it(`${delay === null ? 'sync' : 'async'}: called for the first connection, before each ICE restart, and for a rebuild`, async () => {
      const a = credentials(delay);
      const call = createTestCall({
        a: { ...fast, configuration: a.configuration },
        b: fast,
      });
      call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
      await bothConnected(call);
      await bothSettled(call);
      expect(a.issued()).toBe(1);
      const first = call.a.pc();
      expect(usernameOf(first)).toBe('user-1');

      call.a.actor.send({ type: 'RESTART_ICE' });
      await until(call.a, () => usernameOf(first) === 'user-2');
      await bothSettled(call);
      expect(a.issued()).toBe(2);
      // Only the ICE servers and policy change: bundlePolicy is fixed for a connection's life.
      expect(first.getConfiguration()).toMatchObject({
        iceTransportPolicy: 'relay',
        bundlePolicy: 'max-bundle',
      });

      first.failDtls();
      await until(call.a, (s) => s.context.epoch === 1 && s.matches(CONNECTED));
      const rebuilt = call.a.pc();
      expect(rebuilt).not.toBe(first);
      expect(usernameOf(rebuilt)).toBe('user-3');
      expect(call.a.errors).toEqual([]);
      await closeAndExpectNoLeaks(call);
    });
  }

  it('a rejected configuration: the peer fails with PEER_CONNECTION_FAILED naming the cause', async () => {
    const call = createTestCall({
      a: { configuration: () => Promise.reject(new Error('TURN API down')) },
    });
    const end = await until(call.a, (s) => s.status === 'done');
    expect(peerView(end).phase).toBe('failed');
    expect(call.a.errors.map((e) => [e.code, e.message])).toEqual([
      ['PEER_CONNECTION_FAILED', 'Creating the peer connection failed: Error: TURN API down'],
    ]);
    call.b.actor.send({ type: 'CLOSE' });
    await tick(5);
  });

  it('closed while the configuration is fetched: no peer connection is created', async () => {
    const a = credentials(100);
    const call = createTestCall({ a: { configuration: a.configuration } });
    call.a.actor.send({ type: 'REMOTE_LEFT' });
    await tick(200);
    expect(call.a.actor.getSnapshot().context.pc).toBeNull();
    expect(call.network.peer('a')).toBeNull();
    await closeAndExpectNoLeaks(call);
  });
});

describe('REMOTE_LEFT', () => {
  it('ends a connected peer at once with closeReason remote-left, and sends no bye', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    await bothSettled(call);
    const sentBefore = call.a.sent.length;
    call.a.actor.send({ type: 'REMOTE_LEFT', id: 'left' });
    const end = call.a.actor.getSnapshot();
    expect(end.matches('closed')).toBe(true);
    expect(peerView(end)).toMatchObject({ phase: 'closed', closeReason: 'remote-left' });
    expect(call.a.sent.slice(sentBefore)).toEqual([]);
    expect(call.a.emitted).toContainEqual({ type: 'closed', reason: 'remote-left' });
    expect(call.a.emitted).toContainEqual({
      type: 'settled',
      id: 'left',
      command: 'REMOTE_LEFT',
      ok: true,
    });
    // The other side is untouched by it: no bye reached it.
    expect(peerView(call.b.actor.getSnapshot()).closeReason).toBeNull();
    await closeAndExpectNoLeaks(call);
  });

  it('ends a peer that is rebuilding, and one that never started', async () => {
    const call = createTestCall({ a: fast, b: fast });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    call.a.pc().failDtls();
    await until(call.a, (s) => s.matches('rebuilding'));
    call.a.actor.send({ type: 'REMOTE_LEFT' });
    expect(peerView(call.a.actor.getSnapshot()).closeReason).toBe('remote-left');

    const idle = createTestCall({ start: false, a: { autoStart: false } });
    idle.a.actor.start();
    idle.a.actor.send({ type: 'REMOTE_LEFT' });
    expect(peerView(idle.a.actor.getSnapshot())).toMatchObject({
      phase: 'closed',
      closeReason: 'remote-left',
    });
    await closeAndExpectNoLeaks(call);
  });
});
