/**
 * Runs a scenario: builds the cluster, runs it to the end of the settle period with the chat
 * checkers and the metrics collector watching every event as it happens (so they see all of it
 * even when the stored trace is truncated), and returns the report and the trace.
 */
import { NetCausalityChecker, type Checker } from '../checkers/checker.ts';
import { chatCheckers } from '../checkers/chat.ts';
import { Simulation } from '../engine/simulation.ts';
import type { TraceLog } from '../core/trace.ts';
import { MetricsCollector, type ReportArgs } from '../metrics/collector.ts';
import { LimiterBoundChecker } from '../limiter/checker.ts';
import { buildCluster } from '../scenario/build.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { ClusterInfo, TraceEvent } from '../contract/index.ts';
import type { RunReport } from '../contract/index.ts';

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

/**
 * Everything that judges and measures a run from its trace: the chat checkers, the kernel's
 * network checker, the rate-limit bound when the limiter promises one, and the metrics. Feed it
 * every event once, in order; ask for the report at any moment (it judges liveness as if the run
 * ended then, without changing anything, so the run may go on).
 */
export interface Watchers {
  readonly checkers: readonly Checker[];
  readonly metrics: MetricsCollector;
  /** Takes the next event. */
  observe(e: TraceEvent): void;
  /** The report as if the run ended after the last event observed. */
  report(args: Omit<ReportArgs, 'checkers'>): RunReport;
}

/**
 * The watchers of a cluster scenario: the same set the CLI's `run` and the workbench use, so
 * both judge a trace the same way.
 *
 * @example
 * const w = createWatchers(info, scenario);
 * sim.trace.subscribe((e) => w.observe(e));
 */
export function createWatchers(info: ClusterInfo, scenario: Scenario): Watchers {
  const checkers: Checker[] = [...chatCheckers(info), new NetCausalityChecker()];
  // With an exact sliding log, no key may ever pass more than the limit in any window.
  const lim = scenario.rateLimit.limiter;
  if (scenario.rateLimit.enabled && lim.algorithm === 'sliding-log') checkers.push(new LimiterBoundChecker({ boundary: lim.boundary }));
  const metrics = new MetricsCollector(info, scenario.transport, scenario.dataCalls);
  return {
    checkers,
    metrics,
    observe(e) {
      for (const c of checkers) c.observe(e);
      metrics.observe(e);
    },
    report: (args) => metrics.report({ ...args, checkers }),
  };
}

/** A live, watched run, for callers that step it themselves (tests, benchmarks). */
export interface WatchedRun {
  readonly sim: Simulation;
  readonly info: ClusterInfo;
  readonly watchers: Watchers;
}

/** Builds a scenario into a simulation with its watchers subscribed to its trace. */
export function startScenario(scenario: Scenario, seed: number): WatchedRun {
  const { config, info } = buildCluster(scenario, seed);
  const sim = new Simulation(config);
  const watchers = createWatchers(info, scenario);
  sim.trace.subscribe((e) => watchers.observe(e));
  return { sim, info, watchers };
}

/** The identity and the simulator's figures of a run at its current time, for a report. */
export function runFacts(sim: Simulation, scenarioId: string, wallMs: number): Omit<ReportArgs, 'checkers'> {
  return {
    seed: sim.seed,
    scenario: scenarioId,
    simTimeMs: sim.nowMs,
    events: sim.trace.count,
    traceHash: sim.trace.hash(),
    truncated: sim.trace.truncated,
    nodeReports: sim.report(),
    countedControl: sim.controlTrafficByLink(),
    wallMs,
  };
}

/** The report of a watched run as if it ended at its current time (it may go on afterwards). */
export function reportOf(run: WatchedRun, scenarioId: string, wallMs: number): RunReport {
  return run.watchers.report(runFacts(run.sim, scenarioId, wallMs));
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
