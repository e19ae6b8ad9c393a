import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolvePeerOptions } from '../machine/options.js';
import type { PeerOptions, ResolvedPeerOptions } from '../machine/types.js';

const base: PeerOptions = { signaling: {} as PeerOptions['signaling'], polite: false };
const optionsModule = fileURLToPath(new URL('../machine/options.ts', import.meta.url));

/**
 * `resolvePeerOptions` as a browser bundle sees it: bundled by esbuild (with `define`, as Vite,
 * webpack and esbuild set `process.env.NODE_ENV` for an app build) and run where no `process`
 * exists.
 */
async function inBrowserBundle(nodeEnv: string | undefined) {
  const result = await build({
    entryPoints: [optionsModule],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    globalName: 'peerstateOptions',
    logLevel: 'silent',
    define: nodeEnv === undefined ? {} : { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) },
  });
  const context = vm.createContext({});
  vm.runInContext(result.outputFiles[0]?.text ?? '', context);
  expect(vm.runInContext('typeof process', context)).toBe('undefined');
  const resolve = (
    context as { peerstateOptions: { resolvePeerOptions: typeof resolvePeerOptions } }
  ).peerstateOptions.resolvePeerOptions;
  return (options: Pick<PeerOptions, 'dev'> = {}): ResolvedPeerOptions =>
    resolve({ ...base, ...options });
}

describe('development warnings (the dev option)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('follows NODE_ENV in Node', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(resolvePeerOptions(base).dev).toBe(false);
    vi.stubEnv('NODE_ENV', 'development');
    expect(resolvePeerOptions(base).dev).toBe(true);
  });

  it('an explicit dev option wins over NODE_ENV', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(resolvePeerOptions({ ...base, dev: true }).dev).toBe(true);
    vi.stubEnv('NODE_ENV', 'development');
    expect(resolvePeerOptions({ ...base, dev: false }).dev).toBe(false);
  });

  it('is off in a production browser bundle, where there is no process', async () => {
    const resolve = await inBrowserBundle('production');
    expect(resolve().dev).toBe(false);
    expect(resolve({ dev: true }).dev).toBe(true);
  });

  it('is on in a development browser bundle, and unbundled in a browser', async () => {
    expect((await inBrowserBundle('development'))().dev).toBe(true);
    const unbundled = await inBrowserBundle(undefined);
    expect(unbundled().dev).toBe(true);
    expect(unbundled({ dev: false }).dev).toBe(false);
  });
});
