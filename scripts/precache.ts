/**
 * The build step that makes the static site work offline (ADR 0026): after `vite build` has written
 * `dist/`, list every file in it, hash them into a version, and build the service worker
 * (src/sw/serviceWorker.ts) into `dist/sw.js` with that manifest written in.
 *
 * The list is taken from the disk, not from Rolldown's bundle, so it holds everything the site
 * serves: the entry, every lazy chunk (Mermaid's diagrams included), the two Web Workers' bundles
 * (built by Vite in a build of their own), CSS, and anything copied from `public/`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';
import type { PrecacheManifest } from '../src/sw/precache.ts';

/** The service worker's file name, next to `index.html`; its folder is the scope it controls. */
export const SERVICE_WORKER_FILE = 'sw.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(root, 'src', 'sw', 'serviceWorker.ts');

/**
 * Every file under `dir` as a sorted `/`-separated path relative to it, without the service worker
 * itself (it is not precached: the browser fetches it to look for a new build).
 *
 * @example
 * siteFiles('dist'); // ['assets/index-….js', …, 'index.html']
 */
export function siteFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(path.join(dir, at), { withFileTypes: true })) {
      const relative = at === '' ? entry.name : `${at}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (entry.isFile() && relative !== SERVICE_WORKER_FILE) files.push(relative);
    }
  };
  walk('');
  return files.sort();
}

/**
 * The manifest of a built site: its files and a version that changes when any file's path or
 * contents change (16 hex digits of a SHA-256 over each path and its contents' SHA-256).
 *
 * @example
 * precacheManifest('dist'); // { version: '9c1e…', files: ['assets/…', 'index.html'] }
 */
export function precacheManifest(dir: string): PrecacheManifest {
  const files = siteFiles(dir);
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0${createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex')}\n`);
  }
  return { version: hash.digest('hex').slice(0, 16), files };
}

/**
 * Builds the service worker into `outDir/sw.js` for a manifest: one classic script (IIFE, no
 * imports), minified, with the manifest in place of `__PRECACHE_MANIFEST__`.
 */
export async function buildServiceWorker(outDir: string, manifest: PrecacheManifest): Promise<void> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    define: { __PRECACHE_MANIFEST__: JSON.stringify(manifest) },
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: true,
      reportCompressedSize: false,
      lib: { entry: ENTRY, formats: ['iife'], name: 'switchboardServiceWorker', fileName: () => SERVICE_WORKER_FILE },
    },
  });
}

/**
 * The Vite plugin: after the app's bundle is written, writes `sw.js` with the manifest of the whole
 * output folder. It acts only on a build that writes the app's `index.html` (Storybook's build and
 * the test servers, which load this config too, are left alone).
 */
export function precacheServiceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'switchboard:precache-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle: {
      order: 'post',
      sequential: true,
      async handler(_options, bundle) {
        if (!('index.html' in bundle)) return;
        const manifest = precacheManifest(outDir);
        await buildServiceWorker(outDir, manifest);
        this.info(`${SERVICE_WORKER_FILE}: ${manifest.files.length} files precached, version ${manifest.version}`);
      },
    },
  };
}
