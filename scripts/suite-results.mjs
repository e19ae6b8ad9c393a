#!/usr/bin/env node
// One summary over every test suite of `npm test`. Each suite leaves its counts in its package's
// test-results/: vitest's JSON reporter writes test-results/vitest*.json (declared as the turbo
// task's output, so a cached run restores it), each browser runner writes
// test-results/suite-<name>.json through writeSuiteResult() below.
//
//   node scripts/suite-results.mjs reset     forget the last run's counts (before the suites run)
//   node scripts/suite-results.mjs summary   one line per suite, then `N passed, M failed` last
//
// The summary only reports; the caller keeps the suites' own exit code.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const WORKSPACES = ['packages', 'apps', 'docs'];
const isResultFile = (name) => /^(vitest.*|suite-.*)\.json$/.test(name);

/** Records a browser suite's counts in `<packageDir>/test-results/suite-<name>.json`. */
export async function writeSuiteResult(packageDir, { name, passed, failed, flaky = 0 }) {
  const dir = path.join(packageDir, 'test-results');
  await mkdir(dir, { recursive: true });
  const suite = `${path.relative(root, packageDir)} ${name}`;
  await writeFile(
    path.join(dir, `suite-${name}.json`),
    `${JSON.stringify({ suite, passed, failed, flaky })}\n`,
  );
}

async function resultDirs() {
  const dirs = [];
  for (const workspace of WORKSPACES) {
    const base = path.join(root, workspace);
    const entries = await readdir(base, { withFileTypes: true }).catch(() => []);
    // docs/ is itself a package; packages/* and apps/* hold packages.
    if (workspace === 'docs') dirs.push(path.join(base, 'test-results'));
    for (const entry of entries) {
      if (entry.isDirectory()) dirs.push(path.join(base, entry.name, 'test-results'));
    }
  }
  return dirs;
}

async function resultFiles() {
  const files = [];
  for (const dir of await resultDirs()) {
    const names = await readdir(dir).catch(() => []);
    for (const name of names.filter(isResultFile).sort()) files.push(path.join(dir, name));
  }
  return files;
}

/** Counts from a vitest JSON report or a suite-*.json file. */
function countsOf(file, data) {
  const packageDir = path.dirname(path.dirname(file));
  if (typeof data.numTotalTests === 'number') {
    const kind = path.basename(file, '.json').replace(/^vitest-?/, '') || 'unit';
    return {
      suite: `${path.relative(root, packageDir)} vitest ${kind}`,
      passed: data.numPassedTests,
      // A test file that failed to load has no tests: count it as one failure.
      failed:
        data.numFailedTests +
        (data.testResults ?? []).filter(
          (file) => file.status === 'failed' && !file.assertionResults?.length,
        ).length,
      flaky: 0,
    };
  }
  return {
    suite: data.suite,
    passed: data.passed,
    failed: data.failed,
    flaky: data.flaky ?? 0,
  };
}

async function summary() {
  let passed = 0;
  let failed = 0;
  let flaky = 0;
  console.log('# test summary');
  for (const file of await resultFiles()) {
    let counts;
    try {
      counts = countsOf(file, JSON.parse(await readFile(file, 'utf8')));
    } catch (error) {
      console.log(
        `  ${path.relative(root, file)}: unreadable (${error.message}), counted as 1 failed`,
      );
      failed += 1;
      continue;
    }
    passed += counts.passed;
    failed += counts.failed;
    flaky += counts.flaky;
    const flakyNote = counts.flaky ? `, ${counts.flaky} flaky` : '';
    console.log(`  ${counts.suite}: ${counts.passed} passed, ${counts.failed} failed${flakyNote}`);
  }
  const flakyNote = flaky ? ` (${flaky} of the passed were flaky: passed on their one retry)` : '';
  console.log(`${passed} passed, ${failed} failed${flakyNote}`);
}

async function reset() {
  for (const file of await resultFiles()) await rm(file, { force: true });
}

const command = process.argv[2];
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (command === 'reset') await reset();
  else if (command === 'summary') await summary();
  else {
    console.error('usage: node scripts/suite-results.mjs reset|summary');
    process.exit(2);
  }
}
