/**
 * What arrives from one remote participant: a remote picture can freeze on its last frame and a
 * remote tone is not heard in a muted `<video>`, so the tiles show the counters of the machine's
 * own peer connection (frames decoded, audio packets) and the level of the remote audio.
 * @module
 */
import type { PeerActor } from '@peerstatejs/core';
import { useEffect, useState } from 'react';
import { sharedAudio } from './syntheticMedia.js';

export interface InboundMedia {
  readonly framesDecoded: number;
  readonly audioPackets: number;
  /**
   * The remote audio's peak amplitude (0–1) over the last interval, through an `AnalyserNode`
   * (`inbound-rtp` `audioLevel` stays 0 in a headless page with no audio output); `null`
   * without a remote audio track.
   */
  readonly audioLevel: number | null;
}

const NONE: InboundMedia = { framesDecoded: 0, audioPackets: 0, audioLevel: null };

async function readCounters(actor: PeerActor) {
  const { pc } = actor.getSnapshot().context;
  const counts = { framesDecoded: 0, audioPackets: 0 };
  if (!pc || pc.signalingState === 'closed') return counts;
  const report = await pc.getStats();
  report.forEach((stat: { type: string; kind?: string } & Record<string, unknown>) => {
    if (stat.type !== 'inbound-rtp') return;
    if (stat.kind === 'video') counts.framesDecoded += Number(stat.framesDecoded ?? 0);
    if (stat.kind === 'audio') counts.audioPackets += Number(stat.packetsReceived ?? 0);
  });
  return counts;
}

/** A peak meter on `track`, or `null` without a track or Web Audio. */
function meter(track: MediaStreamTrack | undefined): { read(): number; stop(): void } | null {
  const audio = sharedAudio();
  if (!track || !audio) return null;
  const source = audio.createMediaStreamSource(new MediaStream([track]));
  const analyser = audio.createAnalyser();
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  return {
    read() {
      analyser.getFloatTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
      return peak;
    },
    stop: () => source.disconnect(),
  };
}

export function useInboundMedia(
  actor: PeerActor,
  stream: MediaStream | null,
  intervalMs = 500,
): InboundMedia {
  const [media, setMedia] = useState(NONE);
  const audioTrack = stream?.getAudioTracks()[0];
  useEffect(() => {
    let live = true;
    const level = meter(audioTrack);
    const sample = () => {
      readCounters(actor).then(
        (counts) => {
          if (live) setMedia({ ...counts, audioLevel: level?.read() ?? null });
        },
        // Closed between the check and getStats (a rebuild): the next sample reads the new one.
        () => {},
      );
    };
    sample();
    const timer = setInterval(sample, intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
      level?.stop();
    };
  }, [actor, audioTrack, intervalMs]);
  return media;
}
