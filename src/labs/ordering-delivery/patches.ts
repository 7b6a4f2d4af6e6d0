/**
 * The ordering-and-delivery lab's runs: the presets built for this decision, unchanged, so the
 * pair of diagrams come from the same seed and network and differ only in the mechanism.
 */
import type { LabRun } from '../framework/index.ts';

/** A jittery back end, no sequence numbers, no reorder buffer. */
export const UNORDERED: LabRun = { scenario: 'reordering-without-sequence' };
/** The same seed and network with per-channel sequence numbers and a client reorder buffer. */
export const ORDERED: LabRun = { scenario: 'reordering-with-sequence' };
/** ws-2 crashes at 15 s and restarts at 25 s; fire and forget. */
export const AT_MOST_ONCE: LabRun = { scenario: 'crash-at-most-once' };
/** The same crash with acks, retries, dedup and history catch-up. */
export const AT_LEAST_ONCE: LabRun = { scenario: 'crash-at-least-once' };
