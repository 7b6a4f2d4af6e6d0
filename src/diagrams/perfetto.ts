/**
 * The trace as a Chrome / Perfetto trace (the Trace Event Format's JSON object form), to open in
 * https://ui.perfetto.dev or chrome://tracing. Pure: the same events give the same text, byte for
 * byte. ADR 0025 says why the events are drawn this way.
 *
 * - Each node is a process (`pid`, named by a `process_name` metadata event, ordered by
 *   `process_sort_index`) whose thread 1, "events", holds one short slice ("X", half a µs) per
 *   moment of the node: every trace event the node recorded at that time, listed in the slice's
 *   args. Moments of one node are at least 1 µs apart (the trace's resolution, ADR 0010), so
 *   these slices never touch.
 * - Each delivered network message is a flow arrow: an "s" at its `net/messageSent` on the
 *   sender's events thread and an "f" (binding point "e", the enclosing slice) at its
 *   `net/messageDelivered` on the receiver's, both with the delivery's seq as id. A message never
 *   delivered (dropped, held, past the end) has no arrow; a duplicated one has one per copy.
 * - Each input a node handled with a visible outcome is a complete slice ("X", category "cpu")
 *   from the moment it reached the node's CPU (`net/messageDelivered`, `node/timerFired`) to the
 *   last event it caused there: the time it waited in the queue plus its service time. The trace
 *   records no start of service, so the two are not told apart. Inputs of one node can overlap
 *   (a queue, a pool of workers), so these slices are laid on threads 2, 3, … ("work 1", …),
 *   each input on the lowest-numbered thread free at its arrival.
 * - Each operator verb (`op/*`) is a global instant event ("i", scope "g").
 *
 * Timestamps are µs: the trace's `at` is ms of virtual time with µs resolution, so `at × 1000`
 * rounded is exact.
 */
import type { TraceEvent } from '../sim/index.ts';

/** Metadata events: names and order of processes and threads. */
export interface PerfettoMetadataEvent {
  readonly ph: 'M';
  readonly name: 'process_name' | 'process_sort_index' | 'thread_name' | 'thread_sort_index';
  readonly pid: number;
  readonly tid: number;
  readonly args: { readonly name: string } | { readonly sort_index: number };
}

/** A complete slice. */
export interface PerfettoSliceEvent {
  readonly ph: 'X';
  readonly name: string;
  readonly cat: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur: number;
  readonly args: Readonly<Record<string, unknown>>;
}

/** A flow's start ("s") or end ("f", bound to the enclosing slice). */
export interface PerfettoFlowEvent {
  readonly ph: 's' | 'f';
  readonly name: string;
  readonly cat: string;
  readonly id: number;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly bp?: 'e';
}

/** A global instant. */
export interface PerfettoInstantEvent {
  readonly ph: 'i';
  readonly name: string;
  readonly cat: string;
  readonly s: 'g';
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly args: Readonly<Record<string, unknown>>;
}

export type PerfettoEvent = PerfettoMetadataEvent | PerfettoSliceEvent | PerfettoFlowEvent | PerfettoInstantEvent;

/** The JSON object form of the Trace Event Format. */
export interface PerfettoTrace {
  readonly traceEvents: readonly PerfettoEvent[];
  readonly displayTimeUnit: 'ms';
  /** Free-form facts about the run (shown by Perfetto as the trace's metadata). */
  readonly otherData: Readonly<Record<string, string | number | boolean>>;
}

/** What the export says about the run it came from. */
export interface PerfettoOptions {
  readonly scenario?: string;
  readonly seed?: number;
  /** Where the trace ends (the playhead), in ms. */
  readonly untilMs?: number;
}

/** Thread of a node's moments; threads above it hold the node's handled inputs. */
export const EVENTS_TID = 1;
/** Length of a moment's slice, in µs: half the trace's resolution, so moments never touch. */
export const MOMENT_US = 0.5;
/** Category and name shared by both ends of a message's arrow (Perfetto pairs flows by id, cat and name). */
export const FLOW_CAT = 'net';
export const FLOW_NAME = 'message';
/** Pid of the operator's instants (a global instant draws across every track). */
const OPERATOR_PID = 0;

/** µs of a trace time in ms (exact: times are whole µs, ADR 0010). */
export function toMicros(atMs: number): number {
  return Math.round(atMs * 1000);
}

interface Moment {
  readonly node: string;
  readonly ts: number;
  readonly events: TraceEvent[];
}

/** The `type` of a wire message, if it has one. */
function msgType(msg: unknown): string | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const t = (msg as { type?: unknown }).type;
  return typeof t === 'string' ? t : null;
}

/** A moment's name: its first event of the cluster's own vocabulary, else what the kernel did. */
function momentName(m: Moment, sentOf: (e: TraceEvent) => TraceEvent | undefined): string {
  const own = m.events.find((e) => !e.type.startsWith('net/') && !e.type.startsWith('node/') && !e.type.startsWith('op/'));
  if (own !== undefined) return own.type;
  const first = m.events[0] as TraceEvent;
  if (first.type === 'net/messageDelivered') {
    const sent = sentOf(first);
    const t = sent?.type === 'net/messageSent' ? msgType(sent.data.msg) : null;
    return t === null ? `from ${first.data.from}` : `${t} from ${first.data.from}`;
  }
  if (first.type === 'net/messageSent') {
    const t = msgType(first.data.msg);
    return t === null ? `to ${first.data.to}` : `${t} to ${first.data.to}`;
  }
  if (first.type === 'node/timerFired') return `timer ${first.data.timerId}`;
  return first.type;
}

/** Whether an event is an input the node's CPU handles (its effects carry its seq as cause). */
function isInput(e: TraceEvent): boolean {
  return e.type === 'net/messageDelivered' || e.type === 'node/timerFired';
}

/**
 * The trace as a Perfetto / Chrome trace. `events` are in seq order (a run's trace, or a file
 * read back); events whose `causeSeq` points outside them are still drawn, without an arrow.
 *
 * @example
 * const { trace } = runScenario(scenario, { seed: 42 });
 * const out = toPerfetto(trace.events, { scenario: 'group-chat', seed: 42 });
 * out.traceEvents.filter((e) => e.ph === 's').length; // one per delivered network message
 */
export function toPerfetto(events: readonly TraceEvent[], options: PerfettoOptions = {}): PerfettoTrace {
  const bySeq = new Map<number, TraceEvent>();
  for (const e of events) bySeq.set(e.seq, e);
  const sentOf = (e: TraceEvent): TraceEvent | undefined => (e.causeSeq === null ? undefined : bySeq.get(e.causeSeq));

  // Nodes in order of first appearance (ops are the operator's, not a node's).
  const pids = new Map<string, number>();
  const pidOf = (node: string): number => {
    let pid = pids.get(node);
    if (pid === undefined) {
      pid = pids.size + 1;
      pids.set(node, pid);
    }
    return pid;
  };

  // Deliveries of each sent message (a duplicated message is delivered twice).
  const deliveriesOf = new Map<number, number[]>();
  for (const e of events) {
    if (e.type !== 'net/messageDelivered') continue;
    const sent = sentOf(e);
    if (sent === undefined || sent.type !== 'net/messageSent' || sent.at > e.at) continue;
    const list = deliveriesOf.get(sent.seq);
    if (list === undefined) deliveriesOf.set(sent.seq, [e.seq]);
    else list.push(e.seq);
  }

  // The end of each input's handling: the last event it caused on the same node, later than it.
  const handledUntil = new Map<number, number>();
  for (const e of events) {
    if (e.causeSeq === null) continue;
    const cause = bySeq.get(e.causeSeq);
    if (cause === undefined || !isInput(cause) || cause.node !== e.node) continue;
    if (e.at > cause.at) handledUntil.set(cause.seq, Math.max(handledUntil.get(cause.seq) ?? 0, e.at));
  }

  // Moments: a node's events at one time.
  const moments: Moment[] = [];
  const openMoment = new Map<string, Moment>();
  const momentOfSeq = new Map<number, Moment>();
  for (const e of events) {
    if (e.type.startsWith('op/')) continue;
    pidOf(e.node);
    const ts = toMicros(e.at);
    let m = openMoment.get(e.node);
    if (m === undefined || m.ts !== ts) {
      m = { node: e.node, ts, events: [] };
      openMoment.set(e.node, m);
      moments.push(m);
    }
    m.events.push(e);
    momentOfSeq.set(e.seq, m);
  }

  const body: { readonly ts: number; readonly order: number; readonly event: PerfettoEvent }[] = [];
  let order = 0;
  const push = (ts: number, event: PerfettoEvent): void => {
    body.push({ ts, order: order++, event });
  };
  const emitted = new Set<Moment>();
  const lanes = new Map<string, number[]>();
  let maxLanes = new Map<string, number>();

  for (const e of events) {
    const ts = toMicros(e.at);
    if (e.type.startsWith('op/')) {
      const op = (e.data as { op?: { verb?: unknown } }).op;
      const verb = typeof op?.verb === 'string' ? op.verb : e.type.slice(3);
      push(ts, { ph: 'i', name: `${verb}`, cat: 'op', s: 'g', pid: OPERATOR_PID, tid: 0, ts, args: { seq: e.seq, type: e.type, data: e.data } });
      continue;
    }
    const m = momentOfSeq.get(e.seq) as Moment;
    const pid = pidOf(e.node);
    if (!emitted.has(m)) {
      emitted.add(m);
      push(ts, {
        ph: 'X',
        name: momentName(m, sentOf),
        cat: 'moment',
        pid,
        tid: EVENTS_TID,
        ts,
        dur: MOMENT_US,
        args: { events: m.events.map((x) => ({ seq: x.seq, type: x.type, causeSeq: x.causeSeq, data: x.data })) },
      });
    }
    if (e.type === 'net/messageSent') {
      for (const id of deliveriesOf.get(e.seq) ?? []) push(ts, { ph: 's', name: FLOW_NAME, cat: FLOW_CAT, id, pid, tid: EVENTS_TID, ts });
    } else if (e.type === 'net/messageDelivered' && sentOf(e)?.type === 'net/messageSent' && (deliveriesOf.get(e.causeSeq as number) ?? []).includes(e.seq)) {
      push(ts, { ph: 'f', name: FLOW_NAME, cat: FLOW_CAT, id: e.seq, pid, tid: EVENTS_TID, ts, bp: 'e' });
    }
    const until = handledUntil.get(e.seq);
    if (until !== undefined) {
      const end = toMicros(until);
      const free = lanes.get(e.node) ?? [];
      let lane = free.findIndex((busyUntil) => busyUntil < ts);
      if (lane < 0) {
        lane = free.length;
        free.push(end);
      } else free[lane] = end;
      lanes.set(e.node, free);
      maxLanes.set(e.node, Math.max(maxLanes.get(e.node) ?? 0, lane + 1));
      const sent = e.type === 'net/messageDelivered' ? sentOf(e) : undefined;
      const what = e.type === 'node/timerFired' ? `timer ${e.data.timerId}` : `${(sent?.type === 'net/messageSent' ? msgType(sent.data.msg) : null) ?? 'message'} from ${e.type === 'net/messageDelivered' ? e.data.from : '?'}`;
      push(ts, {
        ph: 'X',
        name: `handle ${what}`,
        cat: 'cpu',
        pid,
        tid: EVENTS_TID + 1 + lane,
        ts,
        dur: end - ts,
        args: { inputSeq: e.seq, note: 'queued + served: from reaching the CPU to the last event the input caused' },
      });
    }
  }
  maxLanes = new Map([...maxLanes].sort());

  // Stable by time: per thread, slices and flows come in time order, a moment's slice before its arrows.
  body.sort((a, b) => a.ts - b.ts || a.order - b.order);

  const meta: PerfettoEvent[] = [];
  const hasOps = events.some((e) => e.type.startsWith('op/'));
  if (hasOps) {
    meta.push({ ph: 'M', name: 'process_name', pid: OPERATOR_PID, tid: 0, args: { name: 'operator' } });
    meta.push({ ph: 'M', name: 'process_sort_index', pid: OPERATOR_PID, tid: 0, args: { sort_index: 0 } });
  }
  for (const [node, pid] of pids) {
    meta.push({ ph: 'M', name: 'process_name', pid, tid: 0, args: { name: node } });
    meta.push({ ph: 'M', name: 'process_sort_index', pid, tid: 0, args: { sort_index: pid } });
    meta.push({ ph: 'M', name: 'thread_name', pid, tid: EVENTS_TID, args: { name: 'events' } });
    meta.push({ ph: 'M', name: 'thread_sort_index', pid, tid: EVENTS_TID, args: { sort_index: EVENTS_TID } });
    const n = maxLanes.get(node) ?? 0;
    for (let k = 1; k <= n; k++) {
      meta.push({ ph: 'M', name: 'thread_name', pid, tid: EVENTS_TID + k, args: { name: `work ${k}` } });
      meta.push({ ph: 'M', name: 'thread_sort_index', pid, tid: EVENTS_TID + k, args: { sort_index: EVENTS_TID + k } });
    }
  }

  const otherData: Record<string, string | number | boolean> = { source: 'switchboard', timeUnit: 'virtual time, µs', events: events.length };
  if (options.scenario !== undefined) otherData['scenario'] = options.scenario;
  if (options.seed !== undefined) otherData['seed'] = options.seed;
  if (options.untilMs !== undefined) otherData['untilMs'] = options.untilMs;
  return { traceEvents: [...meta, ...body.map((b) => b.event)], displayTimeUnit: 'ms', otherData };
}

/**
 * The trace as Perfetto JSON text: one trace event per line, so a diff of two exports is readable.
 * Deterministic: the same events and options give the same text.
 */
export function perfettoJson(events: readonly TraceEvent[], options: PerfettoOptions = {}): string {
  const trace = toPerfetto(events, options);
  const lines = trace.traceEvents.map((e) => JSON.stringify(e));
  return `{"displayTimeUnit":"ms","otherData":${JSON.stringify(trace.otherData)},"traceEvents":[\n${lines.join(',\n')}\n]}\n`;
}
