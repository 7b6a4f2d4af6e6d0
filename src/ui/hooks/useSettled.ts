import { useEffect, useRef } from 'react';

/**
 * Reports `value` once it has stopped changing for `delayMs` (typing paused, a drag ended), and
 * at once if the component goes away with a change not yet reported, so nothing typed is lost.
 * The value it started from is not reported.
 *
 * @example
 * useSettled(text, initialText, (t) => actor.send({ type: 'ANSWER', text: t }));
 */
export function useSettled<T>(value: T, start: T, report: ((value: T) => void) | undefined, delayMs = 400): void {
  const latest = useRef(report);
  latest.current = report;
  const pending = useRef<{ readonly value: T } | null>(null);
  useEffect(() => {
    if (Object.is(value, start)) return;
    pending.current = { value };
    const timer = setTimeout(() => {
      pending.current = null;
      latest.current?.(value);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [value, start, delayMs]);
  useEffect(
    () => () => {
      const left = pending.current;
      pending.current = null;
      if (left !== null) latest.current?.(left.value);
    },
    [],
  );
}
