/**
 * The polite peer's answer to a mid-call glare (#12, negotiation/answerOnOfferedMlines.ts): when
 * its moved track is put on the offered m-line's sender, and the follow-up offer for the spare
 * it leaves, when the engine asks for that offer before the spare's sender is trackless.
 */
import { describe, expect, it } from 'vitest';
import { bothSettled, closeAndExpectNoLeaks, type TestCall, tick, until } from './call.js';
import { glareMidCall } from './glareMidCall.js';

/**
 * Logs b's `setLocalDescription` calls and every `replaceTrack` on its senders, in call order;
 * `late(track)`: whether a `replaceTrack(track)` resolves only after `setTimeout(ms)` instead,
 * off the operations chain (Chromium does not chain replaceTrack; webrtc-pc §5.2 does).
 */
function watchB(call: TestCall, late: (track: MediaStreamTrack | null) => number | null) {
  const log: string[] = [];
  const pc = call.b.pc();
  const setLocal = pc.setLocalDescription.bind(pc);
  pc.setLocalDescription = (description?: RTCLocalSessionDescriptionInit) => {
    log.push(`setLocalDescription in ${pc.signalingState}`);
    return setLocal(description);
  };
  const wrapped = new WeakSet<RTCRtpSender>();
  const getTransceivers = pc.getTransceivers.bind(pc);
  pc.getTransceivers = () => {
    const transceivers = getTransceivers();
    for (const { sender } of transceivers) {
      if (wrapped.has(sender)) continue;
      wrapped.add(sender);
      const replace = sender.replaceTrack.bind(sender);
      sender.replaceTrack = (track) => {
        log.push(`replaceTrack(${track === null ? 'null' : 'track'})`);
        const ms = late(track);
        if (ms === null) return replace(track);
        return new Promise((resolve, reject) => {
          setTimeout(() => replace(track).then(resolve, reject), ms);
        });
      };
    }
    return transceivers;
  };
  return log;
}

/** {@link glareMidCall}, with b's engine calls logged by {@link watchB}. */
async function glare(late: (track: MediaStreamTrack | null) => number | null = () => null) {
  let log: string[] = [];
  const glared = await glareMidCall((call) => {
    log = watchB(call, late);
  });
  return { ...glared, log };
}

describe('glare mid-call: the answer that moves the polite peer’s track', () => {
  // Ahead of it, the replaceTracks made the engine move the tracks before making the answer
  // (apps/bench --trace=glare, Chromium: the answer ~0.5 ms later).
  it('is under way before the track moves, and goes out with the track on its sender', async () => {
    const { call, log, bMic } = await glare();
    const answer = log.indexOf('setLocalDescription in have-remote-offer');
    const firstReplace = log.findIndex((entry) => entry.startsWith('replaceTrack'));
    expect(answer).toBeGreaterThanOrEqual(0);
    expect(firstReplace).toBeGreaterThan(answer);
    expect(log.slice(answer + 1, answer + 3).sort()).toEqual([
      'replaceTrack(null)',
      'replaceTrack(track)',
    ]);
    // The answer went out once the track was on the m-line it answers with.
    const { localTracks } = call.b.actor.getSnapshot().context;
    expect(localTracks.map((t) => [t.track, t.sender.track, t.sending])).toEqual([
      [bMic, bMic, true],
    ]);
    await bothSettled(call);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });

  // Chromium fires negotiationneeded once the answer is applied, before a replaceTrack called
  // after it resolves (apps/bench --trace=glare): the spare still has the moved track then.
  it('the follow-up offer still waits for the media when the engine asks for it before the spare is trackless', async () => {
    const { call, offersSent, mediaArrives } = await glare((track) => (track ? null : 5));
    await tick(30);
    expect(call.b.actor.getSnapshot().context.counters.offersSent).toBe(offersSent + 1);
    expect(
      call.b.actor.getSnapshot().matches({ active: { renegotiation: 'holdingFollowUp' } }),
    ).toBe(true);
    mediaArrives();
    await until(call.b, (s) => s.context.counters.offersSent === offersSent + 2, 100);
    await bothSettled(call);
    expect([...call.a.errors, ...call.b.errors]).toEqual([]);
    await closeAndExpectNoLeaks(call);
  });
});
