/**
 * The sweep benchmark (`sweep.groupChat15RunsMs`): a 5-value × 3-seed sweep of a group-chat-sized
 * scenario, 30 simulated seconds each (25 s of sends, 5 s to settle), over five server counts,
 * timed from the plan to the last result on the CLI's pool (worker threads, and the calling thread
 * taking jobs while they load). The target is 3 s of wall time. Beside it: the threads
 * alone, two threads, and the runs serially in this thread.
 * Each figure is the median of `--reps` runs (default 3); thread start-up (each thread loads the
 * simulator through tsx) is inside the pool's time, as it is for `sim sweep`.
 *
 * Run on its own (`node --import tsx bench/sweep.ts [--json] [--reps N]`) or through `npm run
 * bench`, which starts it as a child process.
 */
import { defaultWorkerCount, runSweepInWorkers } from '../src/cli/index.ts';
import { planSweep, runSweep, type SweepPlan } from '../src/sim/index.ts';

/** What the benchmark reports (`sweep` in `npm run bench -- --json`). */
export interface SweepFigures {
  runs: number;
  simulatedMsPerRun: number;
  /** Threads of the default pool: one per spare core, at least one. */
  workers: number;
  /** The target figure: the sweep on the default pool, ms. */
  groupChat15RunsMs: number;
  /** The same on the default pool with the calling thread only waiting (`callerRuns: false`), ms. */
  groupChat15RunsMsThreadsOnly: number;
  /** The same on two threads beside the calling thread, ms. */
  groupChat15RunsMsTwoWorkers: number;
  /** The same runs one after another in this thread, ms. */
  serialMs: number;
  /** Trace events of the fifteen runs together. */
  events: number;
}

const SPEC = {
  scenario: 'group-chat',
  patch: { durationMs: 25_000, settleMs: 5_000 },
  axes: [{ path: 'topology.wsServers', values: [1, 2, 3, 4, 5] }],
  seeds: [1, 2, 3],
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function timed(f: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

export async function sweepBench(reps = 3): Promise<SweepFigures> {
  const planned = planSweep(SPEC);
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  const plan: SweepPlan = planned.plan;
  const workers = defaultWorkerCount();
  const pooled: number[] = [];
  const two: number[] = [];
  const threadsOnly: number[] = [];
  const serial: number[] = [];
  let events = 0;
  for (let i = 0; i < reps; i++) {
    pooled.push(await timed(() => runSweepInWorkers(plan, { workers })));
    threadsOnly.push(await timed(() => runSweepInWorkers(plan, { workers, callerRuns: false })));
    two.push(await timed(() => runSweepInWorkers(plan, { workers: 2 })));
    serial.push(await timed(() => (events = runSweep(plan).reduce((n, r) => n + (r.figures['events'] ?? 0), 0))));
  }
  return {
    runs: plan.jobs.length,
    simulatedMsPerRun: SPEC.patch.durationMs + SPEC.patch.settleMs,
    workers,
    groupChat15RunsMs: Math.round(median(pooled)),
    groupChat15RunsMsThreadsOnly: Math.round(median(threadsOnly)),
    groupChat15RunsMsTwoWorkers: Math.round(median(two)),
    serialMs: Math.round(median(serial)),
    events,
  };
}

if (process.argv[1]?.endsWith('sweep.ts') === true) {
  const args = process.argv.slice(2);
  const repsAt = args.indexOf('--reps');
  const reps = repsAt === -1 ? 3 : Number(args[repsAt + 1]);
  const figures = await sweepBench(Number.isInteger(reps) && reps > 0 ? reps : 3);
  if (args.includes('--json')) console.log(JSON.stringify(figures));
  else {
    console.log(`sweep: ${figures.runs} runs of group-chat, ${figures.simulatedMsPerRun / 1000} simulated s each (median of ${reps})`);
    console.log(`  ${figures.workers} worker thread(s) (default)  ${figures.groupChat15RunsMs} ms   (target ≤ 3000 ms)`);
    console.log(`  the same, caller only waits  ${figures.groupChat15RunsMsThreadsOnly} ms`);
    console.log(`  2 worker threads + caller    ${figures.groupChat15RunsMsTwoWorkers} ms`);
    console.log(`  serial, this thread          ${figures.serialMs} ms   (${figures.events.toLocaleString('en-US')} events)`);
  }
}
