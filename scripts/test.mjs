#!/usr/bin/env node
/**
 * `npm test`: the whole suite in two phases.
 *  1. Every file except the timing-sensitive ones, several files at a time (`TEST_WORKERS`, default: the
 *     number of cores, at least 2 — most files wait on PostgreSQL, timers or a browser, not on the CPU).
 *  2. The files that assert the server stays responsive under load (`SERIAL`), one at a time, so another
 *     file's work cannot be mistaken for a stall.
 * With arguments (`npm test -- apps/server/test/people.test.ts`) it is plain `vitest run <arguments>`.
 * Under `CI`, each phase writes a JSON report and `test-results/results.json` sums them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** Files that measure /health latency or process timing while they load the server. */
const SERIAL = [
  'apps/server/test/huge-message.test.ts',
  'apps/server/test/knowledge-hostile.test.ts',
  'apps/server/test/process.test.ts',
  'apps/server/test/deploy/process-roles.test.ts',
];

const vitest = (args) => spawnSync('npx', ['vitest', 'run', ...args], { stdio: 'inherit' }).status ?? 1;

const extra = process.argv.slice(2);
if (extra.length > 0) process.exit(vitest(extra));

const workers = Number(process.env.TEST_WORKERS) || Math.max(2, os.availableParallelism());
const ci = Boolean(process.env.CI);
const report = (name) => (ci ? [`--outputFile.json=test-results/${name}.json`] : []);
if (ci) mkdirSync('test-results', { recursive: true });

const parallel = vitest([`--maxWorkers=${workers}`, '--minWorkers=1', ...SERIAL.flatMap((f) => ['--exclude', f]), ...report('parallel')]);
const serial = vitest(['--maxWorkers=1', '--minWorkers=1', ...SERIAL, ...report('serial')]);

if (ci) {
  const phases = ['parallel', 'serial'].map((name) => {
    try {
      return JSON.parse(readFileSync(`test-results/${name}.json`, 'utf8'));
    } catch {
      return { numPassedTests: 0, numFailedTests: 1, numTotalTests: 1, testResults: [] };
    }
  });
  const sum = (key) => phases.reduce((n, p) => n + (p[key] ?? 0), 0);
  // A file that fails outside its tests (its setup, its import) skips them: it counts as one failure.
  const brokenFiles = phases
    .flatMap((p) => p.testResults ?? [])
    .filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  const merged = {
    numPassedTests: sum('numPassedTests'),
    numFailedTests: sum('numFailedTests') + brokenFiles,
    numTotalTests: sum('numTotalTests'),
    numPendingTests: sum('numPendingTests'),
    testResults: phases.flatMap((p) => p.testResults ?? []),
  };
  writeFileSync('test-results/results.json', JSON.stringify(merged));
}
process.exit(parallel || serial);
