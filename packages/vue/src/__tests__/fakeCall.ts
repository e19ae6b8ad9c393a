import { type CreatePeerOptions, createInMemorySignalingPair } from '@peerstate/core';
import {
  createFakeMediaDevices,
  createFakeNetwork,
  type FakeNetwork,
  type FakePeerConnection,
  resetFakeRegistry,
} from '@peerstate/core/testing';

/** Two peers' options over in-memory signaling and a fake network; counts connections created. */
export function fakeCall(): {
  caller: CreatePeerOptions;
  callee: CreatePeerOptions;
  network: FakeNetwork;
  created: FakePeerConnection[];
} {
  resetFakeRegistry();
  const network = createFakeNetwork();
  const [left, right] = createInMemorySignalingPair();
  const created: FakePeerConnection[] = [];
  const counted =
    (side: 'a' | 'b') =>
    (configuration?: RTCConfiguration): FakePeerConnection => {
      const pc = network.factory(side)(configuration);
      created.push(pc);
      return pc;
    };
  return {
    caller: {
      signaling: left,
      polite: false,
      peerConnection: counted('a'),
      mediaDevices: createFakeMediaDevices(),
      dev: false,
    },
    callee: { signaling: right, polite: true, peerConnection: counted('b'), dev: false },
    network,
    created,
  };
}
