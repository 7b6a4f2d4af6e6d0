/**
 * The app's routes and their addresses: the home screen, a lab, free play.
 */

/** Where the app is: the lab's map, a lab, or free play. */
export type Route = { readonly kind: 'home' } | { readonly kind: 'lab'; readonly id: string } | { readonly kind: 'free' };

/**
 * The route of an address: a link to a run (`?scenario=` or `?seed=`) opens free play on it, as
 * before the labs existed; `#/lab/<id>` a lab; `#/free` free play; anything else the home screen.
 *
 * @example
 * routeOf('', '#/lab/sliding-window'); // { kind: 'lab', id: 'sliding-window' }
 * routeOf('?scenario=group-chat&seed=42', ''); // { kind: 'free' }
 */
export function routeOf(search: string, hash: string): Route {
  const params = new URLSearchParams(search);
  if (params.has('scenario') || params.has('seed')) return { kind: 'free' };
  const lab = /^#\/lab\/([\w-]+)$/.exec(hash);
  if (lab?.[1] !== undefined) return { kind: 'lab', id: lab[1] };
  if (hash === '#/free') return { kind: 'free' };
  return { kind: 'home' };
}

/** The address of a route on this page (free play's own `?scenario=&seed=` are added by the workbench). */
export function addressOf(route: Route, path: string = globalThis.location?.pathname ?? '/'): string {
  return route.kind === 'home' ? path : route.kind === 'lab' ? `${path}#/lab/${route.id}` : `${path}#/free`;
}

