#!/usr/bin/env node
// Type-checks every code sample in guides/*.md against the packages' published types, so the
// guides cannot drift from the API.
//
// Checked: fenced blocks tagged `ts` or `tsx`, and the `<script setup lang="ts">` part of `vue`
// blocks. Each block is its own module (add imports in the sample itself). A block tagged
// `ts nocheck` is shown but not checked (used only for packages that do not exist yet).
// Errors are reported as guides/<file>.md:<line>:<column>.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const guidesDir = path.join(root, 'guides');
const outDir = path.join(root, '.samples');

/** @type {Map<string, { guide: string, firstLine: number }>} */
const origins = new Map();
let count = 0;

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

for (const file of readdirSync(guidesDir).filter((f) => f.endsWith('.md'))) {
  const lines = readFileSync(path.join(guidesDir, file), 'utf8').split('\n');
  let block = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (block === null) {
      const open = /^(`{3,})(\S*)\s*(.*)$/.exec(line);
      if (open) block = { fence: open[1], lang: open[2], info: open[3], start: i + 1, body: [] };
      continue;
    }
    if (line.startsWith(block.fence) && line.trim() === block.fence) {
      emit(file, block);
      block = null;
    } else {
      block.body.push(line);
    }
  }
  if (block !== null) fail(`guides/${file}:${block.start}: unclosed code fence`);
}

function emit(file, { lang, info, start, body }) {
  if (info.split(/\s+/).includes('nocheck')) return;
  let ext;
  let code = body;
  let firstLine = start + 1;
  if (lang === 'ts' || lang === 'typescript') ext = 'ts';
  else if (lang === 'tsx') ext = 'tsx';
  else if (lang === 'vue') {
    const from = body.findIndex((l) => /<script setup lang="ts">/.test(l));
    const to = body.findIndex((l) => /<\/script>/.test(l));
    if (from === -1 || to === -1) return;
    code = body.slice(from + 1, to);
    firstLine = start + 1 + from + 1;
    ext = 'ts';
  } else return;
  count++;
  const name = `${file.replace(/\.md$/, '')}-${String(count).padStart(3, '0')}.${ext}`;
  // `export {}` makes every sample a module, so top-level names never clash between samples.
  writeFileSync(path.join(outDir, name), `${code.join('\n')}\nexport {};\n`);
  origins.set(name, { guide: file, firstLine });
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

if (count === 0) fail('no code samples found in guides/*.md: the extractor is broken');

// ES modules, as an app would write them (top-level await, ESM-only imports).
writeFileSync(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
writeFileSync(
  path.join(outDir, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: '../../tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        declaration: false,
        declarationMap: false,
        sourceMap: false,
        jsx: 'react-jsx',
        types: [],
        noUnusedLocals: false,
        // Samples may end in an expression whose value is illustrative.
        allowUnreachableCode: true,
      },
      include: ['./*.ts', './*.tsx'],
    },
    null,
    2,
  ),
);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(
  process.execPath,
  [tsc, '-p', path.join(outDir, 'tsconfig.json'), '--pretty', 'false'],
  {
    cwd: root,
    encoding: 'utf8',
  },
);
const output = `${result.stdout}${result.stderr}`.replace(
  /(?:\.samples\/)?([\w.-]+\.tsx?)\((\d+),(\d+)\)/g,
  (all, name, line, column) => {
    const origin = origins.get(name);
    if (!origin) return all;
    return `guides/${origin.guide}:${origin.firstLine + Number(line) - 1}:${column}`;
  },
);
if (result.status !== 0) {
  console.error(output.trim());
  fail(`✗ code samples in guides/ do not type-check (${count} samples)`);
}
console.log(`✓ ${count} code samples in guides/*.md type-check`);
