import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { App } from './App.tsx';
import { Home } from './lab/Home.tsx';
import type { OpenedLink } from './link/AppLink.tsx';
import { DEFAULT_LINK_STATE, encodeLink, type LinkState } from './link/state.ts';
import { createSimClient, type SimClient } from './runtime/simClient.ts';
import { addressOf, linkAddress, linkParamOf, presentAddress, presentOf, routeOf, type PresentRoute, type Route } from './route.ts';
import { compareFrom, compareQuery } from './compare/state.ts';

/** Two runs side by side, loaded only when opened (ADR 0029). */
const CompareView = lazy(() => import('./compare/CompareView.tsx'));

/** Presentation mode (ADR 0028) loads when a presentation opens, not with the page. */
const Presentation = lazy(() => import('./present/Presentation.tsx'));

export interface RootProps {
  /** Makes the simulation clients (tests choose the runtime). Must be stable. */
  readonly createClient?: () => SimClient;
}

/** A link being read (`pending`), or read, numbered so each opening mounts a fresh workbench. */
type LinkOpening = { readonly pending: true; readonly serial: number } | { readonly pending: false; readonly serial: number; readonly link: OpenedLink };

/** Reads a link's text; the reader (and the scenario schema it checks with) loads with the first link. */
async function readLink(code: string): Promise<OpenedLink> {
  try {
    const { decodeLink } = await import('./link/decode.ts');
    return await decodeLink(code);
  } catch (error) {
    return { state: DEFAULT_LINK_STATE, messages: [`The link could not be read (${error instanceof Error ? error.message : String(error)}). Opened the default run instead.`] };
  }
}

/**
 * The app's top: it opens on the home screen (the lab's map), and from there on a lab (the
 * workbench with the lab's panel beside its diagrams) or free play (the workbench alone). The
 * address names where it is, so the browser's back button and a reload land in the same place;
 * a link (`?s=`, ADR 0027) names the whole state, and back and forward between links reopen them.
 */
export function Root({ createClient = createSimClient }: RootProps) {
  const [present, setPresent] = useState<PresentRoute | null>(() => presentOf(globalThis.location?.search ?? ''));
  useEffect(() => {
    const onPop = () => setPresent(presentOf(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const startPresenting = useCallback((state: LinkState) => {
    void encodeLink(state).then((code) => {
      const id = (globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2)).replace(/[^\w]/g, '').slice(0, 12);
      const route: PresentRoute = { role: 'presenter', id };
      history.pushState(null, '', presentAddress(route, code, location.search, location.pathname));
      setPresent(route);
    });
  }, []);
  const leave = useCallback((code: string | null) => {
    const params = new URLSearchParams(location.search);
    params.delete('present');
    params.delete('audience');
    history.pushState(null, '', code === null ? `${location.pathname}${params.size > 0 ? `?${params.toString()}` : ''}` : linkAddress(code, params.toString(), location.pathname));
    setPresent(null);
  }, []);
  if (present !== null) {
    return (
      <Suspense
        fallback={
          <div className="app app-loading">
            <p className="empty" role="status">
              Opening presentation mode…
            </p>
          </div>
        }
      >
        <Presentation route={present} code={linkParamOf(location.search)} createClient={createClient} onLeave={leave} />
      </Suspense>
    );
  }
  return <Browse createClient={createClient} onPresent={startPresenting} />;
}

/** The app outside presentation mode: home, a lab, free play, and links. */
function Browse({ createClient, onPresent }: { createClient: () => SimClient; onPresent: (state: LinkState) => void }) {
  const [route, setRoute] = useState<Route>(() => routeOf(globalThis.location?.search ?? '', globalThis.location?.hash ?? ''));
  const [opening, setOpening] = useState<LinkOpening | null>(() => (linkParamOf(globalThis.location?.search ?? '') === null ? null : { pending: true, serial: 0 }));
  const serial = useRef(0);
  const open = useCallback((code: string) => {
    const mine = ++serial.current;
    setOpening({ pending: true, serial: mine });
    void readLink(code).then((link) => {
      if (mine !== serial.current) return;
      setRoute(link.state.lab === null ? { kind: 'free' } : { kind: 'lab', id: link.state.lab.id });
      setOpening({ pending: false, serial: mine, link });
      // How many links this page has opened: a test waits on it rather than on time.
      document.body.dataset['linksOpened'] = String(mine);
    });
  }, []);
  useEffect(() => {
    const code = linkParamOf(location.search);
    if (code !== null) open(code);
    const onPop = () => {
      const next = linkParamOf(location.search);
      if (next !== null) return open(next);
      serial.current++;
      setOpening(null);
      setRoute(routeOf(location.search, location.hash));
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, [open]);
  const go = useCallback((next: Route) => {
    history.pushState(null, '', addressOf(next));
    serial.current++;
    setOpening(null);
    setRoute(next);
  }, []);
  const home = useCallback(() => go({ kind: 'home' }), [go]);

  if (opening?.pending === true) {
    return (
      <div className="app app-loading">
        <p className="empty" role="status">
          Opening the link…
        </p>
      </div>
    );
  }
  const link = opening?.link;
  const key = link === undefined ? '' : `link:${opening?.serial ?? 0}:`;
  if (route.kind === 'compare') {
    return (
      <Suspense fallback={<p className="empty">Loading the side-by-side view…</p>}>
        <CompareView key={route.query} query={route.query} createClient={createClient} onHome={home} />
      </Suspense>
    );
  }
  if (route.kind === 'home') return <Home createClient={createClient} onOpenLab={(id) => go({ kind: 'lab', id })} onFreePlay={() => go({ kind: 'free' })} />;
  if (route.kind === 'lab') return <App key={`${key}lab:${route.id}`} createClient={createClient} lab={route.id} syncUrl={false} writeLink onHome={home} onPresent={onPresent} {...(link === undefined ? {} : { link })} />;
  return <App key={`${key}free`} createClient={createClient} onHome={home} onCompare={(scenario, seed, origin) => go({ kind: 'compare', query: compareQuery(compareFrom(scenario, seed, origin)) })} onPresent={onPresent} {...(link === undefined ? {} : { link })} />;
}
