/**
 * The lab's third diagram: a rate-limit timeline, as d3-ready plain series. Every decision of a
 * limiter for one key becomes a mark (time, allowed or not, the count it compared with the
 * limit), and the window that slides over them is a bracket `[atMs − windowMs, atMs]` with the
 * requests counted inside it. For the sliding-window counter, the previous window's weighted
 * share and the current window's count are given separately, since that split is the algorithm.
 *
 * Marks come from `limiter/allowed` / `limiter/rejected` events (LimiterDecisionData in
 * the contract, src/sim/contract/events.ts), or from plain times and decisions for a worked example.
 */
import type { LimiterDetail, TraceEvent } from '../sim/index.ts';
import { compareIds } from './roles.ts';

/** One request and the limiter's decision on it. */
export interface RateLimitMark {
  /** When the request was decided (ms). */
  readonly t: number;
  readonly allowed: boolean;
  /**
   * What the algorithm compared with `limit`, as the simulator's limiter reports it (for a sliding
   * log: the requests in the window including this one, allowed iff count ≤ limit).
   */
  readonly count: number;
  readonly limit: number;
  /** For a refusal: how long until a request could pass, if the limiter said. */
  readonly retryAfterMs: number | null;
  /** The trace event, or null for marks built from plain decisions. */
  readonly seq: number | null;
  readonly detail: LimiterDetail;
}

/** The window sliding over the marks, at `atMs`. */
export interface RateLimitWindow {
  /** `atMs − windowMs`; the window includes both ends. */
  readonly startMs: number;
  readonly endMs: number;
  /** Allowed requests inside the window, both ends included. */
  readonly count: number;
  /** Allowed requests inside the window before `atMs` itself: what a request at `atMs` is judged by. */
  readonly countBefore: number;
  /** Refused requests inside the window. */
  readonly denied: number;
  readonly limit: number;
  /** Indexes into `marks` of the requests inside the window. */
  readonly markIndexes: readonly number[];
}

/** The sliding-window counter's estimate, split into its two parts. */
export interface SlidingCounterView {
  /** Start of the current fixed window, when the limiter reported it. */
  readonly windowStartMs: number | null;
  /** Requests counted in the previous fixed window. */
  readonly previousCount: number;
  /** How much of the previous window still overlaps the sliding one (0..1). */
  readonly previousWeight: number;
  /** previousCount × previousWeight: the previous window's share of the estimate. */
  readonly previousShare: number;
  /** Requests counted in the current fixed window. */
  readonly currentCount: number;
  /** previousShare + currentCount: what is compared with the limit. */
  readonly estimate: number;
  /** The decision the figures come from (they are moved on to `atMs` when the window start is known). */
  readonly decisionAt: number;
}

/** A key that has decisions, for a picker. */
export interface RateLimitKey {
  readonly key: string;
  readonly decisions: number;
  readonly rejected: number;
}

/** The timeline of one key at `atMs`. */
export interface RateLimitTimeline {
  /** Every key with decisions in the trace, most decisions first. */
  readonly keys: readonly RateLimitKey[];
  /** The key shown, or null when the trace has no decisions. */
  readonly key: string | null;
  readonly algorithm: string | null;
  readonly placement: string | null;
  readonly limit: number | null;
  readonly windowMs: number | null;
  readonly atMs: number;
  /** The key's decisions up to `atMs`, in time order. */
  readonly marks: readonly RateLimitMark[];
  /** The window bracket `[atMs − windowMs, atMs]` at `atMs`, or null without decisions. */
  readonly bracket: RateLimitWindow | null;
  /** Fixed-window and sliding-counter limiters: the current fixed window, when reported. */
  readonly fixedWindow: { readonly startMs: number; readonly endMs: number } | null;
  /** Sliding-counter limiters: the estimate's two parts at `atMs`. */
  readonly slidingCounter: SlidingCounterView | null;
  /** x extent covering the marks and the window (ms). */
  readonly domainMs: readonly [number, number];
  /** y extent: the larger of the limit and the highest count. */
  readonly maxCount: number;
}

/** Options of {@link rateLimitTimeline}. */
export interface RateLimitTimelineOptions {
  /** The key to show (`user:u3`). Default: the key with the most decisions (ties by name). */
  readonly key?: string;
  /** The moment the window ends at. Default: the key's last decision. */
  readonly atMs?: number;
}

interface Meta {
  readonly key: string;
  readonly algorithm: string;
  readonly placement: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** Builds the timeline from marks already in time order. */
function timelineOf(marksAll: readonly RateLimitMark[], meta: Meta | null, keys: readonly RateLimitKey[], atOption: number | undefined): RateLimitTimeline {
  const lastT = marksAll.length === 0 ? 0 : (marksAll[marksAll.length - 1] as RateLimitMark).t;
  const atMs = atOption ?? lastT;
  const marks = marksAll.filter((m) => m.t <= atMs);
  if (meta === null) {
    return { keys, key: null, algorithm: null, placement: null, limit: null, windowMs: null, atMs, marks: [], bracket: null, fixedWindow: null, slidingCounter: null, domainMs: [atMs, atMs], maxCount: 0 };
  }
  // The lab's window includes its start: a request exactly windowMs ago still counts.
  const startMs = atMs - meta.windowMs;
  const markIndexes: number[] = [];
  let count = 0;
  let countBefore = 0;
  let denied = 0;
  marks.forEach((m, i) => {
    if (m.t < startMs || m.t > atMs) return;
    markIndexes.push(i);
    if (!m.allowed) denied++;
    else {
      count++;
      if (m.t < atMs) countBefore++;
    }
  });
  const slidingWindow: RateLimitWindow = { startMs, endMs: atMs, count, countBefore, denied, limit: meta.limit, markIndexes };

  const lastDetail = [...marks].reverse().find((m) => m.detail.windowStartMs !== undefined);
  const fixedWindow =
    lastDetail?.detail.windowStartMs === undefined
      ? null
      : (() => {
          // Move the reported window on to atMs: fixed windows are aligned to their start.
          const ws = lastDetail.detail.windowStartMs as number;
          const k = Math.max(0, Math.floor((atMs - ws) / meta.windowMs));
          return { startMs: ws + k * meta.windowMs, endMs: ws + (k + 1) * meta.windowMs };
        })();

  const counterMark = [...marks].reverse().find((m) => m.detail.previousCount !== undefined || m.detail.currentCount !== undefined);
  let slidingCounter: SlidingCounterView | null = null;
  if (counterMark !== undefined) {
    const d = counterMark.detail;
    let previousCount = d.previousCount ?? 0;
    let currentCount = d.currentCount ?? 0;
    let previousWeight = d.previousWeight ?? 0;
    const ws = d.windowStartMs;
    if (ws !== undefined && meta.windowMs > 0) {
      // The weight falls as the sliding window leaves the previous fixed window; past one
      // window the current count becomes the previous one.
      const k = Math.floor((atMs - ws) / meta.windowMs);
      if (k >= 1) {
        previousCount = k === 1 ? currentCount : 0;
        currentCount = 0;
      }
      const elapsed = atMs - (ws + Math.max(0, k) * meta.windowMs);
      previousWeight = Math.min(1, Math.max(0, 1 - elapsed / meta.windowMs));
    }
    const previousShare = previousCount * previousWeight;
    slidingCounter = {
      windowStartMs: ws === undefined ? null : ws + Math.max(0, Math.floor((atMs - ws) / meta.windowMs)) * meta.windowMs,
      previousCount,
      previousWeight,
      previousShare,
      currentCount,
      estimate: previousShare + currentCount,
      decisionAt: counterMark.t,
    };
  }

  const first = marks.length === 0 ? startMs : Math.min(startMs, (marks[0] as RateLimitMark).t);
  const maxCount = marks.reduce((max, m) => Math.max(max, m.count), Math.max(meta.limit, count));
  return {
    keys,
    key: meta.key,
    algorithm: meta.algorithm,
    placement: meta.placement,
    limit: meta.limit,
    windowMs: meta.windowMs,
    atMs,
    marks,
    bracket: slidingWindow,
    fixedWindow,
    slidingCounter,
    domainMs: [first, atMs],
    maxCount,
  };
}

/**
 * The rate-limit timeline of one key from a trace's `limiter/allowed` and `limiter/rejected`
 * events: every decision as a mark, the window `[atMs − windowMs, atMs]` (both ends included)
 * with the requests inside it, and for the sliding counter its two parts. `keys` lists every
 * key for a picker. Defaults: `key` the busiest, `atMs` that key's last decision.
 *
 * @example
 * const tl = rateLimitTimeline(trace.events, { key: 'user:u3', atMs: 60_000 });
 * tl.bracket?.count;  // allowed requests of u3 in the last 60 s
 * tl.marks.filter((m) => !m.allowed).length; // refusals so far
 */
export function rateLimitTimeline(source: readonly TraceEvent[] | RateLimitDecisions, options: RateLimitTimelineOptions = {}): RateLimitTimeline {
  let decisions: RateLimitDecisions;
  if (source instanceof RateLimitDecisions) decisions = source;
  else {
    decisions = new RateLimitDecisions();
    for (const e of source) decisions.observe(e);
  }
  return decisions.timeline(options);
}

/**
 * Every rate-limit decision of a trace, by key, kept up to date event by event, so a timeline
 * costs the decisions of the key it draws, not the length of the run.
 *
 * @example
 * const decisions = new RateLimitDecisions();
 * sim.trace.subscribe((e) => decisions.observe(e));
 * decisions.timeline({ key: 'user:u3' }).bracket?.count;
 */
export class RateLimitDecisions {
  private readonly byKey = new Map<string, { marks: RateLimitMark[]; meta: Meta; rejected: number }>();

  /** Takes the next event of the trace. */
  observe(e: TraceEvent): void {
    if (e.type !== 'limiter/allowed' && e.type !== 'limiter/rejected') return;
    const d = e.data;
    // The latest decision's limit and window win: an instructor may change them mid-run.
    const meta: Meta = { key: d.key, algorithm: d.algorithm, placement: d.placement, limit: d.limit, windowMs: d.windowMs };
    let entry = this.byKey.get(d.key);
    if (entry === undefined) {
      entry = { marks: [], rejected: 0, meta };
      this.byKey.set(d.key, entry);
    }
    const allowed = e.type === 'limiter/allowed';
    if (!allowed) entry.rejected++;
    entry.meta = meta;
    // The limiter's own clock: whole ms, floored from the µs-exact event time (ADR 0010), so the
    // windows drawn here count what the limiter counted.
    entry.marks.push({ t: Math.floor(e.at), allowed, count: d.count, limit: d.limit, retryAfterMs: d.retryAfterMs, seq: e.seq, detail: d.detail });
  }

  /** The keys with their decision counts, busiest first (ties by name). */
  keys(): RateLimitKey[] {
    return [...this.byKey.values()]
      .map((v) => ({ key: v.meta.key, decisions: v.marks.length, rejected: v.rejected }))
      .sort((a, b) => b.decisions - a.decisions || compareIds(a.key, b.key));
  }

  /** The time of a key's first decision, or null. */
  firstDecisionMs(key: string): number | null {
    return this.byKey.get(key)?.marks[0]?.t ?? null;
  }

  /** The timeline of one key (default: the busiest). See {@link rateLimitTimeline}. */
  timeline(options: RateLimitTimelineOptions = {}): RateLimitTimeline {
    const keys = this.keys();
    const chosen = options.key ?? keys[0]?.key;
    const entry = chosen === undefined ? undefined : this.byKey.get(chosen);
    if (entry === undefined) {
      const empty = timelineOf([], null, keys, options.atMs);
      return chosen === undefined ? empty : { ...empty, key: chosen };
    }
    return timelineOf(entry.marks, entry.meta, keys, options.atMs);
  }
}

/** The limiter behind a worked example. */
export interface ExampleLimiterSpec {
  readonly limit: number;
  readonly windowMs: number;
  /** Shown as the timeline's key. Default `example`. */
  readonly key?: string;
  /** Default `sliding-log`. */
  readonly algorithm?: string;
  /** Default `example`. */
  readonly placement?: string;
  /** The moment the window ends at. Default: the last request. */
  readonly atMs?: number;
}

/** A mark of a worked example, with what a sliding log would have decided. */
export interface ExampleMark extends RateLimitMark {
  /** True when a sliding log with this limit and window (start included) allows the request: count ≤ limit. */
  readonly logAllows: boolean;
}

/** The timeline of a worked example: marks also say what a sliding log would decide. */
export type ExampleTimeline = Omit<RateLimitTimeline, 'marks'> & { readonly marks: readonly ExampleMark[] };

/**
 * The same timeline from plain request times and decisions, so a worked example can be drawn
 * without running a cluster. Counts follow the simulator's sliding log with its default
 * `inclusive` boundary: the allowed requests in `[t − windowMs, t]` plus this one (refused
 * requests are not logged). Each mark also says whether such a log would allow it, so a hand-made
 * example can be checked. Decisions may be booleans or `'allow'` / `'deny'`.
 *
 * @example
 * // The lab: limit 5 per 60 s; requests at 0, 15, 20, 35, 55, 60, 65 s; 60 denied, 65 allowed.
 * const tl = rateLimitTimelineFromDecisions(
 *   [0, 15_000, 20_000, 35_000, 55_000, 60_000, 65_000],
 *   [true, true, true, true, true, false, true],
 *   { limit: 5, windowMs: 60_000, atMs: 60_000 },
 * );
 * tl.bracket; // { startMs: 0, endMs: 60_000, count: 5, denied: 1, … }
 */
export function rateLimitTimelineFromDecisions(
  times: readonly number[],
  decisions: readonly (boolean | 'allow' | 'deny')[],
  spec: ExampleLimiterSpec,
): ExampleTimeline {
  if (times.length !== decisions.length) throw new Error(`times (${times.length}) and decisions (${decisions.length}) differ in length`);
  const order = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const allowedTimes: number[] = [];
  const marks: ExampleMark[] = [];
  for (const [t, i] of order) {
    const d = decisions[i];
    const allowed = d === true || d === 'allow';
    const inWindow = allowedTimes.filter((x) => x >= t - spec.windowMs);
    const count = inWindow.length + 1;
    let retryAfterMs: number | null = null;
    if (!allowed && count > spec.limit) {
      // The request could pass once enough of the oldest have left the window (start included,
      // so a request leaves one millisecond after windowMs has passed).
      const leaving = inWindow[count - 1 - spec.limit] as number;
      retryAfterMs = leaving + spec.windowMs + 1 - t;
    }
    const log = allowed ? [...inWindow, t] : inWindow;
    marks.push({ t, allowed, count, limit: spec.limit, retryAfterMs, seq: null, detail: { log }, logAllows: count <= spec.limit });
    if (allowed) allowedTimes.push(t);
  }
  const meta: Meta = {
    key: spec.key ?? 'example',
    algorithm: spec.algorithm ?? 'sliding-log',
    placement: spec.placement ?? 'example',
    limit: spec.limit,
    windowMs: spec.windowMs,
  };
  const keys: RateLimitKey[] = [{ key: meta.key, decisions: marks.length, rejected: marks.filter((m) => !m.allowed).length }];
  const timeline = timelineOf(marks, meta, keys, spec.atMs);
  return { ...timeline, marks: timeline.marks as readonly ExampleMark[] };
}
