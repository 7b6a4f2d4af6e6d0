/**
 * Patching a scenario: a lab's variant, a test's tweak, a long run for a benchmark, all written as
 * a JSON merge patch over a preset and validated again afterwards.
 */

/** Whether `v` is a plain JSON object (not null, not a list). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * JSON merge patch (RFC 7386): objects merge, arrays and scalars replace, null deletes a key.
 *
 * @example
 * deepMerge({ workload: { users: 8, sendRatePerUserPerSec: 0.3 } }, { workload: { users: 20 } });
 * // { workload: { users: 20, sendRatePerUserPerSec: 0.3 } }
 */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (patch === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(out[k], v);
  }
  return out as T;
}

/** Deep equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
}

/**
 * The JSON merge patch (RFC 7386) that turns `from` into `to`: changed values, `null` for removed
 * keys, objects recursed into, lists and scalars replaced whole. `to` must hold no `null` inside an
 * object (a merge patch cannot say "set to null"); scenarios have none outside lists.
 *
 * @example
 * mergePatchBetween({ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 5 } }); // { b: { c: 5, d: null } }
 */
export function mergePatchBetween(from: unknown, to: unknown): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(from)) if (v !== undefined && to[k] === undefined) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (v === undefined || jsonEqual(from[k], v)) continue;
    patch[k] = isPlainObject(from[k]) && isPlainObject(v) ? mergePatchBetween(from[k], v) : v;
  }
  return patch;
}
