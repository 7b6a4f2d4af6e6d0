/**
 * Figures: the numbers a lab's narration quotes, each read from a run the student can open. A
 * figure spec is data (`the time of the first db/messageStored in g1`); resolving it against a
 * run's evidence gives the number, its unit, and where it came from (the run and the moment), so
 * the page can link every number to the moment it shows or to the run behind it.
 */
import { compareWithExactLog, decideAll, parseLimiterSpec, type LimiterAlgorithm, type RunReport, type TraceEvent, type TraceEventType } from '../../sim/index.ts';
import { metricOf, type GoalMetric } from './metrics.ts';
import type { LabRun, RunRef } from './types.ts';

/** Matches events whose data has these field values (a channel, a user, a topic). */
export type EventMatch = Readonly<Record<string, string | number | boolean>>;

/** Measures of replaying a run's rate-limited requests through one algorithm. */
export type ReplayMeasure = 'allowed' | 'rejected' | 'overAdmitted' | 'underAdmitted' | 'worstWindow';

interface FigureBase {
  /** Another run than the step's (same seed): the figure is read from it. */
  readonly run?: LabRun;
  /** How the number reads: `ms`, `messages`, `%`… */
  readonly unit?: string;
  /** A short name for the number (tables, link titles). */
  readonly label: string;
  /** Multiplies the value (0.001 turns ms into s); counts and moments keep their events. */
  readonly scale?: number;
}

/** What a figure reads from a run. */
export type FigureSpec = FigureBase &
  (
    | { readonly kind: 'metric'; readonly metric: GoalMetric }
    /** When the nth matching event happened (ms), optionally counted from the first matching event of another type. */
    | { readonly kind: 'eventAt'; readonly type: TraceEventType; readonly match?: EventMatch; readonly nth?: number; readonly relativeTo?: { readonly type: TraceEventType; readonly match?: EventMatch } }
    /** How many matching events there were (leaving out those that also match `exclude`: everyone but the abuser). */
    | { readonly kind: 'eventCount'; readonly type: TraceEventType; readonly match?: EventMatch; readonly exclude?: EventMatch }
    /** The sum of a numeric field over matching events (recipients of every fan-out). */
    | { readonly kind: 'eventSum'; readonly type: TraceEventType; readonly field: string; readonly match?: EventMatch }
    /** How many findings a checker made, or (`firstAt`) when it made the first, in ms. */
    | { readonly kind: 'checker'; readonly checker: string; readonly measure?: 'count' | 'firstAt' }
    /**
     * The run's rate-limited requests (every key, at the limiter's own millisecond) replayed by the
     * simulator's limiter under another algorithm with the same limit and window; over- and
     * under-admission are counted against the exact sliding log.
     */
    | { readonly kind: 'limiterReplay'; readonly algorithm: LimiterAlgorithm | 'run'; readonly measure: ReplayMeasure }
  );

/** A resolved figure: the number and where it came from. */
export interface Figure {
  readonly id: string;
  readonly label: string;
  /** null when the run has no such number (no event of that type, no latency yet). */
  readonly value: number | null;
  readonly unit: string;
  /** The value as the narration prints it. */
  readonly text: string;
  /** The run it was read from. */
  readonly run: RunRef;
  /** The moment it shows (ms), when it is one event; null for a figure of the whole run. */
  readonly at: number | null;
  /** Where the playhead goes to show it: just after its event, or the run's end for a figure of the whole run. */
  readonly moment: number;
  readonly seq: number | null;
  /** The chat message the event is about, when it names one (the sequence diagram can draw it). */
  readonly messageId: string | null;
}

/** The counts of a trace by type, kept as it grows (the workbench's live index has one). */
export interface EventCounts {
  ofType(type: string): { readonly count: number; readonly first: TraceEvent | null };
}

/** Everything a figure or a goal may read about one run at its end. */
export interface RunEvidence {
  readonly ref: RunRef;
  /** The report as the CLI prints it; null for a run that is not a chat cluster. */
  readonly report: RunReport | null;
  /** The run's events in order (bounded: see `truncated`). */
  readonly events: readonly TraceEvent[];
  readonly counts: EventCounts;
  /** True when `events` stopped before the run's end (figures over events then undercount). */
  readonly truncated: boolean;
  /** Where the run ended (its scenario's duration and settle time). */
  readonly endMs: number;
}

const field = (e: TraceEvent, name: string): unknown => (e.data as Readonly<Record<string, unknown>>)[name];

function matches(e: TraceEvent, type: string, match: EventMatch | undefined): boolean {
  if (e.type !== type) return false;
  if (match === undefined) return true;
  for (const [k, v] of Object.entries(match)) if (field(e, k) !== v) return false;
  return true;
}

function nthMatch(events: readonly TraceEvent[], type: string, match: EventMatch | undefined, nth: number): TraceEvent | null {
  let seen = 0;
  for (const e of events) {
    if (!matches(e, type, match)) continue;
    if (seen === nth) return e;
    seen++;
  }
  return null;
}

/** The chat message an event is about, when its data names one (`id` of a chat, db, broker or client event). */
function messageOf(e: TraceEvent): string | null {
  if (e.type.startsWith('net/') || e.type.startsWith('op/')) return null;
  const id = field(e, 'id');
  return typeof id === 'string' ? id : null;
}

/**
 * Formats a number for narration: whole counts as integers with separators, times and ratios to
 * at most one decimal (three for values under 1), so "385.2 ms" and "0.004" both read.
 *
 * @example
 * formatFigure(385.152, 'ms'); // '385.2 ms'
 * formatFigure(1234, 'messages'); // '1,234 messages'
 */
export function formatFigure(value: number | null, unit: string): string {
  if (value === null) return 'none';
  const digits = Number.isInteger(value) ? 0 : Math.abs(value) < 1 ? 3 : 1;
  const n = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit === '' ? n : unit === '%' ? `${n}%` : `${n} ${unit}`;
}

/** Request times per limiter key, in the order of the run, at the limiter's own (whole) millisecond. */
export function limitedRequests(events: readonly TraceEvent[]): { readonly traffic: number[][]; readonly limit: number; readonly windowMs: number; readonly algorithm: LimiterAlgorithm } | null {
  const byKey = new Map<string, number[]>();
  let spec: { limit: number; windowMs: number; algorithm: LimiterAlgorithm } | null = null;
  for (const e of events) {
    if (e.type !== 'limiter/allowed' && e.type !== 'limiter/rejected') continue;
    spec ??= { limit: e.data.limit, windowMs: e.data.windowMs, algorithm: e.data.algorithm as LimiterAlgorithm };
    const list = byKey.get(e.data.key) ?? [];
    list.push(Math.floor(e.at));
    byKey.set(e.data.key, list);
  }
  return spec === null ? null : { traffic: [...byKey.values()], ...spec };
}

function replay(spec: Extract<FigureSpec, { kind: 'limiterReplay' }>, events: readonly TraceEvent[]): number | null {
  const req = limitedRequests(events);
  if (req === null) return null;
  const parsed = parseLimiterSpec({ algorithm: spec.algorithm === 'run' ? req.algorithm : spec.algorithm, limit: req.limit, windowMs: req.windowMs });
  if (!parsed.ok) throw new Error(`limiter replay of ${spec.label}: ${parsed.errors.join('; ')}`);
  const limiter = parsed.spec;
  if (spec.measure === 'allowed' || spec.measure === 'rejected') {
    let allowed = 0;
    let total = 0;
    for (const times of req.traffic) {
      for (const d of decideAll(limiter, times)) {
        total++;
        if (d.allowed) allowed++;
      }
    }
    return spec.measure === 'allowed' ? allowed : total - allowed;
  }
  const cmp = compareWithExactLog(limiter, req.traffic);
  if (spec.measure === 'overAdmitted') return cmp.overAdmitted;
  if (spec.measure === 'underAdmitted') return cmp.underAdmitted;
  return cmp.worstWindow?.allowed ?? 0;
}

/**
 * Reads one figure from a run's evidence.
 *
 * @example
 * resolveFigure('persist', { kind: 'eventAt', type: 'db/messageStored', match: { channel: 'g1' }, label: 'stored', unit: 'ms' }, evidence);
 * // { value: 6027.343, text: '6,027.3 ms', at: 6027.343, seq: 812, messageId: 'm2', run: { scenario: 'private-chat', seed: 42, … } }
 */
export function resolveFigure(id: string, spec: FigureSpec, evidence: RunEvidence): Figure {
  const unit = spec.unit ?? '';
  const make = (raw: number | null, event: TraceEvent | null = null): Figure => {
    const value = raw === null || spec.scale === undefined ? raw : Math.round(raw * spec.scale * 1e6) / 1e6;
    return {
      id,
      label: spec.label,
      value,
      unit,
      text: formatFigure(value, unit),
      run: evidence.ref,
      at: event?.at ?? null,
      moment: event === null ? evidence.endMs : Math.min(evidence.endMs, Math.floor(event.at) + 1),
      seq: event?.seq ?? null,
      messageId: event === null ? null : messageOf(event),
    };
  };
  const { events, report } = evidence;
  switch (spec.kind) {
    case 'metric':
      return make(report === null ? null : metricOf(report, spec.metric));
    case 'eventAt': {
      const e = nthMatch(events, spec.type, spec.match, spec.nth ?? 0);
      if (e === null) return make(null);
      if (spec.relativeTo === undefined) return make(e.at, e);
      const from = nthMatch(events, spec.relativeTo.type, spec.relativeTo.match, 0);
      return make(from === null ? null : Math.round((e.at - from.at) * 1000) / 1000, e);
    }
    case 'eventCount': {
      let n = 0;
      let first: TraceEvent | null = null;
      for (const e of events) {
        if (!matches(e, spec.type, spec.match)) continue;
        if (spec.exclude !== undefined && matches(e, spec.type, spec.exclude)) continue;
        first ??= e;
        n++;
      }
      return make(n, first);
    }
    case 'eventSum': {
      let sum = 0;
      for (const e of events) {
        if (!matches(e, spec.type, spec.match)) continue;
        const v = field(e, spec.field);
        if (typeof v === 'number') sum += v;
      }
      return make(sum);
    }
    case 'checker': {
      const found = report?.violations.filter((v) => v.checker === spec.checker) ?? [];
      const first = found[0];
      const value = report === null ? null : spec.measure === 'firstAt' ? (first?.at ?? null) : found.length;
      const figure = make(value);
      return first === undefined ? figure : { ...figure, at: first.at, seq: first.seq, moment: Math.min(evidence.endMs, Math.floor(first.at) + 1) };
    }
    case 'limiterReplay':
      return make(replay(spec, events));
  }
}
