/**
 * The app's routes and their addresses: the home screen, a lab, free play, two runs side by side.
 */

/** Where the app is: the lab's map, a lab, or free play. */
export type Route =
  | { readonly kind: 'home' }
  | { readonly kind: 'lab'; readonly id: string }
  | { readonly kind: 'free' }
  /** Two runs side by side; `query` holds its state (read by `ui/compare/state.ts`, ADR 0029). */
  | { readonly kind: 'compare'; readonly query: string };

/**
 * The route of an address: a link to a run (`?scenario=` or `?seed=`) opens free play on it, as
 * before the labs existed; `#/lab/<id>` a lab; `#/free` free play; anything else the home screen.
 *
 * @example
 * routeOf('', '#/lab/sliding-window'); // { kind: 'lab', id: 'sliding-window' }
 * routeOf('?scenario=group-chat&seed=42', ''); // { kind: 'free' }
 */
export function routeOf(search: string, hash: string): Route {
  const compare = /^#\/compare(?:\?(.*))?$/s.exec(hash);
  if (compare !== null) return { kind: 'compare', query: compare[1] ?? '' };
  const params = new URLSearchParams(search);
  if (params.has('scenario') || params.has('seed')) return { kind: 'free' };
  const lab = /^#\/lab\/([\w-]+)$/.exec(hash);
  if (lab?.[1] !== undefined) return { kind: 'lab', id: lab[1] };
  if (hash === '#/free') return { kind: 'free' };
  return { kind: 'home' };
}

/** The address of a route on this page (free play's own `?scenario=&seed=` are added by the workbench). */
export function addressOf(route: Route, path: string = globalThis.location?.pathname ?? '/'): string {
  if (route.kind === 'compare') return `${path}#/compare${route.query === '' ? '' : `?${route.query}`}`;
  return route.kind === 'home' ? path : route.kind === 'lab' ? `${path}#/lab/${route.id}` : `${path}#/free`;
}


/** The link state in an address (`?s=1.…`, ADR 0027), or null when it has none. */
export function linkParamOf(search: string): string | null {
  return new URLSearchParams(search).get('s');
}

/**
 * The address of a link state on this page: `?s=<code>` replaces the old `?scenario=&seed=` (the
 * state holds them) and the route's hash (it holds the lab too); other parameters (`?worker=0`) stay.
 *
 * @example
 * linkAddress('1.q1Y', '?scenario=group-chat&seed=42&worker=0', '/'); // '/?worker=0&s=1.q1Y'
 */
export function linkAddress(code: string, search: string, path: string): string {
  const params = new URLSearchParams(search);
  params.delete('scenario');
  params.delete('seed');
  params.delete('s');
  params.set('s', code);
  return `${path}?${params.toString()}`;
}

/** Presentation mode's place (ADR 0028): the presenter's or an audience's window of presentation `id`. */
export interface PresentRoute {
  readonly role: 'presenter' | 'audience';
  readonly id: string;
}

/**
 * The presentation an address opens: `?present=<id>` the presenter's window, `?audience=<id>` an
 * audience's (the id is letters, digits, "-" and "_"; anything else is no presentation). A `?s=`
 * link beside it is where the presenter starts.
 *
 * @example
 * presentOf('?present=a1&s=1.q1Y'); // { role: 'presenter', id: 'a1' }
 */
export function presentOf(search: string): PresentRoute | null {
  const params = new URLSearchParams(search);
  const valid = (id: string | null): id is string => id !== null && /^[A-Za-z0-9_-]{1,40}$/.test(id);
  const presenter = params.get('present');
  if (valid(presenter)) return { role: 'presenter', id: presenter };
  const audience = params.get('audience');
  if (valid(audience)) return { role: 'audience', id: audience };
  return null;
}

/**
 * The address of a presentation's window: the presenter's keeps a link (`?s=`) to where it starts
 * (the workbench keeps it up to date); an audience's has none (it asks the presenter). Other
 * parameters (`?worker=0`) stay; the route's hash goes (the link holds the lab).
 *
 * @example
 * presentAddress({ role: 'audience', id: 'a1' }, null, '?present=a1&s=1.q&worker=0', '/'); // '/?worker=0&audience=a1'
 */
export function presentAddress(route: PresentRoute, code: string | null, search: string, path: string): string {
  const params = new URLSearchParams(search);
  for (const key of ['scenario', 'seed', 's', 'present', 'audience']) params.delete(key);
  params.set(route.role === 'presenter' ? 'present' : 'audience', route.id);
  if (code !== null) params.set('s', code);
  return `${path}?${params.toString()}`;
}
