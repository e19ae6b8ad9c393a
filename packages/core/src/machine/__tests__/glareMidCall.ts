/** The mid-call glare both glare.test.ts and glareAnswer.test.ts start from (#12). */
import { expect } from 'vitest';
import {
  createFakeStream,
  createFakeTrack,
  type FakeMediaStreamTrack,
} from '../../testing/index.js';
import { bothConnected, bothSettled, createTestCall, type TestCall, until } from './call.js';

/**
 * A settled call where both add an audio track at once: b (polite) moves its track onto a's
 * m-line in the answer (negotiation/answerOnOfferedMlines.ts) and keeps a spare that needs an
 * offer of its own. Resolves once b has answered. The fake unmutes a receiver as soon as its
 * direction receives; here b's new remote track unmutes only when the test calls
 * `mediaArrives()`, as a real one does when the first packet comes (after a applied the answer).
 * `followUp` is b's next offer starting: when, and whether b's remote track had media by then.
 * `prepare` runs on the settled call just before the two `ADD_TRACK`s (to watch b's engine calls).
 */
export async function glareMidCall(prepare: (call: TestCall) => void = () => {}) {
  const call = createTestCall();
  call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat' });
  await bothConnected(call);
  await bothSettled(call);
  const arrivals: (() => void)[] = [];
  call.b.pc().addEventListener(
    'track',
    (event) => {
      const track = (event as RTCTrackEvent).track as FakeMediaStreamTrack;
      const unmute = track.simulateUnmute.bind(track);
      track.simulateUnmute = () => arrivals.push(unmute);
    },
    { once: true },
  );
  const { answersSent, offersSent } = call.b.actor.getSnapshot().context.counters;
  let answeredAt: number | null = null;
  const followUp: { at: number; remoteMuted: boolean }[] = [];
  call.b.actor.subscribe((s) => {
    if (answeredAt === null && s.context.counters.answersSent > answersSent)
      answeredAt = Date.now();
    if (
      answeredAt !== null &&
      !followUp.length &&
      s.matches({ active: { signaling: 'makingOffer' } })
    )
      followUp.push({
        at: Date.now(),
        remoteMuted: s.context.remoteTracks[0]?.track.muted ?? true,
      });
  });
  prepare(call);
  const aMic = createFakeTrack('audio');
  const bMic = createFakeTrack('audio');
  call.a.actor.send({ type: 'ADD_TRACK', track: aMic, streams: [createFakeStream([aMic])] });
  call.b.actor.send({ type: 'ADD_TRACK', track: bMic, streams: [createFakeStream([bMic])] });
  await until(call.b, (s) => s.context.counters.answersSent > answersSent);
  expect(call.b.actor.getSnapshot().context.counters.rollbacks).toBe(1);
  return {
    call,
    bMic,
    followUp,
    offersSent,
    answeredAt: () => answeredAt as number,
    mediaArrives: () => {
      for (const unmute of arrivals.splice(0)) unmute();
    },
  };
}
