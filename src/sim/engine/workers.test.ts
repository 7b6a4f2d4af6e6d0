/**
 * A node's CPU with several workers (design 002, ADR 0016), through the real kernel: M/M/k against
 * Erlang C, and each model's rules (one client at a time and in order, the switch and contention
 * costs, preemption, a worker serving only its group's queue), crashes and snapshots.
 *
 * M/M/k theory [1]. Poisson arrivals at rate λ, k servers each serving exponentially at rate μ,
 * one FIFO queue; offered load a = λ/μ (in servers), utilisation ρ = a/k < 1. An arrival waits
 * when all k servers are busy, which (PASTA) happens with the Erlang C probability
 *
 *     C(k, a) = (aᵏ/k! · k/(k − a)) / (Σₙ₌₀ᵏ⁻¹ aⁿ/n! + aᵏ/k! · k/(k − a)),
 *
 * and given that it waits, it waits for the first of k busy servers to free while the queue ahead
 * drains at rate kμ − λ: the wait is exponential with rate kμ − λ, so the mean wait is
 *
 *     E[W] = C(k, a) / (kμ − λ).
 *
 * For k = 4, E[S] = 1 ms: ρ = 0.5 (a = 2) gives C = 4/23 = 0.1739 and E[W] = 0.0870 ms; ρ = 0.8
 * (a = 3.2) gives C = 0.5964 and E[W] = 0.7455 ms. Each customer here has its own work key, so the
 * shared queue of keys is the M/M/k's one FIFO queue, and with no switch or contention cost the
 * pool is exactly k exponential servers.
 *
 * Run length. The mean wait is a small, strongly correlated quantity (most customers wait 0), so
 * its sample mean converges slowly. Five seeds each measured a spread (standard deviation) of
 * 1.0 % of E[W] at ρ = 0.5 with 1,000,000 customers and 0.6 % at ρ = 0.8 with 1,500,000 (seeds
 * 11–15: +1.31, −0.38, +1.31, −0.99, +0.11 %; seeds 21–25: −0.36, +0.77, +0.22, +0.96, +1.07 %),
 * so the 4 % bound is about 4 and 6 standard deviations. The seeds are fixed: the test is
 * deterministic; it runs about 10 s of customers in total.
 */
import { describe, expect, test } from 'vitest';
import { dist } from '../core/dist.ts';
import type { NodeBehavior, WorkerPool } from '../core/node.ts';
import { poissonSource, scripted, sink, type ScriptedState } from '../testing/nodes.ts';
import { Simulation } from './simulation.ts';

/** The sink, with every message its own work key (`m<n>`): k workers share one FIFO of keys. */
const keyedSink: NodeBehavior<{ received: number }> = {
  ...sink,
  kind: 'test-keyed-sink',
  workKey: (_state, input) => (input.type === 'message' ? `m${String(input.msg)}` : undefined),
};

const pool = (over: Partial<WorkerPool>): WorkerPool => ({ model: 'shared-queue', workers: 1, queues: 1, switchUs: 0, contentionUs: 0, quantumUs: 0, ...over });

/** The Erlang C probability of waiting, C(k, a). */
function erlangC(k: number, a: number): number {
  let sum = 0;
  let term = 1; // aⁿ/n!
  for (let n = 0; n < k; n++) {
    sum += term;
    term *= a / (n + 1);
  }
  const top = term * (k / (k - a));
  return top / (sum + top);
}

describe('k workers are an M/M/k queue', () => {
  const k = 4;
  const meanMs = 1;
  for (const { rho, count, seed } of [
    { rho: 0.5, count: 1_000_000, seed: 11 },
    { rho: 0.8, count: 1_500_000, seed: 21 },
  ]) {
    test(`4 workers at ρ = ${rho}: the mean wait is Erlang C's within 4 %`, () => {
      const ratePerSec = ((rho * k) / meanMs) * 1000;
      const sim = new Simulation({
        seed,
        trace: { maxEvents: 0 },
        nodes: [
          { id: 'source', behavior: poissonSource, config: { to: 'server', ratePerSec, count } },
          { id: 'server', behavior: keyedSink, cpu: { serviceTime: dist.exponential(meanMs), queueCapacity: 100_000_000, workers: pool({ workers: k }) } },
        ],
        network: { defaultLink: { latencyMs: 1, fifo: true } },
      });
      sim.runUntil(Math.ceil((count / ratePerSec) * 1000 * 1.2 + 10_000));
      const r = sim.report()['server'];
      if (r === undefined) throw new Error('no server figures');
      expect(r.processed).toBe(count + 1);
      const a = rho * k;
      const theoryMs = (erlangC(k, a) * meanMs) / (k - a);
      expect(Math.abs(r.queueWaitMsMean / theoryMs - 1), `mean wait ${r.queueWaitMsMean} ms, theory ${theoryMs} ms`).toBeLessThan(0.04);
      // The service alone: n independent exponentials (relative standard error 0.1 %).
      expect(Math.abs((r.sojournMsMean - r.queueWaitMsMean) / meanMs - 1)).toBeLessThan(0.01);
      // Utilisation is per worker: busy time over k × elapsed.
      const elapsedMs = sim.nowMs;
      expect(r.utilization * k * elapsedMs).toBeCloseTo((r.sojournMsMean - r.queueWaitMsMean) * r.processed, -2);
    }, 120_000);
  }
});

// ------------------------------------------------------------------------------------------------
// The models' rules, on scripted inputs: a message `{ key, serviceMs, n }` is one input of client
// `key` that takes `serviceMs`; the server records when each one's handler ran.

interface Job {
  readonly key: string;
  readonly serviceMs: number;
  readonly n: number;
}

const keyedServer: NodeBehavior<ScriptedState, unknown, number, { sends?: readonly never[] }> = {
  ...scripted,
  kind: 'test-keyed-server',
  workKey: (_state, input) => (input.type === 'message' ? (input.msg as Job).key : undefined),
  serviceTimeMs: (_state, input) => (input.type === 'message' ? (input.msg as Job).serviceMs : undefined),
};

/** Runs `jobs` (each sent at its `atMs`) into a server with `workers`; returns when each job's handler ran. */
function runJobs(workers: WorkerPool, jobs: readonly (Job & { atMs: number })[], untilMs = 1000, faults: Simulation['config']['faults'] = []) {
  const sim = new Simulation({
    seed: 1,
    nodes: [
      { id: 'client', behavior: scripted, config: { sends: jobs.map(({ atMs, ...msg }) => ({ atMs, to: 'server', msg })) } },
      { id: 'server', behavior: keyedServer, config: {}, cpu: { serviceTime: dist.constant(0), queueCapacity: 1000, workers } },
    ],
    network: { defaultLink: { latencyMs: 0, fifo: true } },
    faults,
  });
  sim.runUntil(untilMs);
  const state = sim.nodeState('server') as ScriptedState;
  const doneAt = new Map(state.received.map((r) => [(r.msg as Job).n, r.at]));
  return { sim, doneAt, order: state.received.map((r) => (r.msg as Job).n), report: sim.report()['server'] };
}

describe('worker pools serve clients', () => {
  test('one client is served one input at a time and in order, two clients in parallel', () => {
    // Proves the per-client FIFO: a's three 10 ms inputs at t = 1 end at 11, 21, 31 even with
    // four idle workers, while b's input at t = 1 runs beside them and ends at 11.
    const { doneAt, order } = runJobs(pool({ workers: 4 }), [
      { atMs: 1, key: 'a', serviceMs: 10, n: 1 },
      { atMs: 1, key: 'a', serviceMs: 10, n: 2 },
      { atMs: 1, key: 'a', serviceMs: 10, n: 3 },
      { atMs: 1, key: 'b', serviceMs: 10, n: 4 },
    ]);
    expect([1, 2, 3, 4].map((n) => doneAt.get(n))).toEqual([11, 21, 31, 11]);
    expect(order.filter((n) => n <= 3)).toEqual([1, 2, 3]);
  });

  test('a worker that changes client pays the switch cost, once per change', () => {
    // One worker, switchUs 100: a, a, b, a arriving 10 ms apart (each 1 ms). The worker's first
    // input is the boot (the server's own key), so a is a switch, a again is not, b and a are:
    // 3 switches, 0.3 ms; a's first input ends at 10 + 0.1 + 1 = 11.1 ms.
    const { doneAt, report } = runJobs(pool({ workers: 1, switchUs: 100 }), [
      { atMs: 10, key: 'a', serviceMs: 1, n: 1 },
      { atMs: 20, key: 'a', serviceMs: 1, n: 2 },
      { atMs: 30, key: 'b', serviceMs: 1, n: 3 },
      { atMs: 40, key: 'a', serviceMs: 1, n: 4 },
    ]);
    expect([1, 2, 3, 4].map((n) => doneAt.get(n))).toEqual([11.1, 21, 31.1, 41.1]);
    expect(report?.workers).toMatchObject({ model: 'shared-queue', switches: 3, switchMs: 0.3 });
  });

  test('a take from a shared queue costs contentionUs per other idle worker of that queue', () => {
    // 4 workers sharing one queue, contentionUs 50: a lone input finds 3 other workers waiting
    // on the queue: 150 µs. Split into 2 queues (2 workers each) the same take finds 1: 50 µs.
    const jobs = [{ atMs: 10, key: 'a', serviceMs: 1, n: 1 }];
    const shared = runJobs(pool({ workers: 4, contentionUs: 50 }), jobs);
    expect(shared.doneAt.get(1)).toBe(11.15);
    // The boot input (the server's own key) made the pool's first take: 0.15 ms more.
    expect(shared.report?.workers?.contentionMs).toBe(0.3);
    const grouped = runJobs(pool({ model: 'queue-per-group', workers: 4, queues: 2, contentionUs: 50 }), jobs);
    expect(grouped.doneAt.get(1)).toBe(11.05);
    // process-per-client has no shared queue of its own: the OS scheduler is not this lock.
    const ppc = runJobs(pool({ model: 'process-per-client', workers: 4, contentionUs: 50 }), jobs);
    expect(ppc.doneAt.get(1)).toBe(11);
  });

  test('process-per-client preempts a big request after its quantum; a shared queue lets it hold the worker', () => {
    // One core, quantum 2 ms: a's 100 ms request at t = 10, b's 1 ms input at t = 11. The OS
    // preempts a at 12, runs b to 13, then a again: b is served within a quantum, a ends 1 ms
    // late at 111. One shared-queue worker runs a to the end: b waits until 110, ends at 111.
    const jobs = [
      { atMs: 10, key: 'a', serviceMs: 100, n: 1 },
      { atMs: 11, key: 'b', serviceMs: 1, n: 2 },
    ];
    const ppc = runJobs(pool({ model: 'process-per-client', workers: 1, quantumUs: 2000 }), jobs);
    expect([ppc.doneAt.get(2), ppc.doneAt.get(1)]).toEqual([13, 111]);
    expect(ppc.report?.workers?.preemptions).toBe(49);
    expect(ppc.report?.workers?.workerWaitMsMax).toBe(1);
    const shared = runJobs(pool({ workers: 1, quantumUs: 2000 }), jobs);
    expect([shared.doneAt.get(1), shared.doneAt.get(2)]).toEqual([110, 111]);
    expect(shared.report?.workers?.preemptions).toBe(0);
    expect(shared.report?.workers?.workerWaitMsMax).toBe(99);
  });

  test("queue-per-group: a client waits for its own group's workers while another group idles", () => {
    // 2 workers, 2 queues (one worker each). Keys are hashed to a queue; pick two keys of the same
    // queue: the second waits for the first's 50 ms although the other worker is idle. With one
    // shared queue both run at once.
    const same = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'].filter((k) => fnv(k) % 2 === fnv('k0') % 2).slice(0, 2) as [string, string];
    const jobs = [
      { atMs: 10, key: same[0], serviceMs: 50, n: 1 },
      { atMs: 10, key: same[1], serviceMs: 1, n: 2 },
    ];
    expect(runJobs(pool({ model: 'queue-per-group', workers: 2, queues: 2 }), jobs).doneAt.get(2)).toBe(61);
    expect(runJobs(pool({ workers: 2 }), jobs).doneAt.get(2)).toBe(11);
  });

  test('a crash loses the queued and running work; a restart serves again', () => {
    // a's 50 ms input runs from 10; the crash at 30 loses it (its completion at 60 is stale) and
    // b's input queued behind it; after the restart at 40, c's input at 50 is served.
    const { doneAt, sim } = runJobs(
      pool({ workers: 1 }),
      [
        { atMs: 10, key: 'a', serviceMs: 50, n: 1 },
        { atMs: 20, key: 'a', serviceMs: 1, n: 2 },
        { atMs: 50, key: 'c', serviceMs: 1, n: 3 },
      ],
      200,
      [
        { at: 30, op: { verb: 'crash', node: 'server' } },
        { at: 40, op: { verb: 'restart', node: 'server' } },
      ],
    );
    expect([...doneAt.keys()]).toEqual([3]);
    expect(doneAt.get(3)).toBe(51);
    expect(sim.report()['server']?.queueDepth).toBe(0);
  });

  test("a full pool drops the newest input, or with drop-oldest the arriving client's own oldest", () => {
    // One worker, 2 inputs may wait. a1 runs 1–11; a2 and a3 wait; at t = 3 a4 and b1 find the
    // pool full. drop-newest loses a4 and b1. drop-oldest loses a2 for a4 (a's own backlog) and
    // b1 itself (b has nothing waiting: another client's input is never pushed out).
    const jobs = [
      { atMs: 1, key: 'a', serviceMs: 10, n: 1 },
      { atMs: 2, key: 'a', serviceMs: 1, n: 2 },
      { atMs: 2, key: 'a', serviceMs: 1, n: 3 },
      { atMs: 3, key: 'a', serviceMs: 1, n: 4 },
      { atMs: 3, key: 'b', serviceMs: 1, n: 5 },
    ];
    const run = (dropPolicy: 'drop-newest' | 'drop-oldest') => {
      const sim = new Simulation({
        seed: 1,
        nodes: [
          { id: 'client', behavior: scripted, config: { sends: jobs.map(({ atMs, ...msg }) => ({ atMs, to: 'server', msg })) } },
          { id: 'server', behavior: keyedServer, config: {}, cpu: { serviceTime: dist.constant(0), queueCapacity: 2, dropPolicy, workers: pool({ workers: 1 }) } },
        ],
        network: { defaultLink: { latencyMs: 0, fifo: true } },
      });
      sim.runUntil(100);
      return { order: (sim.nodeState('server') as ScriptedState).received.map((r) => (r.msg as Job).n), dropped: sim.report()['server']?.dropped };
    };
    expect(run('drop-newest')).toEqual({ order: [1, 2, 3], dropped: 2 });
    expect(run('drop-oldest')).toEqual({ order: [1, 3, 4], dropped: 2 });
  });

  test('the kernel refuses a pool it cannot run, naming the field', () => {
    const build = (workers: WorkerPool) => () => runJobs(workers, []);
    expect(build(pool({ workers: 0 }))).toThrow(/node "server": cpu.workers: workers must be an integer in \[1, 1024\], got 0/);
    expect(build(pool({ model: 'queue-per-group', workers: 2, queues: 3 }))).toThrow(/queues must be an integer in \[1, workers = 2\], got 3/);
    expect(build(pool({ workers: 2, queues: 2 }))).toThrow(/queues must be 1 for model shared-queue, got 2/);
    expect(build(pool({ switchUs: -1 }))).toThrow(/switchUs must be an integer in \[0, 1000000\] µs, got -1/);
  });
});

describe('determinism with workers', () => {
  for (const model of ['process-per-client', 'shared-queue', 'queue-per-group'] as const) {
    test(`${model}: a snapshot restored mid-run continues to the same trace hash`, () => {
      // Proves the pool is part of the snapshot: 60 Poisson inputs a millisecond over 8 keys,
      // three workers (four in two groups), every cost on; snapshot at 300 ms while work is queued and running.
      const make = () =>
        new Simulation({
          seed: 5,
          nodes: [
            { id: 'source', behavior: poissonSource, config: { to: 'server', ratePerSec: 60_000, count: 30_000 } },
            {
              id: 'server',
              behavior: { ...sink, kind: 'test-mod-sink', workKey: (_s, input) => (input.type === 'message' ? `c${Number(input.msg) % 8}` : undefined) } as NodeBehavior<{ received: number }>,
              cpu: { serviceTime: dist.exponential(0.07), queueCapacity: 50, workers: pool({ model, workers: model === 'queue-per-group' ? 4 : 3, queues: model === 'queue-per-group' ? 2 : 1, switchUs: 5, contentionUs: 2, quantumUs: 30 }) },
            },
          ],
          network: { defaultLink: { latencyMs: 1, fifo: true } },
        });
      const straight = make();
      straight.runUntil(300);
      const snap = straight.snapshot();
      straight.runUntil(700);
      const restored = make();
      restored.restore(snap);
      restored.runUntil(700);
      expect(restored.trace.hash()).toBe(straight.trace.hash());
      expect(restored.report()).toEqual(straight.report());
      const w = straight.report()['server']?.workers;
      expect(w?.switches).toBeGreaterThan(0);
      if (model !== 'process-per-client') expect(w?.contentionMs).toBeGreaterThan(0);
      // At 60 inputs per ms and at most 4 × 14 served per ms (fewer with the costs) the queue fills.
      expect(straight.report()['server']?.dropped).toBeGreaterThan(0);
    });
  }
});

/** FNV-1a, as the kernel hashes a key to its queue (engine/workers.ts `queueOf`). */
function fnv(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// [1] L. Kleinrock, Queueing Systems, Vol. 1 (1975), §3.5: M/M/m, the Erlang C formula and the
//     exponential conditional wait with rate mμ − λ.
