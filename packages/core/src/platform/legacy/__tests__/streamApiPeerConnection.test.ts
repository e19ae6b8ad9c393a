import { describe, expect, it, vi } from 'vitest';
import {
  eventWith,
  FakeMediaStream,
  flush,
  StreamPeerConnection,
  stream,
  track,
} from '../../__tests__/fakes.js';
import { type StreamApiOptions, streamApiPeerConnection } from '../streamApiPeerConnection.js';

function setup(options: StreamApiOptions = { MediaStream: FakeMediaStream as never }) {
  const native = new StreamPeerConnection();
  const pc = streamApiPeerConnection(native, options);
  const streamCalls = () =>
    native.calls
      .filter((c) => c.method === 'addStream' || c.method === 'removeStream')
      .map((c) => [c.method, c.args[0]]);
  return { native, pc, streamCalls };
}

type TrackEventFields = {
  track: MediaStreamTrack;
  streams: readonly MediaStream[];
  receiver: RTCRtpReceiver;
  transceiver: RTCRtpTransceiver;
};

describe('streamApiPeerConnection, local side', () => {
  it('publishes the caller stream itself once it holds exactly the added tracks', () => {
    const { native, pc, streamCalls } = setup();
    const audio = track('audio');
    const video = track('video');
    const mine = stream(audio, video);
    pc.addTrack(audio, mine);
    const [partial] = native.getLocalStreams();
    expect(partial).not.toBe(mine);
    expect(partial?.getTracks()).toEqual([audio]);
    pc.addTrack(video, mine);
    expect(native.getLocalStreams()).toEqual([mine]);
    expect(streamCalls()).toEqual([
      ['addStream', partial],
      ['removeStream', partial],
      ['addStream', mine],
    ]);
  });

  it('groups tracks by their first stream, and tracks without a stream together', () => {
    const { native, pc } = setup();
    const [a, b, c] = [track(), track('video'), track()];
    const one = stream(a);
    const other = stream(c);
    pc.addTrack(a, one, other);
    pc.addTrack(b);
    pc.addTrack(c, other);
    expect(native.getLocalStreams()).toHaveLength(3);
    expect(native.getLocalStreams()).toContain(one);
    expect(native.getLocalStreams()).toContain(other);
    expect(native.getLocalStreams().map((s) => s.getTracks())).toContainEqual([b]);
  });

  it('returns sender-like objects, listed by getSenders and getTransceivers', async () => {
    const { native, pc } = setup();
    const audio = track();
    const statsSpy = vi.spyOn(native, 'getStats');
    const sender = pc.addTrack(audio, stream(audio));
    expect(sender.track).toBe(audio);
    expect(pc.getSenders()).toEqual([sender]);
    await expect(sender.replaceTrack(track())).rejects.toMatchObject({
      name: 'NotSupportedError',
    });
    await expect(sender.setParameters({} as RTCRtpSendParameters)).rejects.toMatchObject({
      name: 'NotSupportedError',
    });
    expect(() => sender.setStreams()).toThrow(
      expect.objectContaining({ name: 'NotSupportedError' }),
    );
    expect(sender.getParameters()).toMatchObject({ encodings: [], transactionId: '' });
    await sender.getStats();
    expect(statsSpy).toHaveBeenCalledWith(audio);
    const [transceiver] = pc.getTransceivers();
    expect(transceiver).toMatchObject({ sender, direction: 'sendonly', mid: null });
    expect(transceiver?.receiver.track).toBeNull();
    expect(() => transceiver?.stop()).toThrow(
      expect.objectContaining({ name: 'NotSupportedError' }),
    );
    expect(() => transceiver?.setCodecPreferences([])).toThrow(
      expect.objectContaining({ name: 'NotSupportedError' }),
    );
    expect(transceiver?.receiver.getParameters()).toMatchObject({ codecs: [] });
  });

  it('refuses a track twice, and anything once closed', () => {
    const { native, pc } = setup();
    const audio = track();
    const sender = pc.addTrack(audio);
    expect(() => pc.addTrack(audio)).toThrow(
      expect.objectContaining({ name: 'InvalidAccessError' }),
    );
    native.close();
    expect(() => pc.addTrack(track())).toThrow(
      expect.objectContaining({ name: 'InvalidStateError' }),
    );
    expect(() => pc.removeTrack(sender)).toThrow(
      expect.objectContaining({ name: 'InvalidStateError' }),
    );
  });

  it('removeTrack republishes the remaining tracks and clears the sender', () => {
    const { native, pc, streamCalls } = setup();
    const [audio, video] = [track(), track('video')];
    const mine = stream(audio, video);
    const audioSender = pc.addTrack(audio, mine);
    const videoSender = pc.addTrack(video, mine);
    pc.removeTrack(audioSender);
    expect(audioSender.track).toBeNull();
    expect(pc.getSenders()).toEqual([videoSender]);
    const [remaining] = native.getLocalStreams();
    expect(remaining?.getTracks()).toEqual([video]);
    pc.removeTrack(videoSender);
    expect(native.getLocalStreams()).toEqual([]);
    expect(streamCalls().slice(-3)).toEqual([
      ['removeStream', mine],
      ['addStream', remaining],
      ['removeStream', remaining],
    ]);
    // Removing again is a no-op; the track can be added anew.
    pc.removeTrack(videoSender);
    pc.addTrack(video, mine);
    expect(native.getLocalStreams()[0]?.getTracks()).toEqual([video]);
  });

  it('rejects a sender it did not create', () => {
    const { pc } = setup();
    expect(() => pc.removeTrack({} as RTCRtpSender)).toThrow(
      expect.objectContaining({ name: 'InvalidAccessError' }),
    );
  });

  it('needs a MediaStream constructor only when the caller stream cannot be published', () => {
    const { native, pc } = setup({});
    const audio = track();
    pc.addTrack(audio, stream(audio));
    expect(native.getLocalStreams()).toHaveLength(1);
    expect(() => pc.addTrack(track())).toThrow(
      expect.objectContaining({ name: 'NotSupportedError' }),
    );
    // Nothing changed on failure.
    expect(pc.getSenders()).toHaveLength(1);
    expect(native.getLocalStreams()).toHaveLength(1);
  });
});

describe('streamApiPeerConnection, remote side', () => {
  it('fires a track event per track of each addstream event', () => {
    const { native, pc } = setup();
    const events: TrackEventFields[] = [];
    pc.addEventListener('track', (event) => events.push(event as unknown as TrackEventFields));
    const [audio, video] = [track(), track('video')];
    const remote = stream(audio, video);
    native.remoteStreamAdded(remote);
    expect(events.map((e) => e.track)).toEqual([audio, video]);
    for (const event of events) {
      expect(event.streams).toEqual([remote]);
      expect(event.receiver.track).toBe(event.track);
      expect(event.transceiver).toMatchObject({ receiver: event.receiver, direction: 'recvonly' });
      expect(event.transceiver.sender.track).toBeNull();
    }
    expect(pc.getReceivers()).toEqual(events.map((e) => e.receiver));
    expect(pc.getTransceivers()).toEqual(events.map((e) => e.transceiver));
    expect(events[0]?.receiver.getContributingSources()).toEqual([]);
    expect(events[0]?.receiver.getSynchronizationSources()).toEqual([]);
    // The same stream announced twice, or an event without a stream, changes nothing.
    native.remoteStreamAdded(remote);
    native.dispatchEvent(new Event('addstream'));
    expect(events).toHaveLength(2);
  });

  it('provides ontrack, with handler semantics', () => {
    const { native, pc } = setup();
    expect('ontrack' in pc).toBe(true);
    expect(pc.ontrack).toBeNull();
    const handler = vi.fn();
    pc.ontrack = handler;
    expect(pc.ontrack).toBe(handler);
    native.remoteStreamAdded(stream(track()));
    expect(handler).toHaveBeenCalledOnce();
    expect(handler.mock.contexts[0]).toBe(pc);
    (pc as { ontrack: unknown }).ontrack = 'not a function';
    expect(pc.ontrack).toBeNull();
    native.remoteStreamAdded(stream(track()));
    expect(handler).toHaveBeenCalledOnce();
  });

  it('announces tracks the engine adds to a remote stream later', () => {
    const { native, pc } = setup();
    const listener = vi.fn();
    pc.addEventListener('track', listener);
    const remote = stream(track());
    native.remoteStreamAdded(remote);
    const later = track('video');
    remote.addTrack(later);
    remote.dispatchEvent(eventWith('addtrack', { track: later }));
    remote.dispatchEvent(eventWith('addtrack', { track: later }));
    remote.dispatchEvent(eventWith('addtrack', {}));
    expect(listener).toHaveBeenCalledTimes(2);
    expect(listener.mock.calls[1]?.[0]).toMatchObject({ track: later, streams: [remote] });
  });

  it('forgets tracks the engine removes from a remote stream', () => {
    const { native, pc } = setup();
    const [audio, video] = [track(), track('video')];
    const remote = stream(audio, video);
    native.remoteStreamAdded(remote);
    remote.removeTrack(video);
    remote.dispatchEvent(eventWith('removetrack', { track: video }));
    remote.dispatchEvent(eventWith('removetrack', { track: video }));
    remote.dispatchEvent(eventWith('removetrack', {}));
    expect(pc.getReceivers().map((r) => r.track)).toEqual([audio]);
  });

  it('removes the tracks of a removed remote stream from it', () => {
    const { native, pc } = setup();
    const [audio, video, shared] = [track(), track('video'), track()];
    const remote = stream(audio, video, shared);
    const other = stream(shared);
    native.remoteStreamAdded(remote);
    native.remoteStreamAdded(other);
    // The engine already took `video` out itself.
    remote.removeTrack(video);
    const removed = vi.fn();
    remote.addEventListener('removetrack', (event) =>
      removed((event as unknown as { track: unknown }).track),
    );
    native.remoteStreamRemoved(remote);
    expect(remote.getTracks()).toEqual([]);
    expect(removed.mock.calls).toEqual([[audio], [shared]]);
    // `shared` is still received through the other stream.
    expect(pc.getReceivers().map((r) => r.track)).toEqual([shared]);
    // Listeners are detached: later events on the stream are ignored.
    remote.dispatchEvent(eventWith('addtrack', { track: track() }));
    expect(pc.getReceivers()).toHaveLength(1);
    // Unknown streams and events without a stream are ignored.
    native.remoteStreamRemoved(remote);
    native.dispatchEvent(new Event('removestream'));
    native.remoteStreamRemoved(other);
    expect(pc.getReceivers()).toEqual([]);
  });

  it('leaves track events to engines that have ontrack', () => {
    const native = new StreamPeerConnection();
    Object.defineProperty(native, 'ontrack', { value: null, writable: true });
    const pc = streamApiPeerConnection(native);
    const listener = vi.fn();
    pc.addEventListener('track', listener);
    const audio = track();
    native.remoteStreamAdded(stream(audio));
    expect(listener).not.toHaveBeenCalled();
    expect(pc.getReceivers().map((r) => r.track)).toEqual([audio]);
    const forced = streamApiPeerConnection(new StreamPeerConnection(), { trackEvents: false });
    expect('ontrack' in forced).toBe(false);
  });

  it('receiver stats come from the peer connection', async () => {
    const { native, pc } = setup();
    const spy = vi.spyOn(native, 'getStats');
    const audio = track();
    native.remoteStreamAdded(stream(audio));
    await pc.getReceivers()[0]?.getStats();
    expect(spy).toHaveBeenCalledWith(audio);
    await flush();
  });
});
