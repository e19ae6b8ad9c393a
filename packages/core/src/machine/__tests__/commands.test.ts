/**
 * Commands with a lifecycle: kept until the peer connection exists, settled once each, and
 * serialized per sender (issue 11, cases 4 and 5).
 */
import { describe, expect, it } from 'vitest';
import { createFakeStream, createFakeTrack } from '../../testing/index.js';
import { peerCommands } from '../peerCommands.js';
import type { PeerEmitted } from '../types.js';
import {
  bothConnected,
  bothSettled,
  closeAndExpectNoLeaks,
  createTestCall,
  type TestPeer,
  until,
} from './call.js';

type Settled = Extract<PeerEmitted, { type: 'settled' }>;

/** Resolves once `peer` has emitted `count` settled events (a timeout sized for a loaded machine). */
function settledCount(peer: TestPeer, count: number, timeout = 4000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (settledOf(peer.emitted).length < count) return false;
      subscription.unsubscribe();
      clearTimeout(timer);
      resolve();
      return true;
    };
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`${settledOf(peer.emitted).length} of ${count} commands settled`));
    }, timeout);
    // Queued after the test peer's own '*' listener, which records the event first.
    const subscription = peer.actor.on('settled', () => queueMicrotask(check));
    check();
  });
}

function settledOf(emitted: readonly PeerEmitted[]): Settled[] {
  return emitted.filter((event): event is Settled => event.type === 'settled');
}

describe('commands before the peer connection exists (case 4)', () => {
  it('keeps commands sent in idle and applies them in order once started', async () => {
    const call = createTestCall({ start: false });
    // As a child component's effect does under PeerProvider: before the parent starts the peer.
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'first', id: 'c1' });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'second', id: 'c2' });
    call.a.actor.start();
    call.b.actor.start();
    await bothConnected(call);
    await until(call.b, (s) => s.context.dataChannels.length === 2);
    const labels = call.a.actor.getSnapshot().context.dataChannels.map((c) => c.label);
    expect(labels).toEqual(['first', 'second']);
    expect(call.a.errors).toEqual([]);
    expect(settledOf(call.a.emitted).map(({ id, command, ok }) => ({ id, command, ok }))).toEqual([
      { id: 'c1', command: 'CREATE_DATA_CHANNEL', ok: true },
      { id: 'c2', command: 'CREATE_DATA_CHANNEL', ok: true },
    ]);
    await closeAndExpectNoLeaks(call);
  });

  it('keeps commands sent while starting (autoStart: false, then START)', async () => {
    const call = createTestCall({ start: false, a: { autoStart: false } });
    call.a.actor.start();
    call.b.actor.start();
    expect(call.a.actor.getSnapshot().value).toBe('idle');
    call.a.actor.send({ type: 'START', id: 's' });
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat', id: 'c' });
    await bothConnected(call);
    await until(call.b, (s) => s.context.dataChannels.length === 1);
    const settled = settledOf(call.a.emitted);
    expect(settled.map((event) => [event.id, event.ok])).toEqual([
      ['s', true],
      ['c', true],
    ]);
    await closeAndExpectNoLeaks(call);
  });
});

describe('settled events', () => {
  it('settles a failed command with its typed error, and one after close with PEER_CLOSED', async () => {
    const call = createTestCall();
    call.a.actor.send({ type: 'CREATE_DATA_CHANNEL', label: 'chat', id: 'chat' });
    await bothConnected(call);
    expect(settledOf(call.a.emitted).map((event) => [event.id, event.ok])).toEqual([
      ['chat', true],
    ]);
    call.a.actor.send({ type: 'SEND_DATA', label: 'nope', data: 'x', id: 'send' });
    const [, failed] = settledOf(call.a.emitted);
    expect(failed).toMatchObject({ id: 'send', command: 'SEND_DATA', ok: false });
    expect(failed?.error?.code).toBe('DATA_CHANNEL_FAILED');
    call.a.actor.send({ type: 'CLOSE', id: 'close' });
    call.a.actor.send({ type: 'RESTART_ICE', id: 'late' });
    const rest = settledOf(call.a.emitted).slice(2);
    expect(rest.map((event) => [event.id, event.ok, event.error?.code])).toEqual([
      ['close', true, undefined],
      ['late', false, 'PEER_CLOSED'],
    ]);
    await closeAndExpectNoLeaks(call);
  });
});

describe('commands on one sender are serialized (case 5)', () => {
  it('ten quick REPLACE_TRACKs end with the last track, 0 errors, 0 offers', async () => {
    const call = createTestCall();
    const camera = createFakeTrack('video');
    call.a.actor.send({ type: 'ADD_TRACK', track: camera, streams: [createFakeStream([camera])] });
    await bothConnected(call);
    await bothSettled(call);
    const offers = call.a.actor.getSnapshot().context.counters.offersSent;
    const settledBefore = settledOf(call.a.emitted).length;
    const replacements = Array.from({ length: 10 }, () => createFakeTrack('video'));
    let previous = camera;
    replacements.forEach((next, index) => {
      call.a.actor.send({
        type: 'REPLACE_TRACK',
        track: previous,
        withTrack: next,
        id: `r${index}`,
      });
      previous = next;
    });
    const last = replacements[9];
    // The old code failed replacements 2–10 at once ("track … is not sent by this peer").
    await until(
      call.a,
      (s) => s.context.localTracks[0]?.sender.track === last || call.a.errors.length > 0,
    );
    expect(call.a.errors.map((error) => error.message)).toEqual([]);
    const before = settledBefore;
    await settledCount(call.a, before + 10);
    const replaced = settledOf(call.a.emitted).slice(before);
    const context = call.a.actor.getSnapshot().context;
    expect(replaced.map((event) => [event.id, event.ok])).toEqual(
      replacements.map((_, index) => [`r${index}`, true]),
    );
    expect(context.localTracks.map((entry) => entry.track)).toEqual([last]);
    expect(context.localTracks[0]?.sender.track).toBe(last);
    expect(context.counters.offersSent).toBe(offers);
    await closeAndExpectNoLeaks(call);
  });
});

describe('the promise facade', () => {
  it('resolves when a command did what it asked, rejects with its typed error, before start too', async () => {
    const call = createTestCall({ start: false });
    const commands = peerCommands(call.a.actor);
    const camera = createFakeTrack('video');
    // Sent before start: settles once the peer connection exists.
    const added = commands.addTrack(camera, createFakeStream([camera]));
    call.a.actor.start();
    call.b.actor.start();
    await added;
    await bothConnected(call);
    const screen = createFakeTrack('video');
    await commands.replaceTrack(camera, screen);
    expect(call.a.actor.getSnapshot().context.localTracks[0]?.sender.track).toBe(screen);
    await expect(commands.sendData('nope', 'x')).rejects.toMatchObject({
      code: 'DATA_CHANNEL_FAILED',
    });
    await commands.close();
    await expect(commands.restartIce()).rejects.toMatchObject({ code: 'PEER_CLOSED' });
    call.a.actor.stop();
    await expect(commands.restartIce()).rejects.toMatchObject({ code: 'PEER_CLOSED' });
    await closeAndExpectNoLeaks(call);
  });
});
