/**
 * Percentiles by the nearest-rank method: the p-th percentile of n sorted values is the value at
 * rank ⌈p·n/100⌉ (1-based). It always returns one of the values, so integer inputs give integer
 * percentiles and reports stay free of interpolation noise.
 */
import type { LatencyPercentiles } from '../contract/index.ts';

/**
 * The nearest-rank `p`-th percentile (0 < p ≤ 100) of values sorted ascending; 0 when empty.
 *
 * @example
 * nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90); // 9
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  // p·n is an integer for integer p, so the division is exact when the rank is whole.
  const rank = Math.min(n, Math.max(1, Math.ceil((p * n) / 100)));
  return sorted[rank - 1] as number;
}

/**
 * p50, p90, p99 and max of `values` (in any order; not modified), or null when there are none:
 * a run in which nothing was shown has no latency, which is not the same as a latency of zero.
 *
 * @example
 * latencyPercentiles([30, 10, 20]); // { p50: 20, p90: 30, p99: 30, max: 30 }
 * latencyPercentiles([]);           // null
 */
export function latencyPercentiles(values: readonly number[]): LatencyPercentiles | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return {
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p99: nearestRank(sorted, 99),
    max: nearestRank(sorted, 100),
  };
}

/**
 * Integer samples kept as a histogram (value → how many times), so a run of any length keeps one
 * entry per distinct latency. The percentiles are exactly {@link latencyPercentiles} of the
 * samples. Values are grouped by thousands (a millisecond of µs samples, ADR 0010): a question
 * walks the groups, then reads only the few groups its ranks fall in (sorted once, again only
 * after they gain a value), so it costs the latencies' spread in ms, not the number of distinct
 * µs values, which grows with the run.
 *
 * @example
 * const h = new IntHistogram();
 * for (const x of [30, 10, 20]) h.add(x);
 * h.percentiles(); // { p50: 20, p90: 30, p99: 30, max: 30 }
 */
export class IntHistogram {
  /** group (value / 1000, floored) → value → count. */
  private readonly groups = new Map<number, Map<number, number>>();
  /** group → samples in it. */
  private readonly groupCounts = new Map<number, number>();
  /** group → its distinct values sorted, kept until the group gains a new value. */
  private readonly sorted = new Map<number, Float64Array>();
  private n = 0;

  /** Adds one sample. */
  add(value: number): void {
    const g = Math.floor(value / GROUP);
    let group = this.groups.get(g);
    if (group === undefined) {
      group = new Map();
      this.groups.set(g, group);
    }
    const had = group.get(value);
    group.set(value, (had ?? 0) + 1);
    if (had === undefined) this.sorted.delete(g);
    this.groupCounts.set(g, (this.groupCounts.get(g) ?? 0) + 1);
    this.n++;
  }

  /** Samples added. */
  get size(): number {
    return this.n;
  }

  /** p50, p90, p99 and max by the nearest rank, or null when there are no samples. */
  percentiles(): LatencyPercentiles | null {
    if (this.n === 0) return null;
    const ranks = [50, 90, 99, 100].map((p) => Math.min(this.n, Math.max(1, Math.ceil((p * this.n) / 100))));
    const out: number[] = [];
    let seen = 0;
    let r = 0;
    for (const g of Float64Array.from(this.groupCounts.keys()).sort()) {
      const inGroup = this.groupCounts.get(g) as number;
      if (seen + inGroup < (ranks[r] as number)) {
        seen += inGroup;
        continue;
      }
      // A rank falls in this group: walk its values in order.
      const group = this.groups.get(g) as Map<number, number>;
      let values = this.sorted.get(g);
      if (values === undefined) {
        values = Float64Array.from(group.keys()).sort();
        this.sorted.set(g, values);
      }
      for (const v of values) {
        seen += group.get(v) as number;
        while (r < ranks.length && seen >= (ranks[r] as number)) {
          out.push(v);
          r++;
        }
      }
      if (r >= ranks.length) break;
    }
    return { p50: out[0] as number, p90: out[1] as number, p99: out[2] as number, max: out[3] as number };
  }
}

/** The width of a histogram group: a thousand (µs in a millisecond). */
const GROUP = 1000;
