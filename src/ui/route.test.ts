import { describe, expect, test } from 'vitest';
import { addressOf, linkAddress, linkParamOf, routeOf } from './route.ts';

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
