/**
 * Lab goals as data, evaluated next to the trace: "the ordering checker fires", "p99 < 200 ms",
 * "a `broker/subscriberCutOff` happened". A goal is plain data a lab's manifest can hold; its
 * result carries the measured number and the event that shows it, so a lab's explanation quotes
 * the run and can jump to the moment.
 */
import type { RunReport, TraceEventType } from '../sim/index.ts';
import type { TypeCounts } from './views/table.ts';

/** How to read each figure a goal can compare from a report (null: the report has none yet). */
const METRICS = {
  'counts.sent': (r) => r.counts.sent,
  'counts.persisted': (r) => r.counts.persisted,
  'counts.delivered': (r) => r.counts.delivered,
  'counts.duplicatesShown': (r) => r.counts.duplicatesShown,
  'counts.outOfOrderShown': (r) => r.counts.outOfOrderShown,
  'counts.senderOrderBroken': (r) => r.counts.senderOrderBroken,
  'counts.causalBroken': (r) => r.counts.causalBroken,
  'counts.lost': (r) => r.counts.lost,
  'counts.acked': (r) => r.counts.acked,
  'counts.failedShown': (r) => r.counts.failedShown,
  'counts.pending': (r) => r.counts.pending,
  'counts.lostSends': (r) => r.counts.lostSends,
  'counts.rateLimited': (r) => r.counts.rateLimited,
  'counts.forbidden': (r) => r.counts.forbidden,
  'latencyMs.p50': (r) => r.latencyMs?.p50 ?? null,
  'latencyMs.p90': (r) => r.latencyMs?.p90 ?? null,
  'latencyMs.p99': (r) => r.latencyMs?.p99 ?? null,
  'latencyMs.max': (r) => r.latencyMs?.max ?? null,
  messagesPerPersisted: (r) => r.messagesPerPersisted,
  'brokerLag.max': (r) => r.brokerLag.max,
} as const satisfies Record<string, (report: RunReport) => number | null>;

/** A figure of the report a goal can compare. */
export type GoalMetric = keyof typeof METRICS;

/** Figures of the report a goal can compare. */
export const GOAL_METRICS: readonly GoalMetric[] = Object.keys(METRICS) as GoalMetric[];

/** A comparison of a figure with a value. */
export type GoalComparison = '<' | '<=' | '>' | '>=' | '==';

/** A lab goal. */
export type Goal =
  /** A checker found something (`fires: true`) or nothing (`fires: false`), judged as if the run ended now. */
  | { readonly kind: 'checker'; readonly checker: string; readonly fires: boolean }
  /** A figure of the report compares with a value. */
  | { readonly kind: 'metric'; readonly metric: GoalMetric; readonly op: GoalComparison; readonly value: number }
  /** An event of a type happened at least `atLeast` times (default 1). */
  | { readonly kind: 'event'; readonly type: TraceEventType; readonly atLeast?: number };

/** What a goal found. */
export interface GoalResult {
  readonly met: boolean;
  /** The number the goal judged (findings, the figure, the events), or null when the run has none (no latency yet). */
  readonly measured: number | null;
  /** The event that shows it (the first finding, the first event), when there is one. */
  readonly evidence: { readonly seq: number; readonly at: number } | null;
  /** One sentence with the measured figure, for the lab's explanation. */
  readonly explanation: string;
}

/** A figure of a report, or null when the report has none (latency before anything was shown). */
export function metricOf(report: RunReport, metric: GoalMetric): number | null {
  return METRICS[metric](report);
}

function compare(x: number, op: GoalComparison, y: number): boolean {
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '==':
      return x === y;
  }
}

/**
 * Evaluates a goal on the run's report (as if it ended now) and its counts of events.
 *
 * @example
 * evaluateGoal({ kind: 'metric', metric: 'latencyMs.p99', op: '<', value: 200 }, report, counts);
 * // { met: true, measured: 143, evidence: null, explanation: 'latencyMs.p99 is 143, which is < 200.' }
 */
export function evaluateGoal(goal: Goal, report: RunReport | null, counts: TypeCounts): GoalResult {
  switch (goal.kind) {
    case 'checker': {
      if (report === null) return { met: false, measured: null, evidence: null, explanation: `This run has no checkers (it is not a chat cluster).` };
      const found = report.violations.filter((v) => v.checker === goal.checker);
      const first = found[0];
      const met = goal.fires ? found.length > 0 : found.length === 0;
      const said = found.length === 0 ? `the ${goal.checker} checker found nothing` : `the ${goal.checker} checker found ${found.length} problem(s), the first at t=${first?.at} ms`;
      return { met, measured: found.length, evidence: first === undefined ? null : { seq: first.seq, at: first.at }, explanation: `So far ${said}.` };
    }
    case 'metric': {
      if (report === null) return { met: false, measured: null, evidence: null, explanation: `This run has no report (it is not a chat cluster).` };
      const value = metricOf(report, goal.metric);
      if (value === null) return { met: false, measured: null, evidence: null, explanation: `${goal.metric} has no value yet: nothing was measured.` };
      const met = compare(value, goal.op, goal.value);
      return { met, measured: value, evidence: null, explanation: `${goal.metric} is ${value}, which is ${met ? '' : 'not '}${goal.op} ${goal.value}.` };
    }
    case 'event': {
      const { count, first } = counts.ofType(goal.type);
      const atLeast = goal.atLeast ?? 1;
      return {
        met: count >= atLeast,
        measured: count,
        evidence: first === null ? null : { seq: first.seq, at: first.at },
        explanation: count === 0 ? `No ${goal.type} event so far.` : `${count} ${goal.type} event(s) so far, the first at t=${first?.at} ms.`,
      };
    }
  }
}
