/**
 * The rate limiter's algorithms as the labs name them, and the control that chooses one (the
 * sliding-window and placement labs both offer it).
 */
import { LIMITER_ALGORITHMS, type LimiterAlgorithm } from '../../sim/index.ts';
import type { Control } from './types.ts';

/** Each algorithm's name for a student. */
export const LIMITER_ALGORITHM_NAMES: Readonly<Record<LimiterAlgorithm, string>> = {
  'fixed-window': 'Fixed window',
  'sliding-log': 'Sliding log',
  'sliding-counter': 'Sliding counter',
  'token-bucket': 'Token bucket',
  'leaky-bucket': 'Leaky bucket',
  'leaky-queue': 'Leaky bucket as a queue',
  gcra: 'GCRA',
};

/** A choice of the limiter's algorithm (`rateLimit.limiter.algorithm`), the sliding log first chosen; `names` overrides some names. */
export function algorithmControl(label: string, names: Partial<Record<LimiterAlgorithm, string>> = {}): Control {
  const named = { ...LIMITER_ALGORITHM_NAMES, ...names };
  return {
    kind: 'choice',
    id: 'algorithm',
    label,
    path: 'rateLimit.limiter.algorithm',
    options: LIMITER_ALGORITHMS.map((a) => ({ value: a, label: named[a] })),
    initial: 'sliding-log',
  };
}
