/**
 * The SDK's recorder and stats sampler in the test page (`@peerstatejs/core/recorder` and
 * `/stats`), as an app would wire them: one recorder for the page's peers, each peer's signaling
 * tapped, its errors watched and its stats sampled into the recording; quality changes logged.
 */
import type { PeerActor, SignalingChannel } from '@peerstatejs/core';
import {
  createSessionRecorder,
  type SessionRecorder,
  serializeSession,
} from '@peerstatejs/core/recorder';
import {
  type CallQuality,
  createStatsSampler,
  type StatsSample,
  type StatsSampler,
} from '@peerstatejs/core/stats';

let recorder: SessionRecorder | undefined;
const indexOf = new Map<string, number>();
const samplers = new Map<string, StatsSampler>();
const qualityLogs = new Map<
  string,
  { at: number; receive: string | null; send: string | null }[]
>();

export function startRecording(args: { peers: { name: string; polite: boolean }[] }): void {
  recorder = createSessionRecorder({ signaling: 'in-memory', peers: args.peers });
  indexOf.clear();
  for (const [index, peer] of args.peers.entries()) indexOf.set(peer.name, index);
}

/** What `createFixturePeer` wires into a recorded peer, or `undefined` if it is not recorded. */
export function recordingOf(name: string) {
  const index = indexOf.get(name);
  const active = recorder;
  if (index === undefined || !active) return undefined;
  return {
    inspect: active.inspector(index),
    tap: (channel: SignalingChannel) => active.tapSignaling(index, channel),
    attach(actor: PeerActor) {
      active.watch(index, actor);
      const sampler = createStatsSampler(actor, { intervalMs: 500, historySize: 120 });
      sampler.subscribe((sample) => active.addStats(index, sample));
      const log: { at: number; receive: string | null; send: string | null }[] = [];
      sampler.onQualityChange((quality: CallQuality) =>
        log.push({ at: Date.now(), receive: quality.receive.level, send: quality.send.level }),
      );
      samplers.set(name, sampler);
      qualityLogs.set(name, log);
    },
  };
}

export function exportSession(): string {
  if (!recorder) throw new Error('no recording started');
  for (const sampler of samplers.values()) sampler.stop();
  return serializeSession(recorder.session);
}

export function qualityLog(args: { name: string }) {
  return qualityLogs.get(args.name) ?? [];
}

/** The newest sample, reduced to what the runner checks. */
export function latestSample(args: {
  name: string;
}): Pick<StatsSample, 'inbound' | 'outbound' | 'connection'> | null {
  const latest = samplers.get(args.name)?.latest;
  return latest
    ? { inbound: latest.inbound, outbound: latest.outbound, connection: latest.connection }
    : null;
}
