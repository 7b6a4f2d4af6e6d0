/**
 * Two runs side by side: where their traces first part ways, the first moment a user sees a
 * difference, and every figure of their reports that differs. Pure functions over two event arrays
 * and two reports, so the workbench answers them next to the traces and the tests run them on real
 * runs.
 *
 * Two runs of one seed share their traffic (the workload draws from its own fork of the PRNG), so
 * they agree event for event until the design decision that differs first acts; from there on the
 * raw traces drift apart, and positions no longer line up [1]. What a user sees is compared by the
 * sender's identity of each send (author + client message id, `u1-5`), never by the id the server
 * assigned (`m17`), which depends on the order the server happened to accept sends in (ADR 0011).
 *
 * [1] So the raw divergence is only the *first* differing position; after it, a position-by-
 *     position diff would mostly report the shift. The shown-order divergence is the one a
 *     person reads: per user and channel, the first place the two screens disagree.
 */
import type { RunReport, TraceEvent } from '../sim/index.ts';

/** One side of a divergence: the event there, in words (null when that trace had already ended). */
export interface DivergentEvent {
  readonly seq: number;
  readonly atMs: number;
  readonly node: string;
  readonly type: string;
  /** `ws-1 net/messageSent at 1.234 s: {…}`: what happened, with its data cut to a readable length. */
  readonly text: string;
}

/** The first position where two traces differ. */
export interface RawDivergence {
  /** Index in both event arrays (the events before it are equal in time, node, type and data). */
  readonly index: number;
  /** The earlier of the two sides' times: where to put both playheads to see it happen. */
  readonly atMs: number;
  readonly a: DivergentEvent | null;
  readonly b: DivergentEvent | null;
  /** One sentence saying what differs. */
  readonly summary: string;
}

/** What one side showed at a position of a user's channel. */
export interface ShownEntry {
  /** The sender's identity of the send: author and client message id. */
  readonly author: string;
  readonly clientMsgId: string;
  /** The id the server gave it in this run (may differ between runs for the same send). */
  readonly id: string;
  readonly atMs: number;
}

/** The first moment users see a difference. */
export interface ShownDivergence {
  readonly user: string;
  readonly channel: string;
  /** 0-based position in what the user was shown in that channel, in order. */
  readonly position: number;
  /** When the first of the two sides showed something different there. */
  readonly atMs: number;
  /** What each side showed at that position (null: nothing, that side showed fewer). */
  readonly a: ShownEntry | null;
  readonly b: ShownEntry | null;
  /** The send to draw in both sequence diagrams (the one A showed there, else B's). */
  readonly clientMsgId: string;
  readonly summary: string;
}

/** Which way a figure moved from A to B, and whether that is better. */
export interface FigureDiff {
  /** Dotted path in the report: `counts.outOfOrderShown`, `latencyMs.p99`, `violations.ordering`. */
  readonly figure: string;
  readonly a: number;
  readonly b: number;
  /** B − A, rounded to a millionth (figures are sums of µs-exact times and ratios). */
  readonly delta: number;
  readonly direction: 'higher' | 'lower';
  /** Which side is better on this figure, or null when more is neither better nor worse (traffic). */
  readonly better: 'a' | 'b' | null;
}

/** Events of a trace compared field by field, `seq` and `causeSeq` aside (positions, not facts). */
function sameEvent(x: TraceEvent, y: TraceEvent): boolean {
  return x.at === y.at && x.node === y.node && x.type === y.type && JSON.stringify(x.data) === JSON.stringify(y.data);
}

const DATA_TEXT_MAX = 160;

/** An event in words: node, type, time and its data cut to a readable length. */
export function describeEvent(e: TraceEvent): string {
  const data = JSON.stringify(e.data);
  const cut = data.length > DATA_TEXT_MAX ? `${data.slice(0, DATA_TEXT_MAX - 1)}…` : data;
  return `${e.node} ${e.type} at ${secondsText(e.at)}: ${cut}`;
}

function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

function divergent(e: TraceEvent | undefined): DivergentEvent | null {
  return e === undefined ? null : { seq: e.seq, atMs: e.at, node: e.node, type: e.type, text: describeEvent(e) };
}

/**
 * The first position where two traces differ (time, node, type or data), or null when they are
 * the same event for event (`seq` and `causeSeq` are positions and follow from the rest).
 *
 * @example
 * firstRawDivergence(runA.events, runA.events); // null
 * firstRawDivergence(without.events, with.events)?.summary; // 'From event 1,234 the runs differ: …'
 */
export function firstRawDivergence(a: readonly TraceEvent[], b: readonly TraceEvent[]): RawDivergence | null {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && sameEvent(a[i] as TraceEvent, b[i] as TraceEvent)) i++;
  if (i === a.length && i === b.length) return null;
  const ea = a[i];
  const eb = b[i];
  const atMs = Math.min(ea?.at ?? Infinity, eb?.at ?? Infinity);
  const where = `From event ${(i + 1).toLocaleString('en-US')} (t = ${secondsText(atMs)}) the traces differ`;
  const summary =
    ea === undefined ? `${where}: A has ended, B goes on with ${describeEvent(eb as TraceEvent)}.` : eb === undefined ? `${where}: B has ended, A goes on with ${describeEvent(ea)}.` : `${where}: A has ${describeEvent(ea)}; B has ${describeEvent(eb)}.`;
  return { index: i, atMs, a: divergent(ea), b: divergent(eb), summary };
}

/** Every `client/messageShown` of a trace, by user and channel, in the order shown. */
export function shownSequences(events: readonly TraceEvent[]): Map<string, ShownEntry[]> {
  const out = new Map<string, ShownEntry[]>();
  for (const e of events) {
    if (e.type !== 'client/messageShown') continue;
    const d = e.data;
    const key = `${d.user}\u0000${d.channel}`;
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push({ author: d.author, clientMsgId: d.clientMsgId, id: d.id, atMs: e.at });
  }
  return out;
}

function sameSend(x: ShownEntry, y: ShownEntry): boolean {
  return x.author === y.author && x.clientMsgId === y.clientMsgId;
}

function entryText(e: ShownEntry | null): string {
  return e === null ? 'nothing yet' : `${e.author}'s ${e.clientMsgId} (at ${secondsText(e.atMs)})`;
}

/**
 * The first moment a user sees a difference: over every (user, channel), the first position where
 * the two runs showed a different send (by author and client message id), or where one side showed
 * something and the other nothing; the earliest such moment of all. Null when every user saw the
 * same sends in the same order on both sides.
 *
 * @example
 * firstShownDivergence(without.events, with.events)?.summary;
 * // 'u3 in g1, message 5: A showed u2's u2-3 (at 4.120 s); B showed u5's u5-1 (at 4.180 s).'
 */
export function firstShownDivergence(a: readonly TraceEvent[], b: readonly TraceEvent[]): ShownDivergence | null {
  const sa = shownSequences(a);
  const sb = shownSequences(b);
  let best: ShownDivergence | null = null;
  const keys = [...new Set([...sa.keys(), ...sb.keys()])].sort();
  for (const key of keys) {
    const la = sa.get(key) ?? [];
    const lb = sb.get(key) ?? [];
    const n = Math.max(la.length, lb.length);
    let i = 0;
    while (i < n && la[i] !== undefined && lb[i] !== undefined && sameSend(la[i] as ShownEntry, lb[i] as ShownEntry)) i++;
    if (i === n) continue;
    const ea = la[i] ?? null;
    const eb = lb[i] ?? null;
    const atMs = Math.min(ea?.atMs ?? Infinity, eb?.atMs ?? Infinity);
    if (best !== null && best.atMs <= atMs) continue;
    const [user, channel] = key.split('\u0000') as [string, string];
    best = {
      user,
      channel,
      position: i,
      atMs,
      a: ea,
      b: eb,
      clientMsgId: (ea ?? eb as ShownEntry).clientMsgId,
      summary: `${user} in ${channel}, message ${i + 1}: A showed ${entryText(ea)}; B showed ${entryText(eb)}.`,
    };
  }
  return best;
}

/**
 * Figures where less is better (faults a user suffers, waiting, cost); for the rest (traffic
 * sent, messages per component) more is neither better nor worse.
 */
const LOWER_IS_BETTER: readonly RegExp[] = [
  /^counts\.(duplicatesShown|outOfOrderShown|senderOrderBroken|causalBroken|lost|failedShown|pending|lostSends|rateLimited|forbidden)$/,
  /^latencyMs\./,
  /^violations\./,
  /^brokerLag\./,
  /^messagesPerPersisted$/,
  /^transport\.(lastMileBytes|backEndBytes|chatBytesPerStoredMessage|chatNetworkMessagesPerStoredMessage|chatHttpRequestsPerSentMessage)$/,
];
/** Figures where more is better: the work the users got done. */
const HIGHER_IS_BETTER: readonly RegExp[] = [/^counts\.(delivered|acked|persisted)$/];

/** A report's figures, flattened to dotted paths (violations counted by checker). */
export function reportFigures(r: RunReport): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (prefix: string, value: unknown): void => {
    if (typeof value === 'number') out.set(prefix, value);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(`${prefix}.${k}`, v);
    }
  };
  walk('counts', r.counts);
  if (r.latencyMs !== null) walk('latencyMs', r.latencyMs);
  out.set('messagesPerPersisted', r.messagesPerPersisted);
  walk('brokerLag', r.brokerLag);
  walk('transport', r.transport);
  walk('messagesPerComponent', r.messagesPerComponent);
  const byChecker = new Map<string, number>();
  for (const v of r.violations) byChecker.set(v.checker, (byChecker.get(v.checker) ?? 0) + 1);
  for (const [checker, n] of byChecker) out.set(`violations.${checker}`, n);
  return out;
}

/**
 * Every figure of two reports that differs, with both values, B − A, and which side is better
 * (null where more is neither). A figure one report lacks counts as 0 there (a checker with no
 * violation, a component that carried nothing); the report's own bookkeeping (seed, events, hash,
 * wall time) is left out. Ordered by figure name.
 *
 * @example
 * diffReports(without.report, with.report).find((d) => d.figure === 'violations.ordering');
 * // { a: 181, b: 0, delta: -181, direction: 'lower', better: 'b', … }
 */
export function diffReports(a: RunReport, b: RunReport): FigureDiff[] {
  const fa = reportFigures(a);
  const fb = reportFigures(b);
  const names = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  const out: FigureDiff[] = [];
  for (const figure of names) {
    const va = fa.get(figure) ?? 0;
    const vb = fb.get(figure) ?? 0;
    if (va === vb) continue;
    const direction = vb > va ? 'higher' : 'lower';
    const lower = LOWER_IS_BETTER.some((r) => r.test(figure));
    const higher = HIGHER_IS_BETTER.some((r) => r.test(figure));
    const better = lower ? (vb < va ? 'b' : 'a') : higher ? (vb > va ? 'b' : 'a') : null;
    out.push({ figure, a: va, b: vb, delta: Math.round((vb - va) * 1e6) / 1e6, direction, better });
  }
  return out;
}
