/**
 * The service worker's decisions, kept apart from its event wiring so they can be tested in Node:
 * which cache belongs to which build, which caches are stale, and which request is answered from
 * the precache. No DOM and no service-worker globals here; `serviceWorker.ts` does the I/O.
 */

/** What the build writes into `sw.js`: the build's version and every file of the static site. */
export interface PrecacheManifest {
  /** A hash of every file's path and contents: a new build has a new version and a new cache. */
  readonly version: string;
  /** The files, relative to the folder `sw.js` is in (`index.html`, `assets/index-….js`). */
  readonly files: readonly string[];
}

/** Every precache's name starts with this; what follows names the deployment and the build. */
export const CACHE_PREFIX = 'switchboard-precache';

/**
 * The cache of one build at one deployment. The deployment's folder is part of the name so two
 * copies of the app on one origin (`/a/` and `/b/`) never delete each other's caches.
 *
 * @example
 * cacheName('https://example.org/course/sw.js', '3f2a9c01b7de'); // 'switchboard-precache /course/ 3f2a9c01b7de'
 */
export function cacheName(workerUrl: string, version: string): string {
  return `${CACHE_PREFIX} ${folderOf(workerUrl)} ${version}`;
}

/**
 * The caches an activating worker should delete: earlier builds' precaches at the same deployment.
 * Caches of other deployments and anything the app did not name this way are left alone.
 *
 * @example
 * staleCaches(['switchboard-precache /c/ old', 'switchboard-precache /c/ new', 'other'], 'https://x.org/c/sw.js', 'new');
 * // ['switchboard-precache /c/ old']
 */
export function staleCaches(names: readonly string[], workerUrl: string, version: string): string[] {
  const ours = `${CACHE_PREFIX} ${folderOf(workerUrl)} `;
  const current = cacheName(workerUrl, version);
  return names.filter((name) => name.startsWith(ours) && name !== current);
}

/**
 * Files whose name carries a hash of their contents (everything Vite writes under `assets/`): the
 * same name is the same bytes, so an earlier build's cached copy can be reused instead of fetched.
 */
export function isContentHashed(file: string): boolean {
  return file.startsWith('assets/');
}

/** The request's parts the worker looks at (a plain object, so tests need no `Request`). */
export interface RequestInfo {
  readonly url: string;
  readonly method: string;
  /** `Request.mode`: `navigate` for a page load. */
  readonly mode: string;
}

/**
 * The URL of the precached response that answers a request, or null to leave it to the network.
 * A page load of the app's folder (with any query or fragment: a link to a run) is answered with
 * the cached `index.html`; any other GET of a precached file by its exact URL with that file.
 * Other origins, other folders, other methods and unknown files go to the network untouched.
 *
 * @example
 * const manifest = { version: 'v1', files: ['index.html', 'assets/a.js'] };
 * precachedUrlFor({ url: 'https://x.org/c/?seed=4', method: 'GET', mode: 'navigate' }, 'https://x.org/c/sw.js', manifest);
 * // 'https://x.org/c/index.html'
 */
export function precachedUrlFor(request: RequestInfo, workerUrl: string, manifest: PrecacheManifest): string | null {
  if (request.method !== 'GET') return null;
  let url: URL;
  let folder: URL;
  try {
    url = new URL(request.url);
    folder = new URL('./', workerUrl);
  } catch {
    return null;
  }
  if (url.origin !== folder.origin || !url.pathname.startsWith(folder.pathname)) return null;
  const relative = url.pathname.slice(folder.pathname.length);
  if (request.mode === 'navigate') {
    if ((relative === '' || relative === 'index.html') && manifest.files.includes('index.html')) return new URL('index.html', folder).href;
    return null;
  }
  // The built files are asked for by their plain URL; a query means something the build did not make.
  if (url.search !== '' || !manifest.files.includes(relative)) return null;
  return new URL(relative, folder).href;
}

/** The folder (path, with its trailing slash) the worker script is in: the deployment's base. */
function folderOf(workerUrl: string): string {
  try {
    return new URL('./', workerUrl).pathname;
  } catch {
    return '/';
  }
}
