#!/usr/bin/env node
// Lints the whole tree (ESLint, zero findings), runs every package's tests through turbo,
// then prints the totals from vitest's JSON reports as one line, `N passed, N failed,
// N skipped`, which CI reads. A lint finding counts as one failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const packages = ['packages/core', 'packages/cdktf', 'apps/kops-iam', 'test-fixtures'];
const reports = packages.map((p) => join(root, p, '.vitest-report.json'));
// A report left by an earlier run must not be counted as this run's.
for (const r of reports) rmSync(r, { force: true });

const lint = spawnSync('npx', ['eslint', '--max-warnings=0', '.'], { cwd: root, stdio: 'inherit' });
if (lint.status !== 0) console.log('lint: ESLint found problems (npx eslint .)');

const turbo = spawnSync('npx', ['turbo', 'run', 'test', '--force', '--concurrency=1', '--continue'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
});

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const [i, r] of reports.entries()) {
  if (!existsSync(r)) {
    missing.push(packages[i]);
    continue;
  }
  const json = JSON.parse(readFileSync(r, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + (json.numTodoTests ?? 0);
  if (json.numFailedTestSuites > 0 && json.numFailedTests === 0) failed += json.numFailedTestSuites;
}
if (lint.status !== 0) failed += 1;
if (missing.length > 0) console.log(`no test report from: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
const ok = lint.status === 0 && turbo.status === 0 && failed === 0 && missing.length === 0 && passed > 0;
process.exit(ok ? 0 : 1);
