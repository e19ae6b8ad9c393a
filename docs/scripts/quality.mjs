#!/usr/bin/env node
// Package quality gates for the published packages (@peerstatejs/core, /react, /vue, /signaling), run
// on what `pnpm pack` would publish:
//
//   publint   publint in strict mode (warnings fail)
//   attw      @arethetypeswrong/cli, `esm-only` profile (the packages are ESM-only on purpose:
//             `node10` and `require()` resolution are not supported, and not checked)
//   meta      license, README and LICENSE in the tarball, `sideEffects`, `files`, an exports map
//             with `types` first, `./package.json`, every target present in the tarball, and
//             `'use client'` as the first statement of every module of the React adapter
//   size      bundle-size budgets, ours beside PeerJS and simple-peer (scripts/size.mjs)
//
//   node scripts/quality.mjs [publint|attw|meta|size ...] [--strict]
//
// Without --strict, the items the lead still has to add (see PENDING) print as `pending` and do
// not fail; with --strict (`quality:check`) they fail like everything else.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import ts from 'typescript';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repo = path.resolve(root, '..');
const PACKAGES = ['core', 'react', 'vue', 'signaling'];
/**
 * Packages whose every module uses hooks or context: React Server Components need `'use client'`
 * first in each, or importing `PeerProvider` into a Server Component fails.
 */
const CLIENT_PACKAGES = new Set(['react']);
/** `package:check` pairs known to be missing until the lead adds them. Empty this when done. */
const PENDING = new Set();

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const wanted = args.filter((a) => !a.startsWith('--'));
const gates = wanted.length > 0 ? wanted : ['publint', 'attw', 'meta', 'size'];
const bin = (name) => path.join(root, 'node_modules/.bin', name);

let failed = 0;
let pending = 0;
const ok = (msg) => console.log(`  ✓ ${msg}`);
const bad = (msg) => {
  failed++;
  console.log(`  ✗ ${msg}`);
};

/** A directive only counts as the module's first statement (comments may precede it). */
function startsWithUseClient(text, file) {
  const first = ts.createSourceFile(file, text, ts.ScriptTarget.Latest).statements[0];
  return (
    first !== undefined &&
    ts.isExpressionStatement(first) &&
    ts.isStringLiteral(first.expression) &&
    first.expression.text === 'use client'
  );
}

function sh(command, argv, options = {}) {
  return spawnSync(command, argv, { encoding: 'utf8', ...options });
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'peerstate-quality-'));
try {
  const packed = {};
  if (gates.some((g) => g !== 'size')) {
    for (const name of PACKAGES) {
      const dir = path.join(repo, 'packages', name);
      const out = path.join(tmp, name);
      const result = sh('pnpm', ['pack', '--pack-destination', out], { cwd: dir });
      const tarball = result.stdout.trim().split('\n').pop();
      if (result.status !== 0 || !tarball?.endsWith('.tgz')) {
        bad(`${name}: pnpm pack failed: ${result.stderr || result.stdout}`);
        continue;
      }
      const files = sh('tar', ['tzf', tarball]).stdout.split('\n').filter(Boolean);
      const manifest = JSON.parse(sh('tar', ['xzf', tarball, '-O', 'package/package.json']).stdout);
      packed[name] = { dir, tarball, files, manifest };
    }
  }

  for (const gate of gates) {
    console.log(`\n${gate}`);
    if (gate === 'publint') {
      for (const [name, { dir }] of Object.entries(packed)) {
        const { messages, pkg } = await publint({
          pkgDir: dir,
          pack: 'pnpm',
          level: 'suggestion',
          strict: true,
        });
        const errors = messages.filter((m) => m.type !== 'suggestion');
        for (const m of messages) console.log(`    ${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
        if (errors.length > 0) bad(`${name}: publint found ${errors.length} problem(s)`);
        else ok(`${name}: publint${messages.length ? ` (${messages.length} suggestion(s))` : ''}`);
      }
    } else if (gate === 'attw') {
      for (const [name, { tarball }] of Object.entries(packed)) {
        const result = sh(bin('attw'), [
          tarball,
          '--profile',
          'esm-only',
          '--format',
          'table',
          '--no-emoji',
          '--no-color',
        ]);
        if (result.status !== 0) {
          console.log(result.stdout + result.stderr);
          bad(`${name}: @arethetypeswrong/cli`);
        } else ok(`${name}: @arethetypeswrong/cli (esm-only profile)`);
      }
    } else if (gate === 'meta') {
      for (const [name, { tarball, files, manifest }] of Object.entries(packed)) {
        const inTarball = (p) => files.includes(`package/${p.replace(/^\.\//, '')}`);
        const problems = [];
        const pendingBefore = pending;
        const check = (key, condition, message) => {
          if (condition) return;
          if (!strict && PENDING.has(`${name}:${key}`)) {
            pending++;
            console.log(
              `  … ${name}: ${message} (pending: the lead adds it; fails under --strict)`,
            );
          } else problems.push(message);
        };
        check(
          'license',
          typeof manifest.license === 'string' && manifest.license.length > 0,
          'no "license" field',
        );
        check(
          'LICENSE',
          files.some((f) => /^package\/LICEN[CS]E/i.test(f)),
          'no LICENSE file in the tarball',
        );
        check(
          'README',
          files.some((f) => /^package\/README\.md$/i.test(f)),
          'no README.md in the tarball',
        );
        check(
          'sideEffects',
          manifest.sideEffects !== undefined,
          'no "sideEffects" field (tree-shaking)',
        );
        check('files', Array.isArray(manifest.files), 'no "files" allow-list');
        check('type', manifest.type === 'module', '"type" is not "module"');
        const exportsMap = manifest.exports;
        check('exports', exportsMap && typeof exportsMap === 'object', 'no exports map');
        if (exportsMap && typeof exportsMap === 'object') {
          check('exports', './package.json' in exportsMap, 'exports has no "./package.json"');
          for (const [subpath, target] of Object.entries(exportsMap)) {
            if (typeof target === 'string') {
              check(
                'exports',
                inTarball(target),
                `exports["${subpath}"] → ${target} is not in the tarball`,
              );
              continue;
            }
            const conditions = Object.keys(target);
            check(
              'exports',
              conditions[0] === 'types',
              `exports["${subpath}"]: "types" must come first`,
            );
            for (const [condition, file] of Object.entries(target)) {
              check(
                'exports',
                typeof file === 'string' && inTarball(file),
                `exports["${subpath}"].${condition} → ${file} is not in the tarball`,
              );
            }
          }
        }
        for (const field of ['main', 'types']) {
          if (manifest[field] !== undefined)
            check(
              field,
              inTarball(manifest[field]),
              `"${field}": ${manifest[field]} is not in the tarball`,
            );
        }
        for (const [dep, range] of Object.entries({
          ...manifest.dependencies,
          ...manifest.peerDependencies,
        })) {
          check(
            'deps',
            !String(range).startsWith('workspace:'),
            `${dep}: "${range}" survived packing`,
          );
        }
        if (CLIENT_PACKAGES.has(name)) {
          const modules = files.filter((f) => /^package\/dist\/.*\.js$/.test(f));
          check('use client', modules.length > 0, 'no dist/*.js module in the tarball');
          for (const file of modules) {
            check(
              'use client',
              startsWithUseClient(sh('tar', ['xzf', tarball, '-O', file]).stdout, file),
              `${file.slice('package/'.length)}: 'use client' is not its first statement`,
            );
          }
        }
        if (problems.length > 0) for (const p of problems) bad(`${name}: ${p}`);
        else if (pending > pendingBefore)
          ok(`${name}: every other metadata check (${files.length} files packed)`);
        else
          ok(
            `${name}: license, README, LICENSE, sideEffects, files, exports${CLIENT_PACKAGES.has(name) ? ", 'use client'" : ''} (${files.length} files packed)`,
          );
      }
    } else if (gate === 'size') {
      const result = sh(process.execPath, [path.join(root, 'scripts/size.mjs')], {
        cwd: root,
        stdio: 'inherit',
      });
      if (result.status !== 0) bad('size: a budget is exceeded (or the build is missing)');
      else ok('size budgets (scripts/size.mjs)');
    } else {
      bad(`unknown gate ${gate}`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

console.log(
  `\n${failed === 0 ? '✓' : '✗'} package quality: ${failed} failure(s)${pending ? `, ${pending} pending` : ''}${strict ? ' (strict)' : ''}`,
);
process.exit(failed === 0 ? 0 : 1);
