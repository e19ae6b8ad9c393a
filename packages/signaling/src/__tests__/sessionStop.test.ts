/**
 * A session's hang-up on a loaded machine: the bye and the leave go out before the peer
 * connection closes (closing it first let the remote see the connection die before the bye,
 * and a closing tab could lose both).
 */
import { createFakeMediaDevices, createFakeNetwork } from '@peerstatejs/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  createSignalingSession,
  createWebSocketSignaling,
  type SignalingSession,
  type SignalingSessionSnapshot,
  type WebSocketSignaling,
  type WebSocketSignalingOptions,
} from '../index.js';
import { installMockRoom } from './mockRoom.js';
import { untilSnapshot } from './untilSnapshot.js';

const URL_ = 'ws://session-stop.test/';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function until(target: SignalingSession, predicate: (s: SignalingSessionSnapshot) => boolean) {
  return untilSnapshot(target, predicate);
}

it('stop() sends the bye and the leave before it closes the peer connection', async () => {
  installMockRoom(server, URL_);
  const network = createFakeNetwork();
  const log: string[] = [];
  const spyTransport = (options: WebSocketSignalingOptions): WebSocketSignaling =>
    new Proxy(createWebSocketSignaling(options), {
      get(target, key) {
        if (key === 'send') {
          return (message: Parameters<WebSocketSignaling['send']>[0]) => {
            log.push(message.type);
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
  const make = (peerId: string, side: 'a' | 'b', spy: boolean) => {
    const factory = network.factory(side);
    return createSignalingSession({
      url: URL_,
      room: 'stop-1',
      peerId,
      reconnect: { initialDelay: 10, jitter: 0 },
      leaveOnPageHide: false,
      media: { audio: true },
      ...(spy ? { createTransport: spyTransport } : {}),
      peer: {
        peerConnection: (configuration) => {
          const pc = factory(configuration);
          if (spy) {
            const close = pc.close.bind(pc);
            pc.close = () => {
              log.push('pc.close');
              close();
            };
          }
          return pc;
        },
        mediaDevices: createFakeMediaDevices(),
        dev: false,
      },
    });
  };
  const ann = make('ann', 'a', true);
  const bob = make('bob', 'b', false);
  ann.start();
  bob.start();
  const connected = (s: SignalingSessionSnapshot) => s.view?.phase === 'connected';
  await Promise.all([until(ann, connected), until(bob, connected)]);
  log.length = 0;
  ann.stop();
  expect(log.slice(0, log.indexOf('pc.close'))).toEqual(['bye', 'leave']);
  expect(log).toContain('pc.close');
  expect(ann.getSnapshot().view).toMatchObject({ phase: 'closed', closeReason: 'local' });
  // Bob hears the bye: the remote hung up, not a failed connection.
  await until(
    bob,
    (s) => s.view?.closeReason === 'remote' || s.view?.closeReason === 'remote-left',
  );
  bob.stop();
});
