/**
 * Distributions for delays, service times and arrivals, sampled from a {@link Prng} with integer
 * and basic IEEE arithmetic only (+, −, ×, ÷ and sqrt are exactly specified by IEEE 754, so they
 * give the same bits in every engine; log, exp and pow are not, so they never decide anything
 * here). Draws are integer microseconds (`sampleUs`, what the kernel schedules with); the
 * millisecond forms (`sampleMs`, `sampleExponentialMs`, `poissonGapMs`, for node code) are the
 * same integer microseconds divided by 1000 (ADR 0010).
 */
import { EXP_QUANTILES_Q16, EXP_TABLE_SIZE } from './expTable.ts';
import type { Ratio } from '../contract/index.ts';
import type { Prng } from './prng.ts';

/** Builds a ratio, checking 0 ≤ num ≤ den and integers. */
export function ratio(num: number, den: number): Ratio {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den <= 0 || num < 0 || num > den) {
    throw new RangeError(`a ratio needs integers 0 ≤ num ≤ den, den > 0; got ${num}/${den}`);
  }
  return { num, den };
}

/** Parts per million: how scenario files write probabilities as decimals become ratios. */
export function ratioFromFraction(fraction: number): Ratio {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`a probability must be in [0, 1], got ${fraction}`);
  return { num: Math.round(fraction * 1_000_000), den: 1_000_000 };
}

/** The never-happens ratio. */
export const NEVER: Ratio = { num: 0, den: 1 };

/**
 * A distribution of non-negative times, written in milliseconds, as plain data. Draws have a
 * resolution of 1 µs.
 */
export type DistSpec =
  | { readonly kind: 'constant'; readonly valueMs: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'exponential'; readonly meanMs: number }
  | { readonly kind: 'normal'; readonly meanMs: number; readonly stdDevMs: number };

/** Shorthands for writing distributions in code and tests. */
export const dist = {
  constant: (valueMs: number): DistSpec => ({ kind: 'constant', valueMs }),
  uniform: (minMs: number, maxMs: number): DistSpec => ({ kind: 'uniform', minMs, maxMs }),
  exponential: (meanMs: number): DistSpec => ({ kind: 'exponential', meanMs }),
  normal: (meanMs: number, stdDevMs: number): DistSpec => ({ kind: 'normal', meanMs, stdDevMs }),
};

const U32 = 0x1_0000_0000;

/** A uniform real in [0, 1) with 32 bits of resolution (exact: an integer divided by 2^32). */
export function unit(rng: Prng): number {
  return rng.nextUint32() / U32;
}

/**
 * A unit-mean exponential in 16.16 fixed point, from the quantile table: pick one of 1024
 * equally likely buckets with 10 bits, interpolate inside it with 22 more. The last bucket is
 * unbounded; the exponential forgets, so its value is its lower edge plus a fresh draw.
 */
export function expUnitQ16(rng: Prng): number {
  let offset = 0;
  for (;;) {
    const x = rng.nextUint32();
    const bucket = x >>> 22;
    const frac = x & 0x3fffff;
    const lo = EXP_QUANTILES_Q16[bucket] as number;
    if (bucket < EXP_TABLE_SIZE - 1) {
      const hi = EXP_QUANTILES_Q16[bucket + 1] as number;
      return offset + lo + Math.floor(((hi - lo) * frac) / 0x400000);
    }
    offset += lo;
  }
}

/**
 * An exponential with the given mean in µs, rounded to integer µs. The 16.16 unit draw times the
 * mean keeps a resolution of mean/65536, far finer than 1 µs for any mean that matters (a 50 µs
 * mean has steps of 0.0008 µs), and the rounding to whole µs moves the mean of a 50 µs
 * exponential by less than 0.001 µs.
 */
export function sampleExponentialUs(rng: Prng, meanUs: number): number {
  return Math.floor((meanUs * expUnitQ16(rng)) / 65536 + 0.5);
}

/** An exponential with the given mean in ms, in ms with a resolution of 1 µs. */
export function sampleExponentialMs(rng: Prng, meanMs: number): number {
  return sampleExponentialUs(rng, meanMs * 1000) / 1000;
}

const TWO_POW_32 = 0x1_0000_0000;

/**
 * A uniform integer in [min, max], both integers, for spans wider than 2^32 too (two 32-bit draws
 * and rejection above the span, so there is no bias).
 */
export function uniformInt(rng: Prng, min: number, max: number): number {
  const span = max - min + 1;
  if (span <= TWO_POW_32) return rng.intBetween(min, max);
  const hiSpan = Math.ceil(span / TWO_POW_32);
  for (;;) {
    const x = rng.nextInt(hiSpan) * TWO_POW_32 + rng.nextUint32();
    if (x < span) return min + x;
  }
}

/** An approximately standard normal value: the Irwin–Hall sum of 12 uniforms minus 6. */
export function normalish(rng: Prng): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += rng.nextUint32();
  return sum / U32 - 6;
}

/**
 * Draws one value of a distribution in integer µs (never negative): a constant rounded to the
 * nearest µs, a uniform over every whole µs of [min, max], an exponential or a normal rounded to
 * the nearest µs.
 */
export function sampleUs(rng: Prng, spec: DistSpec): number {
  switch (spec.kind) {
    case 'constant':
      return Math.round(spec.valueMs * 1000);
    case 'uniform':
      return uniformInt(rng, Math.round(spec.minMs * 1000), Math.round(spec.maxMs * 1000));
    case 'exponential':
      return sampleExponentialUs(rng, spec.meanMs * 1000);
    case 'normal': {
      const v = Math.floor(spec.meanMs * 1000 + spec.stdDevMs * 1000 * normalish(rng) + 0.5);
      return v < 0 ? 0 : v;
    }
  }
}

/** Draws one value of a distribution in ms, with a resolution of 1 µs (never negative). */
export function sampleMs(rng: Prng, spec: DistSpec): number {
  return sampleUs(rng, spec) / 1000;
}

/** The mean of a distribution in ms (for documentation, calibration tables and tests). */
export function meanMs(spec: DistSpec): number {
  switch (spec.kind) {
    case 'constant':
      return spec.valueMs;
    case 'uniform':
      return (spec.minMs + spec.maxMs) / 2;
    case 'exponential':
      return spec.meanMs;
    case 'normal':
      return spec.meanMs;
  }
}

/** Checks a distribution's parameters; returns a sentence naming the problem, or null. */
export function distProblem(spec: DistSpec): string | null {
  const bad = (name: string, v: number): string | null =>
    Number.isFinite(v) && v >= 0 ? null : `${name} must be a non-negative finite number, got ${v}`;
  // Times are drawn in whole µs: a fixed time must be one (10.001 ms is, 10.0005 ms is not).
  const wholeUs = (v: number): boolean => Number.isSafeInteger(Math.round(v * 1000)) && v >= 0 && Math.round(v * 1000) / 1000 === v;
  switch (spec.kind) {
    case 'constant':
      return wholeUs(spec.valueMs) ? null : `valueMs must be a non-negative whole number of µs in ms, got ${spec.valueMs}`;
    case 'uniform':
      if (!wholeUs(spec.minMs) || !wholeUs(spec.maxMs)) {
        return `minMs and maxMs must be non-negative whole numbers of µs in ms, got ${spec.minMs}..${spec.maxMs}`;
      }
      return spec.maxMs >= spec.minMs ? null : `maxMs (${spec.maxMs}) must be ≥ minMs (${spec.minMs})`;
    case 'exponential':
      return bad('meanMs', spec.meanMs);
    case 'normal':
      return bad('meanMs', spec.meanMs) ?? bad('stdDevMs', spec.stdDevMs);
  }
}

/**
 * Poisson arrivals: the gap to the next arrival for a process with `ratePerSec` events per second,
 * in ms with a resolution of 1 µs (exponential with mean 1000 / rate).
 */
export function poissonGapMs(rng: Prng, ratePerSec: number): number {
  if (!(ratePerSec > 0)) throw new RangeError(`a Poisson rate must be positive, got ${ratePerSec}`);
  return sampleExponentialMs(rng, 1000 / ratePerSec);
}

/**
 * Zipf's law over 1..n: P(k) ∝ 1 / k^s. The exponent must be a multiple of 0.5 so that k^s is
 * computed with multiplication and sqrt only (exact in every engine). The cumulative table is
 * built once; a draw is a binary search.
 *
 * @example
 * const groupSize = new Zipf(500, 1);   // many small groups, a few huge ones
 * groupSize.sample(rng);                // 1 most often
 */
export class Zipf {
  private readonly cdf: Float64Array;

  constructor(readonly n: number, readonly exponent: number) {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`Zipf n must be a positive integer, got ${n}`);
    if (!(exponent > 0) || (exponent * 2) % 1 !== 0 || exponent > 8) {
      throw new RangeError(`Zipf exponent must be a multiple of 0.5 in (0, 8], got ${exponent}`);
    }
    const whole = Math.floor(exponent);
    const half = exponent - whole === 0.5;
    this.cdf = new Float64Array(n);
    let total = 0;
    for (let k = 1; k <= n; k++) {
      let p = 1;
      for (let i = 0; i < whole; i++) p *= k;
      if (half) p *= Math.sqrt(k);
      total += 1 / p;
      this.cdf[k - 1] = total;
    }
    for (let k = 0; k < n; k++) this.cdf[k] = (this.cdf[k] as number) / total;
  }

  /** Draws a rank in 1..n. */
  sample(rng: Prng): number {
    const u = unit(rng);
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  }
}
