import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeTrack, FakeMediaStream } from '../fakeMedia.js';
import { createFakeNetwork, createFakePeerPair, linkFakePeers } from '../fakeNetwork.js';
import { FakePeerConnection } from '../fakePeerConnection.js';
import {
  liveFakeListenerCount,
  openFakePeerConnections,
  resetFakeRegistry,
} from '../fakeRegistry.js';
import { collectCandidates, negotiate, recordEvents, settle } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
  resetFakeRegistry();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('linked fake peers', () => {
  it('connect after a manual offer/answer with trickled candidates, and tracks arrive with streams', async () => {
    const { a, b } = createFakePeerPair();
    const track = createFakeTrack('audio');
    const stream = new FakeMediaStream([track]);
    a.addTrack(track, stream);
    const tracks: RTCTrackEvent[] = [];
    b.addEventListener('track', (event) => tracks.push(event as RTCTrackEvent));
    const aStates = recordEvents(a, ['connectionstatechange']);

    await negotiate(a, b);

    expect(a.connectionState).toBe('connected');
    expect(b.connectionState).toBe('connected');
    expect(a.iceConnectionState).toBe('connected');
    expect(aStates).toHaveLength(2);
    expect(tracks).toHaveLength(1);
    const [event] = tracks;
    expect(event?.track.kind).toBe('audio');
    expect(event?.streams.map((s) => s.id)).toEqual([stream.id]);
    expect(event?.streams[0]?.getTracks()).toEqual([event?.track]);
    expect(event?.transceiver.currentDirection).toBe('recvonly');
    expect(event?.track.muted).toBe(false);
    // b sends nothing, so a's answer-negotiated direction is send-only.
    expect(a.getTransceivers()[0]?.currentDirection).toBe('sendonly');
  });

  it('stay new without any remote candidate, as real ICE would', async () => {
    const { a, b } = createFakePeerPair({ peerOptions: { autoGather: false } });
    a.addTrack(createFakeTrack('audio'));
    const offer = await settle(a.createOffer());
    await settle(a.setLocalDescription(offer));
    await settle(b.setRemoteDescription(offer));
    await settle(b.setLocalDescription());
    await settle(a.setRemoteDescription(b.localDescription as RTCSessionDescription));
    await vi.runAllTimersAsync();
    expect(a.connectionState).toBe('new');
    expect(b.iceGatheringState).toBe('new');
  });

  it('connect without trickle when a description is sent after gathering completes', async () => {
    const { a, b } = createFakePeerPair();
    a.addTrack(createFakeTrack('audio'));
    await settle(a.setLocalDescription());
    await settle(b.setRemoteDescription(a.localDescription as RTCSessionDescription));
    await settle(b.setLocalDescription());
    const answer = b.localDescription as RTCSessionDescription;
    expect(answer.sdp).toContain('a=candidate:1 1 udp');
    expect(answer.sdp).toContain('a=end-of-candidates');
    await settle(a.setRemoteDescription(answer));
    await vi.runAllTimersAsync();
    expect(a.connectionState).toBe('connected');
  });

  it('connect without candidates when requireCandidates is false', async () => {
    const { a, b } = createFakePeerPair({ requireCandidates: false });
    a.createDataChannel('x');
    await settle(a.setLocalDescription());
    await settle(b.setRemoteDescription(a.localDescription as RTCSessionDescription));
    await settle(b.setLocalDescription());
    await settle(a.setRemoteDescription(b.localDescription as RTCSessionDescription));
    await vi.runAllTimersAsync();
    expect(a.connectionState).toBe('connected');
  });

  it('mutes the remote track and fires removetrack when the sender is removed', async () => {
    const { a, b } = createFakePeerPair();
    const stream = new FakeMediaStream([createFakeTrack('video')]);
    const sender = a.addTrack(stream.getTracks()[0] as MediaStreamTrack, stream);
    let remote: RTCTrackEvent | undefined;
    b.addEventListener('track', (event) => {
      remote = event as RTCTrackEvent;
    });
    await negotiate(a, b);
    const remoteStream = remote?.streams[0] as MediaStream;
    const remoteTrack = remote?.track as MediaStreamTrack;
    const streamEvents = recordEvents(remoteStream, ['removetrack', 'addtrack']);
    const trackEvents = recordEvents(remoteTrack, ['mute', 'unmute', 'ended']);

    a.removeTrack(sender);
    expect(a.getTransceivers()[0]?.direction).toBe('recvonly');
    await negotiate(a, b);

    expect(trackEvents).toEqual(['mute']);
    expect(streamEvents).toEqual(['removetrack']);
    expect(remoteTrack.muted).toBe(true);
    expect(remoteTrack.readyState).toBe('live');
    expect(remoteStream.getTracks()).toEqual([]);
    expect(b.getTransceivers()[0]?.currentDirection).toBe('inactive');
  });

  it('fires track again when the remote starts sending on a reused transceiver', async () => {
    const { a, b } = createFakePeerPair();
    b.addTransceiver('audio', { direction: 'recvonly' });
    await negotiate(b, a);
    // a's transceiver was created by the remote offer (recvonly) and is reused by addTrack.
    const transceiver = a.getTransceivers()[0];
    const sender = a.addTrack(createFakeTrack('audio'));
    expect(sender).toBe(transceiver?.sender);
    expect(transceiver?.direction).toBe('sendrecv');
    const tracks: RTCTrackEvent[] = [];
    b.addEventListener('track', (event) => tracks.push(event as RTCTrackEvent));
    await negotiate(a, b);
    expect(tracks).toHaveLength(1);
    expect(tracks[0]?.streams).toEqual([]);
  });

  it('open data channels on both sides and deliver messages in order, then close both', async () => {
    const { a, b } = createFakePeerPair();
    const chat = a.createDataChannel('chat', { protocol: 'json' });
    const aEvents = recordEvents(chat, ['open', 'closing', 'close']);
    let remote: RTCDataChannel | undefined;
    const bEvents: string[] = [];
    b.addEventListener('datachannel', (event) => {
      remote = (event as RTCDataChannelEvent).channel;
      bEvents.push(`datachannel:${remote.readyState}`);
      for (const type of ['open', 'closing', 'close']) {
        remote.addEventListener(type, () => bEvents.push(type));
      }
    });
    expect(() => chat.send('too early')).toThrow(
      expect.objectContaining({ name: 'InvalidStateError' }),
    );

    await negotiate(a, b);

    expect(chat.readyState).toBe('open');
    expect(remote?.label).toBe('chat');
    expect(remote?.protocol).toBe('json');
    expect(remote?.id).toBe(chat.id);
    expect(bEvents).toEqual(['datachannel:open', 'open']);
    expect(aEvents).toEqual(['open']);
    expect(chat.id).toBe(1); // a offered (actpass) and b answered active: a is the DTLS server.

    const received: unknown[] = [];
    remote?.addEventListener('message', (event) => received.push((event as MessageEvent).data));
    chat.send('one');
    chat.send(new Uint8Array([1, 2, 3]).buffer);
    chat.send(new Uint8Array([9, 8, 7, 6]).subarray(1, 3));
    chat.send('four');
    expect(chat.bufferedAmount).toBe(3 + 3 + 2 + 4);
    await vi.runAllTimersAsync();
    expect(chat.bufferedAmount).toBe(0);
    expect(received[0]).toBe('one');
    expect(new Uint8Array(received[1] as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    expect(new Uint8Array(received[2] as ArrayBuffer)).toEqual(new Uint8Array([8, 7]));
    expect(received[3]).toBe('four');

    const echoed: unknown[] = [];
    chat.onmessage = (event) => echoed.push(event.data);
    remote?.send('pong');
    await vi.runAllTimersAsync();
    expect(echoed).toEqual(['pong']);

    chat.close();
    expect(chat.readyState).toBe('closing');
    await vi.runAllTimersAsync();
    expect(chat.readyState).toBe('closed');
    expect(remote?.readyState).toBe('closed');
    expect(aEvents).toEqual(['open', 'close']);
    expect(bEvents).toEqual(['datachannel:open', 'open', 'closing', 'close']);
    chat.onmessage = null;
  });

  it('delivers binary messages as Blobs when binaryType is blob', async () => {
    const { a, b } = createFakePeerPair();
    const chat = a.createDataChannel('bin');
    let remote: RTCDataChannel | undefined;
    b.ondatachannel = (event) => {
      remote = event.channel;
      remote.binaryType = 'blob';
    };
    await negotiate(a, b);
    const received: unknown[] = [];
    remote?.addEventListener('message', (event) => received.push((event as MessageEvent).data));
    chat.send(new Blob([new Uint8Array([5, 6])]));
    await vi.runAllTimersAsync();
    expect(received[0]).toBeInstanceOf(Blob);
    expect(new Uint8Array(await (received[0] as Blob).arrayBuffer())).toEqual(
      new Uint8Array([5, 6]),
    );
    b.ondatachannel = null;
  });

  it('pairs negotiated channels by id without a datachannel event', async () => {
    const { a, b } = createFakePeerPair();
    const x = a.createDataChannel('state', { negotiated: true, id: 7 });
    const y = b.createDataChannel('state', { negotiated: true, id: 7 });
    const announced = recordEvents(b, ['datachannel']);
    await negotiate(a, b);
    expect(x.readyState).toBe('open');
    expect(y.readyState).toBe('open');
    expect(announced).toEqual([]);
    const received: unknown[] = [];
    y.onmessage = (event) => received.push(event.data);
    x.send('hello');
    await vi.runAllTimersAsync();
    expect(received).toEqual(['hello']);
    y.onmessage = null;
  });

  it('opens a channel created after connecting through renegotiation', async () => {
    const { a, b } = createFakePeerPair();
    a.addTrack(createFakeTrack('audio'));
    await negotiate(a, b);
    const late = a.createDataChannel('late');
    await vi.runAllTimersAsync();
    expect(late.readyState).toBe('connecting');
    await negotiate(a, b);
    expect(late.readyState).toBe('open');
    expect(b.sctp?.state).toBe('connected');
  });

  it('goes disconnected when the network drops and recovers by itself', async () => {
    const { a, b, network } = createFakePeerPair();
    const chat = a.createDataChannel('chat');
    const received: unknown[] = [];
    b.ondatachannel = (event) => {
      event.channel.onmessage = (message) => received.push(message.data);
    };
    await negotiate(a, b);
    const states = recordEvents(a, ['iceconnectionstatechange']);

    network.down();
    await vi.runAllTimersAsync();
    expect(a.connectionState).toBe('disconnected');
    expect(b.iceConnectionState).toBe('disconnected');
    chat.send('during outage');
    await vi.runAllTimersAsync();
    expect(received).toEqual([]);

    network.up();
    await vi.runAllTimersAsync();
    expect(a.connectionState).toBe('connected');
    expect(b.connectionState).toBe('connected');
    expect(states).toHaveLength(2);
    // SCTP retransmits what was queued during the outage.
    expect(received).toEqual(['during outage']);
    b.ondatachannel = null;
  });

  it('stays disconnected after the outage until an ICE restart when recovery needs one', async () => {
    const { a, b, network } = createFakePeerPair();
    a.addTrack(createFakeTrack('audio'));
    await negotiate(a, b);
    network.down();
    await vi.runAllTimersAsync();
    network.up({ recoverWithoutRestart: false });
    await vi.runAllTimersAsync();
    expect(a.connectionState).toBe('disconnected');

    // Renegotiating without new credentials does not help.
    await negotiate(a, b);
    expect(a.connectionState).toBe('disconnected');

    const oldUfrag = a.localDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1];
    a.restartIce();
    await negotiate(a, b);
    expect(a.localDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1]).not.toBe(oldUfrag);
    expect(a.connectionState).toBe('connected');
    expect(b.connectionState).toBe('connected');
  });

  it('goes failed through disconnected, and reconnects only after an ICE restart', async () => {
    const { a, b, network } = createFakePeerPair();
    a.createDataChannel('x');
    await negotiate(a, b);
    const states: string[] = [];
    a.addEventListener('connectionstatechange', () => states.push(a.connectionState ?? ''));

    network.fail();
    await vi.runAllTimersAsync();
    expect(states).toEqual(['disconnected', 'failed']);
    expect(b.iceConnectionState).toBe('failed');

    network.up();
    await vi.runAllTimersAsync();
    expect(a.connectionState).toBe('failed');

    await negotiate(a, b, { iceRestart: true });
    expect(states).toEqual(['disconnected', 'failed', 'connecting', 'connected']);
    expect(b.connectionState).toBe('connected');
  });

  it('keeps a connection that is being restarted while the network is down until it is up', async () => {
    const { a, b, network } = createFakePeerPair();
    a.createDataChannel('x');
    await negotiate(a, b);
    network.fail();
    await vi.runAllTimersAsync();
    await negotiate(a, b, { iceRestart: true });
    expect(a.connectionState).toBe('connecting');
    network.up();
    await vi.runAllTimersAsync();
    expect(a.connectionState).toBe('connected');
  });

  it('when one side closes, the other sees its channels abort and goes disconnected', async () => {
    const { a, b } = createFakePeerPair();
    const chat = a.createDataChannel('chat');
    let remote: RTCDataChannel | undefined;
    const remoteEvents: string[] = [];
    b.ondatachannel = (event) => {
      remote = event.channel;
      remote.onerror = (e) => remoteEvents.push(`error:${e.error.errorDetail}`);
      remote.onclose = () => remoteEvents.push('close');
    };
    a.addTrack(createFakeTrack('audio'));
    const tracks: MediaStreamTrack[] = [];
    b.ontrack = (event) => tracks.push(event.track);
    await negotiate(a, b);

    a.close();
    expect(chat.readyState).toBe('closed');
    await vi.runAllTimersAsync();
    expect(remote?.readyState).toBe('closed');
    expect(remoteEvents).toEqual(['error:sctp-failure', 'close']);
    expect(b.connectionState).toBe('disconnected');
    expect(b.signalingState).toBe('stable');
    expect(tracks[0]?.muted).toBe(true);
    b.close();
    b.ondatachannel = null;
    b.ontrack = null;
    if (remote) {
      remote.onerror = null;
      remote.onclose = null;
    }
    expect(openFakePeerConnections()).toEqual([]);
    expect(liveFakeListenerCount()).toBe(0);
  });

  it('resolves glare with implicit rollback (perfect negotiation)', async () => {
    const { a, b } = createFakePeerPair();
    a.addTrack(createFakeTrack('audio'));
    b.addTrack(createFakeTrack('video'));
    const needed = recordEvents(b, ['negotiationneeded']);
    await vi.runAllTimersAsync();
    expect(needed).toHaveLength(1);
    const aCandidates = collectCandidates(a);
    await settle(a.setLocalDescription());
    await settle(b.setLocalDescription());
    const bStates: string[] = [];
    b.addEventListener('signalingstatechange', () => bStates.push(b.signalingState));
    // b is polite: it accepts a's offer, rolling its own back.
    await settle(b.setRemoteDescription(a.localDescription as RTCSessionDescription));
    expect(bStates).toEqual(['stable', 'have-remote-offer']);
    expect(b.pendingLocalDescription).toBeNull();
    expect(needed).toHaveLength(1);
    await settle(b.setLocalDescription());
    await settle(a.setRemoteDescription(b.localDescription as RTCSessionDescription));
    for (const c of aCandidates.candidates) await settle(b.addIceCandidate(c));
    await vi.runAllTimersAsync();
    expect(a.connectionState).toBe('connected');
    // b's video transceiver lost its mid in the rollback: negotiation is needed again.
    expect(b.getTransceivers().map((t) => t.mid)).toEqual([null, '0']);
    expect(needed).toHaveLength(2);
    await negotiate(b, a);
    expect(a.getTransceivers()).toHaveLength(2);
    expect(b.getTransceivers().map((t) => t.mid)).toEqual(['1', '0']);
  });

  it('factories link the latest connection of each side, as a machine creates them', async () => {
    const network = createFakeNetwork({ latencyMs: 5 });
    const makeA = network.factory('a');
    const makeB = network.factory('b', { autoGather: true });
    const first = makeA({ iceServers: [] });
    const b = makeB({});
    expect(network.peer('a')).toBe(first);
    first.close();
    const a = makeA();
    a.createDataChannel('x');
    await negotiate(a, b);
    expect(a.connectionState).toBe('connected');
    expect(network.state).toBe('up');
  });

  it('linkFakePeers links existing connections', async () => {
    const a = new FakePeerConnection();
    const b = new FakePeerConnection();
    const network = linkFakePeers(a, b, { latencyMs: 1 });
    expect(() => network.link(a, a)).toThrow(TypeError);
    a.createDataChannel('x');
    await negotiate(a, b);
    expect(b.connectionState).toBe('connected');
  });
});

describe('transports', () => {
  it('follow the connection and close silently with it', async () => {
    const { a, b } = createFakePeerPair();
    const sender = a.addTrack(createFakeTrack('audio'));
    a.createDataChannel('x');
    await negotiate(a, b);
    const dtls = sender.transport as RTCDtlsTransport;
    const ice = dtls.iceTransport;
    const sctp = a.sctp as RTCSctpTransport;
    expect([ice.state, ice.gatheringState, dtls.state, sctp.state]).toEqual([
      'connected',
      'complete',
      'connected',
      'connected',
    ]);
    expect(sctp.transport).toBe(dtls);
    expect(sctp.maxChannels).toBe(65535);
    expect(dtls.getRemoteCertificates()).toHaveLength(1);
    expect(ice.getSelectedCandidatePair()?.local.candidate).toMatch(/^candidate:/);
    const events: string[] = [];
    ice.onstatechange = () => events.push(`ice:${ice.state}`);
    ice.ongatheringstatechange = () => events.push('gathering');
    ice.onselectedcandidatepairchange = () => events.push('pair');
    dtls.onstatechange = () => events.push(`dtls:${dtls.state}`);
    dtls.onerror = () => events.push('error');
    sctp.onstatechange = () => events.push(`sctp:${sctp.state}`);
    expect(
      [ice.onstatechange, dtls.onerror, sctp.onstatechange].every((h) => typeof h === 'function'),
    ).toBe(true);
    expect([
      ice.ongatheringstatechange,
      ice.onselectedcandidatepairchange,
      dtls.onstatechange,
    ]).toHaveLength(3);
    a.restartIce();
    await negotiate(a, b);
    expect(events).toEqual(['gathering', 'gathering']);
    a.close();
    expect([ice.state, dtls.state, sctp.state]).toEqual(['closed', 'closed', 'closed']);
    expect(dtls.getRemoteCertificates()).toEqual([]);
    expect(events).toEqual(['gathering', 'gathering']);
    ice.onstatechange = null;
    ice.ongatheringstatechange = null;
    ice.onselectedcandidatepairchange = null;
    dtls.onstatechange = null;
    dtls.onerror = null;
    sctp.onstatechange = null;
    b.close();
    expect(liveFakeListenerCount()).toBe(0);
  });
});

describe('with real timers', () => {
  it('connects a pair driven only by events, as an app would', async () => {
    vi.useRealTimers();
    const { a, b } = createFakePeerPair({ latencyMs: 1 });
    const wire = (from: FakePeerConnection, to: FakePeerConnection): void => {
      const pending: RTCIceCandidateInit[] = [];
      from.onicecandidate = ({ candidate }) => {
        if (candidate === null) return;
        // Candidates may arrive before the remote description: buffer them, as apps must.
        if (to.remoteDescription === null) pending.push(candidate.toJSON());
        else void to.addIceCandidate(candidate);
      };
      to.addEventListener('signalingstatechange', () => {
        if (to.remoteDescription === null) return;
        for (const candidate of pending.splice(0)) void to.addIceCandidate(candidate);
      });
    };
    wire(a, b);
    wire(b, a);
    a.onnegotiationneeded = async () => {
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription as RTCSessionDescription);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription as RTCSessionDescription);
    };
    const connected = new Promise<void>((resolve) => {
      b.onconnectionstatechange = () => {
        if (b.connectionState === 'connected') resolve();
      };
    });
    const opened = new Promise<string>((resolve) => {
      b.ondatachannel = ({ channel }) => {
        channel.onmessage = ({ data }) => resolve(String(data));
      };
    });
    const channel = a.createDataChannel('chat');
    channel.onopen = () => channel.send('hello');
    await connected;
    expect(await opened).toBe('hello');
    a.close();
    b.close();
  });
});
