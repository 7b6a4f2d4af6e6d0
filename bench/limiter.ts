/**
 * Rate-limit check cost with 1,000,000 distinct keys, the setup of performance.md §B4:
 * - limit 10 per 1000 ms, every other option at its default;
 * - keys drawn uniformly from a pre-generated sequence (the project's Prng, seed 1), so the timed
 *   loop does no random-number work;
 * - the virtual clock advances 1 ms every 10,000 checks, so the mean per-key rate equals the limit;
 * - warm-up of one full window (10 M checks), then 5 M timed checks (2 M with --quick).
 * Random access over 1M keys means the figures are dominated by cache misses.
 */
import { LIMITER_ALGORITHMS, type LimiterAlgorithm } from '../src/sim/index.ts';
import { Limiter, Prng, limiterSpecSchema } from '../src/sim/kernel.ts';

export const LIMITER_BENCH_KEYS = 1_000_000;
const LIMIT = 10;
const WINDOW_MS = 1000;
/** Checks per virtual ms that make each key's mean rate LIMIT per WINDOW_MS. */
const CHECKS_PER_MS = (LIMITER_BENCH_KEYS * LIMIT) / WINDOW_MS;
const WARM_UP = CHECKS_PER_MS * WINDOW_MS;
/** Length of the key sequence: a power of two above warm-up + timed checks, so no key order repeats. */
const SEQUENCE = 1 << 24;

/** One algorithm's figures. */
export interface LimiterFigures {
  readonly nsPerCheck: number;
  /** Share of timed checks allowed (at offered load = limit; performance.md B4's last column). */
  readonly allowFraction: number;
}

let sequence: Int32Array | null = null;

/** The pre-generated key sequence, built once per process. */
function keySequence(): Int32Array {
  if (sequence === null) {
    const rng = new Prng(1);
    sequence = new Int32Array(SEQUENCE);
    for (let i = 0; i < SEQUENCE; i++) sequence[i] = rng.nextInt(LIMITER_BENCH_KEYS);
  }
  return sequence;
}

/** ns per `checkFast` and the allowed share for one algorithm, one run. */
export function benchLimiter(algorithm: LimiterAlgorithm, timed: number): LimiterFigures {
  const keys = keySequence();
  const limiter = new Limiter(limiterSpecSchema.parse({ algorithm, limit: LIMIT, windowMs: WINDOW_MS }), LIMITER_BENCH_KEYS);
  let i = 0;
  let now = 0;
  let inMs = 0;
  const run = (count: number): number => {
    let allowed = 0;
    for (let n = 0; n < count; n++) {
      if (limiter.checkFast(keys[i++ & (SEQUENCE - 1)] as number, now)) allowed++;
      if (++inMs === CHECKS_PER_MS) {
        inMs = 0;
        now++;
      }
    }
    return allowed;
  };
  run(WARM_UP);
  const t0 = process.hrtime.bigint();
  const allowed = run(timed);
  const ns = Number(process.hrtime.bigint() - t0);
  return { nsPerCheck: ns / timed, allowFraction: allowed / timed };
}

/**
 * Every algorithm, `runs` times each (median kept): ns per check and the allowed share.
 *
 * @example
 * const { nsPerCheck } = limiterBench({ quick: true, runs: 1 });
 * // { 'fixed-window': 48.1, 'sliding-log': 71.9, … }
 */
export function limiterBench(options: { readonly quick: boolean; readonly runs: number; readonly gc?: () => void }): {
  nsPerCheck: Record<LimiterAlgorithm, number>;
  allowFraction: Record<LimiterAlgorithm, number>;
} {
  const timed = options.quick ? 2_000_000 : 5_000_000;
  const nsPerCheck = {} as Record<LimiterAlgorithm, number>;
  const allowFraction = {} as Record<LimiterAlgorithm, number>;
  for (const algorithm of LIMITER_ALGORITHMS) {
    const figures: LimiterFigures[] = [];
    for (let r = 0; r < options.runs; r++) {
      // A fresh limiter per run; collecting the previous one first keeps a sliding log's 80 MB
      // ring from being timed alongside the next run's allocation.
      options.gc?.();
      figures.push(benchLimiter(algorithm, timed));
    }
    figures.sort((a, b) => a.nsPerCheck - b.nsPerCheck);
    const median = figures[Math.floor(figures.length / 2)] as LimiterFigures;
    nsPerCheck[algorithm] = Math.round(median.nsPerCheck * 10) / 10;
    allowFraction[algorithm] = Math.round(median.allowFraction * 1000) / 1000;
  }
  return { nsPerCheck, allowFraction };
}
