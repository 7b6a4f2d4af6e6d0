/**
 * Two runs side by side, worker-side: both run to their end as the page's own sessions would run
 * them (a {@link RunSession} each, the same interventions applied at the same times), so each
 * side's trace hash is the hash the pane shows at the end and the CLI prints for that run. The
 * answer is small: both reports, the report diff, the first raw divergence and the first moment a
 * user saw a difference, with times for the page to jump to.
 */
import { diffReports, firstRawDivergence, firstShownDivergence, type FigureDiff, type RawDivergence, type ShownDivergence } from '../diagrams/index.ts';
import type { RunRef } from '../labs/index.ts';
import { presetById, runFacts, type Op, type RunReport } from '../sim/index.ts';
import { RunSession, STEP_BUDGET_PER_CALL } from './session.ts';

/** An intervention applied to both runs at its time. */
export interface CompareIntervention {
  readonly at: number;
  readonly op: Op;
}

/** One side of a comparison, run to its end. */
export interface ComparedSide {
  readonly ref: RunRef;
  readonly report: RunReport;
  /** The whole trace's hash at the end (the pane's, and the CLI's `run` for the same run). */
  readonly traceHash: string;
  readonly events: number;
  readonly endMs: number;
  /** True when the kept log was full: the divergences only cover the events kept. */
  readonly truncated: boolean;
}

/** What {@link compareRuns} returns. */
export interface Comparison {
  readonly a: ComparedSide;
  readonly b: ComparedSide;
  /** Every report figure that differs (A vs B, which is better). */
  readonly reportDiff: readonly FigureDiff[];
  /** The first event where the traces differ, or null when they are identical. */
  readonly raw: RawDivergence | null;
  /** The first moment a user saw a difference, or null when every screen agrees. */
  readonly shown: ShownDivergence | null;
}

/** One side run to its end, or an error naming the side and why it cannot run. */
function runSide(name: 'A' | 'B', ref: RunRef, interventions: readonly CompareIntervention[]): { session: RunSession; side: ComparedSide } {
  const preset = presetById(ref.scenario);
  if (preset?.heavy === true) throw new Error(`${name}: "${ref.scenario}" is too heavy for a browser tab; run it from the command line (npm run sim -- run --scenario ${ref.scenario} --allow-long)`);
  let s: RunSession;
  try {
    s = new RunSession(ref.scenario, ref.seed, ref.patch ?? undefined);
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const endMs = s.entry.endMs;
  if (endMs === null || s.built.cluster === null) throw new Error(`${name}: "${ref.scenario}" is not a chat cluster with an end, so it has no report to compare`);
  const refuse = (): never => {
    throw new Error(`${name}: "${ref.scenario}" needs more than ${STEP_BUDGET_PER_CALL.toLocaleString('en-US')} events to reach its end (the work budget of one call, ADR 0012); shorten it or compare it from the command line`);
  };
  // The page opens a run at 1 ms and applies each intervention at its time: do the same, so the
  // trace is byte for byte the pane's.
  if (!s.runTo(1)) refuse();
  for (const iv of [...interventions].sort((x, y) => x.at - y.at)) {
    if (!Number.isFinite(iv.at) || iv.at < 0 || iv.at > endMs) throw new Error(`an intervention at ${iv.at} ms is outside the run (0 to ${endMs} ms)`);
    if (!s.runTo(iv.at)) refuse();
    s.operate(iv.op);
  }
  if (!s.runTo(endMs)) refuse();
  const watchers = s.observers.watchers();
  if (watchers === null) throw new Error(`${name}: "${ref.scenario}" has no checkers to report with`);
  const truncated = s.sim.trace.truncated || s.observers.log.full;
  const report = watchers.report({ ...runFacts(s.sim, s.entry.id, 0), truncated });
  return { session: s, side: { ref, report, traceHash: s.sim.trace.hash(), events: s.sim.trace.count, endMs, truncated } };
}

/**
 * Runs A and B to their end with the same interventions and compares them.
 *
 * @example
 * const c = compareRuns({ scenario: 'reordering-without-sequence', seed: 42, patch: null }, { scenario: 'reordering-with-sequence', seed: 42, patch: null });
 * c.shown?.summary; // "u1 in g1, message 1: A showed u3's u3-2 …; B showed u3's u3-1 …"
 */
export function compareRuns(a: RunRef, b: RunRef, interventions: readonly CompareIntervention[] = []): Comparison {
  const ra = runSide('A', a, interventions);
  const rb = runSide('B', b, interventions);
  const ea = ra.session.observers.log.events;
  const eb = rb.session.observers.log.events;
  return { a: ra.side, b: rb.side, reportDiff: diffReports(ra.side.report, rb.side.report), raw: firstRawDivergence(ea, eb), shown: firstShownDivergence(ea, eb) };
}
