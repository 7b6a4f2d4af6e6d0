// One Web Worker of the sweep pool (./sweepPool.ts): it measures runs and nothing else. All logic
// lives in the simulation layer (`measureRun`), so the pool's main-thread fallback and the CLI's
// worker threads run exactly the same code.
import { expose } from 'comlink';
import { measureRun } from '../../sim/index.ts';

/** What the pool calls on a worker. */
export interface SweepWorkerApi {
  measure: typeof measureRun;
  /** Answers once this module has loaded: the pool's prewarm waits on it. */
  ready(): true;
}

expose({ measure: measureRun, ready: () => true } satisfies SweepWorkerApi);
