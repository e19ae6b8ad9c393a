// The ICE restart bench (run.mjs `ice`): two relay-only calls through one local coturn, the
// relay killed and brought back after each outage; the browser side is in browser/.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function findTurnserver() {
  const candidate = process.env.TURNSERVER_PATH ?? 'turnserver';
  const found = spawnSync('sh', ['-c', `command -v ${candidate}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

function startTurn(bin, port, relayBase) {
  const child = spawn(
    bin,
    [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--min-port=${relayBase}`,
      `--max-port=${relayBase + 200}`,
      '--user=u:p',
      '--realm=bench',
      '--lt-cred-mech',
      '--no-tls',
      '--no-dtls',
      '--allow-loopback-peers',
      '--no-cli',
      '--no-stdout-log',
      '--log-file=/dev/null',
      `--pidfile=${path.join(os.tmpdir(), `peerstate-bench-turn-${port}.pid`)}`,
    ],
    { stdio: 'ignore' },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // coturn has no readiness signal: wait until the UDP port answers a TCP probe on the same port.
    const deadline = Date.now() + 5_000;
    const probe = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(child);
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error('turnserver did not start'));
        else setTimeout(probe, 50);
      });
    };
    probe();
  });
}

function stopTurn(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function ice(call, { rounds: iceRounds, outages, stats, row, results, r1 }) {
  const bin = findTurnserver();
  if (!bin) {
    results.ice = { skipped: 'needs coturn (apt-get install -y coturn)' };
    row(
      'ICE restart (TURN kill)',
      'recovery',
      'skipped',
      'needs coturn: apt-get install -y coturn',
    );
    return;
  }
  const port = await freePort();
  const relayBase = 40000 + Math.floor(Math.random() * 20000);
  const configuration = {
    iceTransportPolicy: 'relay',
    iceServers: [{ urls: `turn:127.0.0.1:${port}?transport=udp`, username: 'u', credential: 'p' }],
  };
  results.ice = {};
  let turn = await startTurn(bin, port, relayBase);
  try {
    for (const outageS of outages) {
      const rounds = [];
      for (let i = 0; i < iceRounds; i++) {
        const connected = await call('iceConnect', configuration);
        const killedAt = performance.now();
        await stopTurn(turn);
        // Both calls notice the dead relay (Chromium: ~5 s of unanswered consent checks)…
        const broken = await call('iceWaitBroken');
        // …and it stays down this much longer.
        await new Promise((resolve) => setTimeout(resolve, outageS * 1000));
        turn = await startTurn(bin, port, relayBase);
        const downMs = performance.now() - killedAt;
        const recovered = await call('iceWaitRecovered');
        rounds.push({ ...connected, ...broken, ...recovered, downMs });
      }
      const machine = stats(rounds.map((r) => r.recoveredAfterMs.machine));
      const w3c = stats(rounds.map((r) => r.recoveredAfterMs.w3c));
      results.ice[`${outageS}s`] = { rounds, machine, w3c };
      const noticed = stats(rounds.map((r) => r.brokenAfterMs.machine)).median;
      const restarts = rounds.map((r) => `${r.iceRestarts.a}/${r.iceRestarts.b}`).join(', ');
      row(
        'ICE restart (TURN kill)',
        `${outageS} s outage: relay back → connected, machine / W3C`,
        `${r1(machine.median)} / ${r1(w3c.median)} ms`,
        `${rounds.length === 1 ? '1 round' : `median of ${rounds.length}, machine max ${r1(machine.max)}`}; relay down ${r1(rounds[0].downMs / 1000)} s (noticed after ${r1(noticed)} ms); restarts impolite/polite ${restarts}`,
      );
    }
  } finally {
    await stopTurn(turn);
  }
}
