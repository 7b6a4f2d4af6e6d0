/**
 * The workbench: the worker-side session the page talks to. One coarse call per question, each
 * answered next to the trace, so only small answers cross to the main thread and nothing heavy
 * runs there. It adds no simulation truth: every answer is the run's own (its summary, the
 * report as if it ended now, a user's screen rebuilt from the trace) or a pure diagram builder
 * reading the live index.
 *
 * Pure TypeScript with no DOM, React or Comlink: it runs in the Web Worker (`ui/runtime` exposes
 * it) and, for the `?worker=0` fallback and the tests, on the main thread or in Node.
 */
import { actualFlow, clusterComponentsOf, perfettoJson, readTraceJsonl, type ClusterComponents, type ExampleTimeline, type FlowQuery, type FlowResult, type PubsubGraph, type EdgeFlow, type RateLimitTimeline } from '../diagrams/index.ts';
import { evaluateGoal, LAB_EXAMPLE_TIMES_MS, slidingWindowExample, type Goal, type RunRef, type GoalResult, type MapGroup, type StepInput, type StepOutcome } from '../labs/index.ts';
import { eventLine, runFacts, scenarioCatalog, type MembershipAction, type Op, type WireMsg, type RunReport, type ScenarioEntry, type TraceEvent } from '../sim/index.ts';
import { compareRuns, type CompareIntervention, type Comparison } from './compare.ts';
import { LabRunner } from './labs.ts';
import { describeOp, interventionKind, type InterventionKind } from './opText.ts';
import { RunSession, type Applied, type Intervention } from './session.ts';
import { TraceSession } from './traceSession.ts';
import type { UserView } from './views/chat.ts';
import { sequenceView, type SequenceDisplay, type SequenceQuery, type SequenceView } from './views/sequence.ts';
import { tablePage, type TablePage, type TableQuery } from './views/table.ts';

/** Where the run is. */
export interface RunSummary {
  /** The seed of the loaded run; always shown. */
  readonly seed: number;
  /** Scenario id of the loaded run. */
  readonly scenario: string;
  /** Virtual time reached, in integer milliseconds. */
  readonly nowMs: number;
  /** Trace events recorded since the run started (including any not kept). */
  readonly eventCount: number;
  /** Stable hash of the whole trace so far (hex). */
  readonly traceHash: string;
  /** True when the kept log is full and later events are counted but not kept for the views. */
  readonly truncated: boolean;
  /** Events still pending in the simulator's queue. */
  readonly pending: number;
  /** The furthest virtual time this timeline has reached (the scrubber's extent). */
  readonly frontierMs: number;
  /** When the scenario's workload and settle period are over; null for open-ended runs. */
  readonly endMs: number | null;
  /** New events in this step of the session. */
  readonly newEvents: number;
}

/** What a frame should carry besides the summary. */
export interface FrameWant {
  /** The pub/sub graph at the playhead. */
  readonly graph?: boolean;
  /** Traffic per edge since the previous frame, for the animation. */
  readonly flows?: boolean;
}

/** One step of the session: where the run is and, if asked, its graph and fresh traffic. */
export interface Frame {
  readonly summary: RunSummary;
  readonly graph: PubsubGraph | null;
  /** Messages per graph edge in `flowWindowMs`; null when not asked or after a jump. */
  readonly flows: readonly EdgeFlow[] | null;
  readonly flowWindowMs: readonly [number, number];
  readonly interventions: readonly Intervention[];
}

/** A frame after an action, with when and where the action landed. */
export interface Acted extends Frame {
  readonly applied: Applied;
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

/** A verb of the scenario's own fault script (a crash at 15 s), for the timeline. */
export interface ScriptedFault {
  readonly at: number;
  readonly label: string;
  readonly kind: InterventionKind;
}

/** What {@link Workbench.open} returns. */
export interface Opened {
  readonly scenario: ScenarioEntry;
  readonly topology: TopologyInfo;
  /** The scenario's own fault script, which the run applies whatever the person does. */
  readonly scripted: readonly ScriptedFault[];
  readonly frame: Frame;
}

/** What {@link Workbench.openTrace} returns: a trace file, read-only, at its first moment. */
export interface OpenedTrace {
  /** The file's name. */
  readonly name: string;
  /** Events in the file. */
  readonly events: number;
  /** Where the file ends: just after its last event, in ms. */
  readonly endMs: number;
  /** The nodes, users and channels its events show. */
  readonly topology: TopologyInfo;
  readonly frame: Frame;
}

/** The rate-limit timeline of the run, and whether the run had any decision. */
export interface RateLimitView {
  readonly timeline: RateLimitTimeline;
  readonly hasDecisions: boolean;
  /** Time of the key's first decision (the lab's t = 0), or null. */
  readonly firstDecisionMs: number | null;
}

/** The lab's worked example at a moment, with every request time (the picker's stops). */
export interface WorkedExampleView {
  readonly timeline: ExampleTimeline;
  readonly timesMs: readonly number[];
}

/** The formats {@link Workbench.exportTrace} writes. */
export type TraceExportFormat = 'jsonl' | 'perfetto';

/** The workbench API. Every call is coarse: one call per frame at most. */
export interface Workbench {
  /** The scenarios with their descriptions and lengths. */
  catalog(): ScenarioEntry[];
  /**
   * Loads a scenario with a seed (and, optionally, a JSON merge patch over the preset: a lab's
   * variant) and runs its first millisecond (the nodes start); forgets interventions.
   */
  open(scenario: string, seed: number, want?: FrameWant, patch?: unknown): Opened;
  /**
   * Opens a trace file (the JSON lines `sim run --trace` or `exportTrace('jsonl')` wrote) to browse
   * it without re-running: the playhead moves over the file (`advance`, `stepEvent`, `seekTo`,
   * `current`) and every view reads it (`sequence`, `table`, `eventAt`, `rateLimit`, `chat`,
   * `actualFlow`, `actualComponents`, `exportTrace`); `report` and `goals` have no scenario to
   * judge by (null and none), and changing it (`operate`, `sendAs`, `membershipAs`, `forget`) is
   * refused. Throws, naming the line and what is wrong, when the file is not a valid trace (the
   * run loaded before stays); once opened, the run loaded before is closed.
   */
  openTrace(text: string, name: string, want?: FrameWant): OpenedTrace;
  /** The loaded run's nodes, channels and users. */
  topology(): TopologyInfo;
  /** Runs `ms` of virtual time forward, applying kept interventions on the way. */
  advance(ms: number, want?: FrameWant): Frame;
  /** Processes the queue until one more trace event is recorded. */
  stepEvent(want?: FrameWant): Frame;
  /** Moves the playhead to `ms`, backwards or forwards, keeping the interventions. */
  seekTo(ms: number, want?: FrameWant): Frame;
  /** Applies an operator verb now, keeps it on the timeline, and says when and at which seq it applied. */
  operate(op: Op, want?: FrameWant): Acted;
  /** Types and sends a message as a user (kept on the timeline like any intervention). */
  sendAs(user: string, channel: string, text: string, want?: FrameWant): Acted;
  /** The user joins or leaves a group channel from their app (kept on the timeline like any intervention). */
  membershipAs(user: string, channel: string, action: MembershipAction, want?: FrameWant): Acted;
  /** Forgets an intervention; the playhead stays where it is, now without it. */
  forget(id: number, want?: FrameWant): Frame;
  /** The current frame without moving. */
  current(want?: FrameWant): Frame;
  /** A sequence diagram at the playhead. */
  sequence(query: SequenceQuery, display?: SequenceDisplay): SequenceView;
  /** Newest matching trace events up to the playhead. */
  table(query: TableQuery): TablePage;
  /** One event in full, or null. */
  eventAt(seq: number): TraceEvent | null;
  /** The rate-limit timeline for a key (default: the busiest), its window ending just before the playhead. */
  rateLimit(key?: string): RateLimitView;
  /** The lab's worked example (5 per 60 s), decided by the simulator's own limiter, at `atMs`. */
  workedExample(atMs: number): WorkedExampleView;
  /** A user's screen now, rebuilt from the trace. */
  chat(user: string): UserView;
  /**
   * The run's report as if it ended now: the same report the CLI prints for this trace (`run
   * --until-ms` at this moment). Null for a run that is not a chat cluster.
   */
  report(): RunReport | null;
  /**
   * The trace up to the playhead as a file's text: `jsonl`, byte for byte what the CLI's
   * `run --trace` writes for this run up to this moment (the same cap on kept events), or
   * `perfetto`, the same events as a Chrome / Perfetto trace ({@link perfettoJson}).
   */
  exportTrace(format: TraceExportFormat): string;
  /** Lab goals evaluated on the run as it stands. */
  goals(goals: readonly Goal[]): GoalResult[];
  /**
   * The whiteboard check's reference: the actual path of a private or group message up to the
   * playhead (participants by role, hops in causal order with their trace seqs), or why there is
   * none yet.
   */
  actualFlow(query: FlowQuery): FlowResult;
  /** The whiteboard check's reference for the component diagram: the cluster's components and connections by kind, at the playhead. */
  actualComponents(): ClusterComponents;
  /** The home screen's map of labs: every group with its ready and coming labs (plain data). */
  labMap(): MapGroup[];
  /**
   * A lab step resolved next to the trace: its run (the step's patch with the student's controls)
   * played to the end, the figures its narration quotes (each with its run and moment), its goals,
   * and for a prediction the run's answer and the judged prediction. Leaves the loaded run alone:
   * the page opens `outcome.run` with {@link Workbench.open} to show it.
   */
  labStep(labId: string, stepId: string, seed: number, input?: StepInput): StepOutcome;
  /**
   * Two runs side by side (ADR 0029): A and B (same seed, one decision changed) each run to their
   * end with the same interventions, as their panes would run them; returns both reports, every
   * report figure that differs, the first raw divergence and the first moment a user saw a
   * difference, with times to jump to. Leaves the loaded run alone. Throws naming the side and the
   * problem: an unknown preset, a bad patch, a run over the work budget (ADR 0012; million-users
   * is refused).
   */
  compare(a: RunRef, b: RunRef, interventions?: readonly CompareIntervention[]): Comparison;
}

/** Longest chat text a user can send; the chat panel says so before sending. */
export const MAX_TEXT_LENGTH = 500;

/**
 * Creates a workbench.
 *
 * @example
 * const wb = createWorkbench();
 * wb.open('group-chat', 42);
 * const frame = wb.advance(5_000, { graph: true });
 * frame.graph?.nodes.length;            // every component, laid out
 * wb.operate({ verb: 'crash', node: 'ws-2' }).applied; // { id: 1, at: 5001, seq: … }
 * wb.seekTo(1_000); wb.seekTo(8_000);   // the crash is applied again on the way
 */
export function createWorkbench(): Workbench {
  const scenarios = scenarioCatalog();
  let session: RunSession | null = null;
  /** A trace file being browsed instead of a run (then `session` is null). */
  let traceFile: TraceSession | null = null;
  const labs = new LabRunner();
  /** Start of the traffic not yet reported as flows. */
  let flowsFromMs = 0;

  const current = (): RunSession => {
    if (session === null) {
      throw new Error(traceFile === null ? 'no run loaded: call open(scenario, seed) first' : `"${traceFile.name}" is a trace file, read-only: open its scenario to change the run`);
    }
    return session;
  };

  /** What the views read: the loaded run's or the trace file's kept log, and the playhead. */
  const viewed = (): { observers: RunSession['observers']; nowMs: number; transport: SequenceDisplay['transport']; channels: TopologyInfo['channels'] } => {
    if (traceFile !== null) return { observers: traceFile.observers, nowMs: traceFile.nowMs, transport: undefined, channels: traceFile.cast.channels };
    const s = current();
    return { observers: s.observers, nowMs: s.nowMs, transport: s.built.cluster?.scenario.transport, channels: channelsOf(s) };
  };

  const traceFrame = (t: TraceSession, newEvents: number, want: FrameWant, flowWindow: readonly [number, number] | null): Frame => {
    const pubsub = want.graph === true || (want.flows === true && flowWindow !== null) ? t.observers.pubsub() : null;
    const graph = want.graph === true && pubsub !== null ? pubsub.graph(t.nowMs) : null;
    const flows = want.flows === true && pubsub !== null && flowWindow !== null && flowWindow[1] > flowWindow[0] ? pubsub.flowsBetween(flowWindow[0], flowWindow[1]) : null;
    const summary: RunSummary = {
      seed: 0,
      scenario: t.name,
      nowMs: t.nowMs,
      eventCount: t.count,
      traceHash: t.hash(),
      truncated: false,
      pending: t.events.length - t.count,
      frontierMs: t.endMs,
      endMs: t.endMs,
      newEvents,
    };
    return { summary, graph, flows, flowWindowMs: flowWindow ?? [t.nowMs, t.nowMs], interventions: [] };
  };

  const summaryOf = (s: RunSession, newEvents: number): RunSummary => {
    const trace = s.sim.trace;
    return {
      seed: s.seed,
      scenario: s.entry.id,
      nowMs: s.nowMs,
      eventCount: trace.count,
      traceHash: trace.hash(),
      truncated: s.observers.log.full,
      pending: s.sim.pending,
      frontierMs: s.frontierMs,
      endMs: s.entry.endMs,
      newEvents,
    };
  };

  const frame = (s: RunSession, newEvents: number, want: FrameWant, flowWindow: readonly [number, number] | null): Frame => {
    const pubsub = want.graph === true || (want.flows === true && flowWindow !== null) ? s.observers.pubsub() : null;
    const graph = want.graph === true && pubsub !== null ? pubsub.graph(s.nowMs) : null;
    const flows = want.flows === true && pubsub !== null && flowWindow !== null && flowWindow[1] > flowWindow[0] ? pubsub.flowsBetween(flowWindow[0], flowWindow[1]) : null;
    return { summary: summaryOf(s, newEvents), graph, flows, flowWindowMs: flowWindow ?? [s.nowMs, s.nowMs], interventions: s.interventions };
  };

  const acted = (s: RunSession, applied: Applied, want: FrameWant, from: number, eventsBefore: number): Acted => {
    flowsFromMs = s.nowMs;
    return { ...frame(s, s.sim.trace.count - eventsBefore, want, [from, s.nowMs + 1]), applied };
  };

  /** The report as if the run ended now, or null for a run that is not a chat cluster. */
  const reportOf = (s: RunSession): RunReport | null => {
    const watchers = s.observers.watchers();
    return watchers === null ? null : watchers.report({ ...runFacts(s.sim, s.entry.id, 0), truncated: s.sim.trace.truncated || s.observers.log.full });
  };

  const channelsOf = (s: RunSession): TopologyInfo['channels'] => {
    const info = s.built.cluster?.info;
    return info === undefined ? [] : [...info.channels].map(([id, members]) => ({ id, members }));
  };

  /** The client node of a user acting in a channel, or an error naming what is unknown. */
  const userAt = (s: RunSession, user: string, channel: string): string => {
    const info = s.built.cluster?.info;
    const node = info?.clientNodes.get(user);
    if (info === undefined || node === undefined) {
      throw new Error(`unknown user "${user}"; users are ${[...(info?.clientNodes.keys() ?? [])].join(', ') || 'none (not a chat cluster)'}`);
    }
    if (!info.channels.has(channel)) throw new Error(`unknown channel "${channel}"; channels are ${[...info.channels.keys()].join(', ')}`);
    return node;
  };

  /** A user's action at their client (typed at the keyboard), applied now and kept on the timeline. */
  const userActs = (s: RunSession, node: string, msg: Extract<WireMsg, { type: 'userSend' | 'userMembership' }>, want: FrameWant): Acted => {
    const from = s.nowMs;
    const before = s.sim.trace.count;
    return acted(s, s.operate({ verb: 'inject', node, msg }), want, from, before);
  };

  const topology = (s: RunSession): TopologyInfo => {
    const info = s.built.cluster?.info ?? null;
    const reports = s.sim.report();
    return {
      nodes: s.sim.nodeIds.map((id) => ({ id, kind: info?.nodeKinds.get(id) ?? reports[id]?.kind ?? 'node' })),
      channels: channelsOf(s),
      users: info === null ? [] : [...info.clientNodes].map(([user, node]) => ({ user, node })),
    };
  };

  return {
    catalog: () => scenarios.map((s) => ({ ...s })),
    open(scenario, seed, want = {}, patch) {
      const s = new RunSession(scenario, seed, patch);
      session = s;
      traceFile = null;
      // Run the first millisecond, so the cluster's nodes have started and every view has them.
      s.runTo(1);
      flowsFromMs = s.nowMs;
      const scripted = (s.built.cluster?.scenario.faults ?? []).map((f) => ({ at: f.at, label: describeOp(f.op), kind: interventionKind(f.op) }));
      return { scenario: s.entry, topology: topology(s), scripted, frame: frame(s, s.sim.trace.count, want, null) };
    },
    openTrace(text, name, want = {}) {
      const read = readTraceJsonl(text);
      if (!read.ok) throw new Error(`${name}: ${read.error}`);
      const t = new TraceSession(read.events, name);
      t.seek(Math.min(1, t.endMs));
      session = null;
      traceFile = t;
      flowsFromMs = t.nowMs;
      return { name, events: read.events.length, endMs: t.endMs, topology: { ...t.cast }, frame: traceFrame(t, t.count, want, null) };
    },
    topology: () => (traceFile !== null ? { ...traceFile.cast } : topology(current())),
    advance(ms, want = {}) {
      if (traceFile !== null) {
        const t = traceFile;
        const before = t.count;
        const from = flowsFromMs;
        t.seek(t.nowMs + Math.max(0, Math.floor(ms)));
        flowsFromMs = t.nowMs;
        return traceFrame(t, t.count - before, want, [from, t.nowMs]);
      }
      const s = current();
      const before = s.sim.trace.count;
      const from = flowsFromMs;
      s.runTo(s.nowMs + Math.max(0, Math.floor(ms)));
      flowsFromMs = s.nowMs;
      return frame(s, s.sim.trace.count - before, want, [from, s.nowMs]);
    },
    stepEvent(want = {}) {
      if (traceFile !== null) {
        const t = traceFile;
        const before = t.count;
        t.step();
        flowsFromMs = t.nowMs;
        return traceFrame(t, t.count - before, want, [t.nowMs, t.nowMs + 1]);
      }
      const s = current();
      const before = s.sim.trace.count;
      s.step();
      flowsFromMs = s.nowMs;
      return frame(s, s.sim.trace.count - before, want, [s.nowMs, s.nowMs + 1]);
    },
    seekTo(ms, want = {}) {
      if (traceFile !== null) {
        traceFile.seek(Math.max(Math.min(1, traceFile.endMs), Math.round(ms * 1000) / 1000));
        flowsFromMs = traceFile.nowMs;
        return traceFrame(traceFile, 0, want, null);
      }
      const s = current();
      // The earliest moment shown is 1 ms, as after open: at 0 no node has started yet. Times are
      // kept to the µs (ADR 0010): a verb applied at 29.001 ms is replayed by seeking there.
      s.seek(Math.max(1, Math.round(ms * 1000) / 1000));
      flowsFromMs = s.nowMs;
      return frame(s, 0, want, null);
    },
    operate(op, want = {}) {
      const s = current();
      const from = s.nowMs;
      const before = s.sim.trace.count;
      return acted(s, s.operate(op), want, from, before);
    },
    sendAs(user, channel, text, want = {}) {
      const s = current();
      const node = userAt(s, user, channel);
      if (text.length > MAX_TEXT_LENGTH) throw new Error(`a message is at most ${MAX_TEXT_LENGTH} characters; this one has ${text.length}`);
      return userActs(s, node, { type: 'userSend', channel, text }, want);
    },
    membershipAs(user, channel, action, want = {}) {
      const s = current();
      const node = userAt(s, user, channel);
      if (channel.startsWith('dm:')) throw new Error(`"${channel}" is a private chat: its two members are fixed`);
      if (action !== 'join' && action !== 'leave') throw new Error(`unknown action "${String(action)}": join or leave`);
      return userActs(s, node, { type: 'userMembership', channel, action }, want);
    },
    forget(id, want = {}) {
      const s = current();
      s.forget(id);
      flowsFromMs = s.nowMs;
      return frame(s, 0, want, null);
    },
    current(want = {}) {
      return traceFile !== null ? traceFrame(traceFile, 0, want, null) : frame(current(), 0, want, null);
    },
    sequence(query, display = {}) {
      const v = viewed();
      return sequenceView(v.observers.index(), query, v.transport === undefined ? display : { ...display, transport: v.transport }, v.nowMs);
    },
    table(query) {
      const v = viewed();
      return tablePage(v.observers.log, v.observers.counts(), query);
    },
    eventAt(seq) {
      return viewed().observers.log.at(seq) ?? null;
    },
    rateLimit(key) {
      const s = viewed();
      // At a playhead of t, the events of every millisecond before t have happened and those of t
      // not yet; the window therefore ends at the last whole millisecond, t − 1. Stepping the
      // playhead to just after a decision (t + 1) then shows the window exactly at that decision.
      const atMs = Math.max(0, s.nowMs - 1);
      const limits = s.observers.limits();
      const timeline = limits.timeline({ atMs, ...(key === undefined || key === '' ? {} : { key }) });
      return { timeline, hasDecisions: timeline.keys.length > 0, firstDecisionMs: timeline.key === null ? null : limits.firstDecisionMs(timeline.key) };
    },
    workedExample: (atMs) => ({ timeline: slidingWindowExample(atMs), timesMs: LAB_EXAMPLE_TIMES_MS }),
    chat(user) {
      const v = viewed();
      return v.observers.screens().view(user, v.channels, v.observers.index().catalog);
    },
    report: () => (traceFile !== null ? null : reportOf(current())),
    exportTrace(format) {
      const t = traceFile;
      const s = t === null ? current() : null;
      // The CLI keeps the scenario's trace.maxEvents first events; the kept log may hold more.
      const all = (t ?? (s as RunSession)).observers.log.events;
      const events = s !== null && all.length > s.sim.trace.maxEvents ? all.slice(0, s.sim.trace.maxEvents) : all;
      if (format === 'perfetto') return perfettoJson(events, s === null ? { scenario: (t as TraceSession).name, untilMs: (t as TraceSession).nowMs } : { scenario: s.entry.id, seed: s.seed, untilMs: s.nowMs });
      if (format !== 'jsonl') throw new Error(`unknown trace format "${String(format)}": jsonl or perfetto`);
      let out = '';
      for (const e of events) out += eventLine(e) + '\n';
      return out;
    },
    goals(goals) {
      // A trace file has no scenario to judge it by: its goals are not evaluated.
      if (traceFile !== null) return [];
      const s = current();
      const report = reportOf(s);
      const counts = s.observers.counts();
      return goals.map((g) => evaluateGoal(g, report, counts));
    },
    actualFlow(query) {
      const s = viewed();
      // The live index holds the run up to the playhead, so the flow is what has happened so far.
      return actualFlow(s.observers.index(), { ...query, atMs: s.nowMs });
    },
    actualComponents() {
      const s = viewed();
      return clusterComponentsOf(s.observers.pubsub().graph(s.nowMs));
    },
    labMap: () => labs.map(),
    labStep: (labId, stepId, seed, input) => labs.step(labId, stepId, seed, input),
    compare: (a, b, interventions) => compareRuns(a, b, interventions),
  };
}
