#!/usr/bin/env node
// `npm start`: install dependencies when they are missing or stale, then serve the app for development.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const PORT = 5173;

/** npm writes node_modules/.package-lock.json on every install, so its age tells when we last installed. */
function installIsStale() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return 'node_modules is missing';
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs) {
    return 'package-lock.json is newer than the installed packages';
  }
  return null;
}

const reason = installIsStale();
if (reason !== null) {
  console.log(`start: ${reason}; running npm ci`);
  const result = spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('start: npm ci failed');
    process.exit(result.status ?? 1);
  }
}

console.log(`\nstart: Switchboard dev server → http://${HOST}:${PORT}/\n`);
const vite = spawn(path.join(root, 'node_modules', '.bin', 'vite'), ['--host', HOST, '--port', String(PORT), '--strictPort'], {
  cwd: root,
  stdio: 'inherit',
});
// Pass Ctrl-C and termination on to Vite so the port is released.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => vite.kill(signal));
vite.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
