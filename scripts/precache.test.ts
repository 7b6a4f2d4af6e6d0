import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, describe, expect, test } from 'vitest';
import { buildServiceWorker, precacheManifest, siteFiles } from './precache.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A small built site in a temporary folder. */
function site(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-precache-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('the precache manifest', () => {
  // Proves every file of the site is listed (nested folders included), sorted, without sw.js itself.
  test('lists every file but the service worker', () => {
    const dir = site({ 'index.html': '<html>', 'assets/a-1.js': 'a', 'assets/w/b-2.js': 'b', 'sw.js': 'old worker', 'icon.svg': '<svg/>' });
    expect(siteFiles(dir)).toEqual(['assets/a-1.js', 'assets/w/b-2.js', 'icon.svg', 'index.html']);
  });

  // Proves the version follows the contents: same files, same version; one changed byte or a renamed file, a new one.
  test('the version changes with any file’s contents or name', () => {
    const base = { 'index.html': '<html>', 'assets/a-1.js': 'a' };
    const v = precacheManifest(site(base)).version;
    expect(v).toMatch(/^[0-9a-f]{16}$/);
    expect(precacheManifest(site(base)).version).toBe(v);
    expect(precacheManifest(site({ ...base, 'index.html': '<html> ' })).version).not.toBe(v);
    expect(precacheManifest(site({ 'index.html': '<html>', 'assets/a-2.js': 'a' })).version).not.toBe(v);
  });

  // Proves the built worker is one classic script (no import or export, so it registers without
  // `type: 'module'`) that carries the manifest and listens for install, activate and fetch.
  test('the service worker is built as a classic script with the manifest in it', async () => {
    const dir = site({ 'index.html': '<html>', 'assets/a-1.js': 'a' });
    const manifest = precacheManifest(dir);
    await buildServiceWorker(dir, manifest);
    const code = readFileSync(path.join(dir, 'sw.js'), 'utf8');
    expect(code).toContain(manifest.version);
    expect(code).toContain('assets/a-1.js');
    const listened: string[] = [];
    const scope = { location: { href: 'https://example.org/c/sw.js' }, addEventListener: (type: string) => listened.push(type) };
    // Running it as a script proves it parses without module syntax and wires its three events.
    vm.runInNewContext(code, { globalThis: scope, self: scope, URL, caches: {}, fetch: () => undefined });
    expect(listened.sort()).toEqual(['activate', 'fetch', 'install']);
  });
});
