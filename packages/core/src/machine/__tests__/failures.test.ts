import { describe, expect, it } from 'vitest';
import { createInMemorySignalingPair } from '../../signaling/inMemorySignaling.js';
import type { SignalingChannel } from '../../signaling/types.js';
import {
  createFakeNetwork,
  createFakeStream,
  createFakeTrack,
  FakePeerConnection,
} from '../../testing/index.js';
import { peerTimeline } from '../timeline.js';
import {
  bothConnected,
  bothSettled,
  closeAndExpectNoLeaks,
  createTestCall,
  tick,
  until,
} from './call.js';

function domError(name: string, message: string): Error {
  return new DOMException(message, name);
}

describe('negotiation failures leave the machine consistent', () => {
  it('an offer the engine refuses: NEGOTIATION_FAILED, back to stable, still usable', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    await bothSettled(call);
    // Valid on the wire (starts with v=0) but not an SDP any engine accepts.
    call.toA.send({
      v: 2,
      type: 'description',
      id: 'remote:0:99',
      inReplyTo: null,
      description: { type: 'offer', sdp: 'v=0\r\nnonsense' },
    });
    await until(call.b, (s) => s.context.lastError !== null);
    expect(call.b.errors.map((e) => [e.code, (e as { step?: string }).step])).toEqual([
      ['NEGOTIATION_FAILED', 'setRemoteDescription'],
    ]);
    await until(call.b, (s) => s.matches({ active: { signaling: 'stable' } }));
    call.b.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
    await until(call.a, (s) => s.context.remoteTracks.length === 1);
    await closeAndExpectNoLeaks(call);
  });

  it('an answer the engine refuses: the offer is rolled back and offered again', async () => {
    let corrupt = true;
    const call = createTestCall({
      wrapB: (channel) => ({
        send: (message) => {
          if (corrupt && message.type === 'description') {
            corrupt = false;
            return channel.send({
              ...message,
              description: { type: 'answer', sdp: 'v=0\r\nbroken' },
            });
          }
          return channel.send(message);
        },
        subscribe: (listener) => channel.subscribe(listener),
      }),
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    const a = call.a.actor.getSnapshot().context;
    expect(call.a.errors.map((e) => e.code)).toEqual(['NEGOTIATION_FAILED']);
    expect(peerTimeline(call.a.actor).some((e) => e.state === 'rollingBack')).toBe(true);
    expect(a.counters.offersSent).toBeGreaterThanOrEqual(2);
    await closeAndExpectNoLeaks(call);
  });

  // The answer timeout races the (fake-network) round trip on fake timers (call.ts); the assertions
  // still hold whether or not the offer went out once more than strictly needed.
  it('an offer whose delivery was lost is sent again after answerTimeout', async () => {
    let dropFirstOffer = true;
    const call = createTestCall({
      a: { answerTimeout: 300 },
      wrapA: (channel) => ({
        send: (message) => {
          if (dropFirstOffer && message.type === 'description') {
            dropFirstOffer = false;
            return;
          }
          return channel.send(message);
        },
        subscribe: (listener) => channel.subscribe(listener),
      }),
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    const a = call.a.actor.getSnapshot().context;
    // One offer was created; it went out again (the same SDP), and the call never rolled back.
    expect(a.counters.offersSent).toBe(1);
    expect(a.offerResends).toBeGreaterThanOrEqual(1);
    expect(peerTimeline(call.a.actor).some((e) => e.state === 'rollingBack')).toBe(false);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('a lost answer: the offer is sent again and the remote answers it again', async () => {
    let dropFirstAnswer = true;
    const call = createTestCall({
      a: { answerTimeout: 300 },
      wrapB: (channel) => ({
        send: (message) => {
          if (dropFirstAnswer && message.type === 'description') {
            dropFirstAnswer = false;
            return;
          }
          return channel.send(message);
        },
        subscribe: (listener) => channel.subscribe(listener),
      }),
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(call.a, (s) => s.matches({ active: { signaling: 'stable' } }));
    await bothConnected(call);
    // The repeat (now carrying the gathered candidates) is applied again and answered again.
    // Every repeat of the offer is answered once more: the dropped answer plus one per resend.
    const resends = call.a.actor.getSnapshot().context.offerResends;
    expect(resends).toBeGreaterThanOrEqual(1);
    expect(call.b.sent.filter((m) => m.type === 'description')).toHaveLength(1 + resends);
    expect(call.a.actor.getSnapshot().context.counters.offersSent).toBe(1);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('setLocalDescription failing while making an offer is reported and negotiation recovers', async () => {
    class FlakyOffers extends FakePeerConnection {
      failures = 1;
      override setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
        if (this.failures > 0 && this.signalingState === 'stable') {
          this.failures--;
          return Promise.reject(domError('OperationError', 'encoder unavailable'));
        }
        return super.setLocalDescription(description);
      }
    }
    const network = createFakeNetwork();
    const [left, right] = createInMemorySignalingPair();
    const { createPeer } = await import('../createPeer.js');
    let aPc: FakePeerConnection | null = null;
    let bPc: FakePeerConnection | null = null;
    const a = createPeer({
      signaling: left,
      polite: false,
      dev: false,
      peerConnection: (config) => {
        aPc = new FlakyOffers(config);
        if (bPc) network.link(aPc, bPc);
        return aPc;
      },
    });
    const b = createPeer({
      signaling: right,
      polite: true,
      dev: false,
      peerConnection: (config) => {
        bPc = new FakePeerConnection(config);
        if (aPc) network.link(aPc, bPc);
        return bPc;
      },
    });
    const codes: string[] = [];
    a.on('error', ({ error }) => codes.push(error.code));
    a.start();
    b.start();
    a.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(
      { actor: a } as never,
      (s) => s.matches({ active: { signaling: 'stable' } }) && codes.length === 1,
    );
    expect(codes).toEqual(['NEGOTIATION_FAILED']);
    // A later change asks for negotiation again and it goes through.
    a.send({ type: 'ADD_TRACK', track: createFakeTrack('video') });
    await until({ actor: b } as never, (s) => s.context.remoteTracks.length === 1);
    a.send({ type: 'CLOSE' });
    await until({ actor: b } as never, (s) => s.matches('closed'));
  });

  it('replaceTrack refused by the engine falls back to remove + add (renegotiates)', async () => {
    const call = createTestCall();
    const camera = createFakeTrack('video');
    call.a.actor.send({ type: 'ADD_TRACK', track: camera, streams: [createFakeStream([camera])] });
    await bothConnected(call);
    await until(call.b, (s) => s.context.remoteTracks.length === 1);
    await bothSettled(call);
    const sender = call.a.actor.getSnapshot().context.localTracks[0]!.sender;
    // As over the legacy stream API: replaceTrack is not supported.
    Object.defineProperty(sender, 'replaceTrack', {
      value: () => Promise.reject(domError('NotSupportedError', 'replaceTrack is not supported')),
    });
    const offers = call.a.actor.getSnapshot().context.counters.offersSent;
    const next = createFakeTrack('video');
    call.a.actor.send({ type: 'REPLACE_TRACK', track: camera, withTrack: next });
    const a = await until(call.a, (s) => s.context.localTracks.some((t) => t.track === next));
    expect(a.context.localTracks.map((t) => t.track)).toEqual([next]);
    await until(call.a, (s) => s.context.counters.offersSent > offers);
    await bothSettled(call);
    expect(call.a.errors).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('replaceTrack to null refused by the engine is reported', async () => {
    const call = createTestCall();
    const camera = createFakeTrack('video');
    call.a.actor.send({ type: 'ADD_TRACK', track: camera });
    await bothConnected(call);
    const sender = call.a.actor.getSnapshot().context.localTracks[0]!.sender;
    Object.defineProperty(sender, 'replaceTrack', { value: undefined });
    call.a.actor.send({ type: 'REPLACE_TRACK', track: camera, withTrack: null });
    await tick(5);
    expect(call.a.errors.map((e) => e.code)).toEqual(['MEDIA_FAILED']);
    await closeAndExpectNoLeaks(call);
  });

  it('a channel that drops every message: the same offer is resent, then NEGOTIATION_TIMEOUT', async () => {
    const silent: SignalingChannel = { send: () => {}, subscribe: () => () => {} };
    const call = createTestCall({ a: { answerTimeout: 20 }, wrapA: () => silent });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(call.a, (s) => s.context.lastError !== null);
    expect(call.a.errors.map((error) => error.code)).toEqual(['NEGOTIATION_TIMEOUT']);
    const offers = call.a.sent.filter((m) => m.type === 'description');
    expect(offers).toHaveLength(3);
    // The same offer each time: nothing was rolled back or made again.
    expect(
      new Set(offers.map((m) => (m.type === 'description' ? m.description.sdp : ''))),
    ).toHaveProperty('size', 1);
    expect(call.a.actor.getSnapshot().context.counters.offersSent).toBe(1);
    await closeAndExpectNoLeaks(call);
  });
});
