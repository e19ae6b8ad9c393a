/**
 * A browser closes a page's WebSocket with 1001 when the page goes away (tab closed, renderer
 * crashed, navigation) and its own leave did not get out: that page cannot resume, so the others
 * see it leave at once, not after the grace period (issue 18: a room drops a closed tab in 2 s).
 */
import { CLOSE_CODES } from '@peerstatejs/signaling';
import { describe, expect, it } from 'vitest';
import { join, joined, raw, sleep, start } from './rawClient.js';

/** Far longer than the waits below: a leave seen in time did not wait for it. */
const GRACE_MS = 60_000;

describe('a page that goes away (1001)', () => {
  it('leaves at once: the others get peer-left, the room forgets it', async () => {
    const server = await start({ resumeGracePeriod: GRACE_MS });
    const alice = await joined(server, 'r', 'alice');
    const bob = await joined(server, 'r', 'bob');
    await alice.next((frame) => frame.t === 'peer-joined' && frame.peer === 'bob');
    bob.socket.close(CLOSE_CODES.GOING_AWAY);
    const left = await Promise.race([
      alice.next((frame) => frame.t === 'peer-left' && frame.peer === 'bob'),
      sleep(10_000).then(() => null),
    ]);
    expect(left).toEqual({ t: 'peer-left', peer: 'bob' });
    expect(server.stats()).toMatchObject({ rooms: 1, peers: 1 });
  });

  it('keeps the grace period for a drop: no close frame, or a close without a leave', async () => {
    const server = await start({ resumeGracePeriod: GRACE_MS });
    const alice = await joined(server, 'r', 'alice');
    const bob = await joined(server, 'r', 'bob');
    const carol = await joined(server, 'r', 'carol');
    await alice.next((frame) => frame.t === 'peer-joined' && frame.peer === 'carol');
    // A dropped connection may come back (resume): it keeps its place.
    bob.socket.terminate();
    // Normal close without a leave frame: also a drop, resumable.
    carol.socket.close(CLOSE_CODES.NORMAL);
    await Promise.all([bob.closed, carol.closed]);
    await sleep(200);
    expect(alice.frames.filter((frame) => frame.t === 'peer-left')).toEqual([]);
    const back = await raw(server);
    back.send(join('r', 'bob'));
    expect(await back.next((frame) => frame.t === 'joined')).toMatchObject({ resumed: true });
  });
});
