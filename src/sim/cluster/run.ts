/**
 * Runs a scenario: builds the cluster, runs it to the end of the settle period with the chat
 * checkers and the metrics collector watching every event as it happens (so they see all of it
 * even when the stored trace is truncated), and returns the report and the trace.
 */
import { NetCausalityChecker, type Checker } from '../checkers/checker.ts';
import { chatCheckers } from '../checkers/chat.ts';
import { Simulation } from '../core/simulation.ts';
import type { TraceLog } from '../core/trace.ts';
import { MetricsCollector } from '../metrics/collector.ts';
import { LimiterBoundChecker } from '../limiter/checker.ts';
import { buildCluster } from '../scenario/build.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { ClusterInfo } from './events.ts';
import type { RunReport } from './report.ts';

/** Options for {@link runScenario}. */
export interface RunOptions {
  /** The run's seed (required: no random default). */
  readonly seed: number;
  /** Stop here instead of at durationMs + settleMs. */
  readonly untilMs?: number;
  /**
   * A wall clock in ms, for the report's `wallMs` only. The simulation never reads a clock; the
   * CLI passes `performance.now`.
   */
  readonly wallClock?: () => number;
}

/** A live, watched run, for callers that step it themselves (the app, the labs). */
export interface WatchedRun {
  readonly sim: Simulation;
  readonly info: ClusterInfo;
  readonly checkers: readonly Checker[];
  readonly metrics: MetricsCollector;
}

/** Builds a scenario into a simulation with checkers and metrics subscribed to its trace. */
export function startScenario(scenario: Scenario, seed: number): WatchedRun {
  const { config, info } = buildCluster(scenario, seed);
  const sim = new Simulation(config);
  const checkers: Checker[] = [...chatCheckers(info), new NetCausalityChecker()];
  // With an exact sliding log, no key may ever pass more than the limit in any window.
  const lim = scenario.rateLimit.limiter;
  if (scenario.rateLimit.enabled && lim.algorithm === 'sliding-log') checkers.push(new LimiterBoundChecker({ boundary: lim.boundary }));
  const metrics = new MetricsCollector(info);
  sim.trace.subscribe((e) => {
    for (const c of checkers) c.observe(e);
    metrics.observe(e);
  });
  return { sim, info, checkers, metrics };
}

/** Finishes the checkers and computes the report of a watched run at its current time. */
export function reportOf(run: WatchedRun, scenarioId: string, wallMs: number): RunReport {
  for (const c of run.checkers) c.finish?.();
  const { sim } = run;
  return run.metrics.finish({
    seed: sim.seed,
    scenario: scenarioId,
    simTimeMs: sim.nowMs,
    events: sim.trace.count,
    traceHash: sim.trace.hash(),
    truncated: sim.trace.truncated,
    nodeReports: sim.report(),
    checkers: run.checkers,
    wallMs,
  });
}

/**
 * Runs a validated scenario to the end and reports.
 *
 * @example
 * const parsed = parseScenario(presetById('group-chat')!.scenario);
 * if (parsed.ok) runScenario(parsed.scenario, { seed: 42 }).report.counts.lost; // 0
 */
export function runScenario(scenario: Scenario, options: RunOptions): { report: RunReport; trace: TraceLog } {
  const t0 = options.wallClock?.() ?? 0;
  const run = startScenario(scenario, options.seed);
  run.sim.runUntil(options.untilMs ?? scenario.durationMs + scenario.settleMs);
  const wallMs = Math.round((options.wallClock?.() ?? 0) - t0);
  return { report: reportOf(run, scenario.id, wallMs), trace: run.sim.trace };
}
