/**
 * The test page's entry: a small app on `@peerstatejs/core` (public exports only). It exposes
 * `window.e2e` for the runner, which drives it through `page.evaluate` in Chromium (playwright)
 * and Firefox (puppeteer over WebDriver BiDi) alike. Every function takes and returns JSON.
 */
import { cycles, flood, glare } from './bulk.js';
import { typedChannels } from './channels.js';
import { logEntries, record, uncaught } from './log.js';
import { canvasCamera, capture, playRemoteVideo, remoteMediaFlows } from './media.js';
import { mediaControls } from './mediaControls.js';
import {
  type Condition,
  createFixturePeer,
  getPeer,
  type PeerSpec,
  peers,
  statsOf,
  summary,
  until,
} from './peers.js';
import { rawPeers } from './raw.js';
import { exportSession, latestSample, qualityLog, startRecording } from './recording.js';
import { roomApi } from './room.js';
import { sessionApi } from './session.js';
import {
  addCamera,
  prepareCamera,
  receivingVideo,
  remoteVideoFrames,
  removeCamera,
  startupPeer,
} from './startup.js';

type Kind = 'audio' | 'video';

const api = {
  create(spec: PeerSpec) {
    createFixturePeer(spec);
    return summary(getPeer(spec.name));
  },

  /** Captures fake-device media and sends every track (`ADD_TRACK`). */
  async addMedia(args: { name: string; audio: boolean; video: boolean }) {
    const peer = getPeer(args.name);
    const stream = await capture({ audio: args.audio, video: args.video });
    peer.localStreams.push(stream);
    for (const track of stream.getTracks())
      peer.actor.send({ type: 'ADD_TRACK', track, streams: [stream] });
    return {
      streamId: stream.id,
      tracks: stream.getTracks().map((t) => ({ kind: t.kind, id: t.id })),
    };
  },

  /** Captures the camera and sends it on a transceiver capped at `maxBitrate` (bit/s). */
  async addCappedVideo(args: { name: string; maxBitrate: number }) {
    const peer = getPeer(args.name);
    const stream = await capture({ video: true });
    peer.localStreams.push(stream);
    const [track] = stream.getVideoTracks();
    if (!track) throw new Error('getUserMedia gave no video track');
    peer.actor.send({
      type: 'ADD_TRANSCEIVER',
      trackOrKind: track,
      init: {
        direction: 'sendrecv',
        streams: [stream],
        sendEncodings: [{ maxBitrate: args.maxBitrate }],
      },
    });
    return { trackId: track.id };
  },

  channel(args: { name: string; label: string }) {
    getPeer(args.name).actor.send({ type: 'CREATE_DATA_CHANNEL', label: args.label });
  },

  /**
   * `CREATE_DATA_CHANNEL` sent in the same task as the machine enters this signaling state
   * (its description operation is then running on the engine). Resolves once sent.
   */
  channelWhenSignaling(args: { name: string; label: string; state: string }) {
    const { actor } = getPeer(args.name);
    return new Promise<void>((resolve) => {
      const subscription = actor.subscribe((snapshot) => {
        if (!snapshot.matches({ active: { signaling: args.state } } as never)) return;
        subscription.unsubscribe();
        actor.send({ type: 'CREATE_DATA_CHANNEL', label: args.label });
        resolve();
      });
    });
  },

  /** Resolves with the wall-clock time (ms) at which the condition held. */
  wait(args: { name: string; until: Condition; timeoutMs: number }) {
    return until(getPeer(args.name), args.until, args.timeoutMs);
  },

  sendData(args: { name: string; label: string; data: string }) {
    getPeer(args.name).actor.send({ type: 'SEND_DATA', label: args.label, data: args.data });
  },

  /** Waits for a `data` event with this payload; returns when it arrived. */
  async waitData(args: { name: string; label: string; data: string; timeoutMs: number }) {
    const peer = getPeer(args.name);
    const deadline = Date.now() + args.timeoutMs;
    for (;;) {
      const found = peer.messages.find((m) => m.label === args.label && m.data === args.data);
      if (found) return found.at;
      if (Date.now() > deadline)
        throw new Error(
          `peer ${args.name}: no data "${args.data}" on ${args.label} within ${args.timeoutMs} ms ` +
            `(got ${peer.messages.length}: ${JSON.stringify(peer.messages.slice(-3))})`,
        );
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  },

  playVideo: playRemoteVideo,
  mediaFlows: remoteMediaFlows,

  /** Swaps the sent camera for a canvas track of a known size (`REPLACE_TRACK`). */
  replaceVideo(args: { name: string; width: number; height: number }) {
    const peer = getPeer(args.name);
    const entry = peer.actor
      .getSnapshot()
      .context.localTracks.find((t) => t.track.kind === 'video');
    if (!entry) throw new Error(`peer ${args.name} sends no video`);
    const withTrack = canvasCamera(args.width, args.height);
    peer.actor.send({ type: 'REPLACE_TRACK', track: entry.track, withTrack });
    return { from: entry.track.id, to: withTrack.id };
  },

  removeTrack(args: { name: string; kind: Kind }) {
    const peer = getPeer(args.name);
    const entry = peer.actor
      .getSnapshot()
      .context.localTracks.find((t) => t.track.kind === args.kind);
    if (!entry) throw new Error(`peer ${args.name} sends no ${args.kind}`);
    peer.actor.send({ type: 'REMOVE_TRACK', track: entry.track });
    return { removed: entry.track.id };
  },

  /** Captures one new track of `kind` and sends it (a renegotiation). */
  async addTrack(args: { name: string; kind: Kind }) {
    const peer = getPeer(args.name);
    const stream = await capture({ [args.kind]: true });
    peer.localStreams.push(stream);
    const track = stream.getTracks()[0];
    if (!track) throw new Error(`getUserMedia gave no ${args.kind} track`);
    peer.actor.send({ type: 'ADD_TRACK', track, streams: [stream] });
    return { trackId: track.id, streamId: stream.id };
  },

  close(args: { name: string; reason?: string }) {
    const peer = getPeer(args.name);
    peer.actor.send(args.reason ? { type: 'CLOSE', reason: args.reason } : { type: 'CLOSE' });
  },

  summary: (args: { name: string }) => summary(getPeer(args.name)),
  stats: (args: { name: string }) => statsOf(getPeer(args.name)),
  uncaught: () => uncaught,

  /** Everything a failure trace needs from this page: the log, every peer, every getStats. */
  async trace() {
    const out: Record<string, unknown> = {};
    for (const peer of peers.values()) {
      out[peer.name] = {
        summary: summary(peer),
        stats: await statsOf(peer).catch((error: unknown) => String(error)),
      };
    }
    return { log: logEntries(), uncaught, peers: out, pre: window.__pre ?? null };
  },

  startRecording,
  exportSession,
  qualityLog,
  latestSample,
  prepareCamera,
  startupPeer,
  remoteVideoFrames,
  receivingVideo,
  addCamera,
  removeCamera,
  ...rawPeers,
  ...sessionApi,
  ...typedChannels,
  glare,
  flood,
  cycles,
  ...roomApi,
  ...mediaControls,
  pcCount: () => window.__pcCount?.() ?? null,
};

export type E2eApi = typeof api;

declare global {
  interface Window {
    e2e?: E2eApi;
    __pre?: Record<string, string>;
  }
}

window.e2e = api;
record('fixture', 'ready', navigator.userAgent);
