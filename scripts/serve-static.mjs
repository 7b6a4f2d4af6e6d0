#!/usr/bin/env node
// Serves a built static site (dist/) under a sub-path, the way a plain web host would, to try a
// deployment such as https://example.org/courses/switchboard/ on this machine:
//
//   npm run build && node scripts/serve-static.mjs --base /courses/switchboard/
//
// It knows nothing of the app (no fallback, no rewrites): a file under the base path is served as
// it is, anything else is a 404, so a URL the build wrote as absolute shows up as an error. The e2e
// run uses it to check the sub-path deployment and offline use (it can stop it mid-test).
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from './free-port.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Starts a server for `dir` at `http://127.0.0.1:<port><base>`; `port` 0 lets the system pick one.
 * Resolves to its `url`, the `requests` it answered (method, path, status, in order) and `stop()`,
 * which closes it and every open connection, so a page loses its network at once.
 */
export async function serveStatic({ dir = path.join(root, 'dist'), base = '/', port = 0, host = '127.0.0.1' } = {}) {
  if (!base.startsWith('/') || !base.endsWith('/')) throw new Error(`serve-static: the base path must start and end with '/': '${base}'`);
  const folder = path.resolve(dir);
  const requests = [];
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const answer = (status, headers, body) => {
      requests.push({ method: req.method, path: pathname, status });
      res.writeHead(status, headers);
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, { allow: 'GET, HEAD' }, 'method not allowed\n');
    if (!pathname.startsWith(base)) return answer(404, { 'content-type': 'text/plain' }, `not under ${base}\n`);
    const relative = pathname.slice(base.length) || 'index.html';
    const file = path.resolve(folder, relative);
    if (file !== folder && !file.startsWith(folder + path.sep)) return answer(404, { 'content-type': 'text/plain' }, 'not found\n');
    let stats;
    try {
      stats = statSync(file);
    } catch {
      return answer(404, { 'content-type': 'text/plain' }, 'not found\n');
    }
    if (!stats.isFile()) return answer(404, { 'content-type': 'text/plain' }, 'not found\n');
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    requests.push({ method: req.method, path: pathname, status: 200 });
    res.writeHead(200, { 'content-type': type, 'content-length': stats.size, 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: actual } = server.address();
  const stop = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://${host}:${actual}${base}`, requests, stop };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    return at === -1 ? fallback : args[at + 1];
  };
  const base = option('base', '/');
  const dir = path.resolve(option('dir', path.join(root, 'dist')));
  const { port } = await findFreePort({ from: Number(option('port', '4180')) });
  const server = await serveStatic({ dir, base, port });
  console.log(`serve-static: ${path.relative(process.cwd(), dir) || '.'} at ${server.url} (Ctrl-C stops it)`);
}
