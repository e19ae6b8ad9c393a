/**
 * Start-up glare (#23) and the polite peer's track rule (#12), on the fake. The engine behaviours
 * behind them are shown by bare-RTCPeerConnection repros in apps/e2e/test/engine.mjs.
 */
import { describe, expect, it } from 'vitest';
import type { SignalingChannel } from '../../signaling/types.js';
import { createFakeStream, createFakeTrack } from '../../testing/index.js';
import { GATHERING_STALL_MS } from '../ice/gathering.js';
import { FOLLOW_UP_HOLD_MS } from '../negotiation/answerOnOfferedMlines.js';
import { FIRST_OFFER_HOLD_MS } from '../negotiation/firstOffer.js';
import { isCandidateOfIgnoredOffer } from '../negotiation/ignoredOfferCandidates.js';
import { peerView } from '../peerView.js';
import type { PeerContext } from '../types.js';
import {
  bothConnected,
  bothSettled,
  closeAndExpectNoLeaks,
  createTestCall,
  type TestCall,
  tick,
  until,
} from './call.js';
import { glareMidCall } from './glareMidCall.js';

function camera() {
  const audio = createFakeTrack('audio');
  const video = createFakeTrack('video');
  return { stream: createFakeStream([audio, video]), tracks: [audio, video] as const };
}

const offersOf = (sent: readonly { type: string; description?: { type: string } }[]) =>
  sent.filter((m) => m.type === 'description' && m.description?.type === 'offer').length;

/** Rewrites the SDP origin of every description `a` sends to Firefox's (RFC 8866 §5.2). */
const asFirefox = (channel: SignalingChannel): SignalingChannel => ({
  send: (message) =>
    channel.send(
      message.type === 'description'
        ? {
            ...message,
            description: {
              ...message.description,
              sdp: message.description.sdp.replace(
                /^o=.*$/m,
                'o=mozilla...THIS_IS_SDPARTA-153.0 1 0 IN IP4 0.0.0.0',
              ),
            },
          }
        : message,
    ),
  subscribe: (listener) => channel.subscribe(listener),
});

describe('start-up glare', () => {
  it('both add camera + mic as they start: the polite peer does not race its first offer, its tracks ride on the impolite m-lines', async () => {
    const call = createTestCall();
    const a = camera();
    const b = camera();
    for (const track of a.tracks)
      call.a.actor.send({ type: 'ADD_TRACK', track, streams: [a.stream] });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    for (const track of b.tracks)
      call.b.actor.send({ type: 'ADD_TRACK', track, streams: [b.stream] });
    await bothConnected(call);
    await until(call.a, (s) => s.context.remoteTracks.length === 2);
    await until(call.b, (s) => s.context.remoteTracks.length === 2);
    await bothSettled(call);
    const sa = call.a.actor.getSnapshot().context;
    const sb = call.b.actor.getSnapshot().context;
    // No collision at all: nothing ignored, nothing rolled back.
    expect(sa.counters.offersIgnored).toBe(0);
    expect(sb.counters.rollbacks).toBe(0);
    // b's addTrack transceivers were matched to a's m-lines (JSEP 5.10): two m-lines, not four.
    expect(call.b.pc().getTransceivers()).toHaveLength(2);
    expect(
      call.b
        .pc()
        .getTransceivers()
        .map((t) => t.currentDirection),
    ).toEqual(['sendrecv', 'sendrecv']);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('a polite peer that alone has something to send offers after FIRST_OFFER_HOLD_MS, not before', async () => {
    const call = createTestCall();
    const b = camera();
    for (const track of b.tracks)
      call.b.actor.send({ type: 'ADD_TRACK', track, streams: [b.stream] });
    await tick(FIRST_OFFER_HOLD_MS - 1);
    expect(offersOf(call.b.sent)).toBe(0);
    expect(
      call.b.actor.getSnapshot().matches({ active: { renegotiation: 'holdingFirstOffer' } }),
    ).toBe(true);
    await tick(1);
    await until(call.b, (s) => s.context.counters.offersSent === 1);
    await bothConnected(call);
    await until(call.a, (s) => s.context.remoteTracks.length === 2);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it("after answering the impolite peer's data-channel offer the polite peer holds once more, for its camera offer", async () => {
    const call = createTestCall();
    const b = camera();
    const started = Date.now();
    for (const track of b.tracks)
      call.b.actor.send({ type: 'ADD_TRACK', track, streams: [b.stream] });
    // a's data-channel offer comes two thirds into b's hold.
    await tick((FIRST_OFFER_HOLD_MS * 2) / 3);
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(call.b, (s) => s.context.counters.answersSent === 1);
    // Past the first hold, within the second: a's camera is ready only now.
    await tick((FIRST_OFFER_HOLD_MS * 4) / 3 - (Date.now() - started));
    expect(Date.now() - started).toBeGreaterThan(FIRST_OFFER_HOLD_MS);
    expect(offersOf(call.b.sent)).toBe(0);
    const a = camera();
    for (const track of a.tracks)
      call.a.actor.send({ type: 'ADD_TRACK', track, streams: [a.stream] });
    await until(call.b, (s) => s.context.remoteTracks.length === 2);
    await until(call.a, (s) => s.context.remoteTracks.length === 2);
    await bothSettled(call);
    expect(call.b.actor.getSnapshot().context.counters.rollbacks).toBe(0);
    expect(call.b.pc().getTransceivers()).toHaveLength(2);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('the impolite peer does not hold its first offer', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(call.a, (s) => s.context.counters.offersSent === 1, 1);
    await closeAndExpectNoLeaks(call);
  });
});

describe("the polite peer's track rule", () => {
  async function receivingVideo(options: Parameters<typeof createTestCall>[0] = {}) {
    const call = createTestCall(options);
    const aCamera = createFakeTrack('video');
    call.a.actor.send({
      type: 'ADD_TRACK',
      track: aCamera,
      streams: [createFakeStream([aCamera])],
    });
    await bothConnected(call);
    await bothSettled(call);
    const bCamera = createFakeTrack('video');
    call.b.actor.send({
      type: 'ADD_TRACK',
      track: bCamera,
      streams: [createFakeStream([bCamera])],
    });
    await until(call.a, (s) => s.context.remoteTracks.length === 1);
    await bothSettled(call);
    return { call, bCamera };
  }

  it('against Chromium-like SDP it sends on a new transceiver (the rollback bug)', async () => {
    const { call, bCamera } = await receivingVideo();
    const transceivers = call.b.pc().getTransceivers();
    expect(transceivers).toHaveLength(2);
    expect(transceivers[0]?.sender.track).toBeNull();
    expect(transceivers[1]?.sender.track).toBe(bCamera);
    await closeAndExpectNoLeaks(call);
  });

  it("against Firefox it takes over the receiving transceiver (no m-line with Chromium's header-extension ids beside Firefox's)", async () => {
    const { call, bCamera } = await receivingVideo({ wrapA: asFirefox });
    const transceivers = call.b.pc().getTransceivers();
    expect(transceivers).toHaveLength(1);
    expect(transceivers[0]?.sender.track).toBe(bCamera);
    expect(transceivers[0]?.currentDirection).toBe('sendrecv');
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('with nothing to take over it uses addTrack: one transceiver, before any offer', async () => {
    const call = createTestCall({ start: false });
    call.b.actor.start();
    const b = camera();
    for (const track of b.tracks)
      call.b.actor.send({ type: 'ADD_TRACK', track, streams: [b.stream] });
    // addTrack's transceivers have no mid yet and can be matched to a remote offer's m-lines.
    expect(
      call.b
        .pc()
        .getTransceivers()
        .map((t) => t.mid),
    ).toEqual([null, null]);
    call.a.actor.start();
    await bothConnected(call);
    await closeAndExpectNoLeaks(call);
  });
});

describe('glare mid-call', () => {
  it("both add a first audio track at once: one exchange, and the polite peer receives on a transceiver no rolled-back offer of its own had (Chromium's receiver of one never unmutes)", async () => {
    const inOwnOffers = new Set<RTCRtpTransceiver>();
    let collidingOffer = false;
    // b's transceivers as its colliding offer (rolled back later) leaves.
    const call: TestCall = createTestCall({
      wrapB: (channel) => ({
        send: (message) => {
          if (collidingOffer && message.type === 'description') {
            for (const t of call.b.pc().getTransceivers()) inOwnOffers.add(t);
            collidingOffer = false;
          }
          return channel.send(message);
        },
        subscribe: (listener) => channel.subscribe(listener),
      }),
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    await bothSettled(call);
    const bSent = call.b.sent.length;
    collidingOffer = true;
    const aMic = createFakeTrack('audio');
    const bMic = createFakeTrack('audio');
    call.a.actor.send({ type: 'ADD_TRACK', track: aMic, streams: [createFakeStream([aMic])] });
    call.b.actor.send({ type: 'ADD_TRACK', track: bMic, streams: [createFakeStream([bMic])] });
    await until(call.b, (s) => s.context.counters.rollbacks === 1);
    await until(call.a, (s) => s.context.remoteTracks.length === 1);
    await until(call.b, (s) => s.context.remoteTracks.length === 1);
    await bothSettled(call);
    const sa = call.a.actor.getSnapshot().context;
    const sb = call.b.actor.getSnapshot().context;
    expect(sa.counters.offersIgnored).toBe(1);
    expect(sb.counters.rollbacks).toBe(1);
    expect(inOwnOffers.size).toBeGreaterThan(0);
    const receiving = call.b
      .pc()
      .getTransceivers()
      .find((t) => t.receiver.track === sb.remoteTracks[0]?.track);
    expect(receiving).toBeDefined();
    expect(inOwnOffers.has(receiving as RTCRtpTransceiver)).toBe(false);
    // b's track rode on a's m-line in the answer: both directions in one exchange, one m-line.
    expect(receiving?.currentDirection).toBe('sendrecv');
    expect(receiving?.sender.track).toBe(bMic);
    expect(sb.localTracks.map((t) => [t.track, t.sender])).toEqual([[bMic, receiving?.sender]]);
    // Its own transceiver is a trackless recvonly spare, negotiated after the media flowed
    // (not stopped: Chromium would ask for an offer after every exchange for good).
    const own = [...inOwnOffers].find((t) => t !== receiving);
    expect(own?.sender.track).toBeNull();
    expect(own?.currentDirection).toBe('inactive');
    expect(call.b.sent.length).toBeGreaterThan(bSent);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    // b can still take it back: the sender it now has is the one REMOVE_TRACK stops.
    call.b.actor.send({ type: 'REMOVE_TRACK', track: bMic });
    await until(call.a, (s) =>
      s.context.remoteTracks.every((t) => t.ended || t.streams.length === 0),
    );
    await bothSettled(call);
    expect(
      call.b
        .pc()
        .getTransceivers()
        .find((t) => t === receiving)?.direction,
    ).toBe('recvonly');
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });
});

describe("glare mid-call: the polite peer's offer for the spare its answer left", () => {
  // It only gives the spare an m-line; made at once, it ran while the first packets were due
  // (apps/bench glare arm, Chromium: the media ~4 ms later).
  it('waits until media arrives on the m-line its track moved to', async () => {
    const { call, followUp, offersSent, answeredAt, mediaArrives } = await glareMidCall();
    await tick(30);
    expect(followUp).toEqual([]);
    expect(
      call.b.actor.getSnapshot().matches({ active: { renegotiation: 'holdingFollowUp' } }),
    ).toBe(true);
    mediaArrives();
    // The colliding offer, then the spare's.
    await until(call.b, (s) => s.context.counters.offersSent === offersSent + 2, 100);
    expect(followUp).toHaveLength(1);
    expect(followUp[0]?.remoteMuted).toBe(false);
    expect(followUp[0]?.at).toBeLessThan(answeredAt() + 100);
    await bothSettled(call);
    // The spare got its m-line: no offer is asked for after that.
    expect(
      call.b
        .pc()
        .getTransceivers()
        .every((t) => t.mid !== null),
    ).toBe(true);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it(`waits at most FOLLOW_UP_HOLD_MS (${FOLLOW_UP_HOLD_MS} ms) for media that never comes`, async () => {
    const { call, followUp, offersSent, answeredAt } = await glareMidCall();
    await tick(FOLLOW_UP_HOLD_MS - 1);
    expect(followUp).toEqual([]);
    await until(call.b, (s) => s.context.counters.offersSent === offersSent + 2, 100);
    expect(followUp[0]?.remoteMuted).toBe(true);
    expect(followUp[0]?.at).toBeGreaterThanOrEqual(answeredAt() + FOLLOW_UP_HOLD_MS);
    await bothSettled(call);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });
});

describe('a remote offer refused over the header-extension ids of our rolled-back offer', () => {
  it('rebuilds at once, without an error event, and the call is whole again', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    await bothSettled(call);
    // Chromium's refusal (apps/e2e/test/engine.mjs 12-engine-chromium-rollback-keeps-extension-ids):
    // the colliding offer is refused and the engine stays in have-local-offer.
    const pc = call.b.pc();
    const apply = pc.setRemoteDescription.bind(pc);
    const setLocal = pc.setLocalDescription.bind(pc);
    // The refusal is the engine's when the operation runs, behind an offer still being set.
    let setting: Promise<unknown> = Promise.resolve();
    pc.setLocalDescription = (description) => {
      const done = setLocal(description);
      setting = done.catch(() => {});
      return done;
    };
    let refused = 0;
    pc.setRemoteDescription = async (description) => {
      await setting;
      if (description.type === 'offer' && pc.signalingState === 'have-local-offer') {
        refused += 1;
        throw new DOMException(
          "Failed to execute 'setRemoteDescription' on 'RTCPeerConnection': Failed to set remote offer sdp: RTP extension ID reassignment not supported (collision on active MID 1, id=3)",
          'OperationError',
        );
      }
      return apply(description);
    };
    const aMic = createFakeTrack('audio');
    const bMic = createFakeTrack('audio');
    call.a.actor.send({ type: 'ADD_TRACK', track: aMic, streams: [createFakeStream([aMic])] });
    call.b.actor.send({ type: 'ADD_TRACK', track: bMic, streams: [createFakeStream([bMic])] });
    await until(call.b, (s) => s.context.counters.rebuilds === 1);
    expect(refused).toBe(1);
    await bothConnected(call);
    await until(call.a, (s) => s.context.remoteTracks.some((t) => !t.ended));
    await until(call.b, (s) => s.context.remoteTracks.some((t) => !t.ended));
    await bothSettled(call);
    expect(call.b.pc()).not.toBe(pc);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });
});

describe('candidates of an ignored offer', () => {
  const remote = (sdp: string) =>
    ({
      pc: { remoteDescription: { type: 'answer', sdp } },
      pastRemoteUfrags: ['kept'],
    }) as unknown as PeerContext;
  const answer = 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\n';
  const candidate = (sdpMid: string | null, sdpMLineIndex: number | null) => ({
    candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host',
    sdpMid,
    sdpMLineIndex,
    usernameFragment: 'kept',
  });

  it('are those of a ufrag once ignored, for an m-line the remote description lacks', () => {
    // Firefox's answer kept the ufrag of its offer the impolite peer ignored (mids 0 and 1).
    expect(isCandidateOfIgnoredOffer(remote(answer), candidate('1', 1), 'kept')).toBe(true);
    expect(isCandidateOfIgnoredOffer(remote(answer), candidate(null, 1), 'kept')).toBe(true);
    expect(isCandidateOfIgnoredOffer(remote(answer), candidate('0', 0), 'kept')).toBe(false);
    expect(isCandidateOfIgnoredOffer(remote(answer), candidate('1', 1), 'other')).toBe(false);
    expect(isCandidateOfIgnoredOffer(remote(answer), null, 'kept')).toBe(false);
  });
});

describe('a connection that sends no candidate', () => {
  it('is gatheringStalled once negotiated for GATHERING_STALL_MS with none sent; its first candidate clears it', async () => {
    // b's engine gathers nothing by itself: Chromium's after its rolled-back first offer (#23).
    const call = createTestCall({ fakeB: { autoGather: false } });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await until(call.b, (s) => s.context.counters.answersSent === 1);
    await tick(GATHERING_STALL_MS - 1);
    expect(peerView(call.b.actor.getSnapshot()).gatheringStalled).toBe(false);
    await tick(1);
    expect(peerView(call.b.actor.getSnapshot()).gatheringStalled).toBe(true);
    expect(peerView(call.a.actor.getSnapshot()).gatheringStalled).toBe(false);
    call.b
      .pc()
      .emitIceCandidate({ candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 9 typ host' });
    await tick(1);
    expect(peerView(call.b.actor.getSnapshot()).gatheringStalled).toBe(false);
    expect(call.b.actor.getSnapshot().context.counters.candidatesSent).toBe(1);
    await closeAndExpectNoLeaks(call);
  });
});
