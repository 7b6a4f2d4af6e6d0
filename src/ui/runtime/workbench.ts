/**
 * The workbench's side of the worker: the simulation's {@link SimApi} plus the coarse questions the
 * screen asks every frame, answered next to the trace so that no big array ever crosses to the
 * main thread and nothing heavy runs there.
 *
 * It adds no simulation truth. Every answer is the simulation's own (a run slice, a user's view,
 * the report) or a pure diagram builder applied to the trace the simulation returned. What it does
 * own is the *session*: the operator's interventions, kept on the timeline like a fault script, so
 * that scrubbing back before a crash and playing again shows the same crash [1].
 *
 * Pure TypeScript with no DOM: it runs in the Web Worker (`sim.worker.ts` exposes it) and, for the
 * `?worker=0` fallback and the tests, on the main thread or in Node.
 *
 * [1] `SimApi.seek` restores a snapshot and schedules again every verb applied live after it
 *     (SeekableRun keeps them), so after a seek the simulation itself holds the kept
 *     interventions and this session only re-applies them after a fresh load (`rebuild`). Verbs
 *     apply before the events of their millisecond (ADR 0003), so the replayed trace is
 *     byte-identical to the original.
 */
import {
  chatMessagesOf,
  flowsBetween,
  pubsubGraph,
  rateLimitTimeline,
  rateLimitTimelineFromDecisions,
  sequenceDiagram,
  sequenceDiagramForWindow,
  type ChatMessageRef,
  type EdgeFlow,
  type ExampleTimeline,
  type PubsubGraph,
  type RateLimitTimeline,
  type SequenceParticipantInfo,
  type SequenceWindowOptions,
} from '../../diagrams/index.ts';
import type { RunSlice, ScenarioInfo, SimApi, TopologyInfo, UserView } from '../../sim/api.ts';
import { createSimApi, type Op, type TraceEvent } from '../../sim/index.ts';
import { decideAll } from '../../sim/limiter/limiter.ts';
import type { RunReport } from '../../sim/cluster/report.ts';
import { PRESETS } from '../../sim/scenario/presets.ts';
import { parseScenario } from '../../sim/scenario/schema.ts';
import { LAB_EXAMPLE_SPEC, LAB_EXAMPLE_TIMES_MS } from '../labExample.ts';
import { describeOp } from '../opText.ts';

// ------------------------------------------------------------------------------------------------
// Types the screen sees

/** A scenario in the picker, with what the screen needs to present it. */
export interface ScenarioEntry extends ScenarioInfo {
  /** Longer description from the scenario, if any. */
  readonly description: string;
  /** When the workload and its settle period are over (ms); null for open-ended runs. */
  readonly endMs: number | null;
  /** True when the scenario has a rate limiter (so the timeline has real decisions). */
  readonly rateLimited: boolean;
}

/** A run slice without its events, plus the session's own bookkeeping. */
export interface RunSummary extends Omit<RunSlice, 'events'> {
  /** The furthest virtual time this timeline has reached (the scrubber's extent). */
  readonly frontierMs: number;
  /** The scenario's end, as in {@link ScenarioEntry.endMs}. */
  readonly endMs: number | null;
  /** New events in this step of the session (they stay in the worker). */
  readonly newEvents: number;
}

/** An operator verb the person applied, kept on the timeline. */
export interface Intervention {
  readonly id: number;
  /** Virtual time it applies at (from its `op/*` trace event). */
  readonly at: number;
  readonly op: Op;
  readonly label: string;
}

/** What a frame should carry besides the summary. */
export interface FrameWant {
  /** The pub/sub graph at the playhead (costly on long traces: ask a few times a second). */
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

/** What {@link Workbench.open} returns. */
export interface Opened {
  readonly scenario: ScenarioEntry;
  readonly topology: TopologyInfo;
  readonly frame: Frame;
}

/** Which sequence diagram to draw. */
export type SequenceQuery =
  | { readonly mode: 'follow' }
  | { readonly mode: 'message'; readonly messageId?: string; readonly clientMsgId?: string }
  | ({ readonly mode: 'window' } & Pick<SequenceWindowOptions, 'fromMs' | 'toMs' | 'user' | 'channel' | 'hops' | 'maxChatMessages'>);

/** Display options shared by every sequence query. */
export interface SequenceDisplay {
  readonly maxMessages?: number;
  /** Chat text in arrow labels is cut to this many characters. Default 16 (narrower diagrams). */
  readonly maxTextLength?: number;
  readonly presenceNotes?: boolean;
  readonly showConnect?: boolean;
  readonly autonumber?: boolean;
}

/** A sequence diagram and the message catalog for the picker. */
export interface SequenceView {
  readonly text: string;
  readonly capped: boolean;
  readonly participants: readonly SequenceParticipantInfo[];
  /** The chat messages drawn. */
  readonly messages: readonly ChatMessageRef[];
  /** The newest messages sent up to the playhead, newest last (at most {@link CATALOG_MAX}). */
  readonly catalog: readonly ChatMessageRef[];
  readonly catalogTotal: number;
  readonly atMs: number;
}

/** Filters of the event table. */
export interface TableQuery {
  /** Case-insensitive text to find in the type, node or data. */
  readonly text?: string;
  /** Only these domains (`net`, `client`, `op`, …); empty or absent for all. */
  readonly domains?: readonly string[];
  /** Hide `net/*` hops. */
  readonly hideNet?: boolean;
  /** Hide `node/timerFired`. */
  readonly hideTimers?: boolean;
  /** Only events at this node. */
  readonly node?: string;
  /** Newest rows to return. Default 200. */
  readonly limit?: number;
}

/** One trace event as a row. */
export interface TableRow {
  readonly seq: number;
  readonly at: number;
  readonly node: string;
  readonly type: string;
  readonly causeSeq: number | null;
  /** Short readable form of `data`. */
  readonly summary: string;
  /** A chat message id the event is about, for "show its path". */
  readonly messageId: string | null;
}

/** A page of the event table: the newest matching rows up to the playhead. */
export interface TablePage {
  readonly rows: readonly TableRow[];
  readonly matched: number;
  readonly total: number;
  readonly capped: boolean;
  /** Event domains present in the trace, for the filter. */
  readonly domains: readonly string[];
}

/** The rate-limit timeline of the run, and whether the run had any decision. */
export interface RateLimitView {
  readonly timeline: RateLimitTimeline;
  readonly hasDecisions: boolean;
  /** Time of the key's first decision (the lab's t = 0), or null. */
  readonly firstDecisionMs: number | null;
}

/** The workbench API: everything in {@link SimApi}, and the session's coarse calls. */
export interface Workbench extends SimApi {
  /** The scenarios with their descriptions and lengths. */
  catalog(): ScenarioEntry[];
  /** Loads a scenario with a seed and runs its first millisecond (the nodes start); forgets interventions. */
  open(scenario: string, seed: number, want?: FrameWant): Opened;
  /** Runs `ms` of virtual time forward, re-applying interventions on the way. */
  advance(ms: number, want?: FrameWant): Frame;
  /** Processes the queue until one more trace event is recorded. */
  stepEvent(want?: FrameWant): Frame;
  /** Moves the playhead to `ms`, backwards or forwards, keeping the interventions. */
  seekTo(ms: number, want?: FrameWant): Frame;
  /** Applies an operator verb now and keeps it on the timeline. */
  intervene(op: Op, want?: FrameWant): Frame;
  /** Types and sends a message as a user (kept on the timeline like any intervention). */
  say(user: string, channel: string, text: string, want?: FrameWant): Frame;
  /** Forgets an intervention; the playhead stays where it is, now without it. */
  forget(id: number, want?: FrameWant): Frame;
  /** The current frame without moving. */
  current(want?: FrameWant): Frame;
  /** A sequence diagram of the trace up to the playhead. */
  sequence(query: SequenceQuery, display?: SequenceDisplay): SequenceView;
  /** Newest matching trace events up to the playhead. */
  table(query: TableQuery): TablePage;
  /** One event in full, or null. */
  eventAt(seq: number): TraceEvent | null;
  /** The rate-limit timeline for a key (default: the busiest), its window ending just before the playhead. */
  rateLimit(key?: string): RateLimitView;
  /** The lab's worked example (5 per 60 s), decided by the simulator's own limiter, at `atMs`. */
  workedExample(atMs: number): ExampleTimeline;
  /** A user's screen now (the simulation's `userView`). */
  chat(user: string): UserView;
}

// ------------------------------------------------------------------------------------------------
// Constants

export { LAB_EXAMPLE_SPEC, LAB_EXAMPLE_TIMES_MS };

/** Messages listed in the sequence diagram's picker at most. */
export const CATALOG_MAX = 300;
/** Rows the event table returns at most per call. */
export const TABLE_MAX = 2000;
/** Layout gaps tuned to the workbench's node size (about 150 × 56 px). */
export const GRAPH_LAYOUT = { columnGapPx: 215, rowGapPx: 72 } as const;

const SEND_STEP_BUDGET = 10_000;
/** Queue steps one "step" takes at most while looking for a traced event. */
const STEP_TO_EVENT_BUDGET = 10_000;

// ------------------------------------------------------------------------------------------------
// Scenarios

function scenarioEntries(api: SimApi): ScenarioEntry[] {
  return api.scenarios().map((s) => {
    const preset = PRESETS.find((p) => p.id === s.id);
    const parsed = preset === undefined ? null : parseScenario(preset.scenario);
    if (parsed === null || !parsed.ok) return { ...s, description: '', endMs: null, rateLimited: false };
    const sc = parsed.scenario;
    return { ...s, description: sc.description, endMs: sc.durationMs + sc.settleMs, rateLimited: sc.rateLimit.enabled };
  });
}

// ------------------------------------------------------------------------------------------------
// Table helpers (formatting only)

const MESSAGE_ID = /^m\d+$/;

function primitive(v: unknown): string | null {
  if (typeof v === 'string') return v.length > 40 ? `“${v.slice(0, 39)}…”` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  return null;
}

/** The message id an event is about, if it names one. */
function messageIdOf(e: TraceEvent): string | null {
  const id = e.data['id'];
  if (typeof id === 'string' && MESSAGE_ID.test(id)) return id;
  if (e.type === 'net/messageSent') {
    const msg = e.data['msg'] as Record<string, unknown> | undefined;
    const inner = (msg?.['frame'] ?? msg) as Record<string, unknown> | undefined;
    const m = (inner?.['message'] ?? msg?.['message']) as Record<string, unknown> | undefined;
    const candidate = m?.['id'] ?? inner?.['id'] ?? msg?.['id'];
    if (typeof candidate === 'string' && MESSAGE_ID.test(candidate)) return candidate;
  }
  return null;
}

/** A short, readable line for an event's data. */
export function summarizeEvent(e: TraceEvent): string {
  if (e.type === 'net/messageSent' || e.type === 'net/messageDelivered' || e.type === 'net/messageDropped') {
    const msg = e.data['msg'] as Record<string, unknown> | undefined;
    const inner = msg?.['frame'] as Record<string, unknown> | undefined;
    const what = [msg?.['type'], inner?.['type']].filter((x) => typeof x === 'string').join(' › ');
    const reason = typeof e.data['reason'] === 'string' ? ` (${e.data['reason']})` : '';
    return `${String(e.data['from'] ?? '?')} → ${String(e.data['to'] ?? '?')}${what === '' ? '' : `: ${what}`}${reason}`;
  }
  if (e.type.startsWith('op/')) {
    const op = e.data['op'] as Op | undefined;
    return op === undefined ? '' : describeOp(op);
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e.data)) {
    const p = primitive(v);
    if (p !== null) parts.push(`${k}=${p}`);
    if (parts.length >= 6) break;
  }
  return parts.join(' ');
}

function matchesText(e: TraceEvent, needle: string): boolean {
  if (e.type.toLowerCase().includes(needle) || e.node.toLowerCase().includes(needle)) return true;
  return JSON.stringify(e.data).toLowerCase().includes(needle);
}

// ------------------------------------------------------------------------------------------------
// The workbench

/**
 * Creates the workbench over a fresh {@link createSimApi}.
 *
 * @example
 * const wb = createWorkbench();
 * wb.open('group-chat', 42);
 * const frame = wb.advance(5_000, { graph: true });
 * frame.graph?.nodes.length;            // every component, laid out
 * wb.intervene({ verb: 'crash', node: 'ws-2' });
 * wb.seekTo(1_000); wb.seekTo(8_000);   // the crash is applied again on the way
 */
export function createWorkbench(api: SimApi = createSimApi()): Workbench {
  const scenarios = scenarioEntries(api);
  let entry: ScenarioEntry | null = null;
  let interventions: Intervention[] = [];
  /** interventions[0..applied) are in force in the simulation's current state. */
  let applied = 0;
  let nextId = 1;
  let frontierMs = 0;
  let last: RunSlice | null = null;
  /** Start of the traffic not yet reported as flows. */
  let flowsFromMs = 0;

  const requireRun = (): RunSlice => {
    if (last === null) throw new Error('no run loaded: call open(scenario, seed) first');
    return last;
  };

  const now = (): number => last?.nowMs ?? 0;
  const events = (): TraceEvent[] => api.events(0, undefined, Number.MAX_SAFE_INTEGER);

  const note = (slice: RunSlice): RunSlice => {
    last = slice;
    if (slice.nowMs > frontierMs) frontierMs = slice.nowMs;
    return slice;
  };

  const summaryOf = (slice: RunSlice, newEvents: number): RunSummary => {
    const { events: _events, ...rest } = slice;
    return { ...rest, frontierMs, endMs: entry?.endMs ?? null, newEvents };
  };

  const frame = (slice: RunSlice, newEvents: number, want: FrameWant, flowWindow: readonly [number, number] | null): Frame => {
    const all = want.graph === true || (want.flows === true && flowWindow !== null) ? events() : [];
    const graph = want.graph === true ? pubsubGraph(all, { atMs: slice.nowMs, ...GRAPH_LAYOUT }) : null;
    const flows = want.flows === true && flowWindow !== null && flowWindow[1] > flowWindow[0] ? flowsBetween(all, flowWindow[0], flowWindow[1], GRAPH_LAYOUT) : null;
    return { summary: summaryOf(slice, newEvents), graph, flows, flowWindowMs: flowWindow ?? [slice.nowMs, slice.nowMs], interventions };
  };

  /**
   * Runs forward to `target`, scheduling each kept intervention due by then at its own time (a
   * verb scheduled at `target` itself is recorded before the events of that millisecond).
   */
  const runTo = (target: number): void => {
    for (;;) {
      const iv = interventions[applied];
      if (iv === undefined || iv.at > target) break;
      if (iv.at > now()) note(api.runFor(iv.at - now()));
      api.operate(iv.op);
      applied++;
    }
    if (target > now()) note(api.runFor(target - now()));
  };

  /** A fresh run of the same scenario and seed, replayed to `target` with the kept interventions. */
  const rebuild = (target: number): void => {
    const r = requireRun();
    note(api.load({ scenario: r.scenario, seed: r.seed }));
    applied = 0;
    runTo(target);
    frontierMs = now();
  };

  /** Exact seek: see [1] at the top of the file. */
  const seekExact = (target: number): void => {
    if (target >= now()) {
      runTo(target);
      return;
    }
    note(api.seek(target));
    // The simulation re-scheduled every kept verb itself [1]: none is left for runTo to apply.
    applied = interventions.length;
  };

  /**
   * Applies a verb now (through `apply`) and steps until its `op/*` event is recorded, so the
   * verb has a time on the timeline. `mine` recognises the verb among others due at the same time.
   */
  const applyNow = (apply: () => RunSlice, mine: (op: Op) => boolean): Intervention | null => {
    const lastSeq = (api.events(0, undefined, 1)[0]?.seq ?? -1) + 1;
    const before = now();
    note(apply());
    for (let i = 0; i < SEND_STEP_BUDGET; i++) {
      const opEvent = api
        .events(lastSeq)
        .filter((e) => e.type.startsWith('op/') && mine(e.data['op'] as Op))
        .at(-1);
      if (opEvent !== undefined) {
        const op = opEvent.data['op'] as Op;
        return { id: nextId++, at: opEvent.at, op, label: describeOp(op) };
      }
      if (now() > before + 2 || !note(api.step()).events.length) break;
    }
    return null;
  };

  const intervene = (apply: () => RunSlice, mine: (op: Op) => boolean, want: FrameWant): Frame => {
    const from = now();
    // Kept verbs due now go first, as they did on the original timeline.
    runTo(now());
    const iv = applyNow(apply, mine);
    if (iv !== null) {
      let i = interventions.length;
      while (i > 0 && (interventions[i - 1] as Intervention).at > iv.at) i--;
      interventions = [...interventions.slice(0, i), iv, ...interventions.slice(i)];
      if (i === applied) applied++;
      // A kept verb was skipped while stepping to this one: rebuild the present exactly.
      else rebuild(now());
      // A verb in the past forks the future: the scrubber's extent ends here (the simulation drops
      // the old future's snapshots when the verb is applied).
      frontierMs = now();
    }
    flowsFromMs = now();
    return frame(last as RunSlice, 1, want, [from, now() + 1]);
  };

  return {
    ...api,
    catalog: () => scenarios,
    open(scenario, seed, want = {}) {
      const found = scenarios.find((s) => s.id === scenario);
      if (found === undefined) throw new Error(`unknown scenario "${scenario}"; known: ${scenarios.map((s) => s.id).join(', ')}`);
      interventions = [];
      applied = 0;
      frontierMs = 0;
      last = null;
      entry = found;
      note(api.load({ scenario, seed }));
      // Run the first millisecond, so the cluster's nodes have started and every view has them.
      const slice = note(api.runFor(1));
      flowsFromMs = slice.nowMs;
      return { scenario: found, topology: api.topology(), frame: frame(slice, slice.eventCount, want, null) };
    },
    advance(ms, want = {}) {
      requireRun();
      const before = last as RunSlice;
      const from = flowsFromMs;
      runTo(now() + Math.max(0, Math.floor(ms)));
      const slice = last as RunSlice;
      flowsFromMs = slice.nowMs;
      return frame(slice, slice.eventCount - before.eventCount, want, [from, slice.nowMs]);
    },
    stepEvent(want = {}) {
      const before = requireRun();
      runTo(now());
      // One step of the queue may record nothing (a CPU finishing its work); step until the trace
      // has a new event, so every press of → shows something.
      let slice = note(api.step());
      for (let i = 0; i < STEP_TO_EVENT_BUDGET && slice.eventCount === before.eventCount && slice.pending > 0; i++) slice = note(api.step());
      // A step that jumped past a kept verb's time is redone exactly, so the verb lands where it was.
      const missed = interventions[applied];
      if (missed !== undefined && missed.at < slice.nowMs) {
        const target = slice.nowMs;
        seekExact(Math.min(before.nowMs, (interventions[0] as Intervention).at));
        runTo(target);
      }
      flowsFromMs = now();
      return frame(last as RunSlice, (last as RunSlice).eventCount - before.eventCount, want, [now(), now() + 1]);
    },
    seekTo(ms, want = {}) {
      requireRun();
      // The earliest moment shown is 1 ms, as after open: at 0 no node has started yet.
      seekExact(Math.max(1, Math.floor(ms)));
      flowsFromMs = now();
      return frame(last as RunSlice, 0, want, null);
    },
    intervene(op, want = {}) {
      requireRun();
      const key = JSON.stringify(op);
      return intervene(() => api.operate(op), (o) => JSON.stringify(o) === key, want);
    },
    say(user, channel, text, want = {}) {
      requireRun();
      const node = api.topology().users.find((u) => u.user === user)?.node;
      const isMine = (o: Op): boolean => {
        if (o.verb !== 'inject' || o.node !== node) return false;
        const msg = o.msg as { channel?: unknown; text?: unknown } | null;
        return msg !== null && typeof msg === 'object' && msg.channel === channel && msg.text === text;
      };
      return intervene(() => api.sendAs(user, channel, text), isMine, want);
    },
    forget(id, want = {}) {
      requireRun();
      if (!interventions.some((iv) => iv.id === id)) return frame(last as RunSlice, 0, want, null);
      interventions = interventions.filter((iv) => iv.id !== id);
      // The run without the verb is another run from its time on: rebuild the present.
      rebuild(now());
      flowsFromMs = now();
      return frame(last as RunSlice, 0, want, null);
    },
    current(want = {}) {
      return frame(requireRun(), 0, want, null);
    },
    sequence(query, display = {}) {
      const atMs = requireRun().nowMs;
      const all = events();
      const common = { atMs, maxMessages: display.maxMessages ?? 120, maxTextLength: display.maxTextLength ?? 16, presenceNotes: display.presenceNotes ?? true, showConnect: display.showConnect ?? false, autonumber: display.autonumber ?? false };
      const result =
        query.mode === 'window'
          ? sequenceDiagramForWindow(all, {
              ...common,
              fromMs: query.fromMs,
              toMs: query.toMs,
              ...(query.user === undefined ? {} : { user: query.user }),
              ...(query.channel === undefined ? {} : { channel: query.channel }),
              hops: query.hops ?? 'all',
              maxChatMessages: query.maxChatMessages ?? 8,
            })
          : query.mode === 'message'
            ? sequenceDiagram(all, {
                ...common,
                ...(query.messageId === undefined ? {} : { messageId: query.messageId }),
                ...(query.clientMsgId === undefined ? {} : { clientMsgId: query.clientMsgId }),
              })
            : sequenceDiagram(all, { ...common, follow: 'latest' });
      const catalog = chatMessagesOf(all, { atMs });
      return {
        text: result.text,
        capped: result.capped,
        participants: result.participants,
        messages: result.messages,
        catalog: catalog.slice(-CATALOG_MAX),
        catalogTotal: catalog.length,
        atMs,
      };
    },
    table(query) {
      requireRun();
      const all = events();
      const limit = Math.max(1, Math.min(TABLE_MAX, query.limit ?? 200));
      const needle = (query.text ?? '').trim().toLowerCase();
      const domains = query.domains !== undefined && query.domains.length > 0 ? new Set(query.domains) : null;
      const present = new Set<string>();
      const rows: TableRow[] = [];
      let matched = 0;
      for (let i = all.length - 1; i >= 0; i--) {
        const e = all[i] as TraceEvent;
        const domain = e.type.slice(0, Math.max(0, e.type.indexOf('/')));
        present.add(domain);
        if (domains !== null && !domains.has(domain)) continue;
        if (query.hideNet === true && domain === 'net') continue;
        if (query.hideTimers === true && e.type === 'node/timerFired') continue;
        if (query.node !== undefined && query.node !== '' && e.node !== query.node) continue;
        if (needle !== '' && !matchesText(e, needle)) continue;
        matched++;
        if (rows.length < limit) rows.push({ seq: e.seq, at: e.at, node: e.node, type: e.type, causeSeq: e.causeSeq, summary: summarizeEvent(e), messageId: messageIdOf(e) });
      }
      rows.reverse();
      return { rows, matched, total: all.length, capped: matched > rows.length, domains: [...present].sort() };
    },
    eventAt(seq) {
      return api.events(seq, seq + 1, 1)[0] ?? null;
    },
    rateLimit(key) {
      // At a playhead of t, the events of every millisecond before t have happened and those of t
      // not yet; the window therefore ends at the last whole millisecond, t − 1. Stepping the
      // playhead to just after a decision (t + 1) then shows the window exactly at that decision.
      const atMs = Math.max(0, requireRun().nowMs - 1);
      const all = events();
      const timeline = rateLimitTimeline(all, { atMs, ...(key === undefined || key === '' ? {} : { key }) });
      const shown = timeline.key;
      let first: number | null = null;
      if (shown !== null) {
        for (const e of all) {
          if ((e.type === 'limiter/allowed' || e.type === 'limiter/rejected') && e.data['key'] === shown) {
            first = e.at;
            break;
          }
        }
      }
      return { timeline, hasDecisions: timeline.keys.length > 0, firstDecisionMs: first };
    },
    workedExample(atMs) {
      const decisions = decideAll(LAB_EXAMPLE_SPEC, LAB_EXAMPLE_TIMES_MS).map((d) => d.allowed);
      return rateLimitTimelineFromDecisions(LAB_EXAMPLE_TIMES_MS, decisions, {
        limit: LAB_EXAMPLE_SPEC.limit,
        windowMs: LAB_EXAMPLE_SPEC.windowMs,
        key: 'lab example',
        algorithm: LAB_EXAMPLE_SPEC.algorithm,
        atMs: Math.max(0, Math.floor(atMs)),
      });
    },
    chat(user) {
      requireRun();
      return api.userView(user);
    },
    report(): RunReport | null {
      return last === null ? null : api.report();
    },
  };
}
