/**
 * A participant's "camera" and "microphone" drawn in the page: a canvas stream (its name on its
 * own colour, a moving bar so every frame differs) and a quiet tone. Six participants in one
 * page need six cameras: this needs no device and no permission, and every participant's
 * picture says whose it is. "Switching camera" draws the second camera: same name, the
 * colour's complement, so a remote picture shows which track it is receiving.
 * @module
 */

/** 160×120 at 15 fps, as the room's e2e test: a mesh of six is 30 encoders in one page. */
export const ROOM_VIDEO = { width: 160, height: 120, frameRate: 15 } as const;

export interface SyntheticMedia {
  readonly stream: MediaStream;
  /** Which camera is drawn: 1 at first, 2 after a switch. */
  readonly camera: 1 | 2;
  /** Draws the other camera: `send` gets its track (`room.replaceTrack`), then the old one stops. */
  switchCamera(send: (track: MediaStreamTrack) => void): void;
  stop(): void;
}

/** The RGB colour of `camera` for participant number `index` (what a remote picture shows). */
export function cameraColor(index: number, camera: 1 | 2): [number, number, number] {
  const palette: [number, number, number][] = [
    [220, 40, 40],
    [40, 160, 60],
    [40, 80, 220],
    [220, 160, 20],
    [160, 40, 200],
    [20, 170, 190],
  ];
  const base = palette[index % palette.length] as [number, number, number];
  return camera === 1 ? base : [255 - base[0], 255 - base[1], 255 - base[2]];
}

let audioContext: AudioContext | null = null;

/** One context for every participant; resumed on a click (autoplay rules) by {@link resumeAudio}. */
export function sharedAudio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  audioContext ??= new AudioContext();
  return audioContext;
}

export function resumeAudio(): void {
  void sharedAudio()?.resume();
}

function drawCamera(name: string, color: [number, number, number]) {
  const canvas = document.createElement('canvas');
  canvas.width = ROOM_VIDEO.width;
  canvas.height = ROOM_VIDEO.height;
  const context = canvas.getContext('2d');
  let frame = 0;
  const draw = () => {
    if (!context) return;
    frame += 1;
    context.fillStyle = `rgb(${color.join(',')})`;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = 'rgba(255,255,255,0.85)';
    context.fillRect((frame * 4) % canvas.width, canvas.height - 14, 12, 14);
    context.font = 'bold 20px sans-serif';
    context.fillText(name, 8, 28);
  };
  draw();
  // A timer, not requestAnimationFrame: a hidden tab must keep sending frames.
  const timer = setInterval(draw, 1000 / ROOM_VIDEO.frameRate);
  const [track] = canvas.captureStream(ROOM_VIDEO.frameRate).getVideoTracks();
  if (!track) throw new Error('canvas.captureStream gave no video track');
  return { track, stop: () => clearInterval(timer) };
}

export function createSyntheticMedia(name: string, index: number): SyntheticMedia {
  let camera: 1 | 2 = 1;
  let video = drawCamera(name, cameraColor(index, camera));
  const tracks: MediaStreamTrack[] = [video.track];
  const audio = sharedAudio();
  let stopTone = () => {};
  if (audio) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 220 + 55 * index;
    gain.gain.value = 0.02;
    const destination = audio.createMediaStreamDestination();
    tone.connect(gain).connect(destination);
    tone.start();
    tracks.push(...destination.stream.getAudioTracks());
    stopTone = () => {
      tone.stop();
      tone.disconnect();
    };
  }
  const stream = new MediaStream(tracks);
  return {
    stream,
    get camera() {
      return camera;
    },
    switchCamera(send) {
      camera = camera === 1 ? 2 : 1;
      const previous = video;
      video = drawCamera(name, cameraColor(index, camera));
      send(video.track);
      // The room stops only tracks it captured: the old canvas is ours to stop, once replaced.
      previous.stop();
      previous.track.stop();
    },
    stop() {
      video.stop();
      stopTone();
      for (const track of stream.getTracks()) track.stop();
    },
  };
}
