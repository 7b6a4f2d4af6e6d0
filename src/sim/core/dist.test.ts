import { describe, expect, test } from 'vitest';
import { EXP_QUANTILES_Q16, EXP_TABLE_SIZE } from './expTable.ts';
import { Zipf, dist, distProblem, expUnitQ16, normalish, poissonGapMs, ratio, ratioFromFraction, sampleMs, sampleUs, uniformInt } from './dist.ts';
import { Prng } from './prng.ts';

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe('distributions', () => {
  test('the committed exponential table matches -ln(1 - i/N) (regenerate with scripts/gen-exp-table.mjs)', () => {
    expect(EXP_QUANTILES_Q16).toHaveLength(EXP_TABLE_SIZE);
    for (let i = 0; i < EXP_TABLE_SIZE; i++) {
      expect(Math.abs((EXP_QUANTILES_Q16[i] as number) - -Math.log(1 - i / EXP_TABLE_SIZE) * 65536)).toBeLessThanOrEqual(0.5);
    }
  });

  test('exponential samples have the requested mean and the exponential shape', () => {
    // Mean within 2% over 200k draws, and P(X > mean) ≈ e^-1 ≈ 0.368 (the shape, not just the mean).
    // The mean's sd is 1/√200,000 ≈ 0.0022 and the tail share's 0.0011, so both bounds are 9 sd
    // wide (seed 11 is off by 0.0021 and 0.0013; at most 0.0053 and 0.0023 on seeds 1–20).
    const rng = new Prng(11);
    const xs = Array.from({ length: 200_000 }, () => expUnitQ16(rng) / 65536);
    expect(Math.abs(mean(xs) - 1)).toBeLessThan(0.02);
    const tail = xs.filter((x) => x > 1).length / xs.length;
    expect(Math.abs(tail - Math.exp(-1))).toBeLessThan(0.01);
    // The unbounded last bucket is reached: some draws exceed ln(1024) ≈ 6.93.
    expect(xs.some((x) => x > 7)).toBe(true);
    const ms = Array.from({ length: 50_000 }, () => sampleMs(rng, dist.exponential(40)));
    // Rounded to the nearest µs, the mean of 50k draws has sd 40/√50,000 ≈ 0.18 ms (0.45 %), so
    // 3 % is 6.7 sd.
    expect(Math.abs(mean(ms) - 40) / 40).toBeLessThan(0.03);
    expect(ms.every((x) => Math.round(x * 1000) / 1000 === x)).toBe(true);
    expect(ms.every((x) => x >= 0)).toBe(true);
  });

  test('normal-ish jitter has mean 0 and standard deviation 1, and sampled ms never go negative', () => {
    const rng = new Prng(5);
    const xs = Array.from({ length: 100_000 }, () => normalish(rng));
    const m = mean(xs);
    const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    // Over 100k draws the mean's sd is 0.0032 (0.02 is 6 sd) and the sample sd's about 0.0022
    // (9 sd); seed 5 is off by 0.0036 and 0.0008, and seeds 1–20 by at most 0.0093 and 0.0047.
    expect(Math.abs(m)).toBeLessThan(0.02);
    expect(Math.abs(sd - 1)).toBeLessThan(0.02);
    const ms = Array.from({ length: 10_000 }, () => sampleMs(rng, dist.normal(2, 5)));
    // Normal(2, 5) rounds below 0 with chance 0.31, so 10,000 draws clamp thousands to 0 on any seed.
    expect(Math.min(...ms)).toBe(0);
  });

  test('uniform and constant distributions stay within their bounds, in whole µs', () => {
    const rng = new Prng(9);
    const xs = Array.from({ length: 10_000 }, () => sampleMs(rng, dist.uniform(3, 7)));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...xs)).toBeLessThanOrEqual(7);
    expect(xs.every((x) => Math.round(x * 1000) / 1000 === x)).toBe(true);
    // Uniform over the 4,001 whole µs of [3, 7]: the mean of 10k draws has sd 1.155/√10,000
    // ≈ 0.012 ms, so 0.06 is 5 sd.
    expect(Math.abs(mean(xs) - 5)).toBeLessThan(0.06);
    // Both ends of a 5-value range (3.000..3.004 ms): each has chance 1/5 per draw, so 10,000
    // draws miss one with chance 2 × 0.8^10,000 ≈ 0.
    const us = Array.from({ length: 10_000 }, () => sampleUs(rng, dist.uniform(3, 3.004)));
    expect(Math.min(...us)).toBe(3000);
    expect(Math.max(...us)).toBe(3004);
    expect(sampleMs(rng, dist.constant(12))).toBe(12);
    expect(sampleUs(rng, dist.constant(0.05))).toBe(50);
  });

  test('uniform integers over spans wider than 2^32 stay in range and cover it', () => {
    // A 2^40-wide span (an hour-long uniform in µs is 3.6e9 wide, past one 32-bit draw): 10,000
    // draws must all be in range, and their mean within 5 sd (sd of the mean: 2^40/√12/100).
    const rng = new Prng(3);
    const span = 2 ** 40;
    const xs = Array.from({ length: 10_000 }, () => uniformInt(rng, 5, 5 + span - 1));
    expect(xs.every((x) => Number.isSafeInteger(x) && x >= 5 && x < 5 + span)).toBe(true);
    expect(Math.abs(mean(xs) - (5 + span / 2)) / span).toBeLessThan((5 * 0.2887) / 100);
  });

  test('Poisson gaps average 1000/rate ms', () => {
    const rng = new Prng(2);
    const gaps = Array.from({ length: 50_000 }, () => poissonGapMs(rng, 10));
    // Gaps have mean and sd 100 ms: the mean of 50k has sd 0.45 ms, so 3 % is 6.7 sd (seed 2 is
    // off by 0.08 %, seeds 1–20 by at most 1.2 %).
    expect(Math.abs(mean(gaps) - 100) / 100).toBeLessThan(0.03);
    expect(() => poissonGapMs(rng, 0)).toThrow(/positive/);
  });

  test('Zipf with exponent 1 makes rank 1 about twice as likely as rank 2', () => {
    const z = new Zipf(100, 1);
    const rng = new Prng(4);
    const counts = new Map<number, number>();
    for (let i = 0; i < 100_000; i++) {
      const k = z.sample(rng);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const c1 = counts.get(1) ?? 0;
    const c2 = counts.get(2) ?? 0;
    // With c1 ≈ 19,300 and c2 ≈ 9,600 the ratio's sd is about 2·√(1/c1 + 1/c2) ≈ 0.025, so 0.15 is
    // 6 sd (seed 4: 2.009; 1.95 to 2.05 on seeds 1–20).
    expect(c1 / c2).toBeGreaterThan(1.85);
    expect(c1 / c2).toBeLessThan(2.15);
    expect(Math.max(...counts.keys())).toBeLessThanOrEqual(100);
    // H(100) ≈ 5.187, so P(1) ≈ 0.193; over 100k draws its share has sd 0.0012, so 0.01 is 8 sd.
    expect(Math.abs(c1 / 100_000 - 1 / 5.187)).toBeLessThan(0.01);
    expect(() => new Zipf(10, 1.3)).toThrow(/multiple of 0.5/);
  });

  test('bad parameters are described, not silently accepted', () => {
    expect(distProblem(dist.uniform(5, 2))).toMatch(/maxMs \(2\) must be ≥ minMs \(5\)/);
    expect(distProblem(dist.exponential(-1))).toMatch(/meanMs must be a non-negative/);
    expect(distProblem(dist.constant(1.5))).toBeNull();
    expect(distProblem(dist.constant(1.0005))).toMatch(/valueMs must be a non-negative whole number of µs/);
    expect(distProblem(dist.normal(1, 2))).toBeNull();
    expect(() => ratio(3, 2)).toThrow(/0 ≤ num ≤ den/);
    expect(ratioFromFraction(0.01)).toEqual({ num: 10_000, den: 1_000_000 });
    expect(() => ratioFromFraction(1.5)).toThrow(/\[0, 1\]/);
  });
});
