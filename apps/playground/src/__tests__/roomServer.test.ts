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
/** Waits for a condition (events, not time): a budget for a loaded 2-core machine. */
async function until(condition: () => boolean, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > end) throw new Error('not reached');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function join(server: ReturnType<typeof createMemoryRoomServer>, peerId: string) {
  const transport = server.createTransport({ url: 'memory:', room: 'r', peerId });
  const log: string[] = [];
  transport.onStateChange((state) => log.push(`state ${state}`));
  transport.onPresence((event) => log.push(`${event.type} ${event.peer}`));
  transport.subscribe((message, meta) => log.push(`from ${meta.from} ${JSON.stringify(message)}`));
  return { transport, log };
}

const FROM_BEN = `from Ben ${JSON.stringify(BYE)}`;

describe('memory room server', () => {
  it('joins, reports presence both ways, relays to the others and leaves on close', async () => {
    const server = createMemoryRoomServer();
    const ann = join(server, 'Ann');
    expect(ann.transport.state).toBe('connecting');
    await until(() => ann.transport.state === 'open');
    const ben = join(server, 'Ben');
    await until(() => ann.log.includes('joined Ben') && ben.transport.state === 'open');
    expect(ben.transport.peers).toEqual(['Ann']);
    expect(ann.transport.peers).toEqual(['Ben']);
    expect(ann.log).toEqual(['state open', 'joined Ben']);

    const sent: string[] = [];
    server.onSend((from, message) => sent.push(`${from} ${JSON.stringify(message)}`));
    ben.transport.send(BYE);
    // Never delivered inside the sender's call.
    expect(ann.log).not.toContain(FROM_BEN);
    await until(() => ann.log.includes(FROM_BEN));
    expect(ben.log.filter((line) => line.startsWith('from'))).toEqual([]);
    expect(sent).toEqual([`Ben ${JSON.stringify(BYE)}`]);

    ben.transport.close();
    expect(ben.transport.state).toBe('closed');
    await until(() => ann.log.at(-1) === 'left Ben');
    expect(ann.transport.peers).toEqual([]);
    expect(server.members('r')).toEqual(['Ann']);
    // A closed transport sends nothing: what a later member sends after it arrives alone.
    ben.transport.send(BYE);
    const cat = join(server, 'Cat');
    await until(() => cat.transport.state === 'open');
    cat.transport.send(BYE);
    await until(() => ann.log.some((line) => line.startsWith('from Cat')));
    expect(ann.log.filter((line) => line === FROM_BEN)).toHaveLength(1);
  });

  it('keeps messages that arrive before the first subscriber', async () => {
    const server = createMemoryRoomServer();
    const ann: WebSocketSignaling = server.createTransport({ url: 'm', room: 'r', peerId: 'Ann' });
    await until(() => ann.state === 'open');
    const cat = join(server, 'Cat');
    const ben = join(server, 'Ben');
    await until(() => ben.transport.state === 'open');
    ben.transport.send(BYE);
    // Delivered to Ann before Cat (join order): once Cat has it, Ann's backlog holds it.
    await until(() => cat.log.includes(FROM_BEN));
    const got: unknown[] = [];
    ann.subscribe((message) => got.push(message));
    await until(() => got.length > 0);
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
