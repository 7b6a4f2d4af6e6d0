/**
 * The page of the browser sweep benchmark (bench/sweepBrowser.mjs): the same 15 runs as
 * bench/sweep.ts (a 30-second group chat over five server counts and three seeds) on the page's
 * pool of Web Workers, timed from the plan to the last result: on a fresh pool (worker start-up
 * and a cold JIT included), and on a pool that has already run a sweep of other seeds (warm
 * workers, as on a page where the student has moved a slider before; the cache cannot answer,
 * the seeds differ).
 */
import { planSweep, runSweep } from '../../src/sim/index.ts';
import { labById } from '../../src/labs/index.ts';
import { createSweepPool, createWorkerRunner, spareCores, type SweepPool } from '../../src/ui/index.ts';

const SPEC = {
  scenario: 'group-chat',
  patch: { durationMs: 25_000, settleMs: 5_000 },
  axes: [{ path: 'topology.wsServers', values: [1, 2, 3, 4, 5] }],
  seeds: [1, 2, 3],
};

/** One timed sweep of `seeds` on `pool`; the trace hashes prove every run was done. */
async function timedSweep(pool: SweepPool, seeds: number[]): Promise<{ ms: number; hashes: string[] }> {
  const t0 = performance.now();
  const planned = planSweep({ ...SPEC, seeds });
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  const run = pool.run(planned.plan);
  const end = await run.finished;
  const ms = performance.now() - t0;
  if (end.status !== 'done') throw new Error(`the sweep ended ${end.status}: ${end.error ?? ''}`);
  if (end.cached > 0) throw new Error('the cache answered: the benchmark must not reuse seeds on a pool');
  return { ms, hashes: run.results().map((r) => r.traceHash) };
}

/** A sweep on a fresh pool, then the benchmark's seeds on the same (now warm) pool. */
async function coldAndWarm(size: number, rep: number): Promise<{ cold: number; warm: number; hashes: string[] }> {
  const pool = createSweepPool({ size });
  const cold = await timedSweep(pool, SPEC.seeds.map((s) => s + 100 * (rep + 1)));
  const warm = await timedSweep(pool, SPEC.seeds);
  pool.dispose();
  return { cold: cold.ms, warm: warm.ms, hashes: warm.hashes };
}

/**
 * A sweep on a fresh pool that was warmed first: workers loaded and idle, or loaded and past one
 * run each (what a student meets after a lab's prewarm).
 */
async function prewarmed(size: number, rep: number, withFirstRun: boolean): Promise<{ warmUpMs: number; sweepMs: number }> {
  const pool = createSweepPool({ size });
  const t0 = performance.now();
  // The first run a lab's prewarm would give each worker: here a point of the same sweep with
  // seeds the timed sweep does not use, so the cache cannot answer for it.
  const first = planSweep({ ...SPEC, seeds: [5000 + rep] });
  if (!first.ok) throw new Error(first.errors.join('\n'));
  await pool.warm(withFirstRun ? first.plan.jobs.slice(0, size) : []);
  const warmUpMs = performance.now() - t0;
  const sweep = await timedSweep(pool, SPEC.seeds.map((s) => s + 1000 * (rep + 1)));
  pool.dispose();
  return { warmUpMs, sweepMs: sweep.ms };
}

/**
 * Where a fresh worker's time goes: from `new Worker` to its module answering (fetch, parse,
 * evaluate), then the benchmark's fifteen runs one by one on that worker, the first with a cold
 * JIT; the same first job again at the end, warm.
 */
async function breakdown(rep: number): Promise<{ loadMs: number; runsMs: number[]; firstAgainMs: number }> {
  const planned = planSweep({ ...SPEC, seeds: SPEC.seeds.map((s) => s + 2000 * (rep + 1)) });
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  const t0 = performance.now();
  const runner = createWorkerRunner();
  await runner.ready?.();
  const loadMs = performance.now() - t0;
  const runsMs: number[] = [];
  for (const job of planned.plan.jobs) {
    const t = performance.now();
    await runner.measure(job.scenario, job.seed);
    runsMs.push(performance.now() - t);
  }
  const first = planned.plan.jobs[0];
  if (first === undefined) throw new Error('no job');
  const t = performance.now();
  await runner.measure(first.scenario, first.seed);
  const firstAgainMs = performance.now() - t;
  runner.terminate();
  return { loadMs, runsMs, firstAgainMs };
}

/**
 * A lab's slider sweep as a student starts it: the first step with a slider, its spec built as the
 * page builds it (src/ui/lab/LabSweep.tsx, sweepSpecOf), on a fresh pool (cold workers), timed
 * from the plan to the last result.
 */
async function labSweep(labId: string): Promise<{ runs: number; ms: number; workers: number }> {
  const lab = labById(labId);
  const step = lab?.steps.find((s) => s.kind === 'experiment' && s.sweep !== undefined);
  if (step?.kind !== 'experiment' || step.sweep === undefined) throw new Error(`lab ${labId} has no slider`);
  const { sweep } = step;
  const axes = [{ path: sweep.path, values: sweep.values }, ...(sweep.series === undefined ? [] : [{ path: sweep.series.path, values: sweep.series.values }])];
  const t0 = performance.now();
  const planned = planSweep({ scenario: step.run.scenario, patch: step.run.patch ?? {}, axes, seeds: sweep.seeds });
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  const pool = createSweepPool();
  const run = pool.run(planned.plan);
  const end = await run.finished;
  const ms = performance.now() - t0;
  pool.dispose();
  if (end.status !== 'done') throw new Error(`the sweep ended ${end.status}: ${end.error ?? ''}`);
  return { runs: planned.plan.jobs.length, ms, workers: pool.size };
}

declare global {
  interface Window {
    sweepBench(reps: number): Promise<unknown>;
    labSweepBench(labId: string): Promise<unknown>;
  }
}

window.labSweepBench = labSweep;

window.sweepBench = async (reps: number) => {
  const size = spareCores();
  const cold: number[] = [];
  const warm: number[] = [];
  const twoCold: number[] = [];
  const twoWarm: number[] = [];
  let hashes: string[] = [];
  const prewarm: { warmUpMs: number; sweepMs: number }[] = [];
  const prewarmRun: { warmUpMs: number; sweepMs: number }[] = [];
  const breakdowns: { loadMs: number; runsMs: number[]; firstAgainMs: number }[] = [];
  for (let i = 0; i < reps; i++) {
    prewarm.push(await prewarmed(size, i, false));
    prewarmRun.push(await prewarmed(size, i, true));
    breakdowns.push(await breakdown(i));
    const a = await coldAndWarm(size, i);
    cold.push(a.cold);
    warm.push(a.warm);
    hashes = a.hashes;
    const b = await coldAndWarm(2, i);
    twoCold.push(b.cold);
    twoWarm.push(b.warm);
  }
  // The same runs on this thread, for comparison and to check the workers' trace hashes.
  const planned = planSweep(SPEC);
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  const t0 = performance.now();
  const serial = runSweep(planned.plan);
  const serialMs = performance.now() - t0;
  const same = serial.every((r, i) => r.traceHash === hashes[i]);
  return { hardwareConcurrency: navigator.hardwareConcurrency, workers: size, coldMs: cold, warmMs: warm, twoColdMs: twoCold, twoWarmMs: twoWarm, serialMs, sameTraceHashes: same, runs: serial.length, prewarm, prewarmRun, breakdowns };
};

const status = document.getElementById('status');
if (status !== null) status.textContent = 'ready';
