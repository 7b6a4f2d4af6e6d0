#!/usr/bin/env node
// `npm run test:all`: what CI runs from a fresh clone. Ensures Chromium, installs exactly what the
// lockfile says, then runs every check through `npm run ci`, whose last line is the suite's total
// (`N passed, M failed`). A failed install step ends the run with the same kind of line.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH } from '../e2e/chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The shared path has no dependencies, so it can be read before `npm ci`.
const CHROMIUM = CHROMIUM_PATH;

// Plain logs: Vitest colours its output whenever `CI` is set unless NO_COLOR is, and CI runners
// (and people piping the log to a file) read the summary lines as text. FORCE_COLOR=0 covers the
// tools that read only that variable. Every child, `npm run ci` and its steps included, inherits it.
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

function run(command, args, options = {}) {
  console.log(`\ntest-all: $ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options, env: { ...env, ...options.env } });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Runs an install step; when it fails no test has run, and the last line says which step failed. */
function must(step, command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    console.error(`test-all: '${[command, ...args].join(' ')}' failed with exit code ${status}`);
    console.log(`0 passed, 0 failed; step '${step}' failed`);
    process.exit(status);
  }
}

// Browser tests and the e2e run use Debian's Chromium; Playwright cannot download its own here.
if (existsSync(CHROMIUM)) {
  console.log(`test-all: Chromium found at ${CHROMIUM}`);
} else {
  // CI machines run as root; elsewhere fall back to sudo rather than failing outright.
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = (args) =>
    must(`apt-get ${args[0]}`, isRoot ? 'apt-get' : 'sudo', isRoot ? args : ['apt-get', ...args], {
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
  console.log(`test-all: ${CHROMIUM} is missing; installing Debian's chromium package with apt-get`);
  apt(['update']);
  apt(['install', '-y', 'chromium']);
}

// A clean install from the lockfile every time, so CI never passes on packages left behind by hand.
must('npm ci', 'npm', ['ci']);

const status = run('npm', ['run', 'ci']);
process.exit(status);
