/**
 * How far an approximate limiter strays from the exact one. The sliding log is exact by
 * definition (it admits a request iff fewer than `limit` requests were admitted in the window);
 * every other algorithm trades accuracy for memory or smoothness. This replays the same traffic
 * through both and counts the disagreements, the way Cloudflare measured its sliding counter
 * ("0.003% of requests have been wrongly allowed or rate limited", docs/reference-figures.md P7).
 */
import { Limiter, type LimiterSpec, type LimiterSpecInput, type SlidingLogBoundary } from './limiter.ts';

/** The window in which an approximation admitted the most requests. */
export interface WorstWindow {
  /** Index of the key in the traffic. */
  readonly key: number;
  /** The window ends here (ms); it starts windowMs earlier (closed `[end − W, end]` when inclusive). */
  readonly endMs: number;
  /** Requests the approximation admitted in that window. */
  readonly allowed: number;
}

/** The result of {@link compareWithExactLog}. */
export interface ExactLogComparison {
  /** The approximation, every default filled in. */
  readonly spec: LimiterSpec;
  /** The exact sliding log it is compared with (same limit and window). */
  readonly reference: LimiterSpec;
  readonly requests: number;
  readonly allowedApprox: number;
  readonly allowedExact: number;
  /** Requests the approximation admitted and the exact log refused. */
  readonly overAdmitted: number;
  /** Requests the approximation refused and the exact log admitted. */
  readonly underAdmitted: number;
  /** overAdmitted / requests (0 with no requests). */
  readonly overAdmissionRate: number;
  /** underAdmitted / requests (0 with no requests). */
  readonly underAdmissionRate: number;
  /**
   * The most requests the approximation admitted in any one window, judged by the reference's
   * boundary convention; above `limit` means the approximation broke the sliding-window promise
   * (a fixed window can reach 2 × limit across a boundary). null with no admitted requests.
   */
  readonly worstWindow: WorstWindow | null;
}

/** Options of {@link compareWithExactLog}. */
export interface CompareOptions {
  /** The exact log's boundary convention (default 'inclusive', as the lab's). */
  readonly boundary?: SlidingLogBoundary;
}

/**
 * Replays the same traffic through an approximation and through the exact sliding log, and
 * counts over- and under-admission. `traffic[k]` holds key k's request times (integer ms,
 * nondecreasing); keys are independent, but the requests are fed in global time order (ties by
 * key) because a limiter's clock only moves forward.
 *
 * @example
 * // Five requests just before a fixed-window boundary and five just after:
 * const r = compareWithExactLog({ algorithm: 'fixed-window', limit: 5, windowMs: 1000 }, [[995, 996, 997, 998, 999, 1000, 1001, 1002, 1003, 1004]]);
 * // r.overAdmitted === 5, r.worstWindow.allowed === 10 (twice the limit)
 */
export function compareWithExactLog(spec: LimiterSpecInput | LimiterSpec, traffic: readonly (readonly number[])[], options: CompareOptions = {}): ExactLogComparison {
  const keyCount = Math.max(1, traffic.length);
  const approx = new Limiter(spec, keyCount);
  const boundary = options.boundary ?? 'inclusive';
  const exact = new Limiter({ algorithm: 'sliding-log', limit: approx.spec.limit, windowMs: approx.spec.windowMs, boundary }, keyCount);

  // Every request as (time, key, index within the key), sorted by time, then key, then index.
  const order: [number, number, number][] = [];
  traffic.forEach((times, key) => {
    times.forEach((t, i) => {
      if (!Number.isSafeInteger(t) || t < 0) throw new RangeError(`traffic[${key}][${i}] must be a non-negative integer number of ms, got ${t}`);
      if (i > 0 && t < (times[i - 1] as number)) throw new RangeError(`traffic[${key}][${i}] = ${t} is earlier than traffic[${key}][${i - 1}] = ${String(times[i - 1])}; times must be nondecreasing`);
      order.push([t, key, i]);
    });
  });
  order.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);

  let allowedApprox = 0;
  let allowedExact = 0;
  let overAdmitted = 0;
  let underAdmitted = 0;
  const admitted: number[][] = traffic.map(() => []);
  for (const [t, key] of order) {
    const a = approx.checkFast(key, t);
    const e = exact.checkFast(key, t);
    if (a) {
      allowedApprox++;
      (admitted[key] as number[]).push(t);
    }
    if (e) allowedExact++;
    if (a && !e) overAdmitted++;
    if (e && !a) underAdmitted++;
  }

  const requests = order.length;
  return {
    spec: approx.spec,
    reference: exact.spec,
    requests,
    allowedApprox,
    allowedExact,
    overAdmitted,
    underAdmitted,
    overAdmissionRate: requests === 0 ? 0 : overAdmitted / requests,
    underAdmissionRate: requests === 0 ? 0 : underAdmitted / requests,
    worstWindow: worstWindow(admitted, approx.spec.windowMs, boundary),
  };
}

/**
 * The window with the most admitted requests. The busiest window can always be taken to end at
 * an admitted request, so a two-pointer sweep over each key's admitted times finds it.
 */
function worstWindow(admitted: readonly (readonly number[])[], windowMs: number, boundary: SlidingLogBoundary): WorstWindow | null {
  let best: WorstWindow | null = null;
  admitted.forEach((times, key) => {
    let first = 0;
    for (let i = 0; i < times.length; i++) {
      const end = times[i] as number;
      while (boundary === 'inclusive' ? end - (times[first] as number) > windowMs : end - (times[first] as number) >= windowMs) first++;
      const count = i - first + 1;
      if (best === null || count > best.allowed) best = { key, endMs: end, allowed: count };
    }
  });
  return best;
}
