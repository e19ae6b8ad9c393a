/**
 * Issue 15, the media controls: mute (soft and hard), device switch, screen share, sender
 * settings. Each is checked on the live connection and again after a rebuild, where the intent
 * alone puts it back.
 */
import { describe, expect, it, vi } from 'vitest';
import { mediaControls } from '../../../media-controls/index.js';
import { domError } from '../../../testing/domError.js';
import {
  createFakeMediaDevices,
  createFakeStream,
  createFakeTrack,
  FakeMediaStream,
  FakeMediaStreamTrack,
  type FakePeerConnection,
} from '../../../testing/index.js';
import {
  bothConnected,
  bothSettled,
  CONNECTED,
  closeAndExpectNoLeaks,
  createTestCall,
  type TestCall,
  type TestPeer,
  tick,
  until,
} from '../../__tests__/call.js';
import { peerCommands } from '../../peerCommands.js';
import type { PeerEmitted } from '../../types.js';

/** A command's promise, with fake time passing until it settles (captures wait for a task). */
async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let i = 0; i < 200 && !done; i++) await tick(10);
  return promise;
}

// Both sides with the opt-in media controls (`@peerstatejs/core/media-controls`).
const fast = {
  iceRestart: { disconnectedGracePeriod: 30, initialDelay: 40, factor: 1, maxAttempts: 2 },
  rebuild: { maxAttempts: 3, timeout: 500 },
  mediaControls,
};

async function rebuild(call: TestCall): Promise<void> {
  const epoch = call.a.actor.getSnapshot().context.epoch + 1;
  call.a.pc().failDtls();
  await until(call.a, (s) => s.matches('rebuilding'));
  await until(call.a, (s) => s.context.epoch === epoch && s.matches(CONNECTED));
  await until(call.b, (s) => s.context.epoch === epoch && s.matches(CONNECTED));
  await bothSettled(call);
}

/** a sends what START_MEDIA captured (audio + video); b receives both. */
async function capturedCall(devices = createFakeMediaDevices(), extra = {}) {
  const call = createTestCall({ a: { ...fast, mediaDevices: devices, ...extra }, b: fast });
  const a = peerCommands(call.a.actor);
  call.a.actor.send({ type: 'START_MEDIA', constraints: { audio: true, video: true } });
  await bothConnected(call);
  await until(call.b, (s) => s.context.remoteTracks.length === 2);
  await bothSettled(call);
  return { call, a, devices };
}

const local = (peer: TestPeer, kind: string) =>
  peer.actor.getSnapshot().context.localTracks.find((t) => t.track.kind === kind);
const remoteMuted = (peer: TestPeer) =>
  peer.actor
    .getSnapshot()
    .context.remoteTracks.map((t) => [t.track.kind, t.mutedByPeer ?? false] as const)
    .sort();
const offers = (peer: TestPeer) => peer.actor.getSnapshot().context.counters.offersSent;
const settledError = (peer: TestPeer, command: string) =>
  peer.emitted.find(
    (e): e is Extract<PeerEmitted, { type: 'settled' }> =>
      e.type === 'settled' && e.command === command && !e.ok,
  )?.error;

describe('SET_MUTED', () => {
  it('soft: enabled = false, the sender keeps the track, the remote sees it muted by the peer; after a rebuild too', async () => {
    const { call, a } = await capturedCall();
    const camera = local(call.a, 'video');
    await settle(a.setMuted('video', true));
    expect(camera?.track.enabled).toBe(false);
    expect(camera?.sender.track).toBe(camera?.track);
    await until(call.b, () => remoteMuted(call.b).some(([k, m]) => k === 'video' && m));
    expect(remoteMuted(call.b)).toEqual([
      ['audio', false],
      ['video', true],
    ]);
    expect(call.a.sent.filter((m) => m.type === 'muted').at(-1)).toMatchObject({
      mids: [expect.any(String)],
    });

    await rebuild(call);
    // The new connection's remote tracks learn it from the message sent after negotiation.
    await until(call.b, () => remoteMuted(call.b).some(([k, m]) => k === 'video' && m));
    expect(local(call.a, 'video')?.track.enabled).toBe(false);

    await settle(a.setMuted('video', false));
    expect(local(call.a, 'video')?.track.enabled).toBe(true);
    await until(call.b, () => remoteMuted(call.b).every(([, m]) => !m));
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('hard on a captured track: replaceTrack(null) and the device released; unmute captures the same device again, no offer', async () => {
    const { call, a, devices } = await capturedCall();
    const mic = local(call.a, 'audio');
    const before = offers(call.a);
    await settle(a.setMuted('audio', true, 'hard'));
    expect(mic?.sender.track).toBeNull();
    expect(mic?.track.readyState).toBe('ended');
    await until(call.b, () => remoteMuted(call.b).some(([k, m]) => k === 'audio' && m));

    await rebuild(call);
    const afterRebuild = local(call.a, 'audio');
    expect(afterRebuild?.sender.track, 'still muted on the new connection').toBeNull();
    await until(call.b, () => remoteMuted(call.b).some(([k, m]) => k === 'audio' && m));

    const offersBefore = offers(call.a);
    const calls = devices.calls.length;
    await settle(a.setMuted('audio', false));
    const unmuted = local(call.a, 'audio');
    expect(devices.calls.slice(calls)).toEqual([
      { audio: expect.objectContaining({ deviceId: { exact: 'fake-audio-input' } }) },
    ]);
    expect(unmuted?.sender).toBe(afterRebuild?.sender);
    expect(unmuted?.sender.track).toBe(unmuted?.track);
    expect(unmuted?.track.readyState).toBe('live');
    expect(unmuted?.owned).toBe(true);
    await bothSettled(call);
    expect(offers(call.a)).toBe(offersBefore);
    expect(offersBefore).toBeGreaterThanOrEqual(before);
    await until(call.b, () => remoteMuted(call.b).every(([, m]) => !m));
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
    expect(unmuted?.track.readyState).toBe('ended');
  });

  it("hard on the app's own track: replaceTrack(null) without stopping it; unmute puts it back", async () => {
    const call = createTestCall({ a: fast, b: fast });
    const a = peerCommands(call.a.actor);
    const camera = createFakeTrack('video');
    call.a.actor.send({ type: 'ADD_TRACK', track: camera, streams: [createFakeStream([camera])] });
    await bothConnected(call);
    await bothSettled(call);
    await settle(a.setMuted(camera, true, 'hard'));
    expect(local(call.a, 'video')?.sender.track).toBeNull();
    expect(camera.readyState).toBe('live');
    await settle(a.setMuted(camera, false));
    expect(local(call.a, 'video')?.sender.track).toBe(camera);
    await closeAndExpectNoLeaks(call);
  });

  it('refuses a kind nothing is sent of, with MEDIA_FAILED, and changes nothing', async () => {
    const call = createTestCall({ a: fast, b: fast });
    const a = peerCommands(call.a.actor);
    await until(call.a, (s) => s.matches('active'));
    const intent = call.a.actor.getSnapshot().context.intent;
    await expect(settle(a.setMuted('video', true))).rejects.toMatchObject({
      code: 'MEDIA_FAILED',
      operation: 'mute',
    });
    expect(call.a.actor.getSnapshot().context.intent).toBe(intent);
    await closeAndExpectNoLeaks(call);
  });
});

describe('SWITCH_DEVICE', () => {
  it('captures the device and sends it on the same sender, without an offer; the old capture stops; kept across a rebuild', async () => {
    const { call, a, devices } = await capturedCall();
    const before = local(call.a, 'video');
    const offersBefore = offers(call.a);
    await settle(a.switchDevice('video', 'camera-2'));
    const after = local(call.a, 'video');
    expect(devices.calls.at(-1)).toEqual({
      video: expect.objectContaining({ deviceId: { exact: 'camera-2' } }),
    });
    expect(after?.sender).toBe(before?.sender);
    expect(after?.track).not.toBe(before?.track);
    expect(after?.sender.track).toBe(after?.track);
    expect(before?.track.readyState).toBe('ended');
    await bothSettled(call);
    expect(offers(call.a)).toBe(offersBefore);

    await rebuild(call);
    expect(local(call.a, 'video')?.track).toBe(after?.track);
    const entry = call.a.actor
      .getSnapshot()
      .context.intent.transceivers.find((e) => e.kind === 'video');
    expect(entry?.controls?.constraints?.deviceId).toEqual({ exact: 'camera-2' });
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('a device that cannot be opened is a MEDIA_FAILED getUserMedia error; the old track keeps sending', async () => {
    const { call, a, devices } = await capturedCall();
    const before = local(call.a, 'video');
    devices.setAvailable('video', false);
    await expect(settle(a.switchDevice('video', 'gone'))).rejects.toMatchObject({
      code: 'MEDIA_FAILED',
      operation: 'getUserMedia',
      message: expect.stringContaining('NotFoundError'),
    });
    expect(local(call.a, 'video')?.sender.track).toBe(before?.track);
    expect(before?.track.readyState).toBe('live');
    await closeAndExpectNoLeaks(call);
  });

  it("refuses the app's own tracks (REPLACE_TRACK is theirs)", async () => {
    const call = createTestCall({ a: fast, b: fast });
    const a = peerCommands(call.a.actor);
    const mic = createFakeTrack('audio');
    call.a.actor.send({ type: 'ADD_TRACK', track: mic });
    await bothConnected(call);
    await expect(settle(a.switchDevice('audio', 'x'))).rejects.toMatchObject({
      code: 'MEDIA_FAILED',
      operation: 'switchDevice',
    });
    await closeAndExpectNoLeaks(call);
  });
});

describe('START_SCREEN_SHARE', () => {
  function screenDevices(refuse = false) {
    const devices = createFakeMediaDevices();
    const screens: FakeMediaStreamTrack[] = [];
    const getDisplayMedia = vi.fn(async () => {
      if (refuse) throw domError('NotAllowedError', 'Permission denied by user');
      const track = new FakeMediaStreamTrack('video', { label: 'screen:0:0' });
      screens.push(track);
      return new FakeMediaStream([track]) as unknown as MediaStream;
    });
    return { devices: Object.assign(devices, { getDisplayMedia }), screens, getDisplayMedia };
  }

  it('sends the screen as a track of its own; ended from the browser UI removes it and emits screenShareEnded', async () => {
    const { devices, screens } = screenDevices();
    const { call, a } = await capturedCall(devices);
    await settle(a.startScreenShare({ contentHint: 'text' }));
    const [screen] = screens;
    expect(screen?.contentHint).toBe('text');
    await until(call.b, (s) => s.context.remoteTracks.filter((t) => t.streams.length).length === 3);
    expect(local(call.a, 'video') && call.a.actor.getSnapshot().context.localTracks).toHaveLength(
      3,
    );

    screen?.stop();
    screen?.dispatchEvent(new Event('ended'));
    await until(call.a, (s) => s.context.localTracks.length === 2);
    expect(call.a.emitted).toContainEqual({
      type: 'screenShareEnded',
      track: screen,
      reason: 'ended',
    });
    // The remote sees it go: after the renegotiation its track leaves the stream.
    await until(call.b, (s) => s.context.remoteTracks.filter((t) => t.streams.length).length === 2);
    expect(call.a.actor.getSnapshot().context.intent.transceivers).toHaveLength(2);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('replace: the screen goes on the camera sender (no offer), and STOP_SCREEN_SHARE puts the camera back', async () => {
    const { devices, screens } = screenDevices();
    const { call, a } = await capturedCall(devices);
    const camera = local(call.a, 'video');
    const offersBefore = offers(call.a);
    await settle(a.startScreenShare({ replace: true }));
    await until(call.a, () => camera?.sender.track === screens[0]);
    await rebuild(call);
    const onNew = local(call.a, 'video');
    expect(onNew?.sender.track, 'the screen is sent after a rebuild').toBe(screens[0]);
    expect(camera?.track.readyState, 'the camera is kept to put back').toBe('live');
    const rebuiltOffers = offers(call.a);
    await settle(a.stopScreenShare());
    await until(call.a, () => onNew?.sender.track === camera?.track);
    expect(screens[0]?.readyState).toBe('ended');
    await bothSettled(call);
    expect(offers(call.a)).toBe(rebuiltOffers);
    expect(rebuiltOffers).toBeGreaterThanOrEqual(offersBefore);
    expect(call.a.emitted).toContainEqual({
      type: 'screenShareEnded',
      track: screens[0],
      reason: 'stopped',
    });
    await closeAndExpectNoLeaks(call);
    expect(camera?.track.readyState).toBe('ended');
  });

  it('a refused getDisplayMedia is MEDIA_FAILED getDisplayMedia; missing getDisplayMedia too', async () => {
    const { devices } = screenDevices(true);
    const { call, a } = await capturedCall(devices);
    await expect(settle(a.startScreenShare())).rejects.toMatchObject({
      code: 'MEDIA_FAILED',
      operation: 'getDisplayMedia',
      message: expect.stringContaining('NotAllowedError'),
    });
    expect(call.a.actor.getSnapshot().context.intent.transceivers).toHaveLength(2);
    await closeAndExpectNoLeaks(call);

    const plain = await capturedCall();
    await expect(settle(plain.a.startScreenShare())).rejects.toMatchObject({
      operation: 'getDisplayMedia',
      message: expect.stringContaining('not supported'),
    });
    await closeAndExpectNoLeaks(plain.call);
  });
});

describe('sender settings', () => {
  it('SET_SENDER_PARAMETERS caps every encoding, and the cap is applied again on the rebuilt connection', async () => {
    const { call, a } = await capturedCall();
    const setParameters = vi.spyOn(local(call.a, 'video')?.sender as RTCRtpSender, 'setParameters');
    await settle(
      a.setSenderParameters('video', {
        maxBitrate: 300_000,
        maxFramerate: 15,
        degradationPreference: 'maintain-resolution',
      }),
    );
    expect(setParameters.mock.calls[0]?.[0]).toMatchObject({
      encodings: [{ maxBitrate: 300_000, maxFramerate: 15 }],
      degradationPreference: 'maintain-resolution',
    });
    await rebuild(call);
    const sender = local(call.a, 'video')?.sender as RTCRtpSender;
    expect(sender).not.toBe(setParameters.mock.contexts[0]);
    const again = vi.spyOn(sender, 'setParameters');
    // The rebuilt sender got them from the intent already; one more change merges with them.
    await settle(a.setSenderParameters('video', { maxFramerate: 10 }));
    expect(again.mock.calls[0]?.[0]).toMatchObject({
      encodings: [{ maxBitrate: 300_000, maxFramerate: 10 }],
    });
    await closeAndExpectNoLeaks(call);
  });

  it('refuses a negative bitrate (MEDIA_FAILED setParameters) and keeps the intent', async () => {
    const { call, a } = await capturedCall();
    const intent = call.a.actor.getSnapshot().context.intent;
    await expect(settle(a.setSenderParameters('video', { maxBitrate: -1 }))).rejects.toMatchObject({
      operation: 'setParameters',
    });
    expect(call.a.actor.getSnapshot().context.intent).toBe(intent);
    await closeAndExpectNoLeaks(call);
  });

  const codecs = {
    video: [
      { mimeType: 'video/VP8', clockRate: 90000 },
      { mimeType: 'video/rtx', clockRate: 90000 },
      { mimeType: 'video/VP9', clockRate: 90000 },
    ],
    audio: [{ mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
  };
  const scope = {
    RTCRtpReceiver: { getCapabilities: (kind: 'audio' | 'video') => ({ codecs: codecs[kind] }) },
  };

  it('SET_CODEC_PREFERENCES puts the codec first, renegotiates, and is applied again after a rebuild', async () => {
    const { call, a } = await capturedCall(createFakeMediaDevices(), { scope });
    const transceiver = (pc: FakePeerConnection) =>
      pc.getTransceivers().find((t) => t.receiver.track.kind === 'video') as RTCRtpTransceiver;
    const prefer = vi.spyOn(transceiver(call.a.pc()), 'setCodecPreferences');
    const offersBefore = offers(call.a);
    await settle(a.setCodecPreferences('video', ['video/VP9']));
    expect([...(prefer.mock.calls[0]?.[0] ?? [])].map((c) => c.mimeType)).toEqual([
      'video/VP9',
      'video/VP8',
      'video/rtx',
    ]);
    await until(call.a, () => offers(call.a) > offersBefore);
    await bothSettled(call);

    const epoch = call.a.actor.getSnapshot().context.epoch + 1;
    const proto = Object.getPrototypeOf(transceiver(call.a.pc()));
    const onNew = vi.spyOn(proto as RTCRtpTransceiver, 'setCodecPreferences');
    call.a.pc().failDtls();
    await until(call.a, (s) => s.context.epoch === epoch && s.matches(CONNECTED));
    expect(onNew.mock.calls.some(([list]) => [...list][0]?.mimeType === 'video/VP9')).toBe(true);
    expect(call.a.actor.getSnapshot().context.intent.codecPreferences).toEqual({
      video: ['video/VP9'],
    });
    onNew.mockRestore();
    await closeAndExpectNoLeaks(call);
  });

  it('refuses a codec the engine cannot receive, and an engine without getCapabilities', async () => {
    const { call, a } = await capturedCall(createFakeMediaDevices(), { scope });
    await expect(settle(a.setCodecPreferences('video', ['video/H265']))).rejects.toMatchObject({
      operation: 'setCodecPreferences',
      message: expect.stringContaining('video/H265'),
    });
    expect(call.a.actor.getSnapshot().context.intent.codecPreferences).toBeUndefined();
    await closeAndExpectNoLeaks(call);
    const bare = await capturedCall(createFakeMediaDevices(), { scope: {} });
    await expect(settle(bare.a.setCodecPreferences('video', ['video/VP9']))).rejects.toMatchObject({
      message: expect.stringContaining('getCapabilities'),
    });
    expect(settledError(bare.call.a, 'SET_CODEC_PREFERENCES')?.code).toBe('MEDIA_FAILED');
    await closeAndExpectNoLeaks(bare.call);
  });
});
