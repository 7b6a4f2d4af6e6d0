/**
 * The app's service worker: it makes the built static site work offline once it has been loaded.
 *
 * Built by the `precacheServiceWorker` Vite plugin (scripts/precache.ts) into `dist/sw.js`, a
 * classic script with this build's manifest (`__PRECACHE_MANIFEST__`, every file of `dist/` and a
 * version hashing them) written in, so each new build is a new worker with a new cache. ADR 0026.
 *
 * - install: every file of the build goes into this build's cache (files whose names carry a
 *   content hash are copied from an earlier build's cache when it has them), so chunks the page
 *   never asked for yet (Mermaid's diagrams, the sweep worker) work offline too.
 * - activate: earlier builds' caches of this deployment are deleted and open pages are claimed.
 *   No `skipWaiting`: a new build waits until no page of the old one is open, so a running page
 *   never loses the chunks it may still load lazily.
 * - fetch: the build's files, and page loads of the app's folder, come from the cache first; the
 *   network only when the cache lost an entry. Anything else is not touched.
 */
import { cacheName, isContentHashed, precachedUrlFor, staleCaches, type PrecacheManifest } from './precache.ts';

declare const __PRECACHE_MANIFEST__: PrecacheManifest;

const worker = globalThis as unknown as ServiceWorkerGlobalScope;
const manifest = __PRECACHE_MANIFEST__;
const cacheOfThisBuild = cacheName(worker.location.href, manifest.version);

worker.addEventListener('install', (event) => {
  event.waitUntil(precacheAll());
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const stale = staleCaches(await caches.keys(), worker.location.href, manifest.version);
      await Promise.all(stale.map((name) => caches.delete(name)));
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const { url, method, mode } = event.request;
  const cached = precachedUrlFor({ url, method, mode }, worker.location.href, manifest);
  if (cached === null) return;
  event.respondWith(fromCache(cached, event.request));
});

/** Fills this build's cache; any file that cannot be fetched fails the install (the browser retries later). */
async function precacheAll(): Promise<void> {
  const cache = await caches.open(cacheOfThisBuild);
  await Promise.all(
    manifest.files.map(async (file) => {
      const url = new URL(file, worker.location.href).href;
      if (await cache.match(url)) return;
      const earlier = isContentHashed(file) ? await caches.match(url) : undefined;
      if (earlier !== undefined) return cache.put(url, earlier);
      // `reload` skips the HTTP cache, so an index.html kept there from the last build is not taken.
      const response = await fetch(new Request(url, { cache: 'reload' }));
      if (!response.ok) throw new Error(`precache: ${url} answered HTTP ${response.status}`);
      return cache.put(url, response.redirected ? await unredirected(response) : response);
    }),
  );
}

/**
 * A copy of a response that came through a redirect (a host that sends `index.html` to `./`):
 * the browser refuses a redirected response as the answer to a page load.
 */
async function unredirected(response: Response): Promise<Response> {
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The precached response, or the network's when the cache no longer has the entry. */
async function fromCache(url: string, request: Request): Promise<Response> {
  const cache = await caches.open(cacheOfThisBuild);
  return (await cache.match(url)) ?? fetch(request);
}
