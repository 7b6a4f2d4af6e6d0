/**
 * A lab run to its end, headless: the preset with its patch and seed, watched by the same checkers
 * and metrics as the CLI and the workbench, its events kept (bounded) for the figures. Same
 * scenario, seed and patch give the same trace as the run the page opens, so a figure's moment
 * here is the moment there.
 */
import { buildRun, createWatchers, runFacts, Simulation, type TraceEvent } from '../../sim/index.ts';
import type { EventCounts, RunEvidence } from './figures.ts';
import type { RunRef } from './types.ts';

/** Events a lab run keeps at most for its figures (the lab presets make well under this). */
export const EVIDENCE_EVENTS_MAX = 400_000;

class Counts implements EventCounts {
  private readonly byType = new Map<string, { count: number; first: TraceEvent }>();
  observe(e: TraceEvent): void {
    const t = this.byType.get(e.type);
    if (t === undefined) this.byType.set(e.type, { count: 1, first: e });
    else t.count++;
  }
  ofType(type: string): { readonly count: number; readonly first: TraceEvent | null } {
    return this.byType.get(type) ?? { count: 0, first: null };
  }
}

/** A run's evidence. */
export type LabRunResult = RunEvidence;

/**
 * Runs a lab run to the scenario's end and gathers its evidence.
 *
 * @example
 * const ev = runToEnd({ scenario: 'reordering-without-sequence', seed: 42, patch: null });
 * ev.report?.counts.outOfOrderShown; // 181
 */
export function runToEnd(ref: RunRef, maxEvents = EVIDENCE_EVENTS_MAX): LabRunResult {
  const built = buildRun(ref.scenario, ref.seed, ref.patch ?? undefined);
  if (built.cluster === null || built.entry.endMs === null) throw new Error(`a lab run must be a chat cluster with an end; "${ref.scenario}" is not`);
  const sim = new Simulation(built.config);
  const watchers = createWatchers(built.cluster.info, built.cluster.scenario);
  const counts = new Counts();
  const events: TraceEvent[] = [];
  let truncated = false;
  sim.trace.subscribe((e) => {
    watchers.observe(e);
    counts.observe(e);
    if (events.length < maxEvents) events.push(e);
    else truncated = true;
  });
  sim.runUntil(built.entry.endMs);
  const report = watchers.report({ ...runFacts(sim, built.entry.id, 0), truncated: sim.trace.truncated || truncated });
  return { ref, report, events, counts, truncated, endMs: built.entry.endMs };
}
