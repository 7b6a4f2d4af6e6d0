import { describe, expect, test, vi } from 'vitest';
import { registerServiceWorker } from './register.ts';

/** A stand-in for `navigator.serviceWorker` that records what it was asked to register. */
function fakeContainer(register: (url: string) => Promise<unknown>): ServiceWorkerContainer {
  return { register } as unknown as ServiceWorkerContainer;
}

describe('registerServiceWorker', () => {
  // Proves sw.js is resolved against the page's folder, so a sub-path deployment registers its own worker.
  test('registers sw.js next to the page, at any base path', async () => {
    const urls: string[] = [];
    const container = fakeContainer(async (url) => (urls.push(url), { scope: url }));
    await registerServiceWorker({ container, baseUri: 'https://example.org/course/switchboard/?seed=4#/lab/message-flow' });
    await registerServiceWorker({ container, baseUri: 'https://example.org/index.html' });
    expect(urls).toEqual(['https://example.org/course/switchboard/sw.js', 'https://example.org/sw.js']);
  });

  // Proves a browser without service workers (or a plain-HTTP origin) gets no registration and no error.
  test('does nothing without navigator.serviceWorker', async () => {
    await expect(registerServiceWorker({ container: undefined, baseUri: 'http://example.org/' })).resolves.toBeNull();
  });

  // Proves a refused registration is a warning, not an uncaught error: the app still works online.
  test('a failed registration warns and resolves to null', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const container = fakeContainer(() => Promise.reject(new Error('SecurityError')));
      await expect(registerServiceWorker({ container, baseUri: 'https://example.org/' })).resolves.toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('SecurityError'));
    } finally {
      warn.mockRestore();
    }
  });
});
