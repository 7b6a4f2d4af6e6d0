/**
 * The coarse, batched API the app talks to (through a Web Worker and Comlink, or directly on the
 * main thread as a fallback). It is plain TypeScript with no comlink import: the worker file in
 * `src/ui/runtime/` only exposes it.
 *
 * Every call returns a {@link RunSlice}: the new trace events since the previous call (capped) and
 * a small summary, so the UI never computes simulation truth and never receives one message per
 * simulated event.
 */
import type { TraceEvent } from './core/trace.ts';

/** What a call into the simulation returns: a slice of new trace events and a summary. */
export interface RunSlice {
  /** The seed of the loaded run; always shown by the UI. */
  seed: number;
  /** Scenario id of the loaded run. */
  scenario: string;
  /** Virtual time reached, in integer milliseconds. */
  nowMs: number;
  /** Trace events emitted since the run started (including any not stored). */
  eventCount: number;
  /** Stable hash of the whole trace so far (hex). */
  traceHash: string;
  /** True when the bounded trace store dropped events. */
  truncated: boolean;
  /** Events still pending in the simulator's queue. */
  pending: number;
  /** New trace events since the previous call, at most `maxEvents` of them (the newest). */
  events: TraceEvent[];
  /** True when more new events were produced than `events` carries. */
  eventsCapped: boolean;
}

/** Options for {@link SimApi.load}. */
export interface LoadOptions {
  /** Scenario id; `kernel-demo` is the kernel's own demo. */
  scenario: string;
  /** Required seed (an unsigned 32-bit integer). */
  seed: number;
  /** Cap on events returned per slice. Default 500. */
  maxEventsPerSlice?: number;
}

/** The app-facing simulation API. */
export interface SimApi {
  /** Lists the scenario ids this build can load. */
  scenarios(): string[];
  /** Builds a fresh run from a scenario id and seed. */
  load(options: LoadOptions): RunSlice;
  /** Advances virtual time by `ms` and returns what happened. */
  runFor(ms: number): RunSlice;
  /** Processes exactly one event (if any) and returns what happened. */
  step(): RunSlice;
  /** Restores the nearest snapshot at or before `timeMs` and replays up to it. */
  seek(timeMs: number): RunSlice;
}

import { Simulation, type SimulationConfig } from './core/simulation.ts';
import { SeekableRun } from './core/timeline.ts';
import { kernelDemo } from './demo/kernelDemo.ts';
import { buildCluster } from './scenario/build.ts';
import { PRESETS } from './scenario/presets.ts';
import { parseScenario } from './scenario/schema.ts';

/** Scenario builders this build knows, by id: the kernel's demo and every cluster preset. */
const SCENARIOS: Readonly<Record<string, (seed: number) => SimulationConfig>> = {
  'kernel-demo': (seed) => kernelDemo({ seed }),
  ...Object.fromEntries(
    // Heavy presets (a million users) would not fit in a browser tab; they run from the CLI.
    PRESETS.filter((p) => p.heavy !== true).map((p) => [
      p.id,
      (seed: number) => {
        const parsed = parseScenario(p.scenario);
        if (!parsed.ok) throw new Error(`preset ${p.id} is invalid: ${parsed.errors.join('; ')}`);
        return buildCluster(parsed.scenario, seed).config;
      },
    ]),
  ),
};

/** Events processed per call at most, so one call can never freeze the worker. */
const STEP_BUDGET_PER_CALL = 2_000_000;

/**
 * Creates the app-facing API over one run at a time.
 *
 * @example
 * const api = createSimApi();
 * api.load({ scenario: 'kernel-demo', seed: 42 });
 * const slice = api.runFor(100);   // slice.events: what happened in those 100 virtual ms
 */
export function createSimApi(): SimApi {
  let run: SeekableRun | null = null;
  let scenarioId = '';
  let maxEvents = 500;
  let returnedUpTo = 0;

  const current = (): SeekableRun => {
    if (run === null) throw new Error('no run loaded: call load({ scenario, seed }) first');
    return run;
  };

  const slice = (fresh: boolean): RunSlice => {
    const r = current();
    const trace = r.sim.trace;
    const from = fresh ? Math.max(trace.firstSeq, trace.count - maxEvents) : Math.max(returnedUpTo, trace.count - maxEvents);
    const newEvents = trace.since(from);
    const produced = trace.count - (fresh ? trace.firstSeq : returnedUpTo);
    returnedUpTo = trace.count;
    return {
      seed: r.sim.seed,
      scenario: scenarioId,
      nowMs: r.sim.nowMs,
      eventCount: trace.count,
      traceHash: trace.hash(),
      truncated: trace.truncated,
      pending: r.sim.pending,
      events: newEvents.slice(),
      eventsCapped: produced > newEvents.length,
    };
  };

  return {
    scenarios: () => Object.keys(SCENARIOS),
    load(options) {
      const build = SCENARIOS[options.scenario];
      if (build === undefined) throw new Error(`unknown scenario "${options.scenario}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
      if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
        throw new Error(`seed must be an integer from 0 to 4294967295, got ${options.seed}`);
      }
      maxEvents = options.maxEventsPerSlice ?? 500;
      scenarioId = options.scenario;
      run = new SeekableRun(new Simulation(build(options.seed)));
      returnedUpTo = 0;
      return slice(true);
    },
    runFor(ms) {
      const r = current();
      r.runUntil(r.sim.nowMs + ms, STEP_BUDGET_PER_CALL);
      return slice(false);
    },
    step() {
      current().sim.step();
      return slice(false);
    },
    seek(timeMs) {
      current().seek(timeMs);
      return slice(true);
    },
  };
}
