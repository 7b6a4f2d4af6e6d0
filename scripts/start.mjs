#!/usr/bin/env node
// `npm start`: install dependencies when they are missing or stale, then serve the app for development
// on the first free port from 5173, printing the URL Vite really uses.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from './free-port.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
/** Vite's usual port; when it is taken (another dev server, a second checkout) the next free one is used. */
const FIRST_PORT = 5173;

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

let port;
try {
  const found = await findFreePort({ from: FIRST_PORT, host: HOST });
  port = found.port;
  if (found.busy.length > 0) {
    const taken = found.busy.length === 1 ? `port ${found.busy[0]} is` : `ports ${found.busy[0]}–${found.busy.at(-1)} are`;
    console.log(`start: ${taken} already in use on ${HOST}; using ${port} instead`);
  }
} catch (error) {
  console.error(`start: ${error.message}; stop another dev server or free a port and try again`);
  process.exit(1);
}

console.log(`\nstart: Switchboard dev server → http://${HOST}:${port}/\n`);
// --strictPort: Vite must use exactly the port printed above. If another process grabbed it in the
// instant since the probe, Vite stops with "Port … is already in use" instead of serving elsewhere.
const vite = spawn(path.join(root, 'node_modules', '.bin', 'vite'), ['--host', HOST, '--port', String(port), '--strictPort'], {
  cwd: root,
  stdio: 'inherit',
});
// Pass Ctrl-C and termination on to Vite so the port is released.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => vite.kill(signal));
vite.on('exit', (code, signal) => {
  if (code !== 0 && signal === null) console.error(`start: Vite stopped with exit code ${code}; if port ${port} was taken meanwhile, run npm start again`);
  process.exit(code ?? (signal ? 1 : 0));
});
