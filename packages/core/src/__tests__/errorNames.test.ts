import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import * as errors from '../errors.js';

const source = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../errors.ts');
const classes = Object.entries(errors).filter(
  (entry): entry is [string, typeof errors.PeerStateError] =>
    typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
);

it('every error class names itself, also in a minified production bundle', async () => {
  // Minifiers rename classes: a name read off the constructor would be "o" in an app's bundle.
  const bundled = await build({
    entryPoints: [source],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const code = bundled.outputFiles[0]?.text ?? '';
  const minified = (await import(
    `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
  )) as Record<string, unknown>;
  expect(classes.map(([name]) => name)).toContain('UnsupportedError');
  for (const [name, Source] of classes) {
    expect(new Source('UNSUPPORTED', 'x', [] as never).name).toBe(name);
    const ErrorClass = minified[name] as new (...args: unknown[]) => Error;
    expect(new ErrorClass('UNSUPPORTED', 'x', []).name).toBe(name);
  }
  class AppError extends errors.PeerStateError {}
  expect(new AppError('UNSUPPORTED', 'x').name).toBe('AppError');
});
