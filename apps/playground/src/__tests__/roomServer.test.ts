/**
 * The room view's in-page room server (what createRoom needs of the reference server) and its
 * links (one recorder per pair; a participant coming back makes a new link).
 */
import { SIGNALING_VERSION } from '@peerstatejs/core';
import type { WebSocketSignaling } from '@peerstatejs/signaling';
import { describe, expect, it } from 'vitest';
import { createMemoryRoomServer } from '../room/memoryRoom.js';
import { createRoomLinks } from '../room/roomLinks.js';

const BYE = { v: SIGNALING_VERSION, type: 'bye' } as const;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function join(server: ReturnType<typeof createMemoryRoomServer>, peerId: string) {
  const transport = server.createTransport({ url: 'memory:', room: 'r', peerId });
  const log: string[] = [];
  transport.onStateChange((state) => log.push(`state ${state}`));
  transport.onPresence((event) => log.push(`${event.type} ${event.peer}`));
  transport.subscribe((message, meta) => log.push(`from ${meta.from} ${JSON.stringify(message)}`));
  return { transport, log };
}

describe('memory room server', () => {
  it('joins, reports presence both ways, relays to the others and leaves on close', async () => {
    const server = createMemoryRoomServer();
    const ann = join(server, 'Ann');
    expect(ann.transport.state).toBe('connecting');
    await tick();
    const ben = join(server, 'Ben');
    await tick();
    expect(ben.transport.peers).toEqual(['Ann']);
    expect(ann.transport.peers).toEqual(['Ben']);
    expect(ann.log).toEqual(['state open', 'joined Ben']);

    const sent: string[] = [];
    server.onSend((from, message) => sent.push(`${from} ${JSON.stringify(message)}`));
    ben.transport.send(BYE);
    // Never delivered inside the sender's call.
    expect(ann.log).not.toContain(`from Ben ${JSON.stringify(BYE)}`);
    await tick();
    expect(ann.log).toContain(`from Ben ${JSON.stringify(BYE)}`);
    expect(ben.log.filter((line) => line.startsWith('from'))).toEqual([]);
    expect(sent).toEqual([`Ben ${JSON.stringify(BYE)}`]);

    ben.transport.close();
    expect(ben.transport.state).toBe('closed');
    await tick();
    expect(ann.log.at(-1)).toBe('left Ben');
    expect(ann.transport.peers).toEqual([]);
    expect(server.members('r')).toEqual(['Ann']);
    // A closed transport sends nothing.
    ben.transport.send(BYE);
    await tick();
    expect(ann.log.at(-1)).toBe('left Ben');
  });

  it('keeps messages that arrive before the first subscriber', async () => {
    const server = createMemoryRoomServer();
    const ann: WebSocketSignaling = server.createTransport({ url: 'm', room: 'r', peerId: 'Ann' });
    const ben = join(server, 'Ben');
    await tick();
    ben.transport.send(BYE);
    await tick();
    const got: unknown[] = [];
    ann.subscribe((message) => got.push(message));
    await tick();
    expect(got).toEqual([BYE]);
  });
});

describe('room links', () => {
  it('records a pair in one link, and a comeback in a new one', () => {
    const links = createRoomLinks();
    const annForBen = links.peerOptions('Ann', 'Ben');
    const benForAnn = links.peerOptions('Ben', 'Ann');
    expect(annForBen.id).toBe('Ann→Ben');
    expect(benForAnn.id).toBe('Ben→Ann');
    expect(links.list().map((link) => link.id)).toEqual(['Ann–Ben']);
    const [first] = links.list();
    expect(first?.recorder.session.peers.map((p) => [p.name, p.polite])).toEqual([
      ['Ann→Ben', true],
      ['Ben→Ann', false],
    ]);

    // What each side sends, addressed in the room's envelope, lands in its own record.
    links.recordSent('Ben', { type: 'room-signal', to: 'Ann', message: { type: 'bye' } });
    links.recordSent('Ben', { type: 'something-else' });
    const sent = (index: number) =>
      first?.recorder.session.peers[index]?.entries.filter((e) => e.kind === 'sent').length;
    expect([sent(0), sent(1)]).toEqual([0, 1]);

    // Ben comes back: its new machine for Ann and Ann's new one for Ben are a new link.
    links.peerOptions('Ben', 'Ann');
    links.peerOptions('Ann', 'Ben');
    expect(links.list().map((link) => link.id)).toEqual(['Ann–Ben', 'Ann–Ben #2']);
    links.recordSent('Ann', { type: 'room-signal', to: 'Ben', message: { type: 'bye' } });
    expect(sent(0)).toBe(0);
    const second = links.list()[1];
    expect(
      second?.recorder.session.peers[0]?.entries.filter((e) => e.kind === 'sent'),
    ).toHaveLength(1);
  });
});
