import { describe, expect, it } from 'vitest';
import {
  asFakeTrack,
  createFakeMediaDevices,
  createFakeStream,
  createFakeTrack,
} from '../../testing/index.js';
import {
  bothConnected,
  bothSettled,
  closeAndExpectNoLeaks,
  createTestCall,
  until,
} from './call.js';

async function callWithVideo() {
  const call = createTestCall();
  const camera = createFakeTrack('video');
  const stream = createFakeStream([camera]);
  call.a.actor.send({ type: 'ADD_TRACK', track: camera, streams: [stream] });
  await bothConnected(call);
  await until(call.b, (s) => s.context.remoteTracks.length === 1);
  await bothSettled(call);
  return { call, camera, stream };
}

describe('tracks', () => {
  it('lists local and remote tracks with their streams', async () => {
    const { call, camera, stream } = await callWithVideo();
    const a = call.a.actor.getSnapshot().context;
    const b = call.b.actor.getSnapshot().context;
    expect(a.localTracks.map((t) => t.track)).toEqual([camera]);
    expect(a.localTracks[0]?.owned).toBe(false);
    expect(b.remoteTracks[0]?.track.kind).toBe('video');
    expect(b.remoteTracks[0]?.streams[0]?.id).toBe(stream.id);
    expect(b.remoteTracks[0]?.muted).toBe(false);
    expect(call.b.emitted.some((e) => e.type === 'track')).toBe(true);
    await closeAndExpectNoLeaks(call);
  });

  it('replaces a track without a new offer', async () => {
    const { call, camera } = await callWithVideo();
    const offers = call.a.actor.getSnapshot().context.counters.offersSent;
    const otherCamera = createFakeTrack('video');
    call.a.actor.send({ type: 'REPLACE_TRACK', track: camera, withTrack: otherCamera });
    await until(call.a, (s) => s.context.localTracks[0]?.track === otherCamera);
    await bothSettled(call);
    const a = call.a.actor.getSnapshot().context;
    expect(a.counters.offersSent).toBe(offers);
    expect(a.localTracks[0]?.sender.track).toBe(otherCamera);
    expect(call.a.errors).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('replaces with null to send nothing, keeping the old track as the handle', async () => {
    const { call, camera } = await callWithVideo();
    call.a.actor.send({ type: 'REPLACE_TRACK', track: camera, withTrack: null });
    await until(call.a, (s) => s.context.localTracks[0]?.sending === false);
    expect(call.a.actor.getSnapshot().context.localTracks[0]?.sender.track).toBeNull();
    call.a.actor.send({ type: 'REPLACE_TRACK', track: camera, withTrack: camera });
    await until(call.a, (s) => s.context.localTracks[0]?.sending === true);
    await closeAndExpectNoLeaks(call);
  });

  it('refuses a replacement of another kind with MEDIA_FAILED', async () => {
    const { call, camera } = await callWithVideo();
    call.a.actor.send({
      type: 'REPLACE_TRACK',
      track: camera,
      withTrack: createFakeTrack('audio'),
    });
    expect(call.a.errors.map((e) => e.code)).toEqual(['MEDIA_FAILED']);
    expect(call.a.actor.getSnapshot().context.localTracks[0]?.track).toBe(camera);
    await closeAndExpectNoLeaks(call);
  });

  it('removing a track renegotiates; the remote track is muted and leaves its stream', async () => {
    const { call, camera } = await callWithVideo();
    const offers = call.a.actor.getSnapshot().context.counters.offersSent;
    call.a.actor.send({ type: 'REMOVE_TRACK', track: camera });
    expect(call.a.actor.getSnapshot().context.localTracks).toEqual([]);
    const b = await until(
      call.b,
      (s) =>
        s.context.remoteTracks[0]?.muted === true &&
        s.context.remoteTracks[0]?.streams.length === 0,
    );
    expect(b.context.remoteTracks).toHaveLength(1);
    expect(call.a.actor.getSnapshot().context.counters.offersSent).toBe(offers + 1);
    // The app's own track is not stopped by the SDK.
    expect(camera.readyState).toBe('live');
    await closeAndExpectNoLeaks(call);
  });

  it('adding a track later renegotiates and the remote receives it', async () => {
    const { call } = await callWithVideo();
    const mic = createFakeTrack('audio');
    call.a.actor.send({ type: 'ADD_TRACK', track: mic });
    const b = await until(call.b, (s) => s.context.remoteTracks.length === 2);
    expect(b.context.remoteTracks.map((t) => t.track.kind).sort()).toEqual(['audio', 'video']);
    await closeAndExpectNoLeaks(call);
  });

  it('reports removing or replacing a track the peer does not send', async () => {
    const { call } = await callWithVideo();
    const stranger = createFakeTrack('video');
    call.a.actor.send({ type: 'REMOVE_TRACK', track: stranger });
    call.a.actor.send({
      type: 'REPLACE_TRACK',
      track: stranger,
      withTrack: createFakeTrack('video'),
    });
    expect(call.a.errors.map((e) => e.code)).toEqual(['MEDIA_FAILED', 'MEDIA_FAILED']);
    expect(call.a.actor.getSnapshot().matches({ active: { connection: 'connected' } })).toBe(true);
    await closeAndExpectNoLeaks(call);
  });

  it('reports adding the same track twice', async () => {
    const { call, camera } = await callWithVideo();
    call.a.actor.send({ type: 'ADD_TRACK', track: camera });
    expect(call.a.errors.map((e) => e.code)).toEqual(['MEDIA_FAILED']);
    await closeAndExpectNoLeaks(call);
  });

  it('reflects remote mute, unmute and ended', async () => {
    const { call } = await callWithVideo();
    const remote = asFakeTrack(call.b.actor.getSnapshot().context.remoteTracks[0]!.track);
    remote.simulateMute();
    await until(call.b, (s) => s.context.remoteTracks[0]?.muted === true);
    remote.simulateUnmute();
    await until(call.b, (s) => s.context.remoteTracks[0]?.muted === false);
    remote.simulateEnded();
    await until(call.b, (s) => s.context.remoteTracks[0]?.ended === true);
    await closeAndExpectNoLeaks(call);
  });

  it('START_MEDIA captures tracks the SDK owns: stopped on close, unlike the app’s', async () => {
    const devices = createFakeMediaDevices();
    const call = createTestCall({ a: { mediaDevices: devices } });
    const appTrack = createFakeTrack('audio');
    call.a.actor.send({ type: 'ADD_TRACK', track: appTrack });
    call.a.actor.send({ type: 'START_MEDIA', constraints: { video: true } });
    const a = await until(call.a, (s) => s.context.localTracks.length === 2);
    const owned = a.context.localTracks.filter((t) => t.owned).map((t) => t.track);
    expect(owned.map((t) => t.kind)).toEqual(['video']);
    await bothConnected(call);
    await closeAndExpectNoLeaks(call);
    expect(owned[0]?.readyState).toBe('ended');
    expect(appTrack.readyState).toBe('live');
  });

  it('removing a track the SDK captured stops it', async () => {
    const call = createTestCall({ a: { mediaDevices: createFakeMediaDevices() } });
    call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true } });
    const a = await until(call.a, (s) => s.context.localTracks.length === 1);
    const mic = a.context.localTracks[0]!.track;
    call.a.actor.send({ type: 'REMOVE_TRACK', track: mic });
    expect(mic.readyState).toBe('ended');
    expect(call.a.actor.getSnapshot().context.localTracks).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('CLOSE with stopTracks stops the app’s tracks too', async () => {
    const { call, camera } = await callWithVideo();
    call.a.actor.send({ type: 'CLOSE', stopTracks: true });
    expect(camera.readyState).toBe('ended');
    await closeAndExpectNoLeaks(call);
  });

  it('reports getUserMedia failures and missing media devices as MEDIA_FAILED', async () => {
    const call = createTestCall({
      a: { mediaDevices: { getUserMedia: () => Promise.reject(new Error('NotAllowedError')) } },
      b: { scope: {} },
    });
    call.a.actor.send({ type: 'START_MEDIA' });
    call.b.actor.send({ type: 'START_MEDIA' });
    await until(call.a, (s) => s.context.lastError !== null);
    expect(call.a.errors.map((e) => e.code)).toEqual(['MEDIA_FAILED']);
    expect(call.b.errors.map((e) => e.code)).toEqual(['MEDIA_FAILED']);
    await closeAndExpectNoLeaks(call);
  });

  it('stops media that arrives after close', async () => {
    let resolve: (stream: MediaStream) => void = () => {};
    const call = createTestCall({
      a: { mediaDevices: { getUserMedia: () => new Promise((r) => (resolve = r)) } },
    });
    call.a.actor.send({ type: 'START_MEDIA' });
    call.a.actor.send({ type: 'CLOSE' });
    const late = createFakeTrack('video');
    resolve(createFakeStream([late]));
    // closed is final: no snapshot follows; the capture's continuation runs before this one.
    await Promise.resolve();
    expect(late.readyState).toBe('ended');
    await closeAndExpectNoLeaks(call);
  });
});

describe('transceivers', () => {
  it("the polite peer never takes over a transceiver that already receives (Chromium's glare-rollback bug)", async () => {
    const call = createTestCall();
    const aCamera = createFakeTrack('video');
    call.a.actor.send({
      type: 'ADD_TRACK',
      track: aCamera,
      streams: [createFakeStream([aCamera])],
    });
    await bothConnected(call);
    await bothSettled(call);
    // b (polite) received a's video on a transceiver the remote offer created.
    const receiving = call.b.pc().getTransceivers();
    expect(receiving).toHaveLength(1);
    const bCamera = createFakeTrack('video');
    call.b.actor.send({
      type: 'ADD_TRACK',
      track: bCamera,
      streams: [createFakeStream([bCamera])],
    });
    await until(call.a, (s) => s.context.remoteTracks.length === 1);
    await bothSettled(call);
    const transceivers = call.b.pc().getTransceivers();
    expect(transceivers).toHaveLength(2);
    expect(transceivers[0]).toBe(receiving[0]);
    expect(transceivers[0]?.sender.track).toBeNull();
    expect(transceivers[1]?.sender.track).toBe(bCamera);
    expect(call.b.actor.getSnapshot().context.localTracks[0]?.sender).toBe(transceivers[1]?.sender);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('a recvonly transceiver receives the remote track without sending one', async () => {
    const call = createTestCall();
    call.a.actor.send({
      type: 'ADD_TRANSCEIVER',
      trackOrKind: 'video',
      init: { direction: 'recvonly' },
    });
    await bothConnected(call);
    await bothSettled(call);
    const camera = createFakeTrack('video');
    call.b.actor.send({ type: 'ADD_TRACK', track: camera, streams: [createFakeStream([camera])] });
    const a = await until(call.a, (s) => s.context.remoteTracks.length === 1);
    expect(a.context.localTracks).toEqual([]);
    expect(a.context.remoteTracks[0]?.track.kind).toBe('video');
    // b is polite: its track goes out on a transceiver of its own, not on the one a offered
    // (see addLocalTrack: Chromium breaks a receiving transceiver taken over by an offer that a
    // glare then rolls back). a receives on a second transceiver, still sending nothing.
    const transceivers = call.a.pc().getTransceivers();
    expect(transceivers.map((t) => t.direction)).toEqual(['recvonly', 'recvonly']);
    expect(transceivers.map((t) => t.sender.track)).toEqual([null, null]);
    const bTransceivers = call.b.pc().getTransceivers();
    expect(bTransceivers.find((t) => t.sender.track === camera)?.direction).toBe('sendrecv');
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('a transceiver with a track is listed as a local track; a missing API is MEDIA_FAILED', async () => {
    const call = createTestCall();
    const mic = createFakeTrack('audio');
    call.a.actor.send({
      type: 'ADD_TRANSCEIVER',
      trackOrKind: mic,
      init: { direction: 'sendonly' },
    });
    expect(call.a.actor.getSnapshot().context.localTracks.map((t) => t.track)).toEqual([mic]);
    await until(call.b, (s) => s.context.remoteTracks.length === 1);
    Object.defineProperty(call.b.pc(), 'addTransceiver', { value: undefined });
    call.b.actor.send({ type: 'ADD_TRANSCEIVER', trackOrKind: 'audio' });
    expect(call.b.errors.map((e) => e.code)).toEqual(['MEDIA_FAILED']);
    await closeAndExpectNoLeaks(call);
  });
});
