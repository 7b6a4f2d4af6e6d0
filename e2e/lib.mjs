// Shared helpers for the end-to-end scripts: start a server, launch Debian's Chromium, watch for errors.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { findFreePort } from '../scripts/free-port.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export { CHROMIUM_ARGS, CHROMIUM_PATH };

/**
 * Starts `vite preview` for a built output folder on the first free port from `port` and resolves
 * once it answers HTTP, so two suites (or a suite and a preview left running) can share a machine.
 * The probe and Vite's own listen are two steps, so a second suite can take the port in between:
 * Vite runs with --strictPort, and when it reports the port in use the next free one is tried.
 * The server runs in its own process group so `stop()` also ends any child it spawned.
 */
export async function startPreview({ port = 4173, outDir = 'dist', timeoutMs = 30_000 } = {}) {
  let from = port;
  for (let attempt = 1; ; attempt++) {
    const { port: free } = await findFreePort({ from });
    try {
      return await previewOn(free, outDir, timeoutMs);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= 5) throw error;
      from = free + 1;
    }
  }
}

/** Vite preview could not listen because another process took the port after the probe. */
class PortTaken extends Error {}

async function previewOn(port, outDir, timeoutMs) {
  const url = `http://127.0.0.1:${port}/`;
  const args = ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', outDir];
  const server = spawn(path.join(root, 'node_modules', '.bin', 'vite'), args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (chunk) => (output += chunk));
  server.stderr.on('data', (chunk) => (output += chunk));
  let exited = null;
  server.on('exit', (code) => (exited = code ?? 'signal'));

  const stop = () => {
    if (exited !== null) return;
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // The group is already gone.
    }
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) {
      if (/already in use/i.test(output)) throw new PortTaken(`port ${port} was taken before vite preview could listen`);
      throw new Error(`vite preview exited early (${exited}):\n${output}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return { url, port, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stop();
  throw new Error(`vite preview did not answer at ${url} within ${timeoutMs} ms:\n${output}`);
}

/** Launches headless Chromium from the system path with the environment's recommended flags. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Records console errors, uncaught page errors and HTTP responses >= 400 (except the favicon) on a
 * page, so a test can fail on problems a person would not see but that signal a broken app.
 */
export function watchForProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) {
      problems.push(`HTTP ${response.status()} for ${response.url()}`);
    }
  });
  return problems;
}

/**
 * Writes the e2e counts as JSON to the file named by E2E_RESULTS_FILE, when set, so `npm run ci`
 * can add them to the suite's total without parsing the log. `tests` lists each check's outcome.
 */
export function writeResults({ passed, failed, tests = [] }) {
  const file = process.env.E2E_RESULTS_FILE;
  if (file) writeFileSync(file, `${JSON.stringify({ passed, failed, tests })}\n`);
}

/**
 * Runs named async test functions in order and prints `e2e: N passed, M failed` (and writes the
 * same counts for `npm run ci`, see writeResults); returns the exit code.
 */
export async function runTests(tests) {
  let passed = 0;
  let failed = 0;
  const outcomes = [];
  for (const [name, fn] of tests) {
    const t0 = Date.now();
    try {
      await fn();
      passed++;
      outcomes.push({ name, ok: true, ms: Date.now() - t0 });
      console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
    } catch (error) {
      failed++;
      outcomes.push({ name, ok: false, ms: Date.now() - t0 });
      console.log(`  ✗ ${name} (${Date.now() - t0} ms)\n    ${String(error?.stack ?? error).replace(/\n/g, '\n    ')}`);
    }
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  writeResults({ passed, failed, tests: outcomes });
  return failed > 0 ? 1 : 0;
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
