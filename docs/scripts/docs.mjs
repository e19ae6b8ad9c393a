#!/usr/bin/env node
// The docs site: typedoc's HTML for @peerstatejs/core, /react, /vue and /signaling, with the guides
// as pages.
//
//   node scripts/docs.mjs build   build site/, print every typedoc warning, fail only on errors
//   node scripts/docs.mjs check   the strict build: any warning (an undocumented export, a broken
//                                 {@link}, a type referenced but not exported, …) fails it
//   node scripts/docs.mjs dev     build, serve site/ on http://127.0.0.1:4173 (PORT to change),
//                                 rebuild when a guide or a package's src/ changes

import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, watch } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const site = path.join(root, 'site');
const typedoc = path.join(root, 'node_modules/typedoc/bin/typedoc');
const mode = process.argv[2] ?? 'build';

function run(strict) {
  const args = [typedoc, '--options', path.join(root, 'typedoc.json')];
  if (strict) args.push('--treatWarningsAsErrors');
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(
      strict
        ? `✗ docs:check failed (${seconds} s): every warning above must be fixed (document the export, fix the link, export the type or mark it @internal)`
        : `✗ docs build failed (${seconds} s)`,
    );
    return false;
  }
  console.log(
    `✓ docs ${strict ? 'check' : 'build'} ok (${seconds} s): ${path.relative(process.cwd(), site) || '.'}/index.html`,
  );
  return true;
}

if (mode === 'build') process.exit(run(false) ? 0 : 1);
if (mode === 'check') process.exit(run(true) ? 0 : 1);
if (mode !== 'dev') {
  console.error(`unknown mode ${mode}: build | check | dev`);
  process.exit(2);
}

run(false);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let file = path.join(site, decodeURIComponent(url.pathname));
  if (!file.startsWith(site)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
    const body = readFileSync(file);
    res.writeHead(200, {
      'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
});
const port = Number(process.env.PORT ?? 4173);
server.listen(port, '127.0.0.1', () => {
  console.log(`\n  docs: http://127.0.0.1:${port}/  (Ctrl-C to stop; rebuilds on changes)\n`);
});

let timer;
const rebuild = (what) => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    console.log(`\n${what} changed: rebuilding…`);
    run(false);
  }, 300);
};
const watched = [
  path.join(root, 'guides'),
  ...['core', 'react', 'vue', 'signaling'].map((p) => path.join(root, '../packages', p, 'src')),
];
for (const dir of watched) {
  watch(dir, { recursive: true }, (_event, name) => {
    if (name && !String(name).includes('__tests__'))
      rebuild(path.join(path.basename(dir), String(name)));
  });
}
