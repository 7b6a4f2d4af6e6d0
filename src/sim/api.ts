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
  /** Scenario id (`kernel-demo`, or a cluster preset such as `group-chat`). */
  scenario: string;
  /** Required seed (an unsigned 32-bit integer). */
  seed: number;
  /** Cap on events returned per slice. Default 500. */
  maxEventsPerSlice?: number;
}

/** A scenario the app can load. */
export interface ScenarioInfo {
  readonly id: string;
  readonly summary: string;
  /** A longer description, when the scenario has one. */
  readonly description: string;
  /** When its workload and settle period are over (null: it runs on, like the kernel demo). */
  readonly endMs: number | null;
  /** Whether it rate-limits sends (so the rate-limit timeline has decisions to draw). */
  readonly rateLimited: boolean;
}

/** What the app needs to know about a loaded topology to draw it and offer controls. */
export interface TopologyInfo {
  /** Every node with its kind (`client`, `gateway`, `ws-server`, `broker`, `chat`, `db`, …). */
  readonly nodes: readonly { readonly id: string; readonly kind: string }[];
  /** Channels and their members (empty for the kernel demo). */
  readonly channels: readonly { readonly id: string; readonly members: readonly string[] }[];
  /** Users and the client node that plays each. */
  readonly users: readonly { readonly user: string; readonly node: string }[];
}

/** One message as a user sees it. */
export interface ShownMessage {
  readonly id: string;
  readonly seq: number | null;
  readonly author: string;
  readonly text: string;
  readonly at: number;
}

/** A user's screen, exactly as their simulated client displays it. */
export interface UserView {
  readonly user: string;
  readonly online: boolean;
  readonly server: string | null;
  readonly channels: readonly { readonly id: string; readonly members: readonly string[]; readonly shown: readonly ShownMessage[] }[];
}

/** The app-facing simulation API. Every call is coarse: one call per frame at most. */
export interface SimApi {
  /** The scenarios this build can load (heavy ones, such as a million users, are CLI-only). */
  scenarios(): ScenarioInfo[];
  /** Builds a fresh run from a scenario id and seed. */
  load(options: LoadOptions): RunSlice;
  /** The loaded run's nodes, channels and users. */
  topology(): TopologyInfo;
  /** Advances virtual time by `ms` and returns what happened. */
  runFor(ms: number): RunSlice;
  /** Processes exactly one event (if any) and returns what happened. */
  step(): RunSlice;
  /** Restores the nearest snapshot at or before `timeMs` and replays up to it. */
  seek(timeMs: number): RunSlice;
  /** Applies an operator verb now (a fault button); it becomes a trace event. */
  operate(op: Op): RunSlice;
  /** The user types and sends a message, as if at their keyboard (recorded as an operator verb). */
  sendAs(user: string, channel: string, text: string): RunSlice;
  /** Every event recorded so far with seq in [fromSeq, toSeq), at most `limit` (the newest). */
  events(fromSeq: number, toSeq?: number, limit?: number): TraceEvent[];
  /**
   * Metrics, counts and checker findings of the run so far (cluster scenarios). Liveness (the
   * `lost` checker) is judged only with `final: true`: mid-run, a message in flight is not lost.
   */
  report(options?: { readonly final?: boolean }): RunReport | null;
  /** A user's screen. */
  userView(user: string): UserView;
}

import { Simulation, type SimulationConfig } from './core/simulation.ts';
import { SeekableRun } from './core/timeline.ts';
import { kernelDemo } from './demo/kernelDemo.ts';
import { buildCluster } from './scenario/build.ts';
import { PRESETS } from './scenario/presets.ts';
import { parseScenario, type Scenario } from './scenario/schema.ts';
import type { Op } from './core/ops.ts';
import type { RunReport } from './cluster/report.ts';
import type { ClusterInfo } from './cluster/events.ts';
import { chatCheckers } from './checkers/chat.ts';
import { NetCausalityChecker, type Checker } from './checkers/checker.ts';
import { MetricsCollector } from './metrics/collector.ts';
import { LimiterBoundChecker } from './limiter/checker.ts';
import type { ClientState } from './nodes/client.ts';

interface Built {
  readonly config: SimulationConfig;
  readonly info: ClusterInfo | null;
  readonly scenario: Scenario | null;
}

/** Scenario builders this build knows, by id: the kernel's demo and every light cluster preset. */
const SCENARIOS: readonly (ScenarioInfo & { readonly build: (seed: number) => Built })[] = [
  {
    id: 'kernel-demo',
    summary: 'The kernel alone: senders ping a busy hub over a jittery network.',
    description: '',
    endMs: null,
    rateLimited: false,
    build: (seed) => ({ config: kernelDemo({ seed }), info: null, scenario: null }),
  },
  // Heavy presets (a million users) would not fit in a browser tab; they run from the CLI.
  ...PRESETS.filter((p) => p.heavy !== true).map((p) => ({
    id: p.id,
    summary: p.summary,
    ...presetFacts(p.id, p.scenario),
    build: (seed: number): Built => {
      const parsed = parseScenario(p.scenario);
      if (!parsed.ok) throw new Error(`preset ${p.id} is invalid: ${parsed.errors.join('; ')}`);
      const { config, info } = buildCluster(parsed.scenario, seed);
      return { config, info, scenario: parsed.scenario };
    },
  })),
];

/** The facts about a preset the app shows before loading it. */
function presetFacts(id: string, input: unknown): { description: string; endMs: number | null; rateLimited: boolean } {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(`preset ${id} is invalid: ${parsed.errors.join('; ')}`);
  const s = parsed.scenario;
  return { description: s.description, endMs: s.durationMs + s.settleMs, rateLimited: s.rateLimit.enabled };
}

/** Events processed per call at most, so one call can never freeze the worker. */
const STEP_BUDGET_PER_CALL = 2_000_000;
/** Events the API keeps for `events()` and `report()`; past it the oldest stay, the rest are counted. */
const LOG_CAP = 1_000_000;

/**
 * Creates the app-facing API over one run at a time.
 *
 * @example
 * const api = createSimApi();
 * api.load({ scenario: 'group-chat', seed: 42 });
 * const slice = api.runFor(100);   // slice.events: what happened in those 100 virtual ms
 * api.sendAs('u1', 'g1', 'hello <b>world</b>');
 */
export function createSimApi(): SimApi {
  let run: SeekableRun | null = null;
  let built: Built | null = null;
  let scenarioId = '';
  let maxEvents = 500;
  let returnedUpTo = 0;
  // The whole run's events so far, kept across seeks: after a seek back the replay rewrites the
  // tail with identical events (the run is deterministic), so a seq that goes back truncates.
  let log: TraceEvent[] = [];

  const current = (): SeekableRun => {
    if (run === null) throw new Error('no run loaded: call load({ scenario, seed }) first');
    return run;
  };

  const slice = (fresh: boolean): RunSlice => {
    const r = current();
    const trace = r.sim.trace;
    const end = trace.count;
    const from = Math.max(0, fresh ? end - maxEvents : Math.max(returnedUpTo, end - maxEvents));
    const newEvents = log.slice(Math.min(from, log.length), Math.min(end, log.length));
    const produced = end - (fresh ? 0 : returnedUpTo);
    returnedUpTo = end;
    return {
      seed: r.sim.seed,
      scenario: scenarioId,
      nowMs: r.sim.nowMs,
      eventCount: end,
      traceHash: trace.hash(),
      truncated: trace.truncated || end > LOG_CAP,
      pending: r.sim.pending,
      events: newEvents,
      eventsCapped: produced > newEvents.length,
    };
  };

  const cluster = (): { info: ClusterInfo; scenario: Scenario } => {
    if (built === null || built.info === null || built.scenario === null) throw new Error(`${scenarioId} is not a chat cluster scenario`);
    return { info: built.info, scenario: built.scenario };
  };

  const clientNodeOf = (user: string): string => {
    const node = cluster().info.clientNodes.get(user);
    if (node === undefined) throw new Error(`unknown user "${user}"; users are ${[...cluster().info.clientNodes.keys()].join(', ')}`);
    return node;
  };

  return {
    scenarios: () => SCENARIOS.map(({ id, summary, description, endMs, rateLimited }) => ({ id, summary, description, endMs, rateLimited })),
    load(options) {
      const entry = SCENARIOS.find((s) => s.id === options.scenario);
      if (entry === undefined) throw new Error(`unknown scenario "${options.scenario}"; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
      if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
        throw new Error(`seed must be an integer from 0 to 4294967295, got ${options.seed}`);
      }
      maxEvents = options.maxEventsPerSlice ?? 500;
      scenarioId = options.scenario;
      built = entry.build(options.seed);
      const sim = new Simulation(built.config);
      log = [];
      sim.trace.subscribe((e) => {
        if (e.seq < log.length) log.length = e.seq;
        if (log.length < LOG_CAP) log.push(e);
      });
      run = new SeekableRun(sim);
      returnedUpTo = 0;
      return slice(true);
    },
    topology() {
      const r = current();
      const info = built?.info ?? null;
      const kinds = info?.nodeKinds;
      return {
        nodes: r.sim.nodeIds.map((id) => ({ id, kind: kinds?.get(id) ?? String(r.sim.report()[id]?.kind ?? 'node') })),
        channels: info === null ? [] : [...info.channels].map(([id, members]) => ({ id, members })),
        users: info === null ? [] : [...info.clientNodes].map(([user, node]) => ({ user, node })),
      };
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
      const r = current();
      r.seek(timeMs);
      // A seek back that replays nothing leaves no event to truncate the kept log with.
      if (log.length > r.sim.trace.count) log.length = r.sim.trace.count;
      return slice(true);
    },
    operate(op) {
      current().operate(op);
      return slice(false);
    },
    sendAs(user, channel, text) {
      const node = clientNodeOf(user);
      current().operate({ verb: 'inject', node, msg: { type: 'userSend', channel, text } });
      return slice(false);
    },
    events(fromSeq, toSeq, limit = 5000) {
      const end = Math.min(toSeq ?? log.length, log.length);
      const start = Math.max(0, fromSeq, end - limit);
      return log.slice(start, end);
    },
    report(options = {}) {
      if (built === null || built.info === null || built.scenario === null) return null;
      const { info, scenario } = cluster();
      const r = current();
      // Computed from the kept events on demand, so that it is right after a seek too.
      const checkers: Checker[] = [...chatCheckers(info).filter((c) => options.final === true || c.name !== 'lost'), new NetCausalityChecker()];
      const lim = scenario.rateLimit.limiter;
      if (scenario.rateLimit.enabled && lim.algorithm === 'sliding-log') checkers.push(new LimiterBoundChecker({ boundary: lim.boundary }));
      const metrics = new MetricsCollector(info);
      for (const e of log) {
        for (const c of checkers) c.observe(e);
        metrics.observe(e);
      }
      for (const c of checkers) c.finish?.();
      return metrics.finish({
        seed: r.sim.seed,
        scenario: scenarioId,
        simTimeMs: r.sim.nowMs,
        events: r.sim.trace.count,
        traceHash: r.sim.trace.hash(),
        truncated: r.sim.trace.truncated || r.sim.trace.count > LOG_CAP,
        nodeReports: r.sim.report(),
        checkers,
        wallMs: 0,
      });
    },
    userView(user) {
      const node = clientNodeOf(user);
      const r = current();
      const { info } = cluster();
      const state = r.sim.isUp(node) ? (r.sim.nodeState(node) as ClientState | undefined) : undefined;
      const texts = new Map<string, { text: string; author: string; seq: number | null }>();
      const shownAt = new Map<string, number>();
      for (const e of log) {
        if (e.type === 'net/messageSent') {
          type Carried = { id: string; text: string; author: string; seq: number | null };
          const msg = e.data['msg'] as { frame?: { message?: Carried }; message?: Carried };
          const m = msg.message ?? msg.frame?.message;
          if (m !== undefined && !texts.has(m.id)) texts.set(m.id, { text: m.text, author: m.author, seq: m.seq });
        } else if (e.type === 'client/messageShown' && e.data['user'] === user) shownAt.set(`${String(e.data['channel'])}|${String(e.data['id'])}`, e.at);
      }
      const channels = [...info.channels].filter(([, members]) => members.includes(user));
      return {
        user,
        online: state?.phase === 'online',
        server: state?.server ?? null,
        channels: channels.map(([id, members]) => {
          const view = state?.views[id];
          const shown = (view?.shown ?? []).map((mid) => {
            const t = texts.get(mid);
            return { id: mid, seq: t?.seq ?? null, author: t?.author ?? '?', text: t?.text ?? '', at: shownAt.get(`${id}|${mid}`) ?? 0 };
          });
          return { id, members, shown };
        }),
      };
    },
  };
}
