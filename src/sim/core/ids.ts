/**
 * Branded scalar types. They cost nothing at run time and keep units and ids apart at compile
 * time: a `SimTimeMs` cannot be passed where a `NodeId` or a plain count is expected.
 */

declare const brand: unique symbol;
/** A nominal type: `T` tagged with `B` so that structurally equal types do not mix. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/**
 * Virtual time in milliseconds since the start of a run: an exact multiple of 1 µs (the kernel's
 * integer microseconds divided by 1000; see core/time.ts and ADR 0010).
 */
export type SimTimeMs = Brand<number, 'SimTimeMs'>;
/** A node's id as written in a scenario (`ws-1`, `broker`). */
export type NodeId = Brand<string, 'NodeId'>;

/**
 * Casts a number of milliseconds to virtual time, rejecting anything but a non-negative number
 * that is a whole number of microseconds.
 */
export function simTimeMs(ms: number): SimTimeMs {
  const us = Math.round(ms * 1000);
  if (!Number.isSafeInteger(us) || us < 0 || us / 1000 !== ms) {
    throw new RangeError(`virtual time must be a non-negative whole number of µs in ms, got ${ms}`);
  }
  return ms as SimTimeMs;
}

/** Casts a string to a node id. */
export function nodeId(id: string): NodeId {
  return id as NodeId;
}
