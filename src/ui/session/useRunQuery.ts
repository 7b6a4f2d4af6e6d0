/**
 * Asks the simulation a question and asks again whenever the run changes, at most every
 * `throttleMs` and never with two of the same question in flight, so views stay current during
 * playback without queueing calls in front of the next frame.
 */
import { useEffect, useRef, useState } from 'react';
import type { SimClient } from '../runtime/simClient.ts';
import type { Session } from './session.ts';

export interface RunQueryOptions {
  /** Minimum wall time between two asks while the run changes. Default 250 ms. */
  readonly throttleMs?: number;
  /** Ask nothing while false (a hidden panel). Default true. */
  readonly enabled?: boolean;
}

export interface RunQuery<T> {
  readonly data: T | null;
  readonly error: string | null;
  /** The store revision the data answers. */
  readonly revision: number;
}

/**
 * @example
 * const { data } = useRunQuery(session, (c) => c.chat('u1'), ['u1'], { throttleMs: 250 });
 */
export function useRunQuery<T>(session: Session, ask: (client: SimClient) => Promise<T>, deps: readonly unknown[], options: RunQueryOptions = {}): RunQuery<T> {
  const throttleMs = options.throttleMs ?? 250;
  const enabled = options.enabled ?? true;
  const [result, setResult] = useState<RunQuery<T>>({ data: null, error: null, revision: -1 });
  const askRef = useRef(ask);
  askRef.current = ask;
  const key = JSON.stringify(deps);

  useEffect(() => {
    if (!enabled) return;
    let disposed = false;
    let inFlight = false;
    let dirty = false;
    let lastAsk = -Infinity;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let asked = -1;
    const run = (): void => {
      timer = null;
      if (disposed) return;
      if (inFlight) {
        dirty = true;
        return;
      }
      const revision = session.store.get().revision;
      if (session.store.get().summary === null) return;
      asked = revision;
      inFlight = true;
      dirty = false;
      lastAsk = performance.now();
      askRef
        .current(session.client)
        .then((data) => {
          if (!disposed) setResult({ data, error: null, revision });
        })
        .catch((error: unknown) => {
          if (!disposed) setResult((prev) => ({ data: prev.data, error: error instanceof Error ? error.message : String(error), revision }));
        })
        .finally(() => {
          inFlight = false;
          if (dirty && !disposed) schedule();
        });
    };
    const schedule = (): void => {
      if (timer !== null) return;
      if (inFlight) {
        dirty = true;
        return;
      }
      const wait = Math.max(0, lastAsk + throttleMs - performance.now());
      timer = setTimeout(run, wait);
    };
    run();
    const unsubscribe = session.store.subscribe(() => {
      if (session.store.get().revision !== asked) schedule();
    });
    return () => {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      unsubscribe();
    };
    // `key` stands for `deps`.
    // oxlint-disable-next-line react/exhaustive-deps
  }, [session, key, enabled, throttleMs]);

  return result;
}
