import { useCallback, useEffect, useState } from 'react';
import { App } from './App.tsx';
import { Home } from './lab/Home.tsx';
import { createSimClient, type SimClient } from './runtime/simClient.ts';

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

function addressOf(route: Route): string {
  const path = globalThis.location?.pathname ?? '/';
  return route.kind === 'home' ? path : route.kind === 'lab' ? `${path}#/lab/${route.id}` : `${path}#/free`;
}

export interface RootProps {
  /** Makes the simulation clients (tests choose the runtime). Must be stable. */
  readonly createClient?: () => SimClient;
}

/**
 * The app's top: it opens on the home screen (the lab's map), and from there on a lab (the
 * workbench with the lab's panel beside its diagrams) or free play (the workbench alone). The
 * address names where it is, so the browser's back button and a reload land in the same place.
 */
export function Root({ createClient = createSimClient }: RootProps) {
  const [route, setRoute] = useState<Route>(() => routeOf(globalThis.location?.search ?? '', globalThis.location?.hash ?? ''));
  useEffect(() => {
    const onPop = () => setRoute(routeOf(location.search, location.hash));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const go = useCallback((next: Route) => {
    history.pushState(null, '', addressOf(next));
    setRoute(next);
  }, []);
  const home = useCallback(() => go({ kind: 'home' }), [go]);

  if (route.kind === 'home') return <Home createClient={createClient} onOpenLab={(id) => go({ kind: 'lab', id })} onFreePlay={() => go({ kind: 'free' })} />;
  if (route.kind === 'lab') return <App key={`lab:${route.id}`} createClient={createClient} lab={route.id} syncUrl={false} onHome={home} />;
  return <App key="free" createClient={createClient} onHome={home} />;
}
