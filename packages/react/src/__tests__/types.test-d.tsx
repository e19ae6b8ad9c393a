import type {
  PeerActor,
  PeerCommand,
  PeerPhase,
  PeerSnapshot,
  PeerStateError,
  PeerView,
} from '@peerstatejs/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type PeerEventHandlers,
  PeerVideo,
  type UsePeerResult,
  usePeer,
  type usePeerActorRef,
  usePeerSelector,
} from '../index.js';

declare const actor: PeerActor;
declare const result: UsePeerResult;

describe('types flow from core', () => {
  it('usePeer takes options or an actor and returns typed state', () => {
    expectTypeOf(usePeer)
      .parameter(0)
      .toEqualTypeOf<Parameters<typeof usePeerActorRef>[0] | PeerActor>();
    expectTypeOf(usePeer(actor)).toEqualTypeOf<UsePeerResult>();
    expectTypeOf(result.phase).toEqualTypeOf<PeerPhase>();
    expectTypeOf(result.error).toEqualTypeOf<PeerStateError | null>();
    expectTypeOf(result.view).toEqualTypeOf<PeerView>();
    expectTypeOf(result.state).toEqualTypeOf<PeerSnapshot['value']>();
    expectTypeOf(result.remoteStreams).toEqualTypeOf<readonly MediaStream[]>();
    expectTypeOf(result.send).parameter(0).toEqualTypeOf<PeerCommand>();
    expectTypeOf(result.actor).toEqualTypeOf<PeerActor>();
  });

  it('has no any in the public surface', () => {
    expectTypeOf<UsePeerResult[keyof UsePeerResult]>().not.toBeAny();
    expectTypeOf<PeerEventHandlers[keyof PeerEventHandlers]>().not.toBeAny();
    expectTypeOf(
      usePeerSelector(actor, (s) => s.context.counters.offersSent),
    ).toEqualTypeOf<number>();
  });

  it('rejects what the machine does not accept', () => {
    // @ts-expect-error internal events are not commands
    result.send({ type: 'pc.negotiationNeeded' });
    // @ts-expect-error a command's fields are checked
    result.send({ type: 'CREATE_DATA_CHANNEL' });
    // @ts-expect-error no such state
    result.matches('ringing');
    // @ts-expect-error no such emitted event
    const unknown: PeerEventHandlers = { ringing: () => {} };
    void unknown;
  });

  it('narrows emitted events per handler', () => {
    const handlers: PeerEventHandlers = {
      error: (event) => expectTypeOf(event.error).toEqualTypeOf<PeerStateError>(),
      data: (event) => expectTypeOf(event.label).toEqualTypeOf<string>(),
      closed: (event) => expectTypeOf(event.reason).toEqualTypeOf<string>(),
    };
    void handlers;
  });

  it('PeerVideo takes a stream and video attributes', () => {
    void (<PeerVideo stream={null} muted className="remote" />);
    // @ts-expect-error stream is required
    void (<PeerVideo muted />);
  });
});
