/**
 * A pool of Node `worker_threads` for the CLI's sweeps: each thread runs whole jobs
 * (`runSweepJob`, a pure function of the job), the pool hands the next job to whichever thread
 * is free, and the results come back in the plan's order whatever order they finished in, so a
 * pool of any size prints what a serial run prints (ADR 0019).
 *
 * The threads load TypeScript through tsx's ESM hooks, registered inside each thread before its
 * module is imported: Node 20 does not apply a parent's `--import` hooks to a worker's entry.
 * Loading the simulator that way takes a thread one to three seconds on a busy 2-core machine,
 * longer than a small sweep's runs; so by default the calling thread, which would otherwise only
 * wait, takes jobs from the same queue too, one at a time, yielding between them so the threads'
 * messages are handled. A small sweep is then never slower than a serial run, and a large one gets
 * every core once the threads are up (docs/BENCHMARKS.md).
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { orderResults, runSweepJob, type SweepPlan, type SweepResult } from '../sim/index.ts';
import type { JobMessage } from './sweep.worker.ts';

/** Options of {@link runSweepInWorkers}. */
export interface NodePoolOptions {
  /** Threads to start (at most one per job). */
  readonly workers: number;
  /** Called after each finished run with the count done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** The order to hand jobs out in (a permutation of the indices of plan.jobs); default: the plan's order. */
  readonly order?: readonly number[];
  /** Whether the calling thread runs jobs too while it waits (default: true). */
  readonly callerRuns?: boolean;
}

/** One thread per spare core, at least one: the main thread only waits, but the machine may be shared. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** The code each thread starts with: register tsx's hooks, then import the worker module. */
function bootstrap(): string {
  const require = createRequire(import.meta.url);
  const tsxApi = new URL('./dist/esm/api/index.mjs', pathToFileURL(require.resolve('tsx/package.json'))).href;
  const worker = new URL('./sweep.worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
}

type Reply = { readonly ready: true } | { readonly id: number; readonly result: SweepResult } | { readonly id: number; readonly error: string };

/**
 * Runs every job of a plan on `workers` threads and returns the results in the plan's order.
 * Rejects (and stops every thread) when a run throws or a thread dies, naming the job.
 *
 * @example
 * const results = await runSweepInWorkers(plan, { workers: defaultWorkerCount() });
 */
export function runSweepInWorkers(plan: SweepPlan, options: NodePoolOptions): Promise<SweepResult[]> {
  const order = options.order ?? plan.jobs.map((_, i) => i);
  const total = order.length;
  const threads = Math.max(1, Math.min(options.workers, total));
  if (total === 0) return Promise.resolve([]);
  const code = bootstrap();
  return new Promise((resolve, reject) => {
    const results: SweepResult[] = [];
    const pool: Worker[] = [];
    let next = 0;
    let settled = false;
    const stop = (): void => {
      settled = true;
      for (const w of pool) void w.terminate();
    };
    const failed = (error: Error): void => {
      if (settled) return;
      stop();
      reject(error);
    };
    /** Takes a result; true when the sweep goes on. */
    const accept = (result: SweepResult): boolean => {
      results.push(result);
      options.onProgress?.(results.length, total);
      if (results.length < total) return true;
      stop();
      try {
        resolve(orderResults(plan, results));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
      return false;
    };
    /** The next job's index, or null when every job has been handed out. */
    const take = (): number | null => (next < total ? (order[next++] as number) : null);
    const give = (w: Worker): void => {
      const id = take();
      if (id === null) return;
      const job = plan.jobs[id];
      if (job === undefined) return failed(new Error(`sweep: no job ${id} in the plan`));
      w.postMessage({ id, job } satisfies JobMessage);
    };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(code, { eval: true, execArgv: [], name: `sweep-${i + 1}` });
      pool.push(w);
      w.on('message', (reply: Reply) => {
        if (settled) return;
        // A thread gets its first job when it has loaded the simulator, not before: until then
        // the calling thread may run that job itself.
        if ('ready' in reply) return give(w);
        const job = plan.jobs[reply.id];
        if ('error' in reply) return failed(new Error(`sweep: the run of point ${job?.point} seed ${job?.seed} crashed:\n${reply.error}`));
        if (accept(reply.result)) give(w);
      });
      w.on('error', (error) => failed(new Error(`sweep: worker thread ${i + 1} failed: ${error.message}`)));
      w.on('exit', (exitCode) => {
        if (!settled) failed(new Error(`sweep: worker thread ${i + 1} stopped (exit code ${exitCode}) before the sweep finished`));
      });
    }
    if (options.callerRuns !== false) {
      const step = (): void => {
        if (settled) return;
        const id = take();
        if (id === null) return;
        const job = plan.jobs[id];
        if (job === undefined) return failed(new Error(`sweep: no job ${id} in the plan`));
        let result: SweepResult;
        try {
          result = runSweepJob(job);
        } catch (error) {
          return failed(new Error(`sweep: the run of point ${job.point} seed ${job.seed} crashed:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
        }
        // setImmediate lets the threads' replies in between two of this thread's runs.
        if (accept(result)) setImmediate(step);
      };
      setImmediate(step);
    }
  });
}
