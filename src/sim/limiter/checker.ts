/**
 * The rate-limit bound as a trace checker: a sliding-log limiter promises that no key is ever
 * allowed more than `limit` requests in any window of `windowMs`. The checker judges that promise
 * from the `limiter/allowed` events alone, so it catches a broken limiter, a second limiter
 * instance that does not share state (two gateways each admitting `limit`), or a node that skips
 * the limiter, whatever the cause.
 */
import type { TraceEvent } from '../contract/index.ts';
import { BaseChecker } from '../checkers/checker.ts';
import type { SlidingLogBoundary } from './limiter.ts';

/** Options of {@link LimiterBoundChecker}. */
export interface LimiterBoundCheckerOptions {
  /**
   * The boundary convention the cluster's sliding logs use (the trace data does not carry it).
   * 'inclusive' (the default, as the limiter's) judges closed windows `[t − W, t]`; 'exclusive'
   * judges `(t − W, t]`. Judging an exclusive limiter as inclusive reports false violations.
   */
  readonly boundary?: SlidingLogBoundary;
  /** Violations kept (the count goes on). */
  readonly maxViolations?: number;
}

/** The allowed times of one (placement, key) still inside the latest window. */
interface Window {
  readonly times: number[];
  /** Index of the oldest time still in the window; the array is compacted now and then. */
  first: number;
}

/**
 * Reports every `limiter/allowed` event of a sliding-log limiter that makes its key's count in the
 * window ending at that event exceed the limit. Other algorithms are skipped: a fixed window may
 * legitimately admit 2 × limit across a boundary, so this bound is not theirs.
 *
 * @example
 * const checker = new LimiterBoundChecker();
 * runCheckers(trace.events, [checker]);
 * // [{ checker: 'rate-limit', seq: 512, at: 61000, message: 'event 512: user:u3 was allowed 6 requests in the 60000 ms window ending at 61000 ms; the limit is 5.' }]
 */
export class LimiterBoundChecker extends BaseChecker {
  readonly name = 'rate-limit';
  private readonly inclusive: boolean;
  private readonly windows = new Map<string, Window>();

  constructor(options: LimiterBoundCheckerOptions = {}) {
    super(options.maxViolations);
    this.inclusive = (options.boundary ?? 'inclusive') === 'inclusive';
  }

  observe(e: TraceEvent): void {
    if (e.type !== 'limiter/allowed') return;
    const d = e.data;
    if (d.algorithm !== 'sliding-log') return;
    // Two limiters at different placements may use the same key names; each keeps its own promise.
    const id = `${d.placement}\u0000${d.key}`;
    let w = this.windows.get(id);
    if (w === undefined) {
      w = { times: [], first: 0 };
      this.windows.set(id, w);
    }
    // Limiters keep a whole-ms clock (the decision's ms, floored: ADR 0010), so the promise is
    // judged on the same clock; µs-exact times could put an event 0.4 ms inside a window the
    // limiter, rightly for its clock, counted as expired.
    const atMs = Math.floor(e.at);
    w.times.push(atMs);
    while (w.first < w.times.length && this.outside(atMs - (w.times[w.first] as number), d.windowMs)) w.first++;
    if (w.first > 64 && w.first * 2 > w.times.length) {
      w.times.splice(0, w.first);
      w.first = 0;
    }
    const count = w.times.length - w.first;
    if (count > d.limit) {
      this.report(e, `event ${e.seq}: ${d.key} was allowed ${count} requests in the ${d.windowMs} ms window ending at ${e.at} ms; the limit is ${d.limit}.`, { key: d.key, node: e.node });
    }
  }

  private outside(age: number, windowMs: number): boolean {
    return this.inclusive ? age > windowMs : age >= windowMs;
  }
}
