/**
 * Registers the built app's service worker (`sw.js`, next to `index.html`), which makes the
 * static site work offline once loaded (ADR 0026). Kept tiny: it is part of the first load.
 */

/** What registration needs from the page; the defaults are the browser's own. */
export interface RegistrationHost {
  /** `navigator.serviceWorker`: absent in browsers without service workers and on plain-HTTP origins. */
  readonly container: ServiceWorkerContainer | undefined;
  /** The page's address; `sw.js` is resolved against it, so any base path works. */
  readonly baseUri: string;
}

/**
 * Registers `sw.js` from the page's folder, or does nothing where the browser has no service
 * workers. Resolves to the registration, or null when there is none; a failed registration is
 * reported as a warning (the app works online without it) and resolves to null.
 *
 * @example
 * // In src/main.tsx, for production builds only, once the page has loaded:
 * if (import.meta.env.PROD) addEventListener('load', () => void registerServiceWorker());
 */
export async function registerServiceWorker(
  host: RegistrationHost = { container: globalThis.navigator?.serviceWorker, baseUri: globalThis.document?.baseURI ?? '' },
): Promise<ServiceWorkerRegistration | null> {
  if (host.container === undefined) return null;
  try {
    return await host.container.register(new URL('sw.js', host.baseUri).href);
  } catch (error) {
    console.warn(`Switchboard works online only: the offline copy could not be set up (${String(error)}).`);
    return null;
  }
}
