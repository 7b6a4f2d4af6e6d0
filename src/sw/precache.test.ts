import { describe, expect, test } from 'vitest';
import { cacheName, isContentHashed, precachedUrlFor, staleCaches, type PrecacheManifest } from './precache.ts';

const WORKER = 'https://example.org/course/switchboard/sw.js';
const manifest: PrecacheManifest = { version: 'v2', files: ['assets/index-abc.js', 'assets/sim.worker-def.js', 'index.html'] };
const get = (url: string, mode = 'cors') => ({ url, method: 'GET', mode });

describe('the precache', () => {
  // Proves a cache name carries the deployment's folder and the build, so builds and deployments never share one.
  test('cache names are per deployment and per build', () => {
    expect(cacheName(WORKER, 'v2')).toBe('switchboard-precache /course/switchboard/ v2');
    expect(cacheName('https://example.org/sw.js', 'v2')).toBe('switchboard-precache / v2');
    expect(cacheName(WORKER, 'v1')).not.toBe(cacheName(WORKER, 'v2'));
  });

  // Proves activation deletes only earlier builds of the same deployment: not the current build,
  // not another deployment on the same origin (even one whose folder is a prefix), not foreign caches.
  test('stale caches are earlier builds of this deployment only', () => {
    const names = [
      cacheName(WORKER, 'v1'),
      cacheName(WORKER, 'v2'),
      cacheName('https://example.org/course/sw.js', 'v1'),
      cacheName('https://example.org/course/switchboard/other/sw.js', 'v0'),
      'someone-else',
    ];
    expect(staleCaches(names, WORKER, 'v2')).toEqual([cacheName(WORKER, 'v1')]);
    expect(staleCaches([cacheName(WORKER, 'v2')], WORKER, 'v2')).toEqual([]);
  });

  // Proves page loads of the app's folder, with a run's query and fragment, are answered by the cached index.html.
  test('page loads of the folder get the cached index.html', () => {
    for (const url of ['https://example.org/course/switchboard/', 'https://example.org/course/switchboard/?scenario=group-chat&seed=42', 'https://example.org/course/switchboard/index.html#/lab/message-flow']) {
      expect(precachedUrlFor(get(url, 'navigate'), WORKER, manifest)).toBe('https://example.org/course/switchboard/index.html');
    }
    expect(precachedUrlFor(get('https://example.org/course/switchboard/elsewhere', 'navigate'), WORKER, manifest)).toBeNull();
    expect(precachedUrlFor(get('https://example.org/course/switchboard/', 'navigate'), WORKER, { version: 'v', files: [] })).toBeNull();
  });

  // Proves built files are answered by exact URL, and everything else is left to the network.
  test('only the build’s files, by exact URL, come from the cache', () => {
    expect(precachedUrlFor(get('https://example.org/course/switchboard/assets/sim.worker-def.js'), WORKER, manifest)).toBe('https://example.org/course/switchboard/assets/sim.worker-def.js');
    const network = [
      get('https://example.org/course/switchboard/assets/unknown.js'),
      get('https://example.org/course/switchboard/assets/index-abc.js?v=2'),
      get('https://example.org/assets/index-abc.js'),
      get('https://cdn.example.org/course/switchboard/assets/index-abc.js'),
      { url: 'https://example.org/course/switchboard/assets/index-abc.js', method: 'POST', mode: 'cors' },
      get('not a url'),
    ];
    for (const request of network) expect(precachedUrlFor(request, WORKER, manifest), request.url).toBeNull();
  });

  // Proves only content-hashed files (Vite's assets/) may be reused from an earlier build's cache.
  test('content-hashed files are the ones under assets/', () => {
    expect(isContentHashed('assets/index-abc.js')).toBe(true);
    expect(isContentHashed('index.html')).toBe(false);
  });
});
