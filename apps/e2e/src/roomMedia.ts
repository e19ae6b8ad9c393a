/**
 * What one room participant receives from each other, as a viewer would see and hear it: a
 * pixel of the remote picture (played in a hidden `<video>`) and the peak level of the remote
 * audio (an `AnalyserNode`, polled; Chrome's fake microphone beeps, so the peak is kept over a
 * window). And the sender's side: mute and a camera switch to a flat magenta canvas, both
 * through the room (`setMuted`, `replaceTrack`) so every peer gets them.
 * @module
 */
import type { Room } from '@peerstatejs/signaling';

/** The switched-to camera's colour: nothing the fake camera draws. */
export const SWITCHED_COLOR = [255, 0, 255] as const;
/** Chrome's fake microphone beeps about once a second: a level window must hold one beep. */
const LEVEL_WINDOW_MS = 1_500;

interface Probe {
  readonly stream: MediaStream;
  readonly video: HTMLVideoElement;
  readonly stop: () => void;
  /** Peak levels with their times, the last LEVEL_WINDOW_MS of them. */
  readonly peaks: { at: number; peak: number }[];
}

const probes = new Map<string, Probe>();
let audio: AudioContext | null = null;

function probe(id: string, stream: MediaStream): Probe {
  const known = probes.get(id);
  if (known?.stream === stream) return known;
  known?.stop();
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  video.srcObject = stream;
  video.style.cssText = 'position:fixed;left:0;top:0;width:160px;height:120px;opacity:0.01';
  document.body.append(video);
  void video.play().catch(() => {});
  audio ??= new AudioContext();
  const source = audio.createMediaStreamSource(stream);
  const analyser = audio.createAnalyser();
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const peaks: Probe['peaks'] = [];
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let peak = 0;
    for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
    const at = Date.now();
    peaks.push({ at, peak });
    while ((peaks[0]?.at ?? at) < at - LEVEL_WINDOW_MS) peaks.shift();
  }, 40);
  const created: Probe = {
    stream,
    video,
    peaks,
    stop: () => {
      clearInterval(timer);
      source.disconnect();
      video.srcObject = null;
      video.remove();
    },
  };
  probes.set(id, created);
  return created;
}

/** The mean colour of a 5×5 block right of centre (clear of the fake camera's moving parts). */
function pixel(video: HTMLVideoElement): [number, number, number] | null {
  if (video.videoWidth === 0) return null;
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.drawImage(video, 0, 0);
  const x = Math.round(video.videoWidth * 0.8);
  const y = Math.round(video.videoHeight * 0.2);
  const data = context.getImageData(x, y, 5, 5).data;
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c += 1) sum[c] = (sum[c] ?? 0) + (data[i + c] ?? 0);
  }
  return sum.map((value) => Math.round(value / 25)) as [number, number, number];
}

export interface Received {
  /** The remote picture's colour now; `null` before its first frame. */
  readonly rgb: [number, number, number] | null;
  /** The remote audio's peak over the last 1.5 s. */
  readonly level: number;
  /** How long the level window covers yet, in ms (a fresh probe has heard little). */
  readonly heardMs: number;
}

/** What `room` receives from each participant now. */
export function received(room: Room): Record<string, Received> {
  const out: Record<string, Received> = {};
  for (const p of room.getSnapshot().participants) {
    const stream = p.view.remoteStreams[0];
    if (!stream) continue;
    const { video, peaks } = probe(p.id, stream);
    out[p.id] = {
      rgb: pixel(video),
      level: Math.max(0, ...peaks.map((entry) => entry.peak)),
      heardMs: peaks.length ? (peaks.at(-1)?.at ?? 0) - (peaks[0]?.at ?? 0) : 0,
    };
  }
  return out;
}

/** Sends a flat magenta canvas instead of the camera, to everyone. */
export function switchToCanvas(room: Room, size: { width: number; height: number }): string {
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  const draw = () => {
    if (!context) return;
    context.fillStyle = `rgb(${SWITCHED_COLOR.join(',')})`;
    context.fillRect(0, 0, canvas.width, canvas.height);
    // A changing corner, so the encoder keeps sending frames.
    context.fillStyle = `rgb(${Date.now() % 255},0,255)`;
    context.fillRect(0, 0, 4, 4);
  };
  draw();
  setInterval(draw, 66);
  const [track] = canvas.captureStream(15).getVideoTracks();
  if (!track) throw new Error('canvas.captureStream gave no video track');
  room.replaceTrack(track);
  return track.id;
}

export function stopProbes(): void {
  for (const known of probes.values()) known.stop();
  probes.clear();
}
