import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PeerConnectionFactory } from '../../platform/types.js';
import { asFakeTrack, createFakeTrack, FakeMediaStream } from '../fakeMedia.js';
import { createFakePeerConnectionFactory, FakePeerConnection } from '../fakePeerConnection.js';
import { buildSdp, parseSdp } from '../fakeSdp.js';
import { domName, negotiate, recordEvents, rejection, settle } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function remoteOffer(
  configure: (pc: FakePeerConnection) => void = () => {},
): Promise<RTCSessionDescriptionInit> {
  const remote = new FakePeerConnection();
  configure(remote);
  const offer = await settle(remote.createOffer());
  remote.close();
  return offer;
}

/** `pc` in have-local-offer with an audio m-section. */
async function withLocalOffer(pc: FakePeerConnection): Promise<RTCSessionDescriptionInit> {
  pc.addTrack(createFakeTrack('audio'));
  const offer = await settle(pc.createOffer());
  await settle(pc.setLocalDescription(offer));
  return offer;
}

describe('signaling state machine', () => {
  it('walks stable → have-local-offer → stable firing signalingstatechange', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    const aStates: string[] = [];
    const bStates: string[] = [];
    a.onsignalingstatechange = () => aStates.push(a.signalingState);
    b.addEventListener('signalingstatechange', () => bStates.push(b.signalingState));
    await negotiate(a, b, { offerToReceiveAudio: true });
    expect(aStates).toEqual(['have-local-offer', 'stable']);
    expect(bStates).toEqual(['have-remote-offer', 'stable']);
    expect(a.currentLocalDescription?.type).toBe('offer');
    expect(a.currentRemoteDescription?.type).toBe('answer');
    expect(a.pendingLocalDescription).toBeNull();
    expect(b.remoteDescription?.toJSON().type).toBe('offer');
    expect(a.onsignalingstatechange).toBeTypeOf('function');
    a.onsignalingstatechange = null;
  });

  it('supports provisional answers', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    a.addTransceiver('audio');
    await settle(a.setLocalDescription());
    await settle(b.setRemoteDescription(a.localDescription as RTCSessionDescription));
    const answer = await settle(b.createAnswer());
    await settle(b.setLocalDescription({ type: 'pranswer', sdp: answer.sdp ?? '' }));
    expect(b.signalingState).toBe('have-local-pranswer');
    await settle(a.setRemoteDescription({ type: 'pranswer', sdp: answer.sdp ?? '' }));
    expect(a.signalingState).toBe('have-remote-pranswer');
    await settle(b.setLocalDescription({ type: 'answer', sdp: answer.sdp ?? '' }));
    await settle(a.setRemoteDescription(answer));
    expect([a.signalingState, b.signalingState]).toEqual(['stable', 'stable']);
  });

  it('rejects createAnswer outside have-remote-offer with InvalidStateError', async () => {
    const pc = new FakePeerConnection();
    expect(domName(await rejection(pc.createAnswer()))).toBe('InvalidStateError');
    await withLocalOffer(pc);
    expect(domName(await rejection(pc.createAnswer()))).toBe('InvalidStateError');
  });

  it('rejects setLocalDescription(answer) outside have-remote-offer/have-local-pranswer', async () => {
    const pc = new FakePeerConnection();
    const sdp = buildSdp({ sections: [] });
    expect(domName(await rejection(pc.setLocalDescription({ type: 'answer', sdp })))).toBe(
      'InvalidStateError',
    );
    expect(domName(await rejection(pc.setLocalDescription({ type: 'pranswer', sdp })))).toBe(
      'InvalidStateError',
    );
  });

  it('rejects setLocalDescription(offer) in have-remote-offer', async () => {
    const pc = new FakePeerConnection();
    await settle(pc.setRemoteDescription(await remoteOffer((r) => r.addTransceiver('audio'))));
    const offer = await settle(pc.createOffer());
    expect(domName(await rejection(pc.setLocalDescription(offer)))).toBe('InvalidStateError');
  });

  it('rejects rollback in stable, and rolls back from either offer state', async () => {
    const pc = new FakePeerConnection();
    expect(domName(await rejection(pc.setLocalDescription({ type: 'rollback' })))).toBe(
      'InvalidStateError',
    );
    expect(domName(await rejection(pc.setRemoteDescription({ type: 'rollback' })))).toBe(
      'InvalidStateError',
    );
    await withLocalOffer(pc);
    expect(pc.getTransceivers()[0]?.mid).toBe('0');
    await settle(pc.setLocalDescription({ type: 'rollback' }));
    expect(pc.signalingState).toBe('stable');
    expect(pc.localDescription).toBeNull();
    expect(pc.getTransceivers()[0]?.mid).toBeNull();

    const other = new FakePeerConnection();
    const tracks = recordEvents(other, ['track']);
    await settle(
      other.setRemoteDescription(
        await remoteOffer((r) => r.addTrack(createFakeTrack('video'), new FakeMediaStream())),
      ),
    );
    expect(tracks).toEqual(['track']);
    const remoteTrack = other.getReceivers()[0]?.track as MediaStreamTrack;
    await settle(other.setRemoteDescription({ type: 'rollback' }));
    expect(other.remoteDescription).toBeNull();
    // The transceiver the offer created disappears with it.
    expect(other.getTransceivers()).toEqual([]);
    expect(remoteTrack.readyState).toBe('ended');
  });

  it('rejects setRemoteDescription(answer) outside have-local-offer/have-remote-pranswer', async () => {
    const pc = new FakePeerConnection();
    const answerSdp = buildSdp({ iceUfrag: 'abcd', icePwd: 'p'.repeat(24), sections: [] });
    expect(
      domName(await rejection(pc.setRemoteDescription({ type: 'answer', sdp: answerSdp }))),
    ).toBe('InvalidStateError');
    await settle(pc.setRemoteDescription(await remoteOffer((r) => r.addTransceiver('audio'))));
    expect(
      domName(await rejection(pc.setRemoteDescription({ type: 'answer', sdp: answerSdp }))),
    ).toBe('InvalidStateError');
  });

  it('rolls back a local offer implicitly when a remote offer arrives (default)', async () => {
    const pc = new FakePeerConnection();
    await withLocalOffer(pc);
    const states: string[] = [];
    pc.addEventListener('signalingstatechange', () => states.push(pc.signalingState));
    await settle(pc.setRemoteDescription(await remoteOffer((r) => r.addTransceiver('video'))));
    expect(states).toEqual(['stable', 'have-remote-offer']);
    expect(pc.pendingLocalDescription).toBeNull();
    expect(pc.getTransceivers().map((t) => t.mid)).toEqual([null, '0']);
  });

  it('rejects a remote offer in have-local-offer without implicit rollback', async () => {
    const pc = new FakePeerConnection({}, { implicitRollback: false });
    await withLocalOffer(pc);
    const states = recordEvents(pc, ['signalingstatechange']);
    const error = await rejection(
      pc.setRemoteDescription(await remoteOffer((r) => r.addTransceiver('audio'))),
    );
    expect(domName(error)).toBe('InvalidStateError');
    expect(pc.signalingState).toBe('have-local-offer');
    expect(states).toEqual([]);
  });

  it('rejects a modified offer with InvalidModificationError', async () => {
    const pc = new FakePeerConnection();
    pc.addTrack(createFakeTrack('audio'));
    const offer = await settle(pc.createOffer());
    const munged = {
      type: 'offer' as const,
      sdp: offer.sdp?.replace('a=sendrecv', 'a=sendonly') ?? '',
    };
    expect(domName(await rejection(pc.setLocalDescription(munged)))).toBe(
      'InvalidModificationError',
    );
    expect(pc.signalingState).toBe('stable');
  });

  it('creates the description itself when setLocalDescription has none', async () => {
    const pc = new FakePeerConnection();
    pc.addTrack(createFakeTrack('audio'));
    await settle(pc.setLocalDescription());
    expect(pc.signalingState).toBe('have-local-offer');
    expect(pc.localDescription?.type).toBe('offer');

    const answerer = new FakePeerConnection();
    await settle(answerer.setRemoteDescription(pc.localDescription as RTCSessionDescription));
    await settle(answerer.setLocalDescription({ type: 'answer' }));
    expect(answerer.signalingState).toBe('stable');
    expect(answerer.localDescription?.type).toBe('answer');
  });

  it('emulates engines without parameterless setLocalDescription', async () => {
    const pc = new FakePeerConnection({}, { parameterlessSetLocalDescription: false });
    expect(await rejection(pc.setLocalDescription())).toBeInstanceOf(TypeError);
    const error = await rejection(pc.setLocalDescription({ type: 'offer' }));
    expect(domName(error)).toBe('OperationError');
    expect(pc.signalingState).toBe('stable');
  });

  it('reports SDP syntax errors as RTCError-like OperationErrors', async () => {
    const pc = new FakePeerConnection();
    const error = await rejection(
      pc.setRemoteDescription({ type: 'offer', sdp: 'v=0\r\ngarbage\r\n' }),
    );
    expect(domName(error)).toBe('OperationError');
    expect(error).toMatchObject({ errorDetail: 'sdp-syntax-error', sdpLineNumber: 2 });
  });

  it('rejects unusable SDP with InvalidAccessError', async () => {
    const pc = new FakePeerConnection();
    const noIce = buildSdp({ sections: [{ kind: 'audio', mid: '0' }] });
    expect(domName(await rejection(pc.setRemoteDescription({ type: 'offer', sdp: noIce })))).toBe(
      'InvalidAccessError',
    );
    const b = new FakePeerConnection();
    await withLocalOffer(b);
    const twoSections = buildSdp({
      iceUfrag: 'ufra',
      icePwd: 'p'.repeat(24),
      sections: [
        { kind: 'audio', mid: '0' },
        { kind: 'video', mid: '1' },
      ],
    });
    expect(
      domName(await rejection(b.setRemoteDescription({ type: 'answer', sdp: twoSections }))),
    ).toBe('InvalidAccessError');
  });

  it('runs operations one at a time in call order (operations chain)', async () => {
    const pc = new FakePeerConnection();
    pc.addTrack(createFakeTrack('audio'));
    const order: string[] = [];
    const offer = pc.createOffer().then((o) => {
      order.push('createOffer');
      return o;
    });
    const sld = pc.setLocalDescription().then(() => order.push(`sld:${pc.signalingState}`));
    const answer = pc
      .createAnswer()
      .catch((e: unknown) => order.push(`createAnswer:${domName(e)}`));
    let resolvedSynchronously = false;
    void pc.createOffer().then(() => {
      resolvedSynchronously = true;
    });
    await Promise.resolve();
    expect(resolvedSynchronously).toBe(false);
    await settle(Promise.all([offer, sld, answer]));
    expect(order).toEqual([
      'createOffer',
      'sld:have-local-offer',
      'createAnswer:InvalidStateError',
    ]);
  });
});

describe('after close()', () => {
  it('moves to closed without events and throws InvalidStateError everywhere', async () => {
    const pc = new FakePeerConnection();
    const sender = pc.addTrack(createFakeTrack('audio'));
    const transceiver = pc.getTransceivers()[0] as RTCRtpTransceiver;
    const channel = pc.createDataChannel('x');
    const events = recordEvents(pc, [
      'signalingstatechange',
      'connectionstatechange',
      'iceconnectionstatechange',
      'negotiationneeded',
    ]);
    const channelEvents = recordEvents(channel, ['close', 'closing', 'error']);
    const receiverTrack = transceiver.receiver.track;
    const trackEvents = recordEvents(receiverTrack, ['ended']);

    pc.close();
    pc.close();
    await vi.runAllTimersAsync();

    expect(pc.signalingState).toBe('closed');
    expect(pc.connectionState).toBe('closed');
    expect(pc.iceConnectionState).toBe('closed');
    expect(events).toEqual([]);
    expect(channel.readyState).toBe('closed');
    expect(channelEvents).toEqual([]);
    expect(receiverTrack.readyState).toBe('ended');
    expect(trackEvents).toEqual([]);
    expect(transceiver.currentDirection).toBe('stopped');

    const operations = [
      pc.createOffer(),
      pc.createAnswer(),
      pc.setLocalDescription(),
      pc.setRemoteDescription({ type: 'offer', sdp: '' }),
      pc.addIceCandidate(null),
      sender.replaceTrack(null),
    ].map((operation) =>
      operation.then(
        () => undefined,
        (error: unknown) => domName(error),
      ),
    );
    expect(await Promise.all(operations)).toEqual(Array(6).fill('InvalidStateError'));
    const invalidState = expect.objectContaining({ name: 'InvalidStateError' });
    expect(() => pc.addTrack(createFakeTrack('audio'))).toThrow(invalidState);
    expect(() => pc.removeTrack(sender)).toThrow(invalidState);
    expect(() => pc.createDataChannel('y')).toThrow(invalidState);
    expect(() => pc.addTransceiver('audio')).toThrow(invalidState);
    expect(() => pc.setConfiguration({})).toThrow(invalidState);
    expect(() => {
      transceiver.direction = 'inactive';
    }).toThrow(invalidState);
    expect(() => sender.setStreams()).toThrow(invalidState);
    // restartIce() is a no-op on a closed connection, per spec.
    expect(() => pc.restartIce()).not.toThrow();
    expect(pc.getSenders()).toEqual([]);
  });

  it('never settles operations that were pending', async () => {
    const pc = new FakePeerConnection();
    let settled = false;
    pc.createOffer().then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    pc.close();
    await vi.runAllTimersAsync();
    expect(settled).toBe(false);
  });
});

describe('negotiationneeded', () => {
  it('fires once, in a task, after several changes', async () => {
    const pc = new FakePeerConnection();
    const fired = recordEvents(pc, ['negotiationneeded']);
    pc.addTrack(createFakeTrack('audio'));
    pc.addTrack(createFakeTrack('video'));
    pc.createDataChannel('a');
    pc.createDataChannel('b');
    expect(fired).toEqual([]);
    await vi.runAllTimersAsync();
    expect(fired).toEqual(['negotiationneeded']);
  });

  it('waits while have-local-offer and fires after returning to stable when still needed', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    const fired = recordEvents(a, ['negotiationneeded']);
    a.addTrack(createFakeTrack('audio'));
    await vi.runAllTimersAsync();
    expect(fired).toHaveLength(1);
    await settle(a.setLocalDescription());
    a.addTrack(createFakeTrack('video'));
    await vi.runAllTimersAsync();
    expect(fired).toHaveLength(1);
    await settle(b.setRemoteDescription(a.localDescription as RTCSessionDescription));
    await settle(b.setLocalDescription());
    await settle(a.setRemoteDescription(b.localDescription as RTCSessionDescription));
    expect(fired).toHaveLength(2);
    await negotiate(a, b);
    expect(fired).toHaveLength(2);
  });

  it('waits for the operations chain to empty', async () => {
    const pc = new FakePeerConnection();
    const fired = recordEvents(pc, ['negotiationneeded']);
    const offer = pc.createOffer();
    pc.addTrack(createFakeTrack('audio'));
    let firedBeforeOffer = -1;
    void offer.then(() => {
      firedBeforeOffer = fired.length;
    });
    await settle(offer);
    expect(firedBeforeOffer).toBe(0);
    expect(fired).toHaveLength(1);
  });

  it('does not fire when no longer needed by the time the task runs, nor after close', async () => {
    const pc = new FakePeerConnection();
    const fired = recordEvents(pc, ['negotiationneeded']);
    const transceiver = pc.addTransceiver('audio');
    pc.close();
    await vi.runAllTimersAsync();
    expect(fired).toEqual([]);
    expect(transceiver.mid).toBeNull();
  });

  it('is not set by replaceTrack, but is by direction changes, setStreams and restartIce', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    const sender = a.addTrack(createFakeTrack('audio'));
    await negotiate(a, b);
    const fired = recordEvents(a, ['negotiationneeded']);

    const replacement = createFakeTrack('audio');
    await settle(sender.replaceTrack(replacement));
    expect(sender.track).toBe(replacement);
    await settle(sender.replaceTrack(null));
    expect(fired).toEqual([]);
    expect(await rejection(sender.replaceTrack(createFakeTrack('video')))).toBeInstanceOf(
      TypeError,
    );

    const transceiver = a.getTransceivers()[0] as RTCRtpTransceiver;
    transceiver.direction = 'sendrecv';
    await vi.runAllTimersAsync();
    expect(fired).toEqual([]);
    // b answered recvonly, so sendonly is what was negotiated already: nothing to do (spec).
    transceiver.direction = 'sendonly';
    await vi.runAllTimersAsync();
    expect(fired).toEqual([]);
    transceiver.direction = 'recvonly';
    await vi.runAllTimersAsync();
    expect(fired).toHaveLength(1);
    await negotiate(a, b);
    expect(transceiver.currentDirection).toBe('inactive');
    transceiver.direction = 'sendrecv';
    await negotiate(a, b);
    expect(transceiver.currentDirection).toBe('sendonly');
    expect(fired).toHaveLength(2);

    sender.setStreams(new FakeMediaStream());
    await vi.runAllTimersAsync();
    expect(fired).toHaveLength(3);
    await negotiate(a, b);

    a.restartIce();
    await vi.runAllTimersAsync();
    expect(fired).toHaveLength(4);
  });

  it('is set again by the first data channel only', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    a.addTrack(createFakeTrack('audio'));
    await negotiate(a, b);
    const fired = recordEvents(a, ['negotiationneeded']);
    a.createDataChannel('one');
    await vi.runAllTimersAsync();
    expect(fired).toHaveLength(1);
    await negotiate(a, b);
    a.createDataChannel('two');
    await vi.runAllTimersAsync();
    expect(fired).toHaveLength(1);
  });
});

describe('ICE', () => {
  it('gathers host candidates after setLocalDescription, then signals the end', async () => {
    const pc = new FakePeerConnection();
    pc.addTrack(createFakeTrack('audio'));
    const events: string[] = [];
    const candidates: (RTCIceCandidate | null)[] = [];
    pc.addEventListener('icegatheringstatechange', () => events.push(pc.iceGatheringState));
    pc.onicecandidate = (event) => {
      events.push(event.candidate === null ? 'null' : 'candidate');
      candidates.push(event.candidate);
    };
    await settle(pc.setLocalDescription());
    expect(events).toEqual(['gathering', 'candidate', 'candidate', 'complete', 'null']);
    const ufrag = parseSdp(pc.localDescription?.sdp ?? '').sections[0]?.iceUfrag;
    const first = candidates[0] as RTCIceCandidate;
    expect(first.candidate).toMatch(
      /^candidate:1 1 udp 2122260223 127\.0\.0\.1 \d+ typ host generation 0 ufrag \S+/,
    );
    expect(first.candidate.endsWith(` ufrag ${ufrag}`)).toBe(true);
    expect(first).toMatchObject({
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: ufrag,
      type: 'host',
      protocol: 'udp',
    });
    expect(first.toJSON()).toEqual({
      candidate: first.candidate,
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: ufrag,
    });
    expect(candidates[1]?.protocol).toBe('tcp');
    expect(pc.localDescription?.sdp).toContain(`a=${first.candidate}`);
    pc.onicecandidate = null;
  });

  it('gathers again with new credentials after restartIce() or iceRestart', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    a.createDataChannel('x');
    await negotiate(a, b);
    const ufrag = (pc: FakePeerConnection) =>
      parseSdp(pc.localDescription?.sdp ?? '').sections[0]?.iceUfrag;
    const before = [ufrag(a), ufrag(b)];
    a.restartIce();
    const offer = await settle(a.createOffer());
    expect(parseSdp(offer.sdp ?? '').sections[0]?.iceUfrag).not.toBe(before[0]);
    const gathering = recordEvents(a, ['icegatheringstatechange']);
    await negotiate(a, b);
    expect(gathering).toEqual(['icegatheringstatechange', 'icegatheringstatechange']);
    const after = [ufrag(a), ufrag(b)];
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    // The restart is done: the next offer keeps the credentials.
    expect(parseSdp((await settle(a.createOffer())).sdp ?? '').sections[0]?.iceUfrag).toBe(
      after[0],
    );
    expect(
      parseSdp((await settle(a.createOffer({ iceRestart: true }))).sdp ?? '').sections[0]?.iceUfrag,
    ).not.toBe(after[0]);
  });

  it('gathers nothing with autoGather: false; emitIceCandidate drives it by hand', async () => {
    const pc = new FakePeerConnection({}, { autoGather: false });
    pc.addTrack(createFakeTrack('audio'));
    const seen: (RTCIceCandidate | null)[] = [];
    pc.addEventListener('icecandidate', (event) =>
      seen.push((event as RTCPeerConnectionIceEvent).candidate),
    );
    await settle(pc.setLocalDescription());
    expect(pc.iceGatheringState).toBe('new');
    expect(seen).toEqual([]);
    pc.emitIceCandidate({ candidate: 'candidate:9 1 udp 1 10.0.0.1 4000 typ host' });
    expect(pc.iceGatheringState).toBe('gathering');
    expect(seen[0]).toMatchObject({ sdpMid: '0', address: '10.0.0.1', port: 4000 });
    pc.emitIceCandidate(null);
    expect(pc.iceGatheringState).toBe('complete');
    expect(seen[1]).toBeNull();
  });

  it('applies the addIceCandidate rules', async () => {
    const pc = new FakePeerConnection();
    const candidate = 'candidate:1 1 udp 2122260223 192.168.1.2 5000 typ host generation 0';
    expect(domName(await rejection(pc.addIceCandidate({ candidate, sdpMid: '0' })))).toBe(
      'InvalidStateError',
    );
    expect(domName(await rejection(pc.addIceCandidate(null)))).toBe('InvalidStateError');

    const offer = await remoteOffer((r) => r.addTransceiver('audio'));
    const remoteUfrag = parseSdp(offer.sdp ?? '').sections[0]?.iceUfrag;
    await settle(pc.setRemoteDescription(offer));

    expect(
      await rejection(pc.addIceCandidate({ candidate, sdpMid: null, sdpMLineIndex: null })),
    ).toBeInstanceOf(TypeError);
    expect(domName(await rejection(pc.addIceCandidate({ candidate, sdpMid: '7' })))).toBe(
      'OperationError',
    );
    expect(domName(await rejection(pc.addIceCandidate({ candidate, sdpMLineIndex: 1 })))).toBe(
      'OperationError',
    );
    expect(
      domName(
        await rejection(pc.addIceCandidate({ candidate, sdpMid: '0', usernameFragment: 'nope' })),
      ),
    ).toBe('OperationError');
    expect(
      domName(
        await rejection(pc.addIceCandidate({ candidate: `${candidate} ufrag nope`, sdpMid: '0' })),
      ),
    ).toBe('OperationError');
    expect(
      domName(await rejection(pc.addIceCandidate({ candidate: 'candidate:garbage', sdpMid: '0' }))),
    ).toBe('OperationError');

    await settle(pc.addIceCandidate(null));
    await settle(pc.addIceCandidate());
    await settle(pc.addIceCandidate({ candidate: '', sdpMid: '0' }));
    await settle(
      pc.addIceCandidate({ candidate, sdpMid: '0', usernameFragment: remoteUfrag ?? null }),
    );
    await settle(pc.addIceCandidate({ candidate, sdpMLineIndex: 0 }));
    expect(pc.addedRemoteCandidates).toEqual([
      { candidate, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: remoteUfrag },
      { candidate, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null },
    ]);
    expect(pc.canTrickleIceCandidates).toBe(true);
  });

  it('ignores candidates for a rejected m-section', async () => {
    const pc = new FakePeerConnection();
    const sdp = buildSdp({
      iceUfrag: 'ufra',
      icePwd: 'p'.repeat(24),
      sections: [
        { kind: 'audio', mid: '0', port: 0 },
        { kind: 'video', mid: '1' },
      ],
    });
    await settle(pc.setRemoteDescription({ type: 'offer', sdp }));
    await settle(
      pc.addIceCandidate({ candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host', sdpMid: '0' }),
    );
    expect(pc.addedRemoteCandidates).toEqual([]);
    expect(pc.getTransceivers().map((t) => t.mid)).toEqual(['1']);
  });
});

describe('transceivers and tracks', () => {
  it('assigns mids at setLocalDescription and reports directions after the answer', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    const track = createFakeTrack('audio');
    const sender = a.addTrack(track);
    const transceiver = a.getTransceivers()[0] as RTCRtpTransceiver;
    expect(transceiver.sender).toBe(sender);
    expect(transceiver.mid).toBeNull();
    expect(sender.transport).toBeNull();
    const offer = await settle(a.createOffer());
    expect(transceiver.mid).toBeNull();
    await settle(a.setLocalDescription(offer));
    expect(transceiver.mid).toBe('0');
    expect(transceiver.currentDirection).toBeNull();
    expect(sender.transport?.state).toBe('new');
    b.addTrack(createFakeTrack('audio'));
    await settle(b.setRemoteDescription(offer));
    // The remote offer claimed b's addTrack transceiver instead of creating another.
    expect(b.getTransceivers()).toHaveLength(1);
    expect(b.getTransceivers()[0]?.mid).toBe('0');
    await settle(b.setLocalDescription());
    await settle(a.setRemoteDescription(b.localDescription as RTCSessionDescription));
    expect(transceiver.currentDirection).toBe('sendrecv');
    expect(a.getSenders()).toEqual([sender]);
    expect(a.getReceivers()).toEqual([transceiver.receiver]);
    expect(() => a.addTrack(track)).toThrow(
      expect.objectContaining({ name: 'InvalidAccessError' }),
    );
  });

  it('removeTrack clears the track and drops send from the direction', () => {
    const pc = new FakePeerConnection();
    const sendrecv = pc.addTrack(createFakeTrack('audio'));
    const sendonly = pc.addTransceiver(createFakeTrack('video'), { direction: 'sendonly' });
    pc.removeTrack(sendrecv);
    pc.removeTrack(sendonly.sender);
    pc.removeTrack(sendonly.sender);
    expect(sendrecv.track).toBeNull();
    expect(pc.getTransceivers().map((t) => t.direction)).toEqual(['recvonly', 'inactive']);
    const foreign = new FakePeerConnection().addTrack(createFakeTrack('audio'));
    expect(() => pc.removeTrack(foreign)).toThrow(
      expect.objectContaining({ name: 'InvalidAccessError' }),
    );
    // A transceiver that has not sent yet and lost its track is reused by addTrack.
    const again = pc.addTrack(createFakeTrack('audio'));
    expect(again).toBe(sendrecv);
    expect(pc.getTransceivers()[0]?.direction).toBe('sendrecv');
  });

  it('does not reuse a transceiver that has sent', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    const sender = a.addTrack(createFakeTrack('audio'));
    await negotiate(a, b);
    a.removeTrack(sender);
    expect(a.addTrack(createFakeTrack('audio'))).not.toBe(sender);
    expect(a.getTransceivers()).toHaveLength(2);
  });

  it('stops a transceiver: rejected at the next negotiation, then gone', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    a.addTrack(createFakeTrack('audio'));
    a.addTrack(createFakeTrack('video'));
    await negotiate(a, b);
    const [audio] = a.getTransceivers() as [RTCRtpTransceiver];
    const fired = recordEvents(a, ['negotiationneeded']);
    audio.stop();
    audio.stop();
    expect(audio.direction).toBe('stopped');
    expect(audio.receiver.track.readyState).toBe('ended');
    expect(() => {
      audio.direction = 'sendrecv';
    }).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    await vi.runAllTimersAsync();
    expect(fired).toHaveLength(1);
    await negotiate(a, b);
    expect(audio.currentDirection).toBe('stopped');
    expect(a.getTransceivers()).toHaveLength(1);
    expect(b.getTransceivers()).toHaveLength(1);
    expect(parseSdp(a.localDescription?.sdp ?? '').sections.map((s) => s.port)).toEqual([0, 9]);
    expect(domName(await rejection(audio.sender.replaceTrack(null)))).toBe('InvalidStateError');
  });

  it('unmutes remote tracks once connected and a sender streams are announced', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    const stream = new FakeMediaStream();
    a.addTrack(createFakeTrack('audio'), stream);
    const tracks: RTCTrackEvent[] = [];
    b.ontrack = (event) => tracks.push(event);
    await negotiate(a, b);
    const remote = tracks[0]?.track as MediaStreamTrack;
    expect(remote.muted).toBe(true);
    expect(tracks[0]?.streams[0]?.id).toBe(stream.id);
    const events = recordEvents(remote, ['unmute']);
    b.setConnectionState('connected');
    await vi.runAllTimersAsync();
    expect(events).toEqual(['unmute']);
    asFakeTrack(remote).simulateMute();
    expect(remote.muted).toBe(true);
    b.ontrack = null;
  });

  it('moves a remote track between streams and reports msid removal', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    const first = new FakeMediaStream();
    const second = new FakeMediaStream();
    const sender = a.addTrack(createFakeTrack('audio'), first);
    const tracks: RTCTrackEvent[] = [];
    b.ontrack = (event) => tracks.push(event);
    await negotiate(a, b);
    const remoteFirst = tracks[0]?.streams[0] as MediaStream;
    const firstEvents = recordEvents(remoteFirst, ['removetrack']);
    sender.setStreams(first, second);
    await negotiate(a, b);
    expect(tracks).toHaveLength(2);
    expect(tracks[1]?.streams.map((s) => s.id)).toEqual([first.id, second.id]);
    expect(tracks[1]?.streams[0]).toBe(remoteFirst);
    sender.setStreams(second);
    await negotiate(a, b);
    expect(firstEvents).toEqual(['removetrack']);
    expect(remoteFirst.getTracks()).toEqual([]);
    b.ontrack = null;
  });

  it('honours the legacy offerToReceive options', async () => {
    const pc = new FakePeerConnection();
    pc.addTransceiver('audio', { direction: 'sendonly' });
    pc.addTransceiver('video', { direction: 'inactive' });
    await settle(pc.createOffer({ offerToReceiveAudio: true, offerToReceiveVideo: true }));
    expect(pc.getTransceivers().map((t) => t.direction)).toEqual(['sendrecv', 'recvonly']);
    const other = new FakePeerConnection();
    await settle(other.createOffer({ offerToReceiveAudio: true }));
    expect(other.getTransceivers().map((t) => t.direction)).toEqual(['recvonly']);
  });

  it('validates addTransceiver arguments and codec preferences', () => {
    const pc = new FakePeerConnection();
    expect(() => pc.addTransceiver('text')).toThrow(TypeError);
    expect(() => pc.addTransceiver('audio', { direction: 'stopped' })).toThrow(TypeError);
    const transceiver = pc.addTransceiver('audio');
    expect(() => {
      transceiver.direction = 'stopped';
    }).toThrow(TypeError);
    transceiver.setCodecPreferences([{ mimeType: 'audio/opus', clockRate: 48000 }]);
    expect(() =>
      transceiver.setCodecPreferences([{ mimeType: 'video/VP8', clockRate: 90000 }]),
    ).toThrow(expect.objectContaining({ name: 'InvalidModificationError' }));
    expect(transceiver.sender.getParameters().encodings).toHaveLength(1);
    expect(transceiver.receiver.getParameters().codecs).toEqual([]);
    expect(transceiver.receiver.getContributingSources()).toEqual([]);
    expect(transceiver.receiver.getSynchronizationSources()).toEqual([]);
  });
});

describe('connection state, options and stats', () => {
  it('setConnectionState sets both states consistently and fires ICE first', () => {
    const pc = new FakePeerConnection();
    const events: string[] = [];
    pc.addEventListener('iceconnectionstatechange', () =>
      events.push(`ice:${pc.iceConnectionState}`),
    );
    pc.addEventListener('connectionstatechange', () => events.push(`pc:${pc.connectionState}`));
    pc.setConnectionState('connecting');
    pc.setConnectionState('connected');
    pc.setConnectionState('connected');
    pc.setConnectionState('disconnected');
    pc.setConnectionState('failed');
    expect(events).toEqual([
      'ice:checking',
      'pc:connecting',
      'ice:connected',
      'pc:connected',
      'ice:disconnected',
      'pc:disconnected',
      'ice:failed',
      'pc:failed',
    ]);
  });

  it('emulates engines without connectionState or restartIce', () => {
    const pc = new FakePeerConnection({}, { connectionState: false, restartIce: false });
    expect('connectionState' in pc).toBe(false);
    expect(pc.connectionState).toBeUndefined();
    expect('restartIce' in pc).toBe(false);
    expect(typeof pc.restartIce).toBe('undefined');
    const events = recordEvents(pc, ['connectionstatechange', 'iceconnectionstatechange']);
    pc.setConnectionState('connected');
    expect(events).toEqual(['iceconnectionstatechange']);
    expect(pc.options).toMatchObject({
      connectionState: false,
      restartIce: false,
      autoGather: true,
    });
  });

  it('reports stats like a browser', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    const sent = createFakeTrack('audio');
    a.addTrack(sent);
    b.addTrack(createFakeTrack('audio'));
    await negotiate(a, b);
    a.setConnectionState('connected');
    a.simulateRoundTripTime(0.123);
    const report = await settle(a.getStats());
    const types = [...(report as unknown as Map<string, { type: string }>).values()].map(
      (s) => s.type,
    );
    expect(types).toEqual([
      'peer-connection',
      'transport',
      'candidate-pair',
      'inbound-rtp',
      'outbound-rtp',
    ]);
    let rtt: unknown;
    report.forEach((stat: { type: string; currentRoundTripTime?: number }) => {
      if (stat.type === 'candidate-pair') rtt = stat.currentRoundTripTime;
    });
    expect(rtt).toBe(0.123);
    const senderReport = await settle(a.getSenders()[0]?.getStats() as Promise<RTCStatsReport>);
    expect(
      [...(senderReport as unknown as Map<string, { type: string }>).values()].map((s) => s.type),
    ).toEqual(['outbound-rtp']);
    const receiverReport = await settle(a.getReceivers()[0]?.getStats() as Promise<RTCStatsReport>);
    expect((receiverReport as unknown as Map<string, unknown>).size).toBe(1);
    expect(domName(await rejection(a.getStats(createFakeTrack('audio'))))).toBe(
      'InvalidAccessError',
    );
  });

  it('keeps the configuration', () => {
    const pc = new FakePeerConnection({ iceServers: [{ urls: 'stun:stun.example.org' }] });
    expect(pc.getConfiguration().iceServers).toHaveLength(1);
    pc.setConfiguration({ iceTransportPolicy: 'relay' });
    expect(pc.getConfiguration()).toEqual({ iceTransportPolicy: 'relay' });
    expect(pc.canTrickleIceCandidates).toBeNull();
  });
});

describe('data channels on a single connection', () => {
  it('validates createDataChannel like the spec', () => {
    const pc = new FakePeerConnection();
    expect(() => pc.createDataChannel('x', { negotiated: true })).toThrow(TypeError);
    expect(() => pc.createDataChannel('x', { maxRetransmits: 1, maxPacketLifeTime: 1 })).toThrow(
      TypeError,
    );
    expect(() => pc.createDataChannel('x', { negotiated: true, id: 65535 })).toThrow(TypeError);
    expect(() => pc.createDataChannel('x'.repeat(65536))).toThrow(TypeError);
    pc.createDataChannel('x', { negotiated: true, id: 3 });
    expect(() => pc.createDataChannel('y', { negotiated: true, id: 3 })).toThrow(
      expect.objectContaining({ name: 'OperationError' }),
    );
    const channel = pc.createDataChannel('z', { ordered: false, maxRetransmits: 2 });
    expect(channel).toMatchObject({
      label: 'z',
      ordered: false,
      maxRetransmits: 2,
      maxPacketLifeTime: null,
      negotiated: false,
      id: null,
      readyState: 'connecting',
      binaryType: 'arraybuffer',
      bufferedAmount: 0,
    });
  });

  it('opens channels when connected without a network, and exposes test commands', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    const channel = a.createDataChannel('chat');
    await negotiate(a, b);
    expect(channel.id).toBe(1);
    expect(a.sctp?.state).toBe('connecting');
    const events = recordEvents(channel, ['open', 'message', 'closing', 'close']);
    a.setConnectionState('connected');
    await vi.runAllTimersAsync();
    expect(a.sctp?.state).toBe('connected');
    expect(a.sctp?.maxMessageSize).toBe(262144);
    expect(channel.readyState).toBe('open');
    channel.send('hi');
    expect((channel as unknown as { sent: unknown[] }).sent).toEqual(['hi']);
    expect(() => channel.send('x'.repeat(262145))).toThrow(TypeError);

    const remote = a.simulateRemoteDataChannel('from-remote');
    expect(remote.readyState).toBe('open');
    expect(remote.id).toBe(0);
    remote.simulateMessage('pong');
    remote.simulateRemoteClose();
    expect(remote.readyState).toBe('closed');

    const late = a.createDataChannel('late');
    await vi.runAllTimersAsync();
    expect(late.readyState).toBe('open');
    expect(late.id).toBe(3);

    channel.close();
    await vi.runAllTimersAsync();
    expect(events).toEqual(['open', 'close']);
    expect(() => channel.send('x')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
  });
});

describe('createFakePeerConnectionFactory', () => {
  it('creates connections with the options and remembers them', () => {
    const factory = createFakePeerConnectionFactory({ connectionState: false });
    const asSdkOption: PeerConnectionFactory = factory;
    const pc = asSdkOption({ iceServers: [] });
    expect(factory.created).toEqual([pc]);
    expect(pc.connectionState).toBeUndefined();
    expect(factory().getConfiguration()).toEqual({});
  });
});
