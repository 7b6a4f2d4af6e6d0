/**
 * Lab goals as data, evaluated next to the trace: "the ordering checker fires", "p99 < 200 ms",
 * "a `broker/subscriberCutOff` happened". A goal is plain data a lab's manifest can hold; its
 * result carries the measured number and the event that shows it, so a lab's explanation quotes
 * the run and can jump to the moment.
 */
import type { RunReport, TraceEventType } from '../../sim/index.ts';
import { resolveFigure, type EventCounts, type FigureSpec, type RunEvidence } from './figures.ts';
import { METRIC_LABELS, metricOf, type GoalMetric } from './metrics.ts';

export { GOAL_METRICS, metricOf, type GoalMetric } from './metrics.ts';

/** A comparison of a figure with a value. */
export type GoalComparison = '<' | '<=' | '>' | '>=' | '==';

/** A lab goal. */
export type Goal =
  /** A checker found something (`fires: true`) or nothing (`fires: false`), judged as if the run ended now. */
  | { readonly kind: 'checker'; readonly checker: string; readonly fires: boolean }
  /** A figure of the report compares with a value. */
  | { readonly kind: 'metric'; readonly metric: GoalMetric; readonly op: GoalComparison; readonly value: number }
  /** An event of a type happened at least `atLeast` times (default 1). */
  | { readonly kind: 'event'; readonly type: TraceEventType; readonly atLeast?: number }
  /** A lab figure (read from the run's events: a replay, a moment, a sum) compares with a value; needs the run's evidence. */
  | { readonly kind: 'figure'; readonly figure: FigureSpec; readonly op: GoalComparison; readonly value: number };

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

/** A comparison in words. */
const OP_WORDS: Readonly<Record<GoalComparison, string>> = { '<': 'below', '<=': 'at most', '>': 'above', '>=': 'at least', '==': 'exactly' };

/** Compares two numbers with a goal's or a condition's operator. */
export function compare(x: number, op: GoalComparison | '!=', y: number): boolean {
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
    case '!=':
      return x !== y;
  }
}

/**
 * Evaluates a goal on the run's report (as if it ended now) and its counts of events.
 *
 * @example
 * evaluateGoal({ kind: 'metric', metric: 'latencyMs.p99', op: '<', value: 200 }, report, counts);
 * // { met: true, measured: 143, evidence: null, explanation: '99th percentile delivery time (ms): 143 (the goal: below 200).' }
 */
export function evaluateGoal(goal: Goal, report: RunReport | null, counts: EventCounts, evidence?: RunEvidence): GoalResult {
  switch (goal.kind) {
    case 'figure': {
      if (evidence === undefined) return { met: false, measured: null, evidence: null, explanation: `"${goal.figure.label}" is read from the whole run; evaluate it on the run's evidence.` };
      const f = resolveFigure('goal', goal.figure, evidence);
      if (f.value === null) return { met: false, measured: null, evidence: null, explanation: `${goal.figure.label}: this run has no such figure.` };
      const met = compare(f.value, goal.op, goal.value);
      return { met, measured: f.value, evidence: f.seq === null || f.at === null ? null : { seq: f.seq, at: f.at }, explanation: `${goal.figure.label}: ${f.text} (the goal: ${OP_WORDS[goal.op]} ${goal.value}).` };
    }
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
      return { met, measured: value, evidence: null, explanation: `${METRIC_LABELS[goal.metric]}: ${value} (the goal: ${OP_WORDS[goal.op]} ${goal.value}).` };
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
