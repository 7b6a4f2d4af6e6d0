#!/usr/bin/env node
// `npm run ci`: every check CI runs, in order, stopping at the first failure. Each step's wall time
// is printed so a slow step is visible, and the last line is a plain `N passed, M failed` summary.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** The steps, cheapest first, so a broken type or lint rule fails in seconds rather than minutes. */
const STEPS = [
  { name: 'typecheck', command: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
  { name: 'unit tests', command: bin('vitest'), args: ['run', '--project', 'unit'] },
  { name: 'build', command: 'npm', args: ['run', '--silent', 'build'] },
  { name: 'build-storybook', command: 'npm', args: ['run', '--silent', 'build-storybook'] },
  { name: 'browser tests', command: bin('vitest'), args: ['run', '--project', 'browser', '--project', 'storybook'] },
  { name: 'e2e', command: process.execPath, args: ['e2e/app.e2e.mjs'] },
];

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = [];
const started = Date.now();

for (const step of STEPS) {
  console.log(`\n━━ ci: ${step.name} ━━ ${[path.basename(step.command), ...step.args].join(' ')}`);
  const t0 = Date.now();
  const result = spawnSync(step.command, step.args, { cwd: root, stdio: 'inherit' });
  const ms = Date.now() - t0;
  const ok = result.status === 0 && !result.error;
  if (result.error) console.error(`ci: could not start ${step.name}: ${result.error.message}`);
  results.push({ name: step.name, ok, ms });
  console.log(`━━ ci: ${step.name} ${ok ? 'passed' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds(ms)}`);
  if (!ok) break;
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
const skipped = STEPS.length - results.length;

console.log('\nci: summary');
for (const r of results) console.log(`  ${r.ok ? 'pass' : 'FAIL'}  ${r.name.padEnd(16)} ${seconds(r.ms).padStart(8)}`);
for (const step of STEPS.slice(results.length)) console.log(`  skip  ${step.name}`);
console.log(`  total${' '.repeat(13)}${seconds(Date.now() - started).padStart(8)}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
