import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInMemorySignalingPair } from '../../signaling/inMemorySignaling.js';
import {
  createFakeNetwork,
  createFakeTrack,
  liveFakeListenerCount,
  openFakePeerConnections,
} from '../../testing/index.js';
import { createPeer } from '../createPeer.js';
import {
  bothConnected,
  bothSettled,
  closeAndExpectNoLeaks,
  createTestCall,
  type TestCall,
  tick,
  until,
} from './call.js';

const fastIce = {
  iceRestart: { disconnectedGracePeriod: 30, initialDelay: 30, maxAttempts: 2 },
};
/** ICE restarts alone: when they run out the peer fails (no rebuild). */
const fastIceNoRebuild = { ...fastIce, rebuild: { maxAttempts: 0 } };

/** Drives a call into a given state of `a`, ready to be closed there. */
const scenarios: Record<string, () => Promise<TestCall>> = {
  idle: async () => createTestCall({ a: { autoStart: false }, start: true }),
  'signaling.makingOffer': async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await until(call.a, (s) => s.matches({ active: { signaling: 'makingOffer' } }));
    return call;
  },
  'signaling.haveLocalOffer': async () => {
    // b never answers: its signaling drops everything it sends.
    const call = createTestCall({
      wrapB: () => ({ send: () => {}, subscribe: () => () => {} }),
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await until(call.a, (s) => s.matches({ active: { signaling: 'haveLocalOffer' } }));
    return call;
  },
  'signaling.settingRemoteDescription': async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await until(call.b, (s) => s.matches({ active: { signaling: 'settingRemoteDescription' } }));
    return call;
  },
  'connection.connected': async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await bothConnected(call);
    return call;
  },
  'connection.disconnected': async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await bothConnected(call);
    call.network.down();
    await until(call.a, (s) => s.matches({ active: { connection: 'disconnected' } }));
    return call;
  },
  'connection.restartingIce': async () => {
    const call = createTestCall({ a: fastIce, b: fastIce });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await bothConnected(call);
    call.network.fail();
    await until(call.a, (s) => s.matches({ active: { connection: 'restartingIce' } }));
    return call;
  },
  rebuilding: async () => {
    // a's rebuild request is lost: it waits for b (the rebuild timeout is running).
    const call = createTestCall({
      a: fastIce,
      b: fastIce,
      wrapA: (channel) => ({
        send: (message) => (message.type === 'rebuild' ? undefined : channel.send(message)),
        subscribe: (listener) => channel.subscribe(listener),
      }),
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await bothConnected(call);
    call.network.fail();
    await until(call.a, (s) => s.matches('rebuilding'), 2000);
    return call;
  },
  failed: async () => {
    const call = createTestCall({ a: fastIceNoRebuild, b: fastIceNoRebuild });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await bothConnected(call);
    call.network.fail();
    await until(call.a, (s) => s.matches('failed'), 2000);
    return call;
  },
};

describe('close', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(Object.keys(scenarios))(
    'closes from %s with no listener, connection or timer left',
    async (name) => {
      const call = await scenarios[name]!();
      const before = call.a.actor.getSnapshot();
      const scheduled = () => Object.keys(call.a.actor.system.getSnapshot()._scheduledEvents);
      // These states wait on a timer (grace period, restart backoff, rebuild): it must be cancelled.
      if (
        name === 'connection.disconnected' ||
        name === 'connection.restartingIce' ||
        name === 'rebuilding'
      ) {
        expect(scheduled().length).toBeGreaterThanOrEqual(1);
      }
      call.a.actor.send({ type: 'CLOSE' });
      const after = call.a.actor.getSnapshot();
      // Both ends are final: a failed peer stays failed, and the CLOSE settles all the same.
      expect(after.matches(before.matches('failed') ? 'failed' : 'closed')).toBe(true);
      expect(after.status).toBe('done');
      expect(after.context.closeReason).toBe(before.matches('failed') ? 'ice-failed' : 'local');
      // No timer of the machine is left: its delayed events were cancelled on exit.
      expect(scheduled()).toEqual([]);
      await closeAndExpectNoLeaks(call);
    },
  );

  it('the remote side closes on bye and reports why', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await bothConnected(call);
    call.a.actor.send({ type: 'CLOSE', reason: 'hang-up' });
    const b = await until(call.b, (s) => s.matches('closed'));
    expect(b.context.closeReason).toBe('remote');
    expect(call.a.sent.at(-1)).toEqual({ v: 2, type: 'bye', reason: 'hang-up' });
    expect(call.b.emitted.at(-1)).toEqual({ type: 'closed', reason: 'remote' });
    await closeAndExpectNoLeaks(call);
  });

  it('sends the bye before it closes the connection and its channels', async () => {
    const seen: string[] = [];
    let call: TestCall | undefined;
    call = createTestCall({
      wrapA: (channel) => ({
        send: (message) => {
          if (message.type === 'bye' && call) {
            const { pc, dataChannels } = call.a.actor.getSnapshot().context;
            seen.push(`pc ${pc?.signalingState}`, `channel ${dataChannels[0]?.readyState}`);
          }
          return channel.send(message);
        },
        subscribe: (listener) => channel.subscribe(listener),
      }),
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await bothConnected(call);
    await until(call.a, (s) => s.context.dataChannels[0]?.readyState === 'open');
    call.a.actor.send({ type: 'CLOSE', reason: 'hang-up' });
    expect(seen).toEqual(['pc stable', 'channel open']);
    expect(call.a.pc().signalingState).toBe('closed');
    await until(call.b, (s) => s.matches('closed'));
    await closeAndExpectNoLeaks(call);
  });

  it('answers commands after close with PEER_CLOSED and a development warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const call = createTestCall({ a: { dev: true } });
    call.a.actor.send({ type: 'CLOSE' });
    call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
    call.a.actor.send({ type: 'RESTART_ICE' });
    expect(call.a.errors.map((e) => e.code)).toEqual(['PEER_CLOSED', 'PEER_CLOSED']);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]?.[0]).toMatch(/"ADD_TRACK" was sent to a peer that is closed/);
    expect(call.a.actor.getSnapshot().matches('closed')).toBe(true);
    await closeAndExpectNoLeaks(call);
  });

  it('stays silent after close outside development', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const call = createTestCall({ a: { dev: false } });
    call.a.actor.send({ type: 'CLOSE' });
    call.a.actor.send({ type: 'RESTART_ICE' });
    expect(warn).not.toHaveBeenCalled();
    expect(call.a.errors.map((e) => e.code)).toEqual(['PEER_CLOSED']);
    await closeAndExpectNoLeaks(call);
  });

  it('ignores remote messages after close (the signaling subscription is gone)', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
    await bothConnected(call);
    await bothSettled(call);
    call.a.actor.send({ type: 'CLOSE' });
    const snapshot = call.a.actor.getSnapshot();
    call.toB.send({ v: 2, type: 'bye' });
    call.toB.send({ nonsense: true } as never);
    await tick(10);
    expect(call.a.actor.getSnapshot()).toBe(snapshot);
    await closeAndExpectNoLeaks(call);
  });

  it('leaves nothing behind after many connect/close cycles', async () => {
    for (let i = 0; i < 25; i++) {
      const network = createFakeNetwork();
      const [left, right] = createInMemorySignalingPair();
      const a = createPeer({
        signaling: left,
        polite: false,
        peerConnection: network.factory('a'),
        dev: false,
      });
      const b = createPeer({
        signaling: right,
        polite: true,
        peerConnection: network.factory('b'),
        dev: false,
      });
      a.start();
      b.start();
      a.send({ type: 'CREATE_DATA_CHANNEL', label: 'x' });
      await Promise.all(
        [a, b].map((actor) =>
          until({ actor }, (s) => s.matches({ active: { connection: 'connected' } })),
        ),
      );
      (i % 2 === 0 ? a : b).send({ type: 'CLOSE' });
      await tick(1);
      expect(a.getSnapshot().matches('closed')).toBe(true);
      expect(b.getSnapshot().matches('closed')).toBe(true);
      left.close();
    }
    expect(openFakePeerConnections()).toEqual([]);
    expect(liveFakeListenerCount()).toBe(0);
  });
});

describe('stop', () => {
  it('actor.stop() without CLOSE still closes the connection, stops owned tracks, removes listeners', async () => {
    const { createFakeMediaDevices } = await import('../../testing/index.js');
    const devices = createFakeMediaDevices();
    const call = createTestCall({ a: { mediaDevices: devices } });
    call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true } });
    await bothConnected(call);
    const owned = call.a.actor.getSnapshot().context.localTracks[0]?.track;
    expect(owned?.readyState).toBe('live');
    call.a.actor.stop();
    call.b.actor.stop();
    expect(owned?.readyState).toBe('ended');
    expect(openFakePeerConnections()).toEqual([]);
    expect(liveFakeListenerCount()).toBe(0);
  });
});
