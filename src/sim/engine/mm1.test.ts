/**
 * Queueing theory through the real kernel (issue 9, item 3; ADR 0010). A Poisson source node
 * sends to one server node whose CPU model has an exponential service time and a queue that never
 * fills: an M/M/1 queue, built the way a scenario builds a topology (nodes, CPU models, a link)
 * and measured by the kernel's own per-node figures. Before virtual time counted microseconds,
 * a 0.05 ms service time rounded to 0 ms and none of this held below about 1 ms.
 *
 * The theory [1]. Arrivals at rate λ, service at rate μ = 1 / E[S], load ρ = λ/μ < 1. The time a
 * customer spends in the system (queue wait + service), its sojourn T, is exponential with mean
 *
 *     E[T] = 1 / (μ − λ) = E[S] / (1 − ρ).
 *
 * Run length [2]. Successive sojourns are strongly correlated (a busy period drags on), so the
 * sample mean of n of them has variance c(ρ)·E[T]²/n with c(ρ) far above the 1 of independent
 * draws. For the wait in queue the asymptotic variance constant is known exactly (Daley 1968):
 * ρ(2 + 5ρ − 4ρ² + ρ³)/(μ²(1 − ρ)⁴); relative to E[T]² that is ρ(2 + 5ρ − 4ρ² + ρ³)/(1 − ρ)²,
 * 7.3 / 79 / 359 at ρ = 0.5 / 0.8 / 0.9, and the service adds a little. Replications of the
 * Lindley recursion (150–200 runs each) measured c = 8.8 / 78 / 337. So the relative standard
 * error of the mean is √(c/n):
 *
 *     ρ = 0.5, n = 100,000:    √(8.8/1e5)   = 0.94 %  → the 4 % bound is 4.3 standard errors
 *     ρ = 0.8, n = 400,000:    √(78/4e5)    = 1.40 %  → the 5 % bound is 3.6 standard errors
 *     ρ = 0.9, n = 1,500,000:  √(337/1.5e6) = 1.50 %  → the 5 % bound is 3.3 standard errors
 *
 * (1 % at ρ = 0.9 would take about 3.4 million customers.) The run starts empty; the bias that
 * leaves is about one relaxation time's worth of customers, λ/(μ(1 − √ρ)²) ≈ 340 at ρ = 0.9, out
 * of 1.5 million: under 0.03 %. The server also serves its own boot input at t = 0, one extra
 * customer on an empty server (a 1/n effect).
 *
 * The seeds are fixed, so the test is deterministic; the measured deviations are in [3]. Each
 * service mean costs about 2 million customers (6 million trace events): a few seconds.
 */
import { describe, expect, test } from 'vitest';
import { dist } from '../core/dist.ts';
import { poissonSource, scripted, sink } from '../testing/nodes.ts';
import { Simulation } from './simulation.ts';

/** The server's figures after `count` customers at load `rho` with mean service `meanMs`. */
function mm1(meanMs: number, rho: number, count: number, seed: number): { sojournMs: number; serviceMs: number; processed: number } {
  const ratePerSec = (rho / meanMs) * 1000;
  const sim = new Simulation({
    seed,
    trace: { maxEvents: 0 },
    nodes: [
      { id: 'source', behavior: poissonSource, config: { to: 'server', ratePerSec, count } },
      { id: 'server', behavior: sink, cpu: { serviceTime: dist.exponential(meanMs), queueCapacity: 100_000_000 } },
    ],
    // A constant latency and no jitter: the arrivals are the source's Poisson process, shifted.
    network: { defaultLink: { latencyMs: 1, fifo: true } },
  });
  // Long enough for every arrival (n/λ, with a wide margin) and for the queue to drain.
  const arrivalsMs = (count / ratePerSec) * 1000;
  sim.runUntil(Math.ceil(arrivalsMs * 1.2 + meanMs * 10_000 + 100));
  const r = sim.report()['server'];
  if (r === undefined) throw new Error('no server figures');
  expect(r.processed).toBe(count + 1);
  return { sojournMs: r.sojournMsMean, serviceMs: r.sojournMsMean - r.queueWaitMsMean, processed: r.processed };
}

const LOADS = [
  { rho: 0.5, count: 100_000, tolerance: 0.04 },
  { rho: 0.8, count: 400_000, tolerance: 0.05 },
  { rho: 0.9, count: 1_500_000, tolerance: 0.05 },
] as const;

describe('an M/M/1 queue built from nodes matches 1/(μ − λ)', () => {
  for (const meanMs of [0.05, 0.5, 5, 50]) {
    test(`service mean ${meanMs} ms at ρ = 0.5, 0.8 and 0.9`, () => {
      // Proves the kernel's queueing (arrival, wait, exponential service in whole µs) against
      // theory, for every load, at a service mean far below and far above 1 ms.
      for (const [i, { rho, count, tolerance }] of LOADS.entries()) {
        const seed = 9001 + i;
        const { sojournMs, serviceMs } = mm1(meanMs, rho, count, seed);
        const theoryMs = meanMs / (1 - rho);
        const deviation = sojournMs / theoryMs - 1;
        expect(Math.abs(deviation), `ρ ${rho}, seed ${seed}: mean sojourn ${sojournMs} ms, theory ${theoryMs} ms`).toBeLessThan(tolerance);
        // The service alone: n independent exponentials, relative standard error 1/√n ≤ 0.32 %.
        expect(Math.abs(serviceMs / meanMs - 1), `ρ ${rho}, seed ${seed}: mean service ${serviceMs} ms`).toBeLessThan(0.015);
      }
    }, 120_000);
  }
});

describe('sub-millisecond service times', () => {
  test('regression: a 0.05 ms mean service time is served in 0.05 ms on average, not rounded to 0', () => {
    // Proves the fix at its cause: 20,000 inputs 1 ms apart (no queueing) to a node whose CPU
    // draws exponential 0.05 ms service times; the kernel's figures give the mean service as
    // sojourn − wait. Integer-ms time drew 0 with chance 1 − e^-10 and measured about 0.00005 ms.
    // The mean of 20,000 exponentials has a relative standard error of 0.7 %, so 3 % is over 4.
    const count = 20_000;
    const sends = Array.from({ length: count }, (_, i) => ({ atMs: 1 + i, to: 'server', msg: i }));
    const sim = new Simulation({
      seed: 7,
      trace: { maxEvents: 0 },
      nodes: [
        { id: 'client', behavior: scripted, config: { sends } },
        { id: 'server', behavior: scripted, config: {}, cpu: { serviceTime: dist.exponential(0.05), queueCapacity: 1000 } },
      ],
    });
    sim.runUntil(count + 100);
    const r = sim.report()['server'];
    expect(r?.processed).toBe(count + 1);
    const serviceMs = (r?.sojournMsMean ?? 0) - (r?.queueWaitMsMean ?? 0);
    expect(Math.abs(serviceMs / 0.05 - 1), `mean service ${serviceMs} ms`).toBeLessThan(0.03);
  });

  test('slow ×3 triples a 0.05 ms service time to 0.15 ms, to the µs', () => {
    // Proves the operator's slow factor scales the drawn µs: 100 inputs 1 ms apart to a node with
    // a constant 0.05 ms service time, slowed ×3 from the start, each take exactly 150 µs.
    const sends = Array.from({ length: 100 }, (_, i) => ({ atMs: 1 + i, to: 'server', msg: i }));
    const sim = new Simulation({
      seed: 1,
      nodes: [
        { id: 'client', behavior: scripted, config: { sends } },
        { id: 'server', behavior: scripted, config: {}, cpu: { serviceTime: dist.constant(0.05), queueCapacity: 10 } },
      ],
      faults: [{ at: 0, op: { verb: 'slow', node: 'server', factor: 3 } }],
    });
    sim.runUntil(200);
    const r = sim.report()['server'];
    expect(r?.processed).toBe(101);
    expect(r?.sojournMsMean).toBeCloseTo(0.15, 9);
    expect(r?.queueWaitMsMean).toBe(0);
  });
});

// [1] L. Kleinrock, Queueing Systems, Vol. 1 (1975), §3.2: M/M/1, T ~ Exp(μ − λ).
// [2] D. J. Daley, "The serial correlation coefficients of waiting times in a stationary single
//     server queue", J. Austral. Math. Soc. 8 (1968); W. Whitt, "Planning queueing simulations",
//     Management Science 35 (1989), which also gives the relaxation time (1 − √ρ)⁻² / μ.
// [3] Measured deviations of the mean sojourn from theory, seeds 9001 / 9002 / 9003 for
//     ρ = 0.5 / 0.8 / 0.9: +0.74 % / +1.15 % / −2.76 % for every service mean (0.05 ms: +0.74 /
//     +1.16 / −2.76), that is 0.8, 0.8 and 1.8 standard errors; the mean service is within
//     0.1 % everywhere. The four means share seeds, so they see the same random inputs scaled by
//     1000 from 0.05 to 50 ms: that they agree to 0.01 % shows whole µs lose nothing even at a
//     50 µs mean. (Integer ms, before ADR 0010, gave a sojourn of about 0.0001 ms at 0.05 ms.)
