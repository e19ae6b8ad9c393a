/**
 * What a room sends first, for a loaded machine. Start-up with a slow impolite side: the polite
 * peer of a pair is created on the impolite one's first message, so the two never offer at once
 * (and anyway when that message never comes). Leaving: every bye and the leave go out before any
 * peer connection closes (closing them takes long enough for a closing tab to lose the rest).
 */
import {
  createFakeMediaDevices,
  createFakeNetwork,
  type FakeNetwork,
} from '@peerstatejs/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installMockRoom } from '../../__tests__/mockRoom.js';
import { untilSnapshot } from '../../__tests__/untilSnapshot.js';
import {
  createRoom,
  createWebSocketSignaling,
  type Room,
  type RoomSnapshot,
  type WebSocketSignaling,
  type WebSocketSignalingOptions,
} from '../../index.js';
import { POLITE_WAIT_MS } from '../room.js';

const URL_ = 'ws://room-startup.test/';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A transport whose every send leaves `ms` late: the page that owns it is busy. */
function slowSender(ms: number) {
  return (options: WebSocketSignalingOptions): WebSocketSignaling => {
    const transport = createWebSocketSignaling(options);
    return new Proxy(transport, {
      get(target, key) {
        if (key === 'send') {
          return (message: Parameters<WebSocketSignaling['send']>[0]) =>
            setTimeout(() => target.state !== 'closed' && target.send(message), ms);
        }
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
}

function room(
  peerId: string,
  network: FakeNetwork,
  extra: Parameters<typeof createRoom>[0] | object = {},
) {
  const devices = createFakeMediaDevices();
  const created = createRoom({
    url: URL_,
    room: 'startup',
    peerId,
    reconnect: { initialDelay: 10, jitter: 0 },
    leaveOnPageHide: false,
    qualityIntervalMs: 0,
    media: { audio: true },
    getUserMedia: (constraints) => devices.getUserMedia(constraints),
    // 'ann' < 'bob': ann is the polite side (`isPolite`), network side a.
    peer: () => ({ peerConnection: network.factory(peerId === 'ann' ? 'a' : 'b'), dev: false }),
    ...extra,
  });
  cleanups.push(() => created.stop());
  return created;
}

function until(target: Room, predicate: (s: RoomSnapshot) => boolean, timeout = 10_000) {
  return untilSnapshot(target, predicate, timeout);
}

const connected = (id: string) => (s: RoomSnapshot) =>
  s.participants.some((p) => p.id === id && p.view.phase === 'connected');

describe('room: start-up', () => {
  it('a slow impolite side: the polite peer answers its offer, no collision on either side', async () => {
    installMockRoom(server, URL_);
    const network = createFakeNetwork();
    // Later than the polite peer's start-up hold (500 ms): a polite peer created on meeting bob
    // would offer first, and the two offers would collide.
    const bob = room('bob', network, { createTransport: slowSender(900) });
    const ann = room('ann', network);
    bob.start();
    ann.start();
    const [a, b] = await Promise.all([until(ann, connected('bob')), until(bob, connected('ann'))]);
    const annForBob = a.participants[0]?.peer.getSnapshot().context.counters;
    const bobForAnn = b.participants[0]?.peer.getSnapshot().context.counters;
    expect(a.participants[0]?.polite).toBe(true);
    expect({ rollbacks: annForBob?.rollbacks, ignored: bobForAnn?.offersIgnored }).toEqual({
      rollbacks: 0,
      ignored: 0,
    });
    expect(annForBob?.offersSent).toBe(0);
  });

  it(`a polite peer whose remote never signals is created after ${POLITE_WAIT_MS} ms`, async () => {
    installMockRoom(server, URL_);
    const network = createFakeNetwork();
    // Joins the room and says nothing: not a room, just a channel.
    const silent = createWebSocketSignaling({ url: URL_, room: 'startup', peerId: 'zed' });
    cleanups.push(() => silent.close());
    const ann = room('ann', network);
    const startedAt = Date.now();
    ann.start();
    await until(ann, (s) => s.state === 'open');
    expect(ann.getSnapshot().participants).toEqual([]);
    const seen = await until(ann, (s) => s.participants.some((p) => p.id === 'zed'));
    // Timers never fire early: this holds on any machine.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(POLITE_WAIT_MS);
    expect(seen.participants[0]?.polite).toBe(true);
  });
});

describe('room: stop', () => {
  it('sends every bye and the leave before it closes any peer connection', async () => {
    installMockRoom(server, URL_);
    const log: string[] = [];
    const networks = new Map<string, FakeNetwork>();
    const factory = (local: string, remote: string, spy: boolean) => {
      const key = [local, remote].sort().join('|');
      let network = networks.get(key);
      if (!network) {
        network = createFakeNetwork();
        networks.set(key, network);
      }
      const make = network.factory(local < remote ? 'a' : 'b');
      return (configuration: RTCConfiguration) => {
        const pc = make(configuration);
        if (spy) {
          const close = pc.close.bind(pc);
          pc.close = () => {
            log.push(`pc.close ${remote}`);
            close();
          };
        }
        return pc;
      };
    };
    const spyTransport = (options: WebSocketSignalingOptions): WebSocketSignaling => {
      const transport = createWebSocketSignaling(options);
      return new Proxy(transport, {
        get(target, key) {
          if (key === 'send') {
            return (message: Parameters<WebSocketSignaling['send']>[0]) => {
              const { to, message: inner } = message as unknown as {
                to: string;
                message: { type: string };
              };
              log.push(`${inner.type} ${to}`);
              target.send(message);
            };
          }
          if (key === 'close') {
            return () => {
              log.push('leave');
              target.close();
            };
          }
          const value = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    };
    const mesh = ['ann', 'bob', 'cat'].map((id) =>
      room(id, createFakeNetwork(), {
        peer: (remote: string) => ({
          peerConnection: factory(id, remote, id === 'ann'),
          dev: false,
        }),
        ...(id === 'ann' ? { createTransport: spyTransport } : {}),
      }),
    ) as [Room, Room, Room];
    for (const r of mesh) r.start();
    const [ann, bob, cat] = mesh;
    await Promise.all([
      until(ann, (s) => connected('bob')(s) && connected('cat')(s)),
      until(bob, connected('ann')),
      until(cat, connected('ann')),
    ]);
    log.length = 0;
    ann.stop();
    const firstClose = log.findIndex((entry) => entry.startsWith('pc.close'));
    expect(log.slice(0, firstClose).sort()).toEqual(['bye bob', 'bye cat', 'leave']);
    // Both connections close (the SDK may call close() twice on one: it is idempotent).
    expect([...new Set(log.filter((entry) => entry.startsWith('pc.close')))].sort()).toEqual([
      'pc.close bob',
      'pc.close cat',
    ]);
    // And the others drop ann (its bye).
    await Promise.all([bob, cat].map((r) => until(r, (s) => s.participants.length === 1)));
  });
});
