/**
 * `pnpm --filter @peerstatejs/signaling-server start`: runs the server until SIGINT/SIGTERM.
 * Configuration comes from the environment (see the README).
 */
import { startSignalingServer } from './server.js';

const env = process.env;
const number = (name: string): number | undefined => {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be an integer ≥ 0`);
  return parsed;
};
const origins = env.ALLOWED_ORIGINS?.split(',')
  .map((origin) => origin.trim())
  .filter(Boolean);
const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

const server = await startSignalingServer({
  port: number('PORT') ?? 8787,
  host: env.HOST || '127.0.0.1',
  ...optional('maxPeersPerRoom', number('MAX_PEERS_PER_ROOM')),
  ...optional('maxMessageBytes', number('MAX_MESSAGE_BYTES')),
  ...optional('allowedOrigins', origins && origins.length > 0 ? origins : undefined),
  ...optional('token', env.SIGNALING_TOKEN || undefined),
  ...(env.QUIET ? {} : { log: (line: string) => console.log(`[signaling] ${line}`) }),
});
console.log(`[signaling] listening on ${server.url}`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`[signaling] ${signal}: closing`);
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
