#!/usr/bin/env node
/**
 * `peerstate-signaling-server` (and `pnpm --filter @peerstatejs/signaling-server start`): runs
 * the server until SIGINT/SIGTERM, then drains. Flags and environment: `--help`, `cli.ts`.
 * Logs are JSON lines on stdout.
 */
import { parseCli, USAGE } from './cli.js';
import { startSignalingServer } from './server.js';

let cli: ReturnType<typeof parseCli>;
try {
  cli = parseCli(process.argv.slice(2), process.env);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}
if (cli.kind === 'help') {
  console.log(USAGE);
  process.exit(0);
}

const line = (record: object) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), ...record }));
const server = await startSignalingServer({
  ...cli.options,
  ...(cli.quiet ? {} : { log: line }),
});
// Always printed, also with --quiet: scripts read the URL from it.
console.log(`listening on ${server.url}`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  if (!cli.quiet) line({ event: 'signal', signal });
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
