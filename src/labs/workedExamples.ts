/**
 * The lab's worked example of a sliding-window rate limiter: a limit of 5 requests per 60 s, and
 * requests at 0, 15, 20, 35, 55, 60 and 65 s (the one at 60 s is denied, the one at 65 s allowed
 * once the request at 0 s has left the window). Decided by the simulator's own limiter, drawn by
 * the same timeline builder as a run's decisions, so the picture the student compares with the
 * lab is the code's, not a drawing.
 */
import { rateLimitTimelineFromDecisions, type ExampleTimeline } from '../diagrams/index.ts';
import { decideAll } from '../sim/index.ts';

/** The request times of the worked example. */
export const LAB_EXAMPLE_TIMES_MS: readonly number[] = [0, 15, 20, 35, 55, 60, 65].map((s) => s * 1000);
/** The limiter of the worked example. */
export const LAB_EXAMPLE_SPEC = { algorithm: 'sliding-log', limit: 5, windowMs: 60_000 } as const;

/**
 * The worked example's timeline with its window ending at `atMs`.
 *
 * @example
 * slidingWindowExample(60_000).marks.map((m) => m.allowed); // [true, true, true, true, true, false]
 */
export function slidingWindowExample(atMs: number): ExampleTimeline {
  const decisions = decideAll(LAB_EXAMPLE_SPEC, LAB_EXAMPLE_TIMES_MS).map((d) => d.allowed);
  return rateLimitTimelineFromDecisions(LAB_EXAMPLE_TIMES_MS, decisions, {
    limit: LAB_EXAMPLE_SPEC.limit,
    windowMs: LAB_EXAMPLE_SPEC.windowMs,
    key: 'lab example',
    algorithm: LAB_EXAMPLE_SPEC.algorithm,
    atMs: Math.max(0, Math.floor(atMs)),
  });
}
