#!/usr/bin/env node
// `npm run ci`: every check CI runs, in order, stopping at the first failure. Each step's wall time
// is printed so a slow step is visible. The last line counts tests, not steps: the unit tests, the
// browser tests and story play functions, and the e2e checks, summed as `N passed, M failed`, with
// the failed step named when one failed (a typecheck, lint or build error has no test to count).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
// The test runners write their counts here as JSON; the folder is removed at the end.
const results = mkdtempSync(path.join(os.tmpdir(), 'switchboard-ci-'));
const resultFile = (name) => path.join(results, `${name}.json`);

/** Vitest's arguments for a readable log plus a JSON report of the counts in `file`. */
const vitestReport = (file) => ['--reporter=default', '--reporter=json', `--outputFile.json=${file}`];

/** Counts from Vitest's JSON report; skipped and todo tests are neither passed nor failed. */
function vitestCounts(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

/** Counts the e2e script writes to E2E_RESULTS_FILE (e2e/lib.mjs, writeResults). */
function e2eCounts(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: report.passed, failed: report.failed, skipped: 0 };
}

/**
 * The steps, cheapest first, so a broken type or lint rule fails in seconds rather than minutes.
 * A step with `counts` runs tests and reports how many passed and failed.
 */
const STEPS = [
  { name: 'typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  {
    name: 'unit tests',
    command: bin('vitest'),
    args: ['run', '--project', 'unit', ...vitestReport(resultFile('unit'))],
    counts: () => vitestCounts(resultFile('unit')),
  },
  { name: 'build', command: 'npm', args: ['run', '--silent', 'build'] },
  { name: 'build-storybook', command: 'npm', args: ['run', '--silent', 'build-storybook'] },
  {
    name: 'browser tests',
    command: bin('vitest'),
    args: ['run', '--project', 'browser', '--project', 'storybook', ...vitestReport(resultFile('browser'))],
    counts: () => vitestCounts(resultFile('browser')),
  },
  {
    name: 'e2e',
    command: process.execPath,
    args: ['e2e/app.e2e.mjs'],
    env: { E2E_RESULTS_FILE: resultFile('e2e') },
    counts: () => e2eCounts(resultFile('e2e')),
  },
];

// On a CI runner, or when the log goes to a file or a pipe, it is read as plain text. Vitest colours
// its output whenever TERM is not "dumb" or `CI` is set, TTY or not, unless NO_COLOR is set
// (tinyrainbow's rule), so colour is turned off for every child; FORCE_COLOR=0 covers the tools
// that read only that variable. In a terminal, people keep their colours.
const plain = process.env.CI !== undefined || process.env.NO_COLOR !== undefined || !process.stdout.isTTY;
const childEnv = plain ? { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } : process.env;

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const done = [];
const started = Date.now();

for (const step of STEPS) {
  console.log(`\n━━ ci: ${step.name} ━━ ${[path.basename(step.command), ...step.args].join(' ')}`);
  const t0 = Date.now();
  const result = spawnSync(step.command, step.args, { cwd: root, stdio: 'inherit', env: { ...childEnv, ...step.env } });
  const ms = Date.now() - t0;
  const ok = result.status === 0 && !result.error;
  if (result.error) console.error(`ci: could not start ${step.name}: ${result.error.message}`);
  let counts = null;
  if (step.counts) {
    try {
      counts = step.counts();
    } catch (error) {
      // A runner that crashed before writing its report: the step fails and its tests go uncounted.
      console.error(`ci: no test counts from ${step.name}: ${error.message}`);
    }
  }
  done.push({ name: step.name, ok, ms, counts });
  const tally = counts === null ? '' : ` (${counts.passed} passed, ${counts.failed} failed)`;
  console.log(`━━ ci: ${step.name} ${ok ? 'passed' : `FAILED (exit ${result.status ?? result.signal})`}${tally} in ${seconds(ms)}`);
  if (!ok) break;
}
if (existsSync(results)) rmSync(results, { recursive: true, force: true });

const sum = (key) => done.reduce((total, r) => total + (r.counts?.[key] ?? 0), 0);
const failedStep = done.find((r) => !r.ok);
const notRun = STEPS.slice(done.length).map((s) => s.name);

console.log('\nci: summary');
for (const r of done) {
  const tests = r.counts === null ? '' : `${r.counts.passed + r.counts.failed} tests, ${r.counts.failed} failed`;
  console.log(`  ${r.ok ? 'pass' : 'FAIL'}  ${r.name.padEnd(16)} ${seconds(r.ms).padStart(8)}  ${tests}`);
}
for (const name of notRun) console.log(`  skip  ${name}`);
console.log(`  total${' '.repeat(13)}${seconds(Date.now() - started).padStart(8)}`);

// The last line: tests across every suite that ran, then what kept the run from being green.
const skipped = sum('skipped');
let line = `${sum('passed')} passed, ${sum('failed')} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
if (failedStep) line += `; step '${failedStep.name}' failed`;
if (notRun.length > 0) line += `; not run: ${notRun.join(', ')}`;
console.log(line);
process.exit(failedStep ? 1 : 0);
