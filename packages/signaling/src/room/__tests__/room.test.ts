/**
 * The room over a mock room server (msw's `ws.link`) and fake peer connections, one fake network
 * per pair: a peer per participant with roles from the ids, shared media captured once, leave and
 * rejoin, the size limit, data to all or one, mute and track switch on every peer.
 */
import {
  createFakeMediaDevices,
  createFakeNetwork,
  createFakeTrack,
  type FakeMediaDevices,
  type FakeNetwork,
} from '@peerstatejs/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installMockRoom } from '../../__tests__/mockRoom.js';
import { untilSnapshot } from '../../__tests__/untilSnapshot.js';
import {
  createRoom,
  isPolite,
  type Room,
  type RoomEvent,
  RoomFullError,
  type RoomOptions,
  type RoomSnapshot,
} from '../../index.js';

const URL_ = 'ws://room.test/';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const rooms: Room[] = [];
afterEach(() => {
  for (const room of rooms.splice(0)) room.stop();
});

/** One fake network per pair of ids; the smaller id is side `a`. */
function mesh() {
  const networks = new Map<string, FakeNetwork>();
  return (local: string, remote: string) => {
    const key = [local, remote].sort().join('|');
    let network = networks.get(key);
    if (!network) {
      network = createFakeNetwork();
      networks.set(key, network);
    }
    return network.factory(local < remote ? 'a' : 'b');
  };
}

function room(
  peerId: string,
  networks: ReturnType<typeof mesh>,
  options: Partial<RoomOptions> & { devices?: FakeMediaDevices } = {},
): Room {
  const devices = options.devices ?? createFakeMediaDevices();
  const created = createRoom({
    url: URL_,
    room: 'mesh-1',
    peerId,
    reconnect: { initialDelay: 10, jitter: 0 },
    leaveOnPageHide: false,
    qualityIntervalMs: 0,
    media: { audio: true },
    getUserMedia: (constraints) => devices.getUserMedia(constraints),
    peer: (remote) => ({ peerConnection: networks(peerId, remote), dev: false }),
    ...options,
  });
  rooms.push(created);
  return created;
}

function until(
  target: Room,
  predicate: (snapshot: RoomSnapshot) => boolean,
  timeout = 5000,
): Promise<RoomSnapshot> {
  return untilSnapshot(target, predicate, timeout, () => JSON.stringify(summary(target)));
}

const summary = (target: Room) => {
  const { state, participants, error } = target.getSnapshot();
  return { state, error: error?.message, peers: participants.map((p) => [p.id, p.view.phase]) };
};
/** Connected to exactly these participants. */
const connectedTo =
  (...ids: string[]) =>
  (s: RoomSnapshot) =>
    s.participants.length === ids.length &&
    ids.every((id) => s.participants.some((p) => p.id === id && p.view.phase === 'connected'));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('room: mesh', () => {
  it('connects nothing before start(); then one peer per participant, roles from the ids', async () => {
    const server_ = installMockRoom(server, URL_);
    const networks = mesh();
    const [a, b, c] = ['ann', 'bob', 'cat'].map((id) => room(id, networks)) as [Room, Room, Room];
    await pause(20);
    expect(server_.connections()).toBe(0);
    expect(a.getSnapshot()).toMatchObject({ state: 'idle', participants: [] });

    const joined: string[] = [];
    a.on((event) => event.type === 'joined' && joined.push(event.participant.id));
    for (const r of [a, b, c]) r.start();
    await Promise.all([
      until(a, connectedTo('bob', 'cat')),
      until(b, connectedTo('ann', 'cat')),
      until(c, connectedTo('ann', 'bob')),
    ]);
    expect(joined.sort()).toEqual(['bob', 'cat']);
    for (const r of [a, b, c]) {
      for (const p of r.getSnapshot().participants) expect(p.polite).toBe(isPolite(r.peerId, p.id));
    }
    // Each pair has its own peer and connection: six peers for three pairs.
    const peers = [a, b, c].flatMap((r) => r.getSnapshot().participants.map((p) => p.peer));
    expect(new Set(peers).size).toBe(6);
  });

  it('captures once and sends the same tracks to everyone; a peer that ends never stops them', async () => {
    installMockRoom(server, URL_);
    const networks = mesh();
    const devices = createFakeMediaDevices();
    const a = room('ann', networks, { devices, media: { audio: true, video: true } });
    const b = room('bob', networks);
    const c = room('cat', networks);
    for (const r of [a, b, c]) r.start();
    const snap = await until(a, connectedTo('bob', 'cat'));
    expect(devices.callCount).toBe(1);
    const sent = snap.participants.map((p) =>
      p.view.localTracks.map((t) => t.track).sort((x, y) => x.kind.localeCompare(y.kind)),
    );
    expect(sent[0]).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(snap.localStream?.getTracks()).toEqual(expect.arrayContaining(sent[0] ?? []));

    c.stop();
    await until(a, connectedTo('bob'));
    for (const track of devices.tracks) expect(track.readyState).toBe('live');
    // b received a's audio and video (the same tracks c had).
    await until(b, (s) =>
      s.participants.some(
        (p) => p.id === 'ann' && p.view.remoteTracks.filter((t) => !t.ended).length === 2,
      ),
    );

    a.stop();
    for (const track of devices.tracks) expect(track.readyState).toBe('ended');
  });

  it('a participant that leaves is dropped by the others (left, remote-left); one that comes back is called again', async () => {
    installMockRoom(server, URL_);
    const networks = mesh();
    const a = room('ann', networks);
    const b = room('bob', networks);
    const c = room('cat', networks);
    for (const r of [a, b, c]) r.start();
    await Promise.all([until(a, connectedTo('bob', 'cat')), until(b, connectedTo('ann', 'cat'))]);
    const abPeer = a.getSnapshot().participants.find((p) => p.id === 'bob')?.peer;
    const left: RoomEvent[] = [];
    a.on((event) => event.type === 'left' && left.push(event));

    c.stop();
    await Promise.all([until(a, connectedTo('bob')), until(b, connectedTo('ann'))]);
    expect(left).toHaveLength(1);
    const gone = left[0]?.type === 'left' ? left[0].participant : null;
    expect(gone?.id).toBe('cat');
    expect(['remote', 'remote-left']).toContain(gone?.view.closeReason);
    // The link that stayed is the same peer, never disturbed.
    expect(a.getSnapshot().participants[0]?.peer).toBe(abPeer);

    const again = room('cat', networks);
    again.start();
    await Promise.all([
      until(a, connectedTo('bob', 'cat')),
      until(again, connectedTo('ann', 'bob')),
    ]);
    expect(a.getSnapshot().participants.find((p) => p.id === 'bob')?.peer).toBe(abPeer);
  });

  it("a participant's bye drops it at once, though its leave has not arrived (a closing tab)", async () => {
    const server_ = installMockRoom(server, URL_);
    const networks = mesh();
    const a = room('ann', networks);
    const b = room('bob', networks);
    const c = room('cat', networks);
    for (const r of [a, b, c]) r.start();
    await Promise.all([until(a, connectedTo('bob', 'cat')), until(c, connectedTo('ann', 'bob'))]);
    const left: string[] = [];
    a.on((event) => event.type === 'left' && left.push(event.participant.id));
    // cat hangs up on ann only; its socket, and so its place in the room, stay.
    c.getSnapshot()
      .participants.find((p) => p.id === 'ann')
      ?.peer.send({ type: 'CLOSE', reason: 'local' });
    await until(a, connectedTo('bob'));
    expect(left).toEqual(['cat']);
    expect(server_.members().sort()).toEqual(['ann', 'bob', 'cat']);
    expect(
      b
        .getSnapshot()
        .participants.map((p) => p.id)
        .sort(),
    ).toEqual(['ann', 'cat']);
  });
});

describe('room: limits', () => {
  it('a peer joining a room at maxParticipants leaves with RoomFullError; the members never call it', async () => {
    const server_ = installMockRoom(server, URL_);
    const networks = mesh();
    const a = room('ann', networks, { maxParticipants: 3 });
    const b = room('bob', networks, { maxParticipants: 3 });
    const c = room('cat', networks, { maxParticipants: 3 });
    for (const r of [a, b, c]) r.start();
    await Promise.all([until(a, connectedTo('bob', 'cat')), until(c, connectedTo('ann', 'bob'))]);

    const errors: RoomEvent[] = [];
    const d = room('dan', networks, { maxParticipants: 3 });
    d.on((event) => event.type === 'error' && errors.push(event));
    d.start();
    const full = await until(d, (s) => s.state === 'full');
    expect(full.error).toBeInstanceOf(RoomFullError);
    expect(full.error).toMatchObject({ code: 'ROOM_FULL', maxParticipants: 3, participants: 4 });
    expect(full.participants).toEqual([]);
    expect(errors).toHaveLength(1);
    await pause(50);
    expect(server_.members().sort()).toEqual(['ann', 'bob', 'cat']);
    expect(
      a
        .getSnapshot()
        .participants.map((p) => p.id)
        .sort(),
    ).toEqual(['bob', 'cat']);
  });

  it('refuses a maxParticipants under 2 and bad ids with a TypeError', () => {
    expect(() => createRoom({ url: URL_, room: 'r', maxParticipants: 1 })).toThrow(TypeError);
    expect(() => createRoom({ url: URL_, room: 'r', maxParticipants: 2.5 })).toThrow(TypeError);
    expect(() => createRoom({ url: URL_, room: 'no spaces' })).toThrow(TypeError);
  });
});

describe('room: data and media controls', () => {
  it('broadcasts to everyone and sends to one', async () => {
    installMockRoom(server, URL_);
    const networks = mesh();
    const [a, b, c] = ['ann', 'bob', 'cat'].map((id) => room(id, networks)) as [Room, Room, Room];
    const got: string[] = [];
    for (const r of [b, c]) {
      r.on((e) => e.type === 'data' && got.push(`${r.peerId}<-${e.from}:${String(e.data)}`));
    }
    for (const r of [a, b, c]) r.start();
    await Promise.all([until(a, connectedTo('bob', 'cat')), until(b, connectedTo('ann', 'cat'))]);
    await until(a, (s) =>
      s.participants.every((p) =>
        p.peer.getSnapshot().context.dataChannels.some((d) => d.readyState === 'open'),
      ),
    );
    expect(a.broadcast('hi').slice().sort()).toEqual(['bob', 'cat']);
    expect(a.sendTo('cat', 'only you')).toBe(true);
    expect(a.sendTo('nobody', 'lost')).toBe(false);
    const deadline = Date.now() + 2000;
    while (got.length < 3 && Date.now() < deadline) await pause(10);
    expect(got.sort()).toEqual(['bob<-ann:hi', 'cat<-ann:hi', 'cat<-ann:only you']);
  });

  it('mutes for everyone at once and switches a device on every peer', async () => {
    installMockRoom(server, URL_);
    const networks = mesh();
    const devices = createFakeMediaDevices();
    const a = room('ann', networks, { devices, media: { audio: true, video: true } });
    const b = room('bob', networks);
    const c = room('cat', networks);
    for (const r of [a, b, c]) r.start();
    await until(a, connectedTo('bob', 'cat'));
    a.setMuted('audio', true);
    const audio = a.getSnapshot().localStream?.getAudioTracks()[0];
    expect(audio?.enabled).toBe(false);
    expect(a.getSnapshot().muted).toEqual({ audio: true, video: false });

    const camera = createFakeTrack('video');
    const before = a.getSnapshot().localStream?.getVideoTracks()[0];
    a.replaceTrack(camera);
    const swapped = await until(a, (s) =>
      s.participants.every((p) => p.view.localTracks.some((t) => t.track === camera)),
    );
    expect(swapped.localStream?.getVideoTracks()).toEqual([camera]);
    expect(before?.readyState).toBe('ended');
    for (const p of swapped.participants) {
      expect(p.view.localTracks.some((t) => t.track === before)).toBe(false);
    }
  });
});
