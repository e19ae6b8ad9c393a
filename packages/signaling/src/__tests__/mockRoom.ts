/**
 * A room server in msw (`ws.link`), enough of the reference server's protocol for sessions:
 * `join` answered with the peers present, `peer-joined` / `peer-left`, signals relayed to the
 * others with the server's `from`, acknowledged at once. A socket that closes without `leave`
 * leaves only when the test says its grace period is over (`expire`).
 */
import { ws } from 'msw';
import type { SetupServer } from 'msw/node';
import { type ClientFrame, parseClientFrame, type ServerFrame } from '../index.js';

type MockClient = Parameters<
  Parameters<ReturnType<typeof ws.link>['addEventListener']>[1]
>[0]['client'];

interface Member {
  readonly peer: string;
  readonly client: MockClient;
  seq: number;
  connected: boolean;
}

export interface MockRoom {
  /** Every parsed client frame, with the peer that sent it (`''` before its join). */
  readonly frames: { readonly peer: string; readonly frame: ClientFrame }[];
  /** Connections opened so far. */
  connections(): number;
  /** Peers in the room (connected or within their grace period). */
  members(): string[];
  /** Ends the grace period of a peer whose socket dropped: the others see it leave. */
  expire(peer: string): void;
  /** Drops a peer's socket as a closed tab would: no `leave`. */
  drop(peer: string): void;
  /** Sends a signal to everyone in the room as if `from` had sent it. */
  inject(from: string, data: unknown): void;
}

export function installMockRoom(server: Pick<SetupServer, 'use'>, url: string): MockRoom {
  const link = ws.link(url);
  const members = new Map<string, Member>();
  const frames: MockRoom['frames'] = [];
  let connections = 0;
  const write = (member: Member, frame: ServerFrame): void => {
    if (member.connected) member.client.send(JSON.stringify(frame));
  };
  const others = (peer: string) => [...members.values()].filter((m) => m.peer !== peer);
  const leave = (peer: string): void => {
    if (!members.delete(peer)) return;
    for (const other of members.values()) write(other, { t: 'peer-left', peer });
  };
  const relay = (from: string, data: unknown): void => {
    for (const other of others(from)) {
      other.seq += 1;
      write(other, { t: 'signal', seq: other.seq, from, data });
    }
  };

  server.use(
    link.addEventListener('connection', ({ client }) => {
      connections += 1;
      let self: Member | null = null;
      client.addEventListener('message', (event) => {
        const parsed = parseClientFrame(String(event.data));
        if (!parsed.ok) throw new Error(`client sent a bad frame: ${parsed.reason}`);
        const frame = parsed.frame;
        frames.push({ peer: self?.peer ?? '', frame });
        switch (frame.t) {
          case 'join': {
            const present = others(frame.peer).map((m) => m.peer);
            self = { peer: frame.peer, client, seq: 0, connected: true };
            members.set(frame.peer, self);
            write(self, {
              t: 'joined',
              room: frame.room,
              peer: frame.peer,
              peers: present,
              resumed: false,
              acked: 0,
            });
            for (const other of others(frame.peer))
              write(other, { t: 'peer-joined', peer: frame.peer });
            return;
          }
          case 'signal':
            if (self) relay(self.peer, frame.data);
            client.send(JSON.stringify({ t: 'ack', seq: frame.seq }));
            return;
          case 'ping':
            client.send(JSON.stringify({ t: 'pong' }));
            return;
          case 'leave':
            if (self) leave(self.peer);
            return;
          case 'ack':
            return;
        }
      });
      client.addEventListener('close', () => {
        if (self) self.connected = false;
      });
    }),
  );

  return {
    frames,
    connections: () => connections,
    members: () => [...members.keys()],
    expire: leave,
    drop(peer) {
      const member = members.get(peer);
      if (!member) return;
      member.connected = false;
      member.client.close();
    },
    inject: relay,
  };
}
