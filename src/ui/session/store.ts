/**
 * A tiny external store for the answers the simulation gives (React reads it with
 * `useSyncExternalStore` and a selector, so a 60 fps stream of frames re-renders only the
 * components whose slice changed).
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';

export interface Store<T> {
  get(): T;
  set(patch: Partial<T>): void;
  subscribe(listener: () => void): () => void;
}

/** Creates a store holding `initial`. */
export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(patch) {
      state = { ...state, ...patch };
      // A listener may unsubscribe while being called; iterate over a copy.
      for (const l of Array.from(listeners)) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Subscribes a component to one slice of a store. The selector may build a new value each time;
 * `equal` (default `Object.is`) decides whether it changed.
 */
export function useStore<T, S>(store: Store<T>, selector: (state: T) => S, equal: (a: S, b: S) => boolean = Object.is): S {
  const latest = useRef({ selector, equal });
  latest.current = { selector, equal };
  const cache = useRef<{ state: T; selector: (state: T) => S; value: S } | null>(null);
  const getSnapshot = useCallback(() => {
    const state = store.get();
    const { selector: select, equal: same } = latest.current;
    const prev = cache.current;
    if (prev !== null && prev.state === state && prev.selector === select) return prev.value;
    const next = select(state);
    const value = prev !== null && same(prev.value, next) ? prev.value : next;
    cache.current = { state, selector: select, value };
    return value;
  }, [store]);
  return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot);
}

/** Shallow equality of two arrays or plain objects, for selectors that build small records. */
export function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
