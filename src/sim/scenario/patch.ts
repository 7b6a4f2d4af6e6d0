/**
 * Patching a scenario: a lab's variant, a test's tweak, a long run for a benchmark, all written as
 * a JSON merge patch over a preset and validated again afterwards.
 */

/**
 * JSON merge patch (RFC 7386): objects merge, arrays and scalars replace, null deletes a key.
 *
 * @example
 * deepMerge({ workload: { users: 8, sendRatePerUserPerSec: 0.3 } }, { workload: { users: 20 } });
 * // { workload: { users: 20, sendRatePerUserPerSec: 0.3 } }
 */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (patch === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return patch as T;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(out[k], v);
  }
  return out as T;
}

