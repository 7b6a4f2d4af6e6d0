/**
 * The sliding-window lab's controls: the student's own requests on a timeline (written into the
 * run's script as sends by u1, two seconds after the start so the client has connected, exactly
 * as the preset does), and the algorithm of the gateway's limiter.
 */
import { LIMITER_ALGORITHMS } from '../../sim/index.ts';
import type { Control } from '../framework/index.ts';

export const REQUESTS: Control = {
  kind: 'requestTimes',
  id: 'requests',
  label: 'Your requests (seconds on the timeline)',
  user: 'u1',
  channel: 'dm:u1:u2',
  offsetMs: 2_000,
  maxSeconds: 66,
  maxCount: 12,
  initial: [0, 8, 12, 30, 41, 50, 58, 61, 66],
};

const ALGORITHM_NAMES: Readonly<Record<(typeof LIMITER_ALGORITHMS)[number], string>> = {
  'fixed-window': 'Fixed window',
  'sliding-log': 'Sliding log (exact)',
  'sliding-counter': 'Sliding counter',
  'token-bucket': 'Token bucket',
  'leaky-bucket': 'Leaky bucket',
  'leaky-queue': 'Leaky bucket as a queue',
  gcra: 'GCRA',
};

export const ALGORITHM: Control = {
  kind: 'choice',
  id: 'algorithm',
  label: 'The gateway\u2019s algorithm',
  path: 'rateLimit.limiter.algorithm',
  options: LIMITER_ALGORITHMS.map((a) => ({ value: a, label: ALGORITHM_NAMES[a] })),
  initial: 'sliding-log',
};

export const CONTROLS: readonly Control[] = [REQUESTS, ALGORITHM];
