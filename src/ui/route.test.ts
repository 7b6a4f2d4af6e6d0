import { describe, expect, test } from 'vitest';
import { addressOf, linkAddress, linkParamOf, presentAddress, presentOf, routeOf } from './route.ts';

describe('routes', () => {
  // Proves the app opens on the home screen, a lab's address opens the lab, and a link to a run
  // (as every link before the labs was) still opens free play on it.
  test('addresses map to routes and back', () => {
    expect(routeOf('', '')).toEqual({ kind: 'home' });
    expect(routeOf('', '#/lab/sliding-window')).toEqual({ kind: 'lab', id: 'sliding-window' });
    expect(routeOf('?scenario=group-chat&seed=42', '')).toEqual({ kind: 'free' });
    expect(routeOf('?seed=7', '#/lab/x')).toEqual({ kind: 'free' });
    expect(routeOf('', '#/free')).toEqual({ kind: 'free' });
    expect(routeOf('', '#/lab/<script>')).toEqual({ kind: 'home' });
    expect(routeOf('', '#/compare')).toEqual({ kind: 'compare', query: '' });
    expect(routeOf('?seed=7', '#/compare?a=x&seed=3')).toEqual({ kind: 'compare', query: 'a=x&seed=3' });
    for (const route of [{ kind: 'home' }, { kind: 'lab', id: 'message-flow' }, { kind: 'free' }, { kind: 'compare', query: 'a=group-chat&b=no-broker&seed=7' }] as const) {
      const address = addressOf(route, '/app/');
      const [, hash = ''] = address.split('#');
      expect(routeOf('', hash === '' ? '' : `#${hash}`)).toEqual(route);
    }
  });

  // Proves a link's address drops the old run parameters and the route's hash (the state holds
  // them), keeps the others, and is read back.
  test('a link state has an address of its own', () => {
    const address = linkAddress('1.q1Y-_', '?scenario=group-chat&seed=42&worker=0', '/app/');
    expect(address).toBe('/app/?worker=0&s=1.q1Y-_');
    expect(linkParamOf(address.slice(address.indexOf('?')))).toBe('1.q1Y-_');
    expect(linkParamOf('?scenario=group-chat')).toBeNull();
    expect(linkAddress('1.b', '?s=1.a', '/')).toBe('/?s=1.b');
  });
});

describe('presentation routes', () => {
  // Proves the presenter's and the audience's windows have addresses of their own, that a link
  // beside the presenter's survives, and that a hostile id opens no presentation.
  test('presenter and audience addresses map to routes and back', () => {
    expect(presentOf('?present=a1')).toEqual({ role: 'presenter', id: 'a1' });
    expect(presentOf('?audience=a1&s=1.q')).toEqual({ role: 'audience', id: 'a1' });
    expect(presentOf('?s=1.q')).toBeNull();
    expect(presentOf('?present=<script>')).toBeNull();
    expect(presentOf(`?present=${'x'.repeat(41)}`)).toBeNull();
    const presenter = presentAddress({ role: 'presenter', id: 'p-1' }, '1.q1Y-_', '?scenario=group-chat&seed=42&worker=0', '/app/');
    expect(presenter).toBe('/app/?worker=0&present=p-1&s=1.q1Y-_');
    const search = presenter.slice(presenter.indexOf('?'));
    expect(presentOf(search)).toEqual({ role: 'presenter', id: 'p-1' });
    expect(linkParamOf(search)).toBe('1.q1Y-_');
    // The workbench's link writer keeps the presentation while it rewrites `?s=`.
    expect(presentOf(linkAddress('1.b', search, '/app/').slice('/app/'.length))).toEqual({ role: 'presenter', id: 'p-1' });
    const audience = presentAddress({ role: 'audience', id: 'p-1' }, null, search, '/app/');
    expect(audience).toBe('/app/?worker=0&audience=p-1');
    expect(presentOf(audience.slice('/app/'.length))).toEqual({ role: 'audience', id: 'p-1' });
  });
});
