/**
 * `pnpm --filter @peerstatejs/signaling-server bench`: the load test against one server process,
 * then against three sharing a Redis (Debian's `redis-server`, started here on 127.0.0.1) with
 * client-side round robin, and a line of figures for each. Server and clients never share one
 * event loop. Environment: `CLIENTS` (1000), `MESSAGES` (20 per client), `INTERVAL_MS` (50
 * between one client's messages), `TIME_LIMIT_MS` (60000), `INSTANCES` (`1,3`), `URL` (one
 * running server instead).
 */

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type LoadTestReport, runLoadTest } from './loadTest.js';
import { startRedis } from './redisServer.js';

/** Starts `dist/src/main.js` on a free port and resolves with its URL and a stop function. */
async function startServerProcess(
  extra: Record<string, string> = {},
): Promise<{ url: string; stop: () => Promise<void> }> {
  const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
  const child = fork(main, [], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      QUIET: '1',
      MAX_PEERS_PER_ROOM: '2',
      // Every client comes from 127.0.0.1.
      MAX_CONNECTIONS_PER_ADDRESS: '0',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start in 10 s')), 10_000);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening on (ws:\/\/\S+)/.exec(chunk.toString());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function summary(label: string, report: LoadTestReport): boolean {
  const ok =
    !report.timedOut &&
    report.lost === 0 &&
    report.duplicated === 0 &&
    report.crossed === 0 &&
    report.outOfOrder === 0 &&
    report.closedEarly.length === 0;
  console.log(
    `${ok ? 'PASS' : 'FAIL'} ${label}: ${report.delivered}/${report.expected} messages, ` +
      `${report.messagesPerSecond} msg/s, p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, ` +
      `lost ${report.lost}, duplicated ${report.duplicated}, crossed rooms ${report.crossed}, ` +
      `resumes ${report.resumes}, fresh rejoins ${report.freshJoins}`,
  );
  return ok;
}

const env = process.env;
const load = {
  clients: Number(env.CLIENTS ?? 1000),
  messagesPerClient: Number(env.MESSAGES ?? 20),
  intervalMs: Number(env.INTERVAL_MS ?? 50),
  timeLimitMs: Number(env.TIME_LIMIT_MS ?? 60_000),
};
const reports: [string, LoadTestReport][] = [];
if (env.URL) {
  reports.push(['running server', await runLoadTest({ url: env.URL, ...load })]);
} else {
  for (const instances of (env.INSTANCES ?? '1,3').split(',').map(Number)) {
    const redis = instances > 1 ? await startRedis() : null;
    const servers = await Promise.all(
      Array.from({ length: instances }, () =>
        startServerProcess(redis ? { REDIS_URL: redis.url } : {}),
      ),
    );
    try {
      const urls = servers.map((server) => server.url);
      const report = await runLoadTest({
        url: urls[0] as string,
        urlFor: (index) => urls.map((_, offset) => urls[(index + offset) % urls.length] as string),
        ...load,
      });
      reports.push([`${instances} instance${instances > 1 ? 's (Redis)' : ''}`, report]);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      await redis?.stop();
    }
  }
}
console.log(JSON.stringify(Object.fromEntries(reports), null, 2));
const results = reports.map(([label, report]) => summary(label, report));
process.exitCode = results.every(Boolean) ? 0 : 1;
