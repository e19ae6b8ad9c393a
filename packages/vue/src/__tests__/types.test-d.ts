import type {
  CreatePeerOptions,
  PeerActor,
  PeerCommand,
  PeerPhase,
  PeerSnapshot,
  PeerStateError,
  PeerView,
} from '@peerstatejs/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { ComputedRef } from 'vue';
import { type PeerEventHandlers, type UsePeerReturn, usePeer } from '../index.js';

declare const result: UsePeerReturn;

describe('types flow from core', () => {
  it('usePeer takes options or an actor and returns typed refs', () => {
    expectTypeOf(usePeer).parameter(0).toEqualTypeOf<CreatePeerOptions | PeerActor>();
    expectTypeOf(result.phase).toEqualTypeOf<ComputedRef<PeerPhase>>();
    expectTypeOf(result.error.value).toEqualTypeOf<PeerStateError | null>();
    expectTypeOf(result.view.value).toEqualTypeOf<PeerView>();
    expectTypeOf(result.state.value).toEqualTypeOf<PeerSnapshot['value']>();
    expectTypeOf(result.snapshot.value).toEqualTypeOf<PeerSnapshot>();
    expectTypeOf(result.remoteStreams.value).toEqualTypeOf<readonly MediaStream[]>();
    expectTypeOf(result.send).parameter(0).toEqualTypeOf<PeerCommand>();
  });

  it('has no any in the public surface', () => {
    expectTypeOf<UsePeerReturn[keyof UsePeerReturn]>().not.toBeAny();
    expectTypeOf<PeerEventHandlers[keyof PeerEventHandlers]>().not.toBeAny();
  });

  it('rejects what the machine does not accept', () => {
    // @ts-expect-error internal events are not commands
    result.send({ type: 'pc.negotiationNeeded' });
    // @ts-expect-error no such state
    result.matches('ringing');
    const next = result.snapshot.value;
    // @ts-expect-error the snapshot is read-only
    result.snapshot.value = next;
    // @ts-expect-error no such emitted event
    const unknown: PeerEventHandlers = { ringing: () => {} };
    void unknown;
  });

  it('narrows emitted events per handler', () => {
    const handlers: PeerEventHandlers = {
      error: (event) => expectTypeOf(event.error).toEqualTypeOf<PeerStateError>(),
      track: (event) => expectTypeOf(event.track).toEqualTypeOf<MediaStreamTrack>(),
    };
    void handlers;
  });
});
