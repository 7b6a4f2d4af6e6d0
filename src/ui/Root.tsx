import { useCallback, useEffect, useState } from 'react';
import { App } from './App.tsx';
import { Home } from './lab/Home.tsx';
import { createSimClient, type SimClient } from './runtime/simClient.ts';
import { addressOf, routeOf, type Route } from './route.ts';

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
