import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The source files a bundle of `entry` contains, relative to `src/`. */
async function inputsOf(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(src, entry)],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    // Only our own files matter here.
    external: ['xstate'],
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).map((input) =>
    path.relative(src, path.resolve(input)).split(path.sep).join('/'),
  );
}

/** The modules only engines older than the promise and track APIs need, wherever they live. */
const LEGACY =
  /\/(legacy\/|legacyCallbackPeerConnection|streamApiPeerConnection|emulatedRtp|legacyStatsReport)/;

describe('the legacy entry', () => {
  it('is not reachable from the main entry', async () => {
    const main = await inputsOf('index.ts');
    expect(main).toContain('platform/detectPeerConnection.ts');
    expect(main.filter((file) => LEGACY.test(`/${file}`))).toEqual([]);
  });

  it('holds the legacy adapters, and nothing of the machine', async () => {
    const legacy = await inputsOf('platform/legacy/index.ts');
    expect(legacy).toEqual(
      expect.arrayContaining([
        'platform/legacy/legacyCallbackPeerConnection.ts',
        'platform/legacy/streamApiPeerConnection.ts',
        'platform/legacy/emulatedRtp.ts',
        'platform/legacy/legacyStatsReport.ts',
        'platform/legacy/compat.ts',
      ]),
    );
    expect(legacy.filter((file) => file.startsWith('machine/'))).toEqual([]);
  });
});
