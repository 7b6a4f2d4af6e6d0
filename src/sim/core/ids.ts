/**
 * Branded scalar types. They cost nothing at run time and keep units and ids apart at compile
 * time: a `SimTimeMs` cannot be passed where a `NodeId` or a plain count is expected.
 */

declare const brand: unique symbol;
/** A nominal type: `T` tagged with `B` so that structurally equal types do not mix. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Virtual time in integer milliseconds since the start of a run. */
export type SimTimeMs = Brand<number, 'SimTimeMs'>;
/** A node's id as written in a scenario (`ws-1`, `broker`). */
export type NodeId = Brand<string, 'NodeId'>;

/** Casts a number of milliseconds to virtual time, rejecting anything but a non-negative integer. */
export function simTimeMs(ms: number): SimTimeMs {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`virtual time must be a non-negative integer number of ms, got ${ms}`);
  }
  return ms as SimTimeMs;
}

/** Casts a string to a node id. */
export function nodeId(id: string): NodeId {
  return id as NodeId;
}
