import { describe, expect, it } from 'vitest';
import { createFakeStream, createFakeTrack } from '../../testing/index.js';
import { peerTimeline } from '../timeline.js';
import {
  bothConnected,
  bothSettled,
  closeAndExpectNoLeaks,
  createTestCall,
  until,
} from './call.js';

function kinds(tracks: readonly { track: MediaStreamTrack }[]): string[] {
  return tracks.map(({ track }) => track.kind).sort();
}

describe('negotiation', () => {
  it('connects when the impolite peer starts (data channel)', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    const a = call.a.actor.getSnapshot();
    const b = call.b.actor.getSnapshot();
    expect(a.context.counters.offersSent).toBe(1);
    expect(b.context.counters.answersSent).toBe(1);
    expect(a.context.pcStates.signaling).toBe('stable');
    expect(call.a.errors).toEqual([]);
    expect(call.b.errors).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('connects when the polite peer starts (media)', async () => {
    const call = createTestCall();
    const audio = createFakeTrack('audio');
    const video = createFakeTrack('video');
    const stream = createFakeStream([audio, video]);
    call.b.actor.send({ type: 'ADD_TRACK', track: audio, streams: [stream] });
    call.b.actor.send({ type: 'ADD_TRACK', track: video, streams: [stream] });
    await bothConnected(call);
    const a = await until(call.a, (s) => s.context.remoteTracks.length === 2);
    expect(kinds(a.context.remoteTracks)).toEqual(['audio', 'video']);
    for (const remote of a.context.remoteTracks) {
      expect(remote.streams.map((s) => s.id)).toEqual([stream.id]);
    }
    expect(call.b.actor.getSnapshot().context.counters.offersSent).toBeGreaterThanOrEqual(1);
    expect(call.a.errors).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it.each([
    ['impolite first', 'a', 'b'],
    ['polite first', 'b', 'a'],
  ] as const)(
    'resolves glare (%s): both connected with every track on both sides',
    async (_, first, second) => {
      const call = createTestCall();
      // Connected first: at start-up the polite peer's first offer waits for the impolite's.
      call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
      await bothConnected(call);
      await bothSettled(call);
      const audioA = createFakeTrack('audio');
      const videoB = createFakeTrack('video');
      const streamA = createFakeStream([audioA]);
      const streamB = createFakeStream([videoB]);
      const sends = {
        a: () => call.a.actor.send({ type: 'ADD_TRACK', track: audioA, streams: [streamA] }),
        b: () => call.b.actor.send({ type: 'ADD_TRACK', track: videoB, streams: [streamB] }),
      };
      sends[first]();
      sends[second]();
      await bothConnected(call);
      await until(call.a, (s) => s.context.remoteTracks.length === 1);
      await until(call.b, (s) => s.context.remoteTracks.length === 1);
      await bothSettled(call);
      const a = call.a.actor.getSnapshot().context;
      const b = call.b.actor.getSnapshot().context;
      expect(kinds(a.remoteTracks)).toEqual(['video']);
      expect(kinds(b.remoteTracks)).toEqual(['audio']);
      // Both offered at once: the impolite side ignored one offer, the polite side rolled back.
      expect(a.counters.offersIgnored).toBe(1);
      expect(b.counters.rollbacks).toBe(1);
      expect([...call.a.errors, ...call.b.errors]).toEqual([]);
      await closeAndExpectNoLeaks(call);
    },
  );

  it('rolls back explicitly on engines without implicit rollback, and remembers it', async () => {
    const call = createTestCall({ fakeB: { implicitRollback: false } });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    await bothSettled(call);
    call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
    call.b.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('video') });
    await until(call.a, (s) => s.context.remoteTracks.length === 1);
    await until(call.b, (s) => s.context.remoteTracks.length === 1);
    await bothSettled(call);
    const b = call.b.actor.getSnapshot().context;
    expect(b.counters.rollbacks).toBe(1);
    expect(b.explicitRollback).toBe(true);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('renegotiates for each later change, never overlapping two offers', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    const tracks = [createFakeTrack('audio'), createFakeTrack('video'), createFakeTrack('audio')];
    for (const track of tracks) call.a.actor.send({ type: 'ADD_TRACK', track });
    await until(call.b, (s) => s.context.remoteTracks.length === 3);
    await bothSettled(call);
    // The machine never left haveLocalOffer for a second makingOffer without an answer between.
    const signaling = peerTimeline(call.a.actor)
      .filter((entry) => entry.region === 'signaling')
      .map((entry) => entry.state);
    for (let i = 0; i < signaling.length - 1; i++) {
      if (signaling[i] === 'haveLocalOffer')
        expect(signaling[i + 1]).toBe('settingRemoteDescription');
    }
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('ignores a repeated answer, drops a stale one, reports one to no offer of ours', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    await bothSettled(call);
    const answer = call.b.sent.find((m) => m.type === 'description');
    if (answer?.type !== 'description') throw new Error('no answer was sent');
    // A duplicate of the answer already applied (a retransmission): ignored, counted.
    call.toB.send(answer);
    await until(call.a, (s) => s.context.counters.duplicatesIgnored === 1);
    expect(call.a.errors).toEqual([]);
    // Another answer to our (answered) offer: late, dropped and counted, never applied.
    const other = answer.description.sdp.replace(/^o=(\S+) (\d+)/m, 'o=$1 999');
    call.toB.send({
      ...answer,
      id: `${answer.id}-late`,
      description: { ...answer.description, sdp: other },
    });
    await until(call.a, (s) => s.context.counters.staleAnswers === 1);
    expect(call.a.pc().remoteDescription?.sdp).toBe(answer.description.sdp);
    expect(call.a.errors).toEqual([]);
    // An answer to an offer we never made: a description in the wrong state.
    call.toB.send({ ...answer, id: 'other:0:0', inReplyTo: 'nobody:0:0' });
    await until(call.a, (s) => s.context.lastError !== null);
    expect(call.a.errors.map((e) => e.code)).toEqual(['NEGOTIATION_FAILED']);
    expect(call.a.actor.getSnapshot().matches({ active: { signaling: 'stable' } })).toBe(true);
    // Still usable: a new track renegotiates fine.
    call.a.actor.send({ type: 'ADD_TRACK', track: createFakeTrack('audio') });
    await until(call.b, (s) => s.context.remoteTracks.length === 1);
    await closeAndExpectNoLeaks(call);
  });
});

describe('trickle ICE', () => {
  it('buffers candidates that arrive before the remote description and loses none', async () => {
    // a's descriptions are delayed: its candidates overtake its offer.
    const call = createTestCall({
      wrapA: (channel) => ({
        send: (message) => {
          if (message.type === 'description') setTimeout(() => channel.send(message), 30);
          else channel.send(message);
        },
        subscribe: (listener) => channel.subscribe(listener),
      }),
    });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    await bothSettled(call);
    const b = call.b.actor.getSnapshot().context;
    const sentCandidates = call.a.sent.filter(
      (m) => m.type === 'candidate' && m.candidate !== null && m.candidate.candidate !== '',
    );
    expect(sentCandidates.length).toBeGreaterThan(0);
    expect(b.counters.candidatesBuffered).toBeGreaterThan(0);
    const added = call.b.pc().addedRemoteCandidates.map((c) => c.candidate);
    for (const message of sentCandidates) {
      if (message.type !== 'candidate' || !message.candidate) continue;
      expect(added).toContain(message.candidate.candidate);
    }
    expect(b.counters.candidatesDiscarded).toBe(0);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  it('surfaces a candidate for an unknown m-section as ICE_CANDIDATE_FAILED', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
    await bothConnected(call);
    await bothSettled(call);
    call.toB.send({
      v: 2,
      type: 'candidate',
      candidate: {
        candidate: 'candidate:9 1 udp 2122260223 127.0.0.1 50000 typ host',
        sdpMid: 'no-such-mid',
        sdpMLineIndex: null,
        usernameFragment: null,
      },
      ufrag: null,
      epoch: 0,
    });
    await until(call.a, (s) => s.context.lastError !== null);
    expect(call.a.errors.map((e) => e.code)).toEqual(['ICE_CANDIDATE_FAILED']);
    expect(call.a.actor.getSnapshot().matches({ active: { connection: 'connected' } })).toBe(true);
    await closeAndExpectNoLeaks(call);
  });
});
