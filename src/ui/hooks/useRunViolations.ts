/**
 * The violations of a run as far as it has been computed, kept across seeks. The report answers
 * for the trace up to the playhead, so jumping back to a violation's moment made every later one,
 * and the list with them, disappear ("Violations 0"). The run is deterministic: what the checkers
 * found beyond the playhead stays true until the future changes, which only an intervention does,
 * and an intervention moves the run's frontier (the furthest moment computed) back to now.
 */
import { useMemo, useRef } from 'react';

/** What the hook needs of a violation: its checker, the seq of its event and its time. */
export interface KeptViolation {
  readonly checker: string;
  readonly seq: number;
  readonly at: number;
}

/** A violation's identity within a run: its checker and the event it found. */
export const violationKey = (v: KeptViolation): string => `${v.checker}|${v.seq}`;

/** Orders violations by time, then by event. */
export function byMoment(a: KeptViolation, b: KeptViolation): number {
  return a.at - b.at || a.seq - b.seq;
}

/**
 * Merges each report's violations into those already seen for `runKey` (a new key starts empty),
 * first dropping the kept ones at or after `frontierOf()`, whose future is no longer known.
 * Returns them in order of time. A violation `transient` calls true for (a "never shown" judged
 * as if the run ended at a playhead before its end) is shown with its report but never kept: the
 * message may well be shown later, and a seek to the end must not inherit it.
 *
 * @example
 * const all = useRunViolations(report.data?.violations, runId, () => store.get().summary?.frontierMs ?? 0);
 */
export function useRunViolations<V extends KeptViolation>(latest: readonly V[] | null | undefined, runKey: unknown, frontierOf: () => number, transient?: (v: V) => boolean): readonly V[] {
  const kept = useRef<{ key: unknown; byId: Map<string, V> }>({ key: runKey, byId: new Map() });
  const frontier = useRef(frontierOf);
  frontier.current = frontierOf;
  return useMemo(() => {
    // Idempotent for one (latest, runKey): running it twice, as React may, gives the same list.
    if (kept.current.key !== runKey) kept.current = { key: runKey, byId: new Map() };
    const byId = kept.current.byId;
    const until = frontier.current();
    for (const [key, v] of byId) if (v.at >= until) byId.delete(key);
    const passing: V[] = [];
    for (const v of latest ?? []) {
      if (transient?.(v) === true) passing.push(v);
      else byId.set(violationKey(v), v);
    }
    return [...byId.values(), ...passing.filter((v) => !byId.has(violationKey(v)))].sort(byMoment);
    // oxlint-disable-next-line react/exhaustive-deps -- `transient` judges `latest`; it changes with it.
  }, [latest, runKey]);
}
