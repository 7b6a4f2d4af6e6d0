/**
 * What the sliding-window lab asks of a run, as data.
 */
import type { Goal } from '../framework/index.ts';

/** The worked example: exactly one request refused (the one at 60 s). */
export const ONE_REFUSED: Goal = { kind: 'figure', figure: { kind: 'eventCount', type: 'limiter/rejected', match: { key: 'user:u1' }, label: 'requests refused' }, op: '==', value: 1 };

/** The limiter judged the student's requests. */
export const JUDGED: Goal = { kind: 'event', type: 'limiter/allowed', atLeast: 1 };

/** The run's own algorithm let more than the limit through in some 60 s window (found by the student). */
export const OVER_THE_LIMIT: Goal = { kind: 'figure', figure: { kind: 'limiterReplay', algorithm: 'run', measure: 'worstWindow', label: 'most admitted in one window' }, op: '>', value: 5 };

/** The sliding log keeps its promise: the bound checker finds nothing. */
export const BOUND_HOLDS: Goal = { kind: 'checker', checker: 'rate-limit', fires: false };

/** And the traffic did push against it. */
export const SOME_REFUSED: Goal = { kind: 'metric', metric: 'counts.rateLimited', op: '>', value: 0 };
