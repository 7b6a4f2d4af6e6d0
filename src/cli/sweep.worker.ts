/**
 * One thread of the CLI's sweep pool (./sweepPool.ts): it receives jobs, runs each with
 * `runSweepJob` and posts the result back. All the logic lives in the simulation layer; this file
 * only carries messages.
 */
import { parentPort } from 'node:worker_threads';
import { runSweepJob, type SweepJob } from '../sim/index.ts';

/** A job as the pool posts it. */
export interface JobMessage {
  readonly id: number;
  readonly job: SweepJob;
}

const port = parentPort;
if (port !== null) {
  port.on('message', (message: JobMessage) => {
    try {
      port.postMessage({ id: message.id, result: runSweepJob(message.job) });
    } catch (error) {
      port.postMessage({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  // The simulator is loaded: the pool may send jobs now.
  port.postMessage({ ready: true });
}
