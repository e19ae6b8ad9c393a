/** Test helper: which of our source files a bundle of one entry pulls in (entry isolation tests). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The source files a bundle of `entry` (relative to `src/`) contains, relative to `src/`. */
export async function inputsOf(entry: string): Promise<string[]> {
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
