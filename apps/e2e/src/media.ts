/** Media helpers of the fixture: fake-device capture, a canvas camera, remote playback. */
import { record } from './log.js';
import { getPeer, type Peer } from './peers.js';

export async function capture(constraints: MediaStreamConstraints): Promise<MediaStream> {
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  record(
    'fixture',
    'getUserMedia',
    stream
      .getTracks()
      .map((t) => `${t.kind}:${t.id}`)
      .join(' '),
  );
  return stream;
}

/** A second "camera" of a known size, so the remote side can tell the swap happened. */
export function canvasCamera(width: number, height: number): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  let frame = 0;
  const draw = () => {
    frame += 1;
    context.fillStyle = `hsl(${(frame * 7) % 360} 80% 50%)`;
    context.fillRect(0, 0, width, height);
    context.fillStyle = '#000';
    context.fillText(String(frame), 10, 20);
  };
  draw();
  setInterval(draw, 1000 / 30);
  const track = canvas.captureStream(30).getVideoTracks()[0];
  if (!track) throw new Error('canvas.captureStream gave no video track');
  return track;
}

function videoElement(peer: Peer): HTMLVideoElement {
  const id = `video-${peer.name}`;
  let video = document.getElementById(id) as HTMLVideoElement | null;
  if (!video) {
    video = document.createElement('video');
    video.id = id;
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    document.getElementById('videos')?.append(video);
  }
  return video;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function poll(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Plays the newest live remote video track of `name` in a `<video>` and waits until it has a
 * size (optionally a given width) and its `currentTime` advances.
 */
export async function playRemoteVideo(args: {
  readonly name: string;
  readonly timeoutMs: number;
  readonly width?: number;
}) {
  const peer = getPeer(args.name);
  const tracks = peer.actor
    .getSnapshot()
    .context.remoteTracks.filter((t) => t.track.kind === 'video' && t.track.readyState === 'live');
  const entry = tracks[tracks.length - 1];
  if (!entry) throw new Error(`peer ${args.name} has no live remote video track`);
  const video = videoElement(peer);
  // play() can stay pending forever when the remote track never unmutes (seen in Chromium after
  // a glare rollback, although inbound-rtp shows frames decoded): the polls below fail instead.
  const current = video.srcObject as MediaStream | null;
  if (current?.getVideoTracks()[0] !== entry.track)
    video.srcObject = new MediaStream([entry.track]);
  const played = video.play().catch((error: unknown) => record(args.name, 'play', String(error)));
  await Promise.race([played, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  const { width } = args;
  await poll(
    () => (width === undefined ? video.videoWidth > 0 : video.videoWidth === width),
    args.timeoutMs,
    `remote <video> of ${args.name} videoWidth ${width === undefined ? '> 0' : `= ${width}`} (is ${video.videoWidth})`,
  );
  const firstTime = video.currentTime;
  await poll(
    () => video.currentTime > firstTime + 0.3,
    args.timeoutMs,
    `remote <video> of ${args.name} currentTime to advance from ${firstTime}`,
  );
  return {
    trackId: entry.track.id,
    videoWidth: video.videoWidth,
    videoHeight: video.videoHeight,
    firstTime,
    laterTime: video.currentTime,
  };
}

/** Inbound video frames decoded and audio packets received on the peer's current connection. */
async function inboundCounts(peer: Peer) {
  const pc = peer.actor.getSnapshot().context.pc;
  const counts = { pc, framesDecoded: 0, audioPackets: 0 };
  if (!pc || pc.signalingState === 'closed') return counts;
  (await pc.getStats()).forEach((s: Record<string, number | string>) => {
    if (s.type !== 'inbound-rtp') return;
    if (s.kind === 'video') counts.framesDecoded += Number(s.framesDecoded ?? 0);
    if (s.kind === 'audio') counts.audioPackets += Number(s.packetsReceived ?? 0);
  });
  return counts;
}

/**
 * Waits until remote media flows on the peer's current connection: the inbound video's
 * `framesDecoded` and the inbound audio's `packetsReceived` both grow (getStats every 200 ms).
 */
export async function remoteMediaFlows(args: {
  readonly name: string;
  readonly timeoutMs: number;
}) {
  const peer = getPeer(args.name);
  const started = Date.now();
  let first = await inboundCounts(peer);
  for (;;) {
    await sleep(200);
    const now = await inboundCounts(peer);
    // A rebuild meanwhile: the new connection's counters start again.
    if (now.pc !== first.pc) first = now;
    const video = [first.framesDecoded, now.framesDecoded];
    const audio = [first.audioPackets, now.audioPackets];
    if (now.framesDecoded > first.framesDecoded && now.audioPackets > first.audioPackets) {
      return { framesDecoded: video, audioPackets: audio, ms: Date.now() - started };
    }
    if (Date.now() - started > args.timeoutMs) {
      throw new Error(
        `peer ${args.name}: remote media does not flow within ${args.timeoutMs} ms (framesDecoded ${video.join(' → ')}, audio packetsReceived ${audio.join(' → ')})`,
      );
    }
  }
}
