/**
 * The page's sweep pool: Web Workers (one per spare core, at least one) that measure a sweep's
 * runs in the background, with progress, cancel, and a cache by (scenario hash, seed), so that a
 * trade-off slider moves instantly between computed points and the missing ones are computed
 * while the person looks (ADR 0019).
 *
 * A job is `measureRun(scenario, seed)`, a pure function, so where and in which order it runs does
 * not change its result; the pool keeps one queue of runs for every sweep in progress, gives two
 * sweeps asking for the same (scenario, seed) one run, and moves a point's runs to the front when
 * the slider asks for it. Cancelling drops a sweep's queued runs and stops the workers busy with
 * runs nobody else waits for (a stopped worker is replaced when there is work again). Without
 * Worker support the same jobs run on the main thread, one per task, so the page stays responsive.
 *
 * Cold start (docs/BENCHMARKS.md): a fresh worker spends its first second or so fetching and
 * evaluating its module and compiling the simulator; `warm()` moves that out of the sweep by
 * starting the workers when a lab with a slider opens, and a worker takes its first run as soon
 * as it has loaded (the run waits in its message queue, not in the pool).
 */
import * as Comlink from 'comlink';
import { measureRun, type Scenario, type SweepJob, type SweepMeasurement, type SweepPlan, type SweepResult } from '../../sim/index.ts';
import type { SweepWorkerApi } from './sweep.worker.ts';

/** Something that measures runs: a Web Worker, or the main thread. */
export interface JobRunner {
  measure(scenario: Scenario, seed: number): Promise<SweepMeasurement>;
  /** Settles once the runner has loaded its code and could start a run at once (rejects when it cannot load). */
  ready?(): Promise<void>;
  /** Stops at once; a measure in flight never settles. */
  terminate(): void;
}

/** How far a sweep has got. */
export interface SweepProgress {
  /** Runs with a result (from the cache or just measured). */
  readonly done: number;
  readonly total: number;
  /** Of `done`, runs the cache already had when the sweep started. */
  readonly cached: number;
  readonly status: 'running' | 'done' | 'cancelled' | 'failed';
  /** Why it failed (a run threw, or a worker died). */
  readonly error: string | null;
}

/** One sweep in progress on the pool. */
export interface SweepRun {
  readonly plan: SweepPlan;
  /** The results so far, in the plan's order (missing runs left out). */
  results(): SweepResult[];
  progress(): SweepProgress;
  /** Hears every change (a result, the end, a cancel); returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Runs this point's missing jobs next. */
  prioritize(point: number): void;
  /** Stops: queued runs are dropped, busy workers nobody else needs are stopped. Results so far stay. */
  cancel(): void;
  /** Settles when the sweep is done, cancelled or failed, with its last progress. */
  readonly finished: Promise<SweepProgress>;
}

/** The pool. */
export interface SweepPool {
  /** Workers it runs at most. */
  readonly size: number;
  /** Starts a sweep; runs the cache has are results at once. */
  run(plan: SweepPlan): SweepRun;
  /** What the cache holds for a (scenario hash, seed). */
  cached(scenarioHash: string, seed: number): SweepMeasurement | undefined;
  /**
   * Starts every worker now, so they load their code while the person reads (prewarm: a lab with
   * a slider calls it when it opens). Given jobs (say, the slider's first point), each worker runs
   * at most one of them as soon as it has loaded, into the cache: that run is the one a sweep
   * would start with, and it takes the worker's JIT past its coldest runs. Otherwise the workers
   * stay idle until a sweep asks. Settles when every worker has loaded and those runs have
   * ended; never rejects (a worker that cannot load fails the first run it is given, as before).
   */
  warm(first?: readonly SweepJob[]): Promise<void>;
  /** Stops every worker; the pool must not be used afterwards. */
  dispose(): void;
}

/** Options of {@link createSweepPool}. */
export interface SweepPoolOptions {
  /** Workers (default: {@link spareCores}). */
  readonly size?: number;
  /** Makes a runner (default: a module Web Worker, or the main thread without Worker support). */
  readonly createRunner?: () => JobRunner;
}

/** One per spare core (`hardwareConcurrency - 1`), at least one: the page keeps a core for itself. */
export function spareCores(hardwareConcurrency: number = globalThis.navigator?.hardwareConcurrency ?? 1): number {
  return Math.max(1, Math.floor(hardwareConcurrency) - 1);
}

/** A module Web Worker running ./sweep.worker.ts through Comlink. */
export function createWorkerRunner(): JobRunner {
  // Vite bundles the worker only when `new URL(..., import.meta.url)` is written inline here.
  const worker = new Worker(new URL('./sweep.worker.ts', import.meta.url), { type: 'module', name: 'sweep' });
  const remote = Comlink.wrap<SweepWorkerApi>(worker);
  let failure: ((error: Error) => void) | null = null;
  let loaded: Promise<void> | null = null;
  const onError = (event: Event): void => {
    const detail = event instanceof ErrorEvent && event.message !== '' ? event.message : 'it stopped (its script did not load, or an error escaped it)';
    failure?.(new Error(`a sweep worker failed: ${detail}`));
  };
  worker.addEventListener('error', onError);
  worker.addEventListener('messageerror', onError);
  return {
    measure: (scenario, seed) =>
      new Promise<SweepMeasurement>((resolve, reject) => {
        failure = reject;
        remote.measure(scenario, seed).then(resolve, reject);
      }),
    ready: () => {
      loaded ??= new Promise<void>((resolve, reject) => {
        worker.addEventListener('error', () => reject(new Error('a sweep worker did not load')), { once: true });
        remote.ready().then(() => resolve(), reject);
      });
      return loaded;
    },
    terminate: () => {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

/** The main thread as a runner: one run per macrotask, so input and painting get their turns. */
export function createMainThreadRunner(): JobRunner {
  let stopped = false;
  return {
    measure: (scenario, seed) =>
      new Promise<SweepMeasurement>((resolve, reject) => {
        setTimeout(() => {
          if (stopped) return;
          try {
            resolve(measureRun(scenario, seed));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        }, 0);
      }),
    terminate: () => {
      stopped = true;
    },
  };
}

const keyOf = (scenarioHash: string, seed: number): string => `${scenarioHash}/${seed}`;

/** A run to do, and the sweeps waiting for it. */
interface Task {
  readonly key: string;
  readonly job: SweepJob;
  readonly waiting: Set<RunState>;
  /** Called when the run ends either way (a prewarm waits on it). */
  onSettled?: () => void;
}

interface Slot {
  runner: JobRunner | null;
  task: Task | null;
}

/** A sweep's bookkeeping inside the pool. */
interface RunState {
  readonly plan: SweepPlan;
  readonly results: Map<number, SweepResult>;
  status: SweepProgress['status'];
  error: string | null;
  cached: number;
  readonly listeners: Set<() => void>;
  settle: (p: SweepProgress) => void;
}

/**
 * Creates the page's sweep pool.
 *
 * @example
 * const pool = createSweepPool();
 * const run = pool.run(plan);
 * run.subscribe(() => render(run.results(), run.progress()));
 */
export function createSweepPool(options: SweepPoolOptions = {}): SweepPool {
  const size = Math.max(1, options.size ?? spareCores());
  const makeRunner = options.createRunner ?? (typeof Worker === 'undefined' ? createMainThreadRunner : createWorkerRunner);
  const cache = new Map<string, SweepMeasurement>();
  const queue: Task[] = [];
  const tasks = new Map<string, Task>();
  const slots: Slot[] = Array.from({ length: size }, () => ({ runner: null, task: null }));
  let disposed = false;

  const progressOf = (s: RunState): SweepProgress => ({ done: s.results.size, total: s.plan.jobs.length, cached: s.cached, status: s.status, error: s.error });
  const notify = (s: RunState): void => {
    // A copy: a listener may unsubscribe or subscribe another while we call them.
    for (const l of Array.from(s.listeners)) l();
  };
  const finish = (s: RunState, status: SweepProgress['status'], error: string | null = null): void => {
    if (s.status !== 'running') return;
    s.status = status;
    s.error = error;
    s.settle(progressOf(s));
    notify(s);
  };
  // Every job of the sweep with this (scenario, seed) gets the measurement: two points of one
  // sweep may be the same scenario written two ways.
  const deliver = (s: RunState, key: string, m: SweepMeasurement): void => {
    s.plan.jobs.forEach((j, i) => {
      if (keyOf(j.scenarioHash, j.seed) === key) s.results.set(i, { point: j.point, values: j.values, seed: j.seed, scenarioHash: j.scenarioHash, ...m });
    });
    if (s.results.size === s.plan.jobs.length) finish(s, 'done');
    else notify(s);
  };

  const start = (slot: Slot, task: Task): void => {
    slot.task = task;
    slot.runner ??= makeRunner();
    const runner = slot.runner;
    runner.measure(task.job.scenario, task.job.seed).then(
      (m) => {
        if (slot.task !== task) return;
        slot.task = null;
        tasks.delete(task.key);
        cache.set(task.key, m);
        for (const s of task.waiting) if (s.status === 'running') deliver(s, task.key, m);
        task.onSettled?.();
        dispatch();
      },
      (error: unknown) => {
        if (slot.task !== task) return;
        slot.task = null;
        tasks.delete(task.key);
        // A worker that failed is not trusted with the next run: a fresh one is made when needed.
        runner.terminate();
        slot.runner = null;
        const message = error instanceof Error ? error.message : String(error);
        for (const s of task.waiting) finish(s, 'failed', `the run of ${keyOf(task.job.scenarioHash, task.job.seed)} failed: ${message}`);
        task.onSettled?.();
        dispatch();
      },
    );
  };

  const dispatch = (): void => {
    if (disposed) return;
    for (const slot of slots) {
      if (slot.task !== null) continue;
      const task = queue.shift();
      if (task === undefined) return;
      start(slot, task);
    }
  };

  const run = (plan: SweepPlan): SweepRun => {
    let settle: (p: SweepProgress) => void = () => undefined;
    const finished = new Promise<SweepProgress>((resolve) => {
      settle = resolve;
    });
    const state: RunState = { plan, results: new Map(), status: 'running', error: null, cached: 0, listeners: new Set(), settle };
    plan.jobs.forEach((job, i) => {
      const key = keyOf(job.scenarioHash, job.seed);
      const hit = cache.get(key);
      if (hit !== undefined) {
        state.results.set(i, { point: job.point, values: job.values, seed: job.seed, scenarioHash: job.scenarioHash, ...hit });
        state.cached++;
        return;
      }
      const existing = tasks.get(key);
      if (existing !== undefined) {
        existing.waiting.add(state);
        return;
      }
      const task: Task = { key, job, waiting: new Set([state]) };
      tasks.set(key, task);
      queue.push(task);
    });
    if (state.results.size === plan.jobs.length) finish(state, 'done');
    dispatch();

    return {
      plan,
      finished,
      results: () => [...state.results.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r),
      progress: () => progressOf(state),
      subscribe(listener) {
        state.listeners.add(listener);
        return () => state.listeners.delete(listener);
      },
      prioritize(point) {
        const mine = queue.filter((t) => t.waiting.has(state) && t.job.point === point);
        for (const t of mine) queue.splice(queue.indexOf(t), 1);
        queue.unshift(...mine);
      },
      cancel() {
        if (state.status !== 'running') return;
        // Deleting the entry being visited is safe while iterating a Map.
        for (const task of tasks.values()) {
          if (!task.waiting.delete(state) || task.waiting.size > 0) continue;
          tasks.delete(task.key);
          task.onSettled?.();
          const queued = queue.indexOf(task);
          if (queued !== -1) queue.splice(queued, 1);
          const slot = slots.find((s) => s.task === task);
          if (slot !== undefined) {
            slot.runner?.terminate();
            slot.runner = null;
            slot.task = null;
          }
        }
        finish(state, 'cancelled');
        dispatch();
      },
    };
  };

  const warm = async (first: readonly SweepJob[] = []): Promise<void> => {
    if (disposed) return;
    // A slot's runner is made here rather than with its first run; a slot already running a job
    // has one. Loading happens in the workers, in parallel with the page.
    const loading = slots.map((slot) => {
      slot.runner ??= makeRunner();
      return slot.runner.ready?.().catch(() => undefined);
    });
    // At most one job per worker, each queued as soon as asked: a worker takes it the moment it
    // has loaded. Its result goes to the cache like any other (no sweep waits for it yet).
    const settled: Promise<void>[] = [];
    for (const job of first.slice(0, size)) {
      const key = keyOf(job.scenarioHash, job.seed);
      if (cache.has(key) || tasks.has(key)) continue;
      const task: Task = { key, job, waiting: new Set() };
      tasks.set(key, task);
      queue.push(task);
      settled.push(new Promise((resolve) => (task.onSettled = resolve)));
    }
    dispatch();
    await Promise.all([...loading, ...settled]);
  };

  return {
    size,
    run,
    warm,
    cached: (scenarioHash, seed) => cache.get(keyOf(scenarioHash, seed)),
    dispose() {
      disposed = true;
      queue.length = 0;
      for (const slot of slots) {
        slot.runner?.terminate();
        slot.runner = null;
        slot.task = null;
      }
      for (const task of tasks.values()) {
        for (const s of task.waiting) finish(s, 'cancelled');
        task.onSettled?.();
      }
      tasks.clear();
    },
  };
}
