/**
 * WHIP publisher → werift "SFU" → WHEP viewer, with real WebRTC stacks on 127.0.0.1: two
 * `@peerstatejs/core` peers over `@roamhq/wrtc` (libwebrtc in Node), signaling only through
 * `createWhipSignaling` / `createWhepSignaling` and the global fetch.
 */

import { createPeer, type PeerConnectionLike, type PeerStateError } from '@peerstatejs/core';
import wrtc from '@roamhq/wrtc';
import { afterEach, expect, it } from 'vitest';
import { createWhepSignaling, createWhipSignaling, WhipHttpError } from '../src/index.js';
import { startWhipTestServer, type WhipTestServer } from './whipTestServer.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(condition: () => boolean, timeout: number, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * libwebrtc in Node (wrtc 0.10) still requires an argument to `setLocalDescription`; core
 * shims that only for the peer connections it detects itself, not for a `peerConnection`
 * factory's (see the README). The same shim, for this test.
 */
class PeerConnection extends wrtc.RTCPeerConnection {
  override async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
    if (description?.sdp) return super.setLocalDescription(description);
    const answering =
      this.signalingState === 'have-remote-offer' || this.signalingState === 'have-local-pranswer';
    return super.setLocalDescription(
      answering ? await this.createAnswer() : await this.createOffer(),
    );
  }
}

/** libwebrtc's peer connection is a real one; core's structural type is a browser's. */
const asPeerConnection = (pc: wrtc.RTCPeerConnection) => pc as unknown as PeerConnectionLike;

it('publishes video over WHIP and plays it over WHEP through a real endpoint', async () => {
  const server: WhipTestServer = await startWhipTestServer({ token: 'e2e-token' });
  cleanups.push(() => server.close());
  const errors: PeerStateError[] = [];

  // Publisher: a synthetic camera, 320×240 I420 frames at ~30 fps whose brightness changes.
  const source = new wrtc.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  const frame = { width: 320, height: 240, data: new Uint8Array(320 * 240 * 1.5) };
  let tick = 0;
  const camera = setInterval(() => {
    tick += 7;
    frame.data.fill(tick % 255, 0, 320 * 240);
    source.onFrame(frame);
  }, 33);
  cleanups.push(() => {
    clearInterval(camera);
    track.stop();
  });

  const whip = createWhipSignaling({
    // Goes through a 307 first: fetch itself must replay the POST to /whip.
    url: `${server.origin}/moved/whip`,
    token: 'e2e-token',
  });
  const publisher = createPeer({
    signaling: whip,
    polite: false,
    peerConnection: (configuration) => asPeerConnection(new PeerConnection(configuration)),
  });
  publisher.on('error', ({ error }) => errors.push(error));
  publisher.start();
  publisher.send({ type: 'ADD_TRACK', track: track as unknown as MediaStreamTrack });
  cleanups.push(() => publisher.stop());
  await until(
    () => publisher.getSnapshot().matches({ active: { connection: 'connected' } }),
    15_000,
    'the publisher to connect',
  );
  expect(whip.resourceUrl).toMatch(new RegExp(`^${server.origin}/resource/`));
  await until(() => server.counters.received > 10, 10_000, 'RTP at the endpoint');

  // Viewer: core has no ADD_TRANSCEIVER yet, so the recvonly transceiver is added in the factory.
  const whep = createWhepSignaling({ url: `${server.origin}/whep`, token: 'e2e-token' });
  const viewer = createPeer({
    signaling: whep,
    polite: false,
    peerConnection: (configuration) => {
      const pc = new PeerConnection(configuration);
      pc.addTransceiver('video', { direction: 'recvonly' });
      return asPeerConnection(pc);
    },
  });
  let frames = 0;
  let size = '';
  viewer.on('track', ({ track: remote }) => {
    const sink = new wrtc.nonstandard.RTCVideoSink(remote as unknown as wrtc.MediaStreamTrack);
    sink.onframe = (event: { frame: { width: number; height: number } }) => {
      const decoded = event.frame;
      frames += 1;
      size = `${decoded.width}x${decoded.height}`;
    };
    cleanups.push(() => sink.stop());
  });
  viewer.on('error', ({ error }) => errors.push(error));
  viewer.start();
  cleanups.push(() => viewer.stop());
  await until(
    () => viewer.getSnapshot().matches({ active: { connection: 'connected' } }),
    15_000,
    'the viewer to connect',
  );
  await until(() => frames >= 10, 15_000, 'decoded frames at the viewer');
  expect(size).toBe('320x240');
  expect(server.counters.forwarded).toBeGreaterThan(10);
  expect(server.counters.trickled).toBeGreaterThan(0);
  expect(server.sessions()).toEqual({ whip: 1, whep: 1 });
  expect(errors).toEqual([]);

  // Closing sends bye, which DELETEs both sessions.
  publisher.send({ type: 'CLOSE' });
  viewer.send({ type: 'CLOSE' });
  await until(() => server.sessions().whip + server.sessions().whep === 0, 5000, 'the DELETEs');
});

it('reports the real endpoint refusing a bad token as a typed 401', async () => {
  const server = await startWhipTestServer({ token: 'right' });
  cleanups.push(() => server.close());
  const pc = new wrtc.RTCPeerConnection();
  cleanups.push(() => pc.close());
  pc.addTransceiver('video', { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  const whip = createWhipSignaling({ url: `${server.origin}/whip`, token: 'wrong' });
  const error = await whip
    .send({
      v: 2,
      type: 'description',
      id: 'e2e:0:0',
      inReplyTo: null,
      description: { type: 'offer', sdp: pc.localDescription?.sdp ?? '' },
    })
    .catch((cause: unknown) => cause);
  expect(error).toBeInstanceOf(WhipHttpError);
  expect(error).toMatchObject({ status: 401, body: 'bad token' });
});
