/**
 * The command line's public entry, for benchmarks and scripts: the `sim` program itself and the
 * worker-thread pool its sweeps run on.
 */
export { main, type CliIo } from './sim.ts';
export { defaultWorkerCount, runSweepInWorkers, type NodePoolOptions } from './sweepPool.ts';
