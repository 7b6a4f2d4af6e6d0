/**
 * The page's one reading of untrusted JSON-shaped values (links, lessons, saved data, patches):
 * a record is a plain object, not null and not an array. (The simulator's `isPlainObject` is the
 * same test; the page keeps its own so that App does not import a value from the simulator's entry
 * into the first bundle.)
 */

/** Whether `v` is a plain JSON object. */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `v` when it is a plain JSON object, else null. */
export const recordOrNull = (v: unknown): Record<string, unknown> | null => (isRecord(v) ? v : null);
