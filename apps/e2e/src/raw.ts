/**
 * Bare `RTCPeerConnection`s, no SDK, driven one step at a time from the runner: the engine repros
 * of issues #12 and #23 (test/engine.mjs) show what the browser itself does, so that each
 * workaround in the machine can say whether the engine still needs it. Every step returns what
 * the engine did (or the error it threw, by name and message) instead of throwing.
 */
import { capture } from './media.js';
import { presentedFrames } from './startup.js';

interface RawPeer {
  readonly pc: RTCPeerConnection;
  readonly candidates: RTCIceCandidateInit[];
  /** Every `icecandidate` event, the end-of-candidates one (null) included. */
  icecandidateEvents: number;
  readonly gathering: string[];
  stream: MediaStream | undefined;
}

const raw = new Map<string, RawPeer>();

function get(id: string): RawPeer {
  const peer = raw.get(id);
  if (!peer) throw new Error(`no raw peer "${id}"`);
  return peer;
}

type Outcome = { ok: true; sdp?: string; type?: string } | { ok: false; error: string };

async function attempt(step: () => Promise<unknown>, pc: RTCPeerConnection): Promise<Outcome> {
  try {
    await step();
    const d = pc.localDescription;
    return { ok: true, ...(d ? { type: d.type, sdp: d.sdp } : {}) };
  } catch (error) {
    const e = error as Error;
    return { ok: false, error: `${e.name}: ${e.message}` };
  }
}

/** VP8 only on every video transceiver (Chromium ↔ Firefox crashed here with H264/AV1). */
function preferVp8(pc: RTCPeerConnection) {
  const codecs = (RTCRtpReceiver.getCapabilities('video')?.codecs ?? []).filter(
    (c) => c.mimeType.toLowerCase() === 'video/vp8',
  );
  for (const t of pc.getTransceivers())
    if (t.receiver.track.kind === 'video' && t.currentDirection !== 'stopped')
      t.setCodecPreferences(codecs);
}

export const rawPeers = {
  rawCreate(args: { id: string }) {
    const pc = new RTCPeerConnection();
    const peer: RawPeer = {
      pc,
      candidates: [],
      icecandidateEvents: 0,
      gathering: [],
      stream: undefined,
    };
    pc.onicecandidate = (event) => {
      peer.icecandidateEvents += 1;
      if (event.candidate) peer.candidates.push(event.candidate.toJSON());
    };
    pc.onicegatheringstatechange = () => peer.gathering.push(pc.iceGatheringState);
    raw.set(args.id, peer);
    return { ok: true };
  },

  /** Fake camera + microphone, sent with `addTrack` or `addTransceiver(track, sendrecv)`. */
  async rawSendMedia(args: { id: string; how: 'addTrack' | 'addTransceiver'; vp8?: boolean }) {
    const peer = get(args.id);
    const stream = peer.stream ?? (await capture({ audio: true, video: true }));
    peer.stream = stream;
    for (const track of stream.getTracks()) {
      if (args.how === 'addTrack') peer.pc.addTrack(track, stream);
      else peer.pc.addTransceiver(track, { direction: 'sendrecv', streams: [stream] });
    }
    if (args.vp8) preferVp8(peer.pc);
    return { ok: true };
  },

  rawChannel(args: { id: string; label: string }) {
    get(args.id).pc.createDataChannel(args.label);
    return { ok: true };
  },

  /** `setLocalDescription()` (an offer or answer as the state says), or a rollback. */
  rawLocal(args: { id: string; rollback?: boolean; vp8?: boolean }) {
    const { pc } = get(args.id);
    if (args.vp8) preferVp8(pc);
    return attempt(
      () =>
        args.rollback ? pc.setLocalDescription({ type: 'rollback' }) : pc.setLocalDescription(),
      pc,
    );
  },

  rawRemote(args: { id: string; description: RTCSessionDescriptionInit }) {
    const { pc } = get(args.id);
    return attempt(() => pc.setRemoteDescription(args.description), pc);
  },

  rawCandidates(args: { id: string; from: number }) {
    return get(args.id).candidates.slice(args.from);
  },

  async rawAddCandidates(args: { id: string; candidates: RTCIceCandidateInit[] }) {
    const { pc } = get(args.id);
    const errors: string[] = [];
    for (const candidate of args.candidates)
      await pc.addIceCandidate(candidate).catch((e: Error) => errors.push(e.message));
    return errors;
  },

  rawState(args: { id: string }) {
    const { pc, candidates, icecandidateEvents, gathering } = get(args.id);
    return {
      signalingState: pc.signalingState,
      iceGatheringState: pc.iceGatheringState,
      iceConnectionState: pc.iceConnectionState,
      connectionState: pc.connectionState,
      candidates: candidates.length,
      icecandidateEvents,
      gathering: [...gathering],
      transceivers: pc.getTransceivers().map((t) => ({
        mid: t.mid,
        kind: t.receiver.track.kind,
        direction: t.direction,
        currentDirection: t.currentDirection,
        sending: t.sender.track !== null,
        remoteTrack: { muted: t.receiver.track.muted, readyState: t.receiver.track.readyState },
      })),
    };
  },

  /** Frames presented, and framesDecoded growth, of each video transceiver's receiving track. */
  async rawVideoFrames(args: { id: string; frames: number; timeoutMs: number }) {
    const { pc } = get(args.id);
    const receiving = pc
      .getTransceivers()
      .filter((t) => t.receiver.track.kind === 'video' && /recv/.test(t.currentDirection ?? ''));
    const decoded = async () => {
      const out = new Map<string, number>();
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video')
          out.set(String(s.mid ?? s.trackIdentifier), Number(s.framesDecoded ?? 0));
      });
      return out;
    };
    const before = await decoded();
    const presented = await Promise.all(
      receiving.map((t) => presentedFrames(t.receiver.track, args.frames, args.timeoutMs)),
    );
    const after = await decoded();
    return receiving.map((t, i) => ({
      mid: t.mid,
      presented: presented[i] ?? 0,
      decodedGrowth: (after.get(String(t.mid)) ?? 0) - (before.get(String(t.mid)) ?? 0),
    }));
  },

  rawClose(args: { id: string }) {
    const peer = raw.get(args.id);
    peer?.pc.close();
    for (const track of peer?.stream?.getTracks() ?? []) track.stop();
    raw.delete(args.id);
    return { ok: true };
  },
};
