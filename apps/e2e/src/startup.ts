/**
 * Issue #23's start-up: both users turn their camera on as the page opens. The impolite peer sends
 * `START_MEDIA` + `CREATE_DATA_CHANNEL`, the polite one `ADD_TRACK` of a camera the app captured,
 * each right after `start()`, in the same task. Plus the media check every such call ends with:
 * frames of every remote video track are decoded and presented.
 */
import { record } from './log.js';
import { capture } from './media.js';
import { createFixturePeer, getPeer, type PeerSpec } from './peers.js';

const prepared = new Map<string, MediaStream>();

/** The polite side's app captures its camera before the call starts (not timed). */
export async function prepareCamera(args: { readonly name: string }) {
  const stream = await capture({ audio: true, video: true });
  prepared.set(args.name, stream);
  return { streamId: stream.id };
}

/** Creates and starts the peer, then sends its start-up commands in the same task. */
export function startupPeer(args: { readonly spec: PeerSpec }) {
  const { spec } = args;
  createFixturePeer(spec);
  const peer = getPeer(spec.name);
  if (spec.polite) {
    const stream = prepared.get(spec.name);
    if (!stream) throw new Error(`prepareCamera({ name: '${spec.name}' }) first`);
    peer.localStreams.push(stream);
    for (const track of stream.getTracks())
      peer.actor.send({ type: 'ADD_TRACK', track, streams: [stream] });
  } else {
    peer.actor.send({ type: 'START_MEDIA' });
    peer.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  }
  return { createdAt: peer.createdAt };
}

type VideoWithFrames = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: () => void) => number;
};

/**
 * Resolves with the number of frames the `<video>` presented once `frames` were, or on timeout:
 * requestVideoFrameCallback calls, or (engines that call it rarely for a video they do not
 * paint, headless Firefox here) distinct `currentTime` values seen, whichever is more.
 */
export function presentedFrames(track: MediaStreamTrack, frames: number, timeoutMs: number) {
  const video = document.createElement('video') as VideoWithFrames;
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  // In the viewport: engines may skip frame callbacks for a video nobody can see.
  video.style.cssText = 'position:fixed;top:0;left:0;width:64px;height:48px';
  video.srcObject = new MediaStream([track]);
  document.body.append(video);
  video.play().catch((error: unknown) => record('fixture', 'play', String(error)));
  return new Promise<number>((resolve) => {
    let callbacks = 0;
    let times = 0;
    let lastTime = -1;
    const seen = () => Math.max(callbacks, times);
    const finish = () => {
      clearTimeout(timer);
      clearInterval(poll);
      video.srcObject = null;
      video.remove();
      resolve(seen());
    };
    const timer = setTimeout(finish, timeoutMs);
    const onFrame = () => {
      callbacks += 1;
      if (seen() >= frames) finish();
      else video.requestVideoFrameCallback?.(onFrame);
    };
    video.requestVideoFrameCallback?.(onFrame);
    const poll = setInterval(() => {
      if (video.videoWidth === 0 || video.currentTime === lastTime) return;
      lastTime = video.currentTime;
      times += 1;
      if (seen() >= frames) finish();
    }, 40);
  });
}

async function framesDecodedByTrack(name: string): Promise<Map<string, number>> {
  const pc = getPeer(name).actor.getSnapshot().context.pc;
  const out = new Map<string, number>();
  if (!pc) return out;
  const report = await pc.getStats();
  report.forEach((s: Record<string, unknown>) => {
    if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
    // Chromium names the track by `trackIdentifier`; the mid ties it to its transceiver.
    const key = String(s.trackIdentifier ?? s.mid ?? s.id);
    out.set(key, (out.get(key) ?? 0) + Number(s.framesDecoded ?? 0));
  });
  return out;
}

function receivingVideoTracks(name: string): MediaStreamTrack[] {
  const pc = getPeer(name).actor.getSnapshot().context.pc;
  // Every transceiver negotiated to receive video: each must show the remote's picture.
  return (pc?.getTransceivers() ?? [])
    .filter((t) => t.receiver.track.kind === 'video' && /recv/.test(t.currentDirection ?? ''))
    .map((t) => t.receiver.track);
}

/** How many video transceivers are negotiated to receive. */
export function receivingVideo(args: { readonly name: string }) {
  return receivingVideoTracks(args.name).length;
}

/**
 * For every transceiver negotiated to receive video: its track is listed by the SDK, presents
 * frames in a `<video>` (requestVideoFrameCallback) and its inbound-rtp's framesDecoded grows.
 */
export async function remoteVideoFrames(args: {
  readonly name: string;
  readonly frames: number;
  readonly timeoutMs: number;
}) {
  const listed = getPeer(args.name)
    .actor.getSnapshot()
    .context.remoteTracks.map((t) => t.track);
  const tracks = receivingVideoTracks(args.name);
  const before = await framesDecodedByTrack(args.name);
  const presented = await Promise.all(
    tracks.map((track) => presentedFrames(track, args.frames, args.timeoutMs)),
  );
  const decodedTotal = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const grew = (m: Map<string, number>) =>
    tracks.every(
      (track) => !m.has(track.id) || (m.get(track.id) ?? 0) > (before.get(track.id) ?? 0),
    ) && decodedTotal(m) > decodedTotal(before);
  // Firefox refreshes its RTP stats on its own clock (hundreds of ms): a few frames presented
  // may not show in framesDecoded yet, so the stats get up to 3 s more to catch up.
  let after = await framesDecodedByTrack(args.name);
  for (const deadline = Date.now() + 3_000; !grew(after) && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    after = await framesDecodedByTrack(args.name);
  }
  return {
    tracks: tracks.map((track, i) => ({
      id: track.id,
      listed: listed.includes(track),
      presented: presented[i] ?? 0,
      // Keyed by trackIdentifier where the engine reports it; else undefined.
      decodedGrowth:
        after.has(track.id) && before.has(track.id)
          ? (after.get(track.id) ?? 0) - (before.get(track.id) ?? 0)
          : undefined,
    })),
    decodedGrowthTotal: decodedTotal(after) - decodedTotal(before),
  };
}

/** Captures a new camera track and sends it (`ADD_TRACK`); returns its id. */
export async function addCamera(args: { readonly name: string }) {
  const peer = getPeer(args.name);
  const stream = await capture({ video: true });
  peer.localStreams.push(stream);
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error('getUserMedia gave no video track');
  peer.actor.send({ type: 'ADD_TRACK', track, streams: [stream] });
  return track.id;
}

/** `REMOVE_TRACK` of a track sent before, by id; the app stops its camera. */
export function removeCamera(args: { readonly name: string; readonly trackId: string }) {
  const peer = getPeer(args.name);
  const entry = peer.actor
    .getSnapshot()
    .context.localTracks.find((t) => t.track.id === args.trackId);
  if (!entry) throw new Error(`peer ${args.name} does not send ${args.trackId}`);
  peer.actor.send({ type: 'REMOVE_TRACK', track: entry.track });
  entry.track.stop();
  return true;
}
