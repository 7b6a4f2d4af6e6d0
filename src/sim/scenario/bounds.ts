/**
 * Rules that bound a scenario across fields, so that whatever the schema accepts builds and runs:
 * the sliding log's memory (`limit` timestamps per key, allocated up front) and the servers'
 * worker queues (`queues` ≤ `workers`, and only for `queue-per-group`). The per-field
 * bounds live in the schema itself; the work a run may do is bounded by `budget.ts`.
 */
import { MAX_LOG_SLOTS } from '../limiter/limiter.ts';
import type { Scenario } from './schema.ts';

/**
 * The longest time any millisecond field may name: 2^40 ms, about 34.8 years. Virtual time is an
 * integer below 2^53, and a timer is set at now plus a field (a timeout, an interval, a wait);
 * with every field at most 2^40, thousands of them can add up before time stops being exact.
 */
export const MAX_TIME_MS = 2 ** 40;

/** Keys a limiter holds beyond the ones the workload can produce (users an operator makes up). */
export const SPARE_LIMITER_KEYS = 1024;

/**
 * The keys the cluster's limiter allocates: the keys this cluster can produce (its users, or
 * their addresses) with room to spare, capped by the configured `maxKeys`.
 */
export function limiterKeysOf(s: Scenario): number {
  const possibleKeys = s.rateLimit.keyBy === 'user' ? s.workload.users : Math.ceil(s.workload.users / s.rateLimit.usersPerIp);
  return Math.min(s.rateLimit.maxKeys, possibleKeys + SPARE_LIMITER_KEYS);
}

/**
 * Every millisecond field of the scenario, wherever it is (its name ends in `Ms` by the project's
 * naming rule; rates such as `bandwidthBytesPerMs` are not times), and every fault's `at`, checked
 * against {@link MAX_TIME_MS}. One walk covers the fields added later too.
 */
function timeProblems(value: unknown, path: string, out: string[]): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    const isTime = (key.endsWith('Ms') && !key.endsWith('PerMs')) || (key === 'at' && path.startsWith('scenario.faults['));
    if (isTime && typeof v === 'number' && v > MAX_TIME_MS) {
      out.push(`${at}: ${v} is too big (allowed: a number ≤ ${MAX_TIME_MS} ms, about 34.8 years)`);
    } else {
      timeProblems(v, at, out);
    }
  }
}

/** Sentences naming each cross-field bound the scenario breaks (empty when none). */
export function boundProblems(s: Scenario): string[] {
  const errors: string[] = [];
  timeProblems(s, 'scenario', errors);
  const spec = s.rateLimit.limiter;
  if (s.rateLimit.enabled && spec.algorithm === 'sliding-log') {
    const keys = limiterKeysOf(s);
    if (keys * spec.limit > MAX_LOG_SLOTS) {
      errors.push(
        `scenario.rateLimit.limiter.limit: a sliding log keeps limit timestamps for each of its ${keys} keys, ` +
          `${keys} × ${spec.limit} is more than ${MAX_LOG_SLOTS} (1 GiB) (allowed: limit ≤ ${Math.floor(MAX_LOG_SLOTS / keys)}, or fewer keys)`,
      );
    }
  }
  const w = s.wsServer.workers;
  if (w.queues > w.workers) {
    errors.push(`scenario.wsServer.workers.queues: ${w.queues} is more than workers (${w.workers}); each queue needs a worker (allowed: 1 ≤ queues ≤ workers)`);
  } else if (w.model !== 'queue-per-group' && w.queues !== 1) {
    errors.push(`scenario.wsServer.workers.queues: ${w.queues} queues need model "queue-per-group", the model is "${w.model}" (allowed: 1, or model "queue-per-group")`);
  }
  return errors;
}
