/**
 * The command line of `peerstate-signaling-server`: flags, each with an environment variable
 * for containers, turned into {@link SignalingServerOptions}. Pure, so it is tested on its own.
 * @module
 */

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SignalingServerOptions } from './options.js';

/** `--help`. */
export const USAGE = `Usage: peerstate-signaling-server [options]

  --port <n>                       PORT                      8787 (0: a free port)
  --host <addr>                    HOST                      127.0.0.1
  --token-secret <s>               SIGNALING_TOKEN_SECRET    HS256 secret for join tokens (≥ 32 bytes)
  --token-public-key <file.pem>    SIGNALING_TOKEN_PUBLIC_KEY Ed25519/P-256 public key (EdDSA/ES256)
  --token-issuer <iss>             SIGNALING_TOKEN_ISSUER
  --token-audience <aud>           SIGNALING_TOKEN_AUDIENCE
  --allowed-origins <a,b>          ALLOWED_ORIGINS           exact browser origins
  --max-peers-per-room <n>         MAX_PEERS_PER_ROOM        8
  --max-message-bytes <n>          MAX_MESSAGE_BYTES         65536
  --max-buffered-bytes <n>         MAX_BUFFERED_BYTES        1048576 (slow consumer: 4004)
  --max-connections-per-address <n> MAX_CONNECTIONS_PER_ADDRESS 64 (0: unlimited)
  --signal-rate <rate/burst>       SIGNAL_RATE               50/200 per connection ("off": none)
  --byte-rate <rate/burst>         BYTE_RATE                 262144/1048576 per connection
  --redis <redis://host:port>      REDIS_URL                 share rooms with the other instances on this Redis
  --instance-id <name>             INSTANCE_ID               this instance's name in the cluster (random)
  --trust-proxy                    TRUST_PROXY=1             client address from X-Forwarded-For
  --quiet                          QUIET=1                   no log lines
  --help

Without a token secret or public key anyone can join any room as anyone: development only.`;

/** What the command line asks for: options to start with, or usage to print. */
export type CliResult =
  | { readonly kind: 'start'; readonly options: SignalingServerOptions; readonly quiet: boolean }
  | { readonly kind: 'help' };

/** Reads flags first, then the environment; throws a `TypeError` naming a bad value. */
export function parseCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): CliResult {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'token-secret': { type: 'string' },
      'token-public-key': { type: 'string' },
      'token-issuer': { type: 'string' },
      'token-audience': { type: 'string' },
      'allowed-origins': { type: 'string' },
      'max-peers-per-room': { type: 'string' },
      'max-message-bytes': { type: 'string' },
      'max-buffered-bytes': { type: 'string' },
      'max-connections-per-address': { type: 'string' },
      'signal-rate': { type: 'string' },
      'byte-rate': { type: 'string' },
      redis: { type: 'string' },
      'instance-id': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return { kind: 'help' };
  const pick = (flag: keyof typeof values, name: string): string | undefined => {
    const value = values[flag] ?? env[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const integer = (flag: keyof typeof values, name: string): number | undefined => {
    const value = pick(flag, name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < 0)
      throw new TypeError(`--${flag} (${name}) must be an integer ≥ 0, got "${value}"`);
    return parsed;
  };
  const rate = (flag: keyof typeof values, name: string) => {
    const value = pick(flag, name);
    if (value === undefined) return undefined;
    if (value === 'off') return null;
    const match = /^(\d+)\/(\d+)$/.exec(value);
    if (!match)
      throw new TypeError(`--${flag} (${name}) must be <rate>/<burst> or off, got "${value}"`);
    return { rate: Number(match[1]), burst: Number(match[2]) };
  };
  const secret = pick('token-secret', 'SIGNALING_TOKEN_SECRET');
  const keyFile = pick('token-public-key', 'SIGNALING_TOKEN_PUBLIC_KEY');
  const issuer = pick('token-issuer', 'SIGNALING_TOKEN_ISSUER');
  const audience = pick('token-audience', 'SIGNALING_TOKEN_AUDIENCE');
  const origins = pick('allowed-origins', 'ALLOWED_ORIGINS')
    ?.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const entries: [keyof SignalingServerOptions, unknown][] = [
    ['port', integer('port', 'PORT') ?? 8787],
    ['host', pick('host', 'HOST') ?? '127.0.0.1'],
    ['maxPeersPerRoom', integer('max-peers-per-room', 'MAX_PEERS_PER_ROOM')],
    ['maxMessageBytes', integer('max-message-bytes', 'MAX_MESSAGE_BYTES')],
    ['maxBufferedBytes', integer('max-buffered-bytes', 'MAX_BUFFERED_BYTES')],
    [
      'maxConnectionsPerAddress',
      integer('max-connections-per-address', 'MAX_CONNECTIONS_PER_ADDRESS'),
    ],
    ['signalRate', rate('signal-rate', 'SIGNAL_RATE')],
    ['byteRate', rate('byte-rate', 'BYTE_RATE')],
    ['allowedOrigins', origins && origins.length > 0 ? origins : undefined],
    ['redis', pick('redis', 'REDIS_URL')],
    ['instanceId', pick('instance-id', 'INSTANCE_ID')],
    ['trustProxy', values['trust-proxy'] || env.TRUST_PROXY === '1' ? true : undefined],
    [
      'tokens',
      secret === undefined && keyFile === undefined
        ? undefined
        : {
            ...(secret === undefined ? {} : { secret }),
            ...(keyFile === undefined ? {} : { publicKey: readFile(keyFile) }),
            ...(issuer === undefined ? {} : { issuer }),
            ...(audience === undefined ? {} : { audience }),
          },
    ],
  ];
  const options = Object.fromEntries(
    entries.filter(([, value]) => value !== undefined),
  ) as SignalingServerOptions;
  return { kind: 'start', options, quiet: Boolean(values.quiet || env.QUIET) };
}
