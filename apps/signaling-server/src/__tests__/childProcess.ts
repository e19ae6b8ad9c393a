/**
 * Starts `fixtures/childServer.ts` in a child process: bundled once with esbuild (workspace
 * packages stay external, resolved to their built `dist`), so the child runs plain Node.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { SignalingServerOptions } from '../server.js';

let bundled: Promise<string> | undefined;

function bundle(): Promise<string> {
  bundled ??= (async () => {
    // Inside the package's node_modules, so that the externals resolve from there.
    const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
    mkdirSync(cache, { recursive: true });
    const outfile = join(mkdtempSync(join(cache, 'child-server-')), 'childServer.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./fixtures/childServer.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    return outfile;
  })();
  return bundled;
}

export interface ChildServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  memory(): Promise<{ rss: number; maxRss: number; usage: NodeJS.MemoryUsage }>;
  /** Graceful: the server drains and the process exits. */
  close(): Promise<void>;
  /** SIGKILL: no drain, no goodbye. */
  kill(): Promise<void>;
}

/** `nodeOptions`: more flags for the child's Node (e.g. V8's heap sizes). */
export async function startChildServer(
  options: SignalingServerOptions,
  nodeOptions: readonly string[] = [],
): Promise<ChildServer> {
  const file = await bundle();
  const child = fork(file, [JSON.stringify(options)], {
    execArgv: ['--expose-gc', ...nodeOptions],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = <T>(type: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: { t: string }) => {
        if (message.t !== type) return;
        child.off('message', onMessage);
        resolve(message as T);
      };
      child.on('message', onMessage);
      exited.then(() => reject(new Error(`the server process exited before "${type}"`)));
    });
  const { url, port } = await next<{ url: string; port: number }>('listening');
  return {
    url,
    port,
    process: child,
    memory: () => {
      const answer = next<{ rss: number; maxRss: number; usage: NodeJS.MemoryUsage }>('memory');
      child.send({ t: 'memory' });
      return answer;
    },
    close: () => {
      if (child.exitCode === null) child.send({ t: 'close' });
      return exited;
    },
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}
