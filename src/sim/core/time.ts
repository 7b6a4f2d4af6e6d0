/**
 * Virtual time's two units (ADR 0010). Inside the kernel — the event queue, the clock, the
 * network's delivery times, service times — time is an integer number of microseconds, so a
 * 50 µs service time is 50, exactly, and every comparison is an integer comparison. At the edges
 * — scenario fields, operator verbs' `at`, `runUntil` targets, a node's `now`, timer delays,
 * trace `at` — time is in milliseconds, as a number that is an exact multiple of 1 µs: the
 * integer microseconds divided by 1000 (10001 µs is 10.001 ms, which prints as `10.001`).
 */

/** Microseconds in a millisecond. */
export const US_PER_MS = 1000;

/**
 * Converts milliseconds entering the kernel to integer microseconds, once: rounded to the nearest
 * microsecond (which also absorbs the float noise of ms arithmetic such as `at - now`), and
 * checked to be a non-negative safe integer. `what` names the value in the error.
 *
 * @example
 * msToUs(10.001, 'runUntil target'); // 10001
 * msToUs(-1, 'timer delay');          // throws RangeError
 */
export function msToUs(ms: number, what: string): number {
  const us = Math.round(ms * US_PER_MS);
  if (!Number.isSafeInteger(us) || us < 0) {
    throw new RangeError(`${what} must be a non-negative finite number of ms (at most ${Number.MAX_SAFE_INTEGER / US_PER_MS}), got ${ms}`);
  }
  return us;
}

/**
 * Integer microseconds as milliseconds at the edges: `us / 1000`, the double nearest the exact
 * decimal, so it prints cleanly and `msToUs` turns it back into the same integer.
 *
 * @example
 * usToMs(10001); // 10.001
 */
export function usToMs(us: number): number {
  return us / US_PER_MS;
}
