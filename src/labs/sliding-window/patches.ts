/**
 * The sliding-window lab's runs. The worked example is the rate-limit-burst preset unchanged (the
 * lab's own example: 5 requests per 60 s, sliding log, at the gateway). The student's traffic
 * replaces its script. The comparison run keeps the limiter and gives both users bursty random
 * traffic for four minutes, so windows fill, overflow and drain many times.
 */
import type { LabRun } from '../framework/index.ts';

/** The lab's worked example, exactly as the lab states it. */
export const WORKED_EXAMPLE: LabRun = { scenario: 'rate-limit-burst' };

/** The student's own requests (the controls write the script). */
export const OWN_REQUESTS: LabRun = { scenario: 'rate-limit-burst' };

/** Bursty traffic from both users under the same limit (5 per 60 s per user). */
export const BURSTY: LabRun = {
  scenario: 'rate-limit-burst',
  patch: {
    description: 'Both users send bursts at random for four minutes; the gateway limits each to 5 messages per 60 s.',
    durationMs: 240_000,
    workload: { script: [], sendRatePerUserPerSec: 0.1, burstProbability: 0.5, burstSize: 4, burstGapMs: 400 },
  },
};
