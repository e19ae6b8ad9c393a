// The servers a scenario starts and stops itself, all on 127.0.0.1 and ephemeral ports: the
// static page server, the WebSocket signaling relay and coturn. Every child process is killed on
// exit, whatever happens.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import { WebSocketServer } from 'ws';

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

function closeHttp(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Serves `/p/<prelude>` pages (an inline prelude, then the fixture bundle) and `/fixture.js`. */
export async function startPageServer({ bundle, preludes }) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const match = /^\/p\/([\w-]+)$/.exec(url.pathname);
    if (match && match[1] in preludes) {
      send(200, 'text/html; charset=utf-8', pageHtml(match[1], preludes[match[1]]));
    } else if (url.pathname === '/fixture.js') {
      send(200, 'text/javascript; charset=utf-8', bundle);
    } else if (url.pathname === '/favicon.ico') {
      send(204, 'image/x-icon', '');
    } else {
      send(404, 'text/plain', 'not found');
    }
  });
  const port = await listen(server, 0);
  return { origin: `http://127.0.0.1:${port}`, stop: () => closeHttp(server) };
}

function pageHtml(name, prelude) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>peerstate e2e (${name})</title>
<style>body{font:12px monospace;margin:8px}video{background:#222;width:240px;height:180px;margin:2px}</style>
<script>
${prelude}
window.__pre = {
  prelude: ${JSON.stringify(name)},
  RTCPeerConnection: typeof window.RTCPeerConnection,
  webkitRTCPeerConnection: typeof window.webkitRTCPeerConnection,
  mozRTCPeerConnection: typeof window.mozRTCPeerConnection,
};
</script></head>
<body><div id="videos"></div><script type="module" src="/fixture.js"></script></body></html>`;
}

/**
 * The minimal signaling relay: rooms of two, JSON relayed verbatim to the other member. What is
 * sent while the other member is away waits for it (a reconnect, or a late joiner). `port`
 * lets a restart take the same port again.
 */
export async function startRelay(port = 0) {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  const rooms = new Map();
  const counts = { connections: 0, relayed: 0, byType: {} };
  const log = [];
  const note = (line) => log.push(`${new Date().toISOString()} ${line}`);

  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const roomName = url.searchParams.get('room') ?? '';
    const peer = url.searchParams.get('peer') ?? '';
    let room = rooms.get(roomName);
    if (!room) {
      room = { members: new Map(), pending: [] };
      rooms.set(roomName, room);
    }
    if (!room.members.has(peer) && room.members.size >= 2) {
      note(`reject ${peer} from full room ${roomName}`);
      ws.close(4000, 'room full');
      return;
    }
    room.members.get(peer)?.terminate();
    room.members.set(peer, ws);
    counts.connections += 1;
    note(`join ${roomName}/${peer}`);
    const keep = [];
    for (const item of room.pending) {
      if (item.from === peer) keep.push(item);
      else ws.send(item.data);
    }
    room.pending = keep;

    ws.on('message', (data) => {
      const text = data.toString();
      let type = 'invalid';
      try {
        const message = JSON.parse(text);
        type =
          message.type === 'description'
            ? `description:${message.description?.type}`
            : message.type;
      } catch {}
      counts.relayed += 1;
      counts.byType[type] = (counts.byType[type] ?? 0) + 1;
      note(`${roomName}/${peer} → ${type}`);
      const other = [...room.members].find(
        ([id, socket]) => id !== peer && socket.readyState === socket.OPEN,
      );
      if (other) other[1].send(text);
      else room.pending.push({ from: peer, data: text });
    });
    ws.on('close', () => {
      if (room.members.get(peer) === ws) room.members.delete(peer);
      note(`leave ${roomName}/${peer}`);
    });
  });

  const actualPort = await listen(server, port);
  note(`listening on ${actualPort}`);
  return {
    port: actualPort,
    url: `ws://127.0.0.1:${actualPort}`,
    counts,
    log,
    /** Drops every client at once, as a crashed server would, and frees the port. */
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(() => resolve()));
      await closeHttp(server);
      note('stopped');
    },
  };
}

/** A UDP port nobody uses right now (coturn wants a number). */
export async function freeUdpPort() {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

/** Sends STUN binding requests until one is answered. */
async function waitForStun(port, timeoutMs) {
  const socket = dgram.createSocket('udp4');
  const deadline = Date.now() + timeoutMs;
  let settled = false;
  try {
    await new Promise((resolve, reject) => {
      const header = Buffer.alloc(20);
      header.writeUInt16BE(0x0001, 0);
      header.writeUInt16BE(0, 2);
      header.writeUInt32BE(0x2112a442, 4);
      randomBytes(12).copy(header, 8);
      socket.on('message', (message) => {
        if (message.length >= 20 && message.readUInt16BE(0) === 0x0101) resolve();
      });
      const tick = () => {
        if (settled) return;
        if (Date.now() > deadline) {
          reject(
            new Error(`coturn did not answer STUN on 127.0.0.1:${port} within ${timeoutMs} ms`),
          );
          return;
        }
        socket.send(header, port, '127.0.0.1');
        setTimeout(tick, 50).unref();
      };
      tick();
    });
  } finally {
    settled = true;
    socket.close();
  }
}

/** coturn for relay-only ICE. `kill()` is a SIGKILL: the process dies with its allocations. */
export async function startTurn({ port, log, auth = ['--user=u:p', '--lt-cred-mech'] }) {
  const args = [
    '-n',
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    ...auth,
    '--realm=test',
    '--no-tls',
    '--no-dtls',
    '--no-tcp',
    '--allow-loopback-peers',
    '--no-cli',
    '--log-file=stdout',
    '--simple-log',
    `--pidfile=/tmp/peerstate-e2e-turn-${port}.pid`,
  ];
  const child = spawn('turnserver', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  exited.then(() => children.delete(child));
  const spawnError = new Promise((_, reject) => child.once('error', reject));
  const append = (chunk) => log.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  log.push(`# turnserver ${args.join(' ')} (pid ${child.pid})`);
  await Promise.race([
    waitForStun(port, 5_000),
    spawnError,
    exited.then(({ code, signal }) => {
      throw new Error(
        `turnserver exited at start (${code ?? signal}); last log: ${log.slice(-3).join(' | ')}`,
      );
    }),
  ]);
  return {
    port,
    pid: child.pid,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      log.push(`# killed at ${new Date().toISOString()}`);
    },
  };
}
