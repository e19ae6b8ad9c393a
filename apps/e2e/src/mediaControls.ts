/**
 * The media controls scenario's page side (test/mediaControls.mjs): commands as JSON, and what
 * the remote sees of them (its view, its getStats, the negotiated SDP).
 */
import {
  createInMemorySignalingPair,
  createPeer,
  type PeerCommand,
  type PeerEmitted,
  type SignalingChannel,
} from '@peerstatejs/core';
import { mediaControls as controls } from '@peerstatejs/core/media-controls';
import { serializeError } from './log.js';
import { capture } from './media.js';
import { getPeer, type Peer, peers } from './peers.js';

let lastId = 0;

type Settled = Extract<PeerEmitted, { type: 'settled' }>;

/** Sends a command and resolves with its outcome once settled (never rejects). */
function sendAndSettle(name: string, command: PeerCommand, timeoutMs = 15_000) {
  const peer = getPeer(name);
  lastId += 1;
  const id = `mc-${lastId}`;
  return new Promise<{ ok: boolean; error: { code: string; message: string } | null }>(
    (resolve) => {
      const timer = setTimeout(() => {
        off.unsubscribe();
        resolve({
          ok: false,
          error: { code: 'TIMEOUT', message: `${command.type} never settled` },
        });
      }, timeoutMs);
      const off = peer.actor.on('settled', (event: Settled) => {
        if (event.id !== id) return;
        clearTimeout(timer);
        off.unsubscribe();
        resolve({
          ok: event.ok,
          error: event.error ? { code: event.error.code, message: event.error.message } : null,
        });
      });
      peer.actor.send({ ...command, id });
    },
  );
}

function view(name: string) {
  const { context } = getPeer(name).actor.getSnapshot();
  const transceivers = context.pc?.getTransceivers() ?? [];
  return {
    epoch: context.epoch,
    offersSent: context.counters.offersSent,
    answersSent: context.counters.answersSent,
    transceivers: transceivers.length,
    local: context.localTracks.map((t) => ({
      kind: t.track.kind,
      trackId: t.track.id,
      readyState: t.track.readyState,
      enabled: t.track.enabled,
      contentHint: t.track.contentHint,
      senderTrackId: t.sender.track?.id ?? null,
      senderIndex: transceivers.findIndex((x) => x.sender === t.sender),
      owned: t.owned,
    })),
    remote: context.remoteTracks.map((t) => ({
      kind: t.track.kind,
      mid: t.mid,
      // No packets (the engine's `muted`) and muted by the peer (its `muted` message) apart.
      noPackets: t.track.muted,
      mutedByPeer: t.mutedByPeer ?? false,
      ended: t.ended,
      inStream: t.streams.length > 0,
    })),
  };
}

/** Polls the snapshot until `predicate` holds; resolves with the ms it took. */
function untilView(name: string, predicate: (v: ReturnType<typeof view>) => boolean, ms: number) {
  const started = performance.now();
  return new Promise<number>((resolve, reject) => {
    const check = () => {
      if (predicate(view(name))) resolve(performance.now() - started);
      else if (performance.now() - started > ms)
        reject(
          new Error(`${name}: view never matched within ${ms} ms: ${JSON.stringify(view(name))}`),
        );
      else setTimeout(check, 10);
    };
    check();
  });
}

async function outbound(name: string) {
  const pc = getPeer(name).actor.getSnapshot().context.pc;
  const rows: { rid: string | null; bytesSent: number; codec: string | null; kind: string }[] = [];
  if (!pc) return rows;
  const report = await pc.getStats();
  const codecs = new Map<string, string>();
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'codec') codecs.set(String(s.id), String(s.mimeType));
  });
  report.forEach((s: Record<string, unknown>) => {
    if (s.type !== 'outbound-rtp') return;
    rows.push({
      kind: String(s.kind),
      rid: (s.rid as string | undefined) ?? null,
      bytesSent: Number(s.bytesSent ?? 0),
      codec: codecs.get(String(s.codecId)) ?? null,
    });
  });
  return rows;
}

/** The video codec first on the m=video line of an SDP. */
function firstVideoCodec(sdp: string | undefined): string | null {
  const line = sdp?.split('\r\n').find((l) => l.startsWith('m=video'));
  const pt = line?.split(' ')[3];
  const rtpmap = sdp?.split('\r\n').find((l) => l.startsWith(`a=rtpmap:${pt} `));
  return rtpmap?.split(' ')[1]?.split('/')[0] ?? null;
}

/**
 * Browsers do not receive simulcast peer to peer: an answer without `a=simulcast:recv` leaves the
 * sender one layer. Here the receiver's answer is rewritten in transit to accept the three rids,
 * as an SFU's answer would, so the sender's layers can be checked end to end.
 */
function acceptSimulcast(sdp: string): string {
  return sdp
    .split(/(?=\r\nm=)/)
    .map((section) =>
      section.startsWith('\r\nm=video')
        ? `${section.replace(/\r\n$/, '')}\r\na=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\na=simulcast:recv q;h;f${section.endsWith('\r\n') ? '\r\n' : ''}`
        : section,
    )
    .join('');
}

function simulcastAnswering(channel: SignalingChannel): SignalingChannel {
  return {
    send: (message) =>
      channel.send(
        message.type === 'description' && message.description.type === 'answer'
          ? {
              ...message,
              description: {
                ...message.description,
                sdp: acceptSimulcast(message.description.sdp),
              },
            }
          : message,
      ),
    subscribe: (listener) => channel.subscribe(listener),
  };
}

function register(name: string, polite: boolean, channel: SignalingChannel & { close(): void }) {
  const actor = createPeer({ signaling: channel, polite, id: name, mediaControls: controls });
  const peer: Peer = {
    name,
    actor,
    createdAt: Date.now(),
    errors: [],
    messages: [],
    sent: {},
    signaling: channel,
    ws: undefined,
    localStreams: [],
    connectedAt: undefined,
    onData: undefined,
  };
  actor.on('error', ({ error }) => peer.errors.push(serializeError(error)));
  peers.set(name, peer);
  actor.start();
}

export const mediaControls = {
  /** a (impolite) and b, whose answers accept a's simulcast layers (see acceptSimulcast). */
  mcCreateSimulcastPair() {
    const [toB, toA] = createInMemorySignalingPair();
    register('a', false, toB);
    const answering = simulcastAnswering(toA);
    register('b', true, { ...answering, close: () => toA.close() });
  },

  mcSend: (args: { name: string; command: PeerCommand }) => sendAndSettle(args.name, args.command),
  mcView: (args: { name: string }) => view(args.name),

  /** Mutes (or unmutes) on `from` and measures until `to` shows it (`mutedByPeer`). */
  async mcMuteSeen(args: {
    from: string;
    to: string;
    kind: 'audio' | 'video';
    muted: boolean;
    mode?: 'soft' | 'hard';
  }) {
    const started = performance.now();
    const outcome = await sendAndSettle(args.from, {
      type: 'SET_MUTED',
      kind: args.kind,
      muted: args.muted,
      ...(args.mode ? { mode: args.mode } : {}),
    });
    await untilView(
      args.to,
      (v) => v.remote.some((r) => r.kind === args.kind && r.mutedByPeer === args.muted),
      5_000,
    );
    // From the command sent to the remote's view showing it.
    return { outcome, seenMs: performance.now() - started, to: view(args.to) };
  },

  /** The user ends the share from the browser's UI: the track ends and fires `ended`. */
  mcEndScreen(args: { name: string }) {
    const screen = getPeer(args.name)
      .actor.getSnapshot()
      .context.intent.transceivers.find((e) => e.controls?.screen);
    if (!screen?.track) throw new Error(`${args.name} shares no screen`);
    const ended: Extract<PeerEmitted, { type: 'screenShareEnded' }>[] = [];
    const off = getPeer(args.name).actor.on('screenShareEnded', (e) => ended.push(e));
    screen.track.stop();
    screen.track.dispatchEvent(new Event('ended'));
    off.unsubscribe();
    return { trackId: screen.track.id, emitted: ended.map((e) => e.reason) };
  },

  /** A camera sent on a transceiver with three simulcast layers. */
  async mcAddSimulcast(args: { name: string }) {
    const stream = await capture({ video: { width: 1280, height: 720 } });
    const [track] = stream.getVideoTracks();
    if (!track) throw new Error('no video track');
    // Chromium's CPU adaptation scales the input down on a busy machine, which drops the top
    // layer (seen once in CI under two CPU hogs: 'f' sent 0 bytes for 15 s, both attempts);
    // 'detail' keeps the resolution (it degrades the frame rate instead). The layers are what is
    // tested here, not the adaptation.
    track.contentHint = 'detail';
    getPeer(args.name).localStreams.push(stream);
    return sendAndSettle(args.name, {
      type: 'ADD_TRANSCEIVER',
      trackOrKind: track,
      init: {
        direction: 'sendonly',
        streams: [stream],
        // With VP9 preferred, Chromium sends one SVC stream (the first encoding only) unless
        // each encoding names its scalability mode: then it is simulcast as with VP8.
        sendEncodings: [
          { rid: 'q', scaleResolutionDownBy: 4, scalabilityMode: 'L1T1' },
          { rid: 'h', scaleResolutionDownBy: 2, scalabilityMode: 'L1T1' },
          { rid: 'f', scalabilityMode: 'L1T1' },
        ] as unknown as RTCRtpEncodingParameters[],
      },
    });
  },

  mcOutbound: (args: { name: string }) => outbound(args.name),

  /** The video bitrate sent over `ms`, from outbound-rtp bytesSent. */
  async mcVideoBitrate(args: { name: string; ms: number }) {
    const bytes = async () =>
      (await outbound(args.name))
        .filter((r) => r.kind === 'video')
        .reduce((sum, r) => sum + r.bytesSent, 0);
    const first = await bytes();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, args.ms));
    const last = await bytes();
    return ((last - first) * 8 * 1000) / (performance.now() - started);
  },

  mcSdp(args: { name: string }) {
    const pc = getPeer(args.name).actor.getSnapshot().context.pc;
    return {
      local: firstVideoCodec(pc?.localDescription?.sdp),
      remote: firstVideoCodec(pc?.remoteDescription?.sdp),
      remoteSimulcast: /a=simulcast:recv/.test(pc?.remoteDescription?.sdp ?? ''),
      localSimulcast: /a=simulcast:send/.test(pc?.localDescription?.sdp ?? ''),
    };
  },

  /** Closes the peer connection underneath the machine: both peers rebuild. */
  mcBreak(args: { name: string }) {
    getPeer(args.name).actor.getSnapshot().context.pc?.close();
  },
};
