import { describe, expect, it } from 'vitest';
import { parseCli } from '../cli.js';

describe('the command line', () => {
  it('reads flags before the environment', () => {
    const result = parseCli(
      [
        '--port',
        '9000',
        '--token-secret',
        's'.repeat(32),
        '--signal-rate',
        '5/10',
        '--trust-proxy',
        '--redis',
        'redis://127.0.0.1:6390',
      ],
      {
        PORT: '1',
        HOST: '0.0.0.0',
        ALLOWED_ORIGINS: 'https://a.test, https://b.test',
        BYTE_RATE: 'off',
      },
    );
    expect(result).toEqual({
      kind: 'start',
      quiet: false,
      options: {
        port: 9000,
        host: '0.0.0.0',
        signalRate: { rate: 5, burst: 10 },
        byteRate: null,
        allowedOrigins: ['https://a.test', 'https://b.test'],
        trustProxy: true,
        redis: 'redis://127.0.0.1:6390',
        tokens: { secret: 's'.repeat(32) },
      },
    });
  });

  it('reads a public key file, answers --help, and names a bad value', () => {
    const result = parseCli(
      ['--token-public-key', 'key.pem', '--quiet'],
      {},
      (path) => `PEM of ${path}`,
    );
    expect(result).toMatchObject({
      quiet: true,
      options: { tokens: { publicKey: 'PEM of key.pem' } },
    });
    expect(parseCli(['--help'], {})).toEqual({ kind: 'help' });
    expect(() => parseCli(['--port=-1'], {})).toThrow(/--port \(PORT\) must be an integer/);
    expect(() => parseCli([], { SIGNAL_RATE: 'fast' })).toThrow(/<rate>\/<burst>/);
    expect(() => parseCli(['--nope'], {})).toThrow();
  });
});
