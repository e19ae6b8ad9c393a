import { createInMemorySignalingPair } from '../signaling/inMemorySignaling.js';
import type { SignalingChannel } from '../signaling/types.js';
import { createFakeMediaDevices, type FakeMediaDevices } from './fakeMedia.js';
import { createFakeNetwork, type FakeNetwork, type FakeNetworkOptions } from './fakeNetwork.js';
import type { FakePeerConnection, FakePeerConnectionOptions } from './fakePeerConnection.js';

/** The options of one side of a {@link createFakeCall}, ready to pass to `createPeer` or a hook. */
export interface FakeCallSide {
  readonly signaling: SignalingChannel;
  readonly polite: boolean;
  /** Creates this side's fake peer connection, linked to the other side's. */
  readonly peerConnection: (configuration?: RTCConfiguration) => FakePeerConnection;
  readonly mediaDevices: FakeMediaDevices;
  readonly dev: false;
}

/** What {@link createFakeCall} returns. */
export interface FakeCall {
  /** Impolite side's options. */
  readonly caller: FakeCallSide;
  /** Polite side's options. */
  readonly callee: FakeCallSide;
  readonly network: FakeNetwork;
  /** Every fake peer connection created by either side, in order. */
  readonly created: readonly FakePeerConnection[];
}

/** Options of {@link createFakeCall}. */
export interface FakeCallOptions extends FakeNetworkOptions {
  readonly caller?: FakePeerConnectionOptions;
  readonly callee?: FakePeerConnectionOptions;
}

/**
 * Options for two peers that talk over in-memory signaling and a fake network, with fake
 * media devices: everything an app's test needs to run a call in Node.
 *
 * @example
 * ```ts
 * const call = createFakeCall();
 * const caller = createPeer(call.caller);
 * const callee = createPeer(call.callee);
 * caller.start();
 * callee.start();
 * caller.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
 * await waitFor(callee, (s) => s.matches({ active: { connection: 'connected' } }));
 * ```
 */
export function createFakeCall(options: FakeCallOptions = {}): FakeCall {
  const network = createFakeNetwork(options);
  const [left, right] = createInMemorySignalingPair();
  const created: FakePeerConnection[] = [];
  const side = (
    name: 'a' | 'b',
    signaling: SignalingChannel,
    polite: boolean,
    peerOptions: FakePeerConnectionOptions | undefined,
  ): FakeCallSide => {
    const factory = network.factory(name, peerOptions);
    return {
      signaling,
      polite,
      peerConnection: (configuration) => {
        const pc = factory(configuration);
        created.push(pc);
        return pc;
      },
      mediaDevices: createFakeMediaDevices(),
      dev: false,
    };
  };
  return {
    caller: side('a', left, false, options.caller),
    callee: side('b', right, true, options.callee),
    network,
    created,
  };
}
