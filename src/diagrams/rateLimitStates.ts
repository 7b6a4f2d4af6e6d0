/**
 * The rate limiter in its own terms: each request of one key explained with the figures of the
 * algorithm that decided it (a token bucket's tokens and refill, a leaky bucket's level and drain,
 * GCRA's theoretical arrival time, a leaky queue's place in line, a fixed window's bounds and
 * count, a sliding log's entries, a sliding counter's weighted estimate), and the algorithm's
 * state flow as a Mermaid `stateDiagram-v2` that follows the run request by request.
 *
 * Every figure is read from the limiter's own decision records (`limiter/allowed`,
 * `limiter/rejected`: `count`, `retryAfterMs`, `detail`) through a {@link RateLimitTimeline}; the
 * only arithmetic here is between two records of the same key (the tokens a bucket gained between
 * two requests is the second one's tokens before it minus the first one's tokens after it).
 *
 * The states are levels of the algorithm's own quantity (a bucket full, with tokens, empty; a
 * window with room or at its limit), so a request's decision is a transition between the level
 * before it and the level after it, and what time did between two requests (refill, drain, a new
 * window, old requests sliding out) is a transition of its own. Mermaid's state diagrams style
 * states only (`classDef`, `class`), so the state at the playhead and the one the last request
 * came from carry classes, and the transition the last request took carries its number and
 * figures as its label, marked with ▶.
 */
import { escapeMermaidText } from './mermaid/print.ts';
import type { RateLimitMark, RateLimitTimeline } from './rateLimit.ts';

/** One state of an algorithm's flow. */
export interface RateLimitState {
  /** A Mermaid-safe id (`full`, `some`, `empty`, …). */
  readonly id: string;
  readonly label: string;
}

/** A transition between two states, named by what happens. */
export interface RateLimitTransition {
  readonly from: string;
  readonly to: string;
  /** What happens: `take a token`, `deny`, `refill`, `new window`, … */
  readonly action: string;
}

/** One request of the key, in the terms of its algorithm. */
export interface RateLimitStep {
  /** Index among the key's decisions (0-based); the lab calls it R{index + 1}. */
  readonly index: number;
  /** `R7`. */
  readonly name: string;
  readonly t: number;
  readonly allowed: boolean;
  /** The trace event of the decision, or null for a worked example's marks. */
  readonly seq: number | null;
  /** The state just before the request (after whatever time did since the previous one). */
  readonly before: string;
  /** The state the decision left. */
  readonly after: string;
  /** What time did between the previous request and this one, when it changed the state; null otherwise. */
  readonly between: RateLimitTransition | null;
  /** The decision, from `before` to `after`. */
  readonly decision: RateLimitTransition;
  /**
   * The figures the sentence quotes, by name, as the limiter recorded them or as the difference of
   * two of its records (see each algorithm's sentence). Null where a figure does not apply.
   */
  readonly figures: Readonly<Record<string, number | null>>;
  /** Why the limiter decided as it did, in its own terms. */
  readonly sentence: string;
  /** The transition's label in the state diagram: `R7 at 12 s – 0.67 tokens → denied`. */
  readonly label: string;
}

/** How the chart should name its axis and its bound for this algorithm. */
export interface RateLimitTerms {
  /** The y axis: what `count` is for this algorithm. */
  readonly yTitle: string;
  /** `limit`, `burst` or `queue max`: what `count` is compared with. */
  readonly boundName: string;
  /** Its value, from the decisions (the limit when they do not say). */
  readonly bound: number;
  /** True for the window algorithms, whose chart draws the window bracket. */
  readonly windowed: boolean;
  /** A short name for a student: `Token bucket`. */
  readonly name: string;
}

/** The explanation of a key's requests up to the playhead. */
export interface RateLimitExplanation {
  readonly algorithm: string | null;
  readonly terms: RateLimitTerms;
  /** Every request of the key up to the playhead, in order. */
  readonly steps: readonly RateLimitStep[];
  /** The last request before the playhead, or null. */
  readonly last: RateLimitStep | null;
  /** The state at the playhead in a sentence (`Bucket after R7: 0 of 5 tokens`), or null without requests. */
  readonly summary: string | null;
}

/** Options of {@link explainRateLimit} and {@link rateLimitStateDiagram}. */
export interface RateLimitExplainOptions {
  /** Times are shown from this moment (the lab's t = 0: the key's first request). Default 0. */
  readonly originMs?: number;
}

/** Seconds from the origin as the lab shows them: `15 s`, `0.25 s`, `42.3 s`. */
export function secondsFrom(ms: number, originMs: number): string {
  const s = (ms - originMs) / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(Math.abs(s) < 10 ? 2 : 1)} s`;
}

/** A figure for a reader: integers as they are, fractions to two decimals (trailing zeros dropped). */
export function figure(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const r = Number(n.toFixed(2));
  return Object.is(r, -0) ? '0' : String(r);
}

const plural = (n: number, one: string, many = `${one}s`): string => `${figure(n)} ${n === 1 ? one : many}`;

/** What the algorithm needs to explain a request: its states, its fixed transitions, and a step builder. */
interface Model {
  readonly name: string;
  readonly states: readonly RateLimitState[];
  /** The state a key starts in (before its first request). */
  readonly initial: string;
  readonly transitions: readonly RateLimitTransition[];
  readonly terms: (bound: number) => Omit<RateLimitTerms, 'name' | 'bound'>;
  /** The bound `count` is compared with, from a decision. */
  readonly boundOf: (m: RateLimitMark) => number;
  readonly step: (m: RateLimitMark, prev: RateLimitMark | null, prevAfter: string, ctx: StepContext) => Omit<RateLimitStep, 'index' | 'name' | 't' | 'allowed' | 'seq' | 'label'> & { readonly short: string };
}

interface StepContext {
  readonly name: string;
  readonly at: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly originMs: number;
}

const verdict = (m: RateLimitMark): string => (m.allowed ? 'allowed' : 'denied');
const retry = (m: RateLimitMark): string => (m.allowed || m.retryAfterMs === null ? '' : `; retry after ${figure(m.retryAfterMs / 1000)} s`);

// ---- windows ---------------------------------------------------------------------------------------

const WINDOW_STATES: readonly RateLimitState[] = [
  { id: 'room', label: 'Room in the window' },
  { id: 'full', label: 'At the limit' },
];
const windowState = (filled: number, limit: number): string => (filled >= limit ? 'full' : 'room');

const FIXED_WINDOW: Model = {
  name: 'Fixed window',
  states: WINDOW_STATES,
  initial: 'room',
  transitions: [
    { from: 'room', to: 'room', action: 'count it' },
    { from: 'room', to: 'full', action: 'count the last one' },
    { from: 'full', to: 'full', action: 'deny' },
    { from: 'full', to: 'room', action: 'new window' },
  ],
  terms: () => ({ yTitle: 'count in window', boundName: 'limit', windowed: true }),
  boundOf: (m) => m.limit,
  step(m, prev, prevAfter, c) {
    const start = m.detail.windowStartMs ?? null;
    const end = start === null ? null : start + c.windowMs;
    const counted = m.count - 1;
    const before = windowState(counted, c.limit);
    const after = windowState(m.detail.currentCount ?? (m.allowed ? m.count : counted), c.limit);
    const newWindow = prev !== null && start !== null && prev.detail.windowStartMs !== start;
    const between = newWindow && prevAfter !== before ? { from: prevAfter, to: before, action: 'new window' } : null;
    const bounds = start === null || end === null ? 'its window' : `the window [${secondsFrom(start, c.originMs)}, ${secondsFrom(end, c.originMs)})`;
    const sentence = `${c.name} at ${c.at} falls in ${bounds}${newWindow ? ', which began after the previous request, so the count started again at 0' : ''}: ${plural(counted, 'request')} counted before it, so it makes ${figure(m.count)} ${m.allowed ? `≤ limit ${c.limit}: allowed` : `> limit ${c.limit}: denied until the window ends${end === null ? '' : ` at ${secondsFrom(end, c.originMs)}`}`}${retry(m)}.`;
    return {
      before,
      after,
      between,
      decision: { from: before, to: after, action: m.allowed ? (after === 'full' ? 'count the last one' : 'count it') : 'deny' },
      figures: { windowStartMs: start, windowEndMs: end, countedBefore: counted, count: m.count, countAfter: m.detail.currentCount ?? null, limit: c.limit },
      sentence,
      short: `count ${figure(m.count)} of ${c.limit} → ${verdict(m)}`,
    };
  },
};

const SLIDING_LOG: Model = {
  name: 'Sliding log',
  states: WINDOW_STATES,
  initial: 'room',
  transitions: [
    { from: 'room', to: 'room', action: 'log it' },
    { from: 'room', to: 'full', action: 'log the last one' },
    { from: 'full', to: 'full', action: 'deny' },
    { from: 'full', to: 'room', action: 'old entries slide out' },
  ],
  terms: () => ({ yTitle: 'requests in window', boundName: 'limit', windowed: true }),
  boundOf: (m) => m.limit,
  step(m, _prev, prevAfter, c) {
    const log = m.detail.log ?? [];
    // A refused request is not logged: the log it was judged by holds `limit` entries.
    const inWindowBefore = m.allowed ? m.count - 1 : c.limit;
    const before = windowState(inWindowBefore, c.limit);
    const after = m.allowed ? windowState(m.count, c.limit) : 'full';
    const between = prevAfter !== before ? { from: prevAfter, to: before, action: 'old entries slide out' } : null;
    const sentence = `${c.name} at ${c.at}: the window [${secondsFrom(m.t - c.windowMs, c.originMs)}, ${secondsFrom(m.t, c.originMs)}] held ${plural(inWindowBefore, 'logged request')}, so this one makes ${figure(m.count)} ${m.allowed ? `≤ ${c.limit}: allowed, and logged` : `> ${c.limit}: denied, and not logged`}${retry(m)}.`;
    return {
      before,
      after,
      between,
      decision: { from: before, to: after, action: m.allowed ? (after === 'full' ? 'log the last one' : 'log it') : 'deny' },
      figures: { inWindowBefore, count: m.count, logged: log.length, limit: c.limit },
      sentence,
      short: `${figure(m.count)} in the window of ${c.limit} → ${verdict(m)}`,
    };
  },
};

const SLIDING_COUNTER: Model = {
  name: 'Sliding counter',
  states: [
    { id: 'room', label: 'Estimate under the limit' },
    { id: 'full', label: 'Estimate at the limit' },
  ],
  initial: 'room',
  transitions: [
    { from: 'room', to: 'room', action: 'count it' },
    { from: 'room', to: 'full', action: 'count the last one' },
    { from: 'room', to: 'room', action: 'deny' },
    { from: 'full', to: 'full', action: 'deny' },
    { from: 'full', to: 'room', action: 'the weight falls' },
  ],
  terms: () => ({ yTitle: 'estimate', boundName: 'limit', windowed: true }),
  boundOf: (m) => m.limit,
  step(m, _prev, prevAfter, c) {
    const d = m.detail;
    const previousCount = d.previousCount ?? 0;
    const weight = d.previousWeight ?? 0;
    const currentAfter = d.currentCount ?? 0;
    // The current window's count before this request: the limiter counts an allowed request (a
    // refused one too under `countRejected`, which these records do not name: read as off, the default).
    const currentBefore = m.allowed ? currentAfter - 1 : currentAfter;
    const share = previousCount * weight;
    const estimateBefore = share + currentBefore;
    const estimateAfter = share + currentAfter;
    const before = windowState(estimateBefore, c.limit);
    const after = windowState(estimateAfter, c.limit);
    const between = prevAfter !== before ? { from: prevAfter, to: before, action: 'the weight falls' } : null;
    const sentence = `${c.name} at ${c.at}: previous window ${previousCount} × weight ${weight.toFixed(2)} = ${share.toFixed(2)}, plus ${currentBefore} in the current window: estimate ${estimateBefore.toFixed(2)}; the limiter compared ${figure(m.count)} with limit ${c.limit}: ${verdict(m)}${retry(m)}.`;
    return {
      before,
      after,
      between,
      decision: { from: before, to: after, action: m.allowed ? (after === 'full' ? 'count the last one' : 'count it') : 'deny' },
      figures: { previousCount, previousWeight: weight, previousShare: share, currentBefore, estimateBefore, compared: m.count, limit: c.limit },
      sentence,
      short: `estimate ${figure(m.count)} of ${c.limit} → ${verdict(m)}`,
    };
  },
};

// ---- buckets ---------------------------------------------------------------------------------------

/** The bound a bucket decision was compared with: recorded since the limiter says it; the limit (its default) before. */
const burstOf = (m: RateLimitMark): number => m.detail.burst ?? m.limit;

const TOKEN_BUCKET: Model = {
  name: 'Token bucket',
  states: [
    { id: 'full', label: 'Full' },
    { id: 'some', label: 'Tokens left' },
    { id: 'empty', label: 'Empty (under 1 token)' },
  ],
  initial: 'full',
  transitions: [
    { from: 'full', to: 'some', action: 'take a token' },
    { from: 'some', to: 'some', action: 'take a token' },
    { from: 'some', to: 'empty', action: 'take the last token' },
    { from: 'empty', to: 'empty', action: 'deny' },
    { from: 'empty', to: 'some', action: 'refill' },
    { from: 'some', to: 'full', action: 'refill' },
  ],
  terms: () => ({ yTitle: 'tokens used (incl. this)', boundName: 'burst', windowed: false }),
  boundOf: burstOf,
  step(m, prev, prevAfter, c) {
    const burst = burstOf(m);
    const after = m.detail.tokens ?? burst - m.count;
    // The limiter takes one token for an allowed request; a refused one leaves the bucket as it was.
    const before = m.allowed ? after + 1 : after;
    const prevTokens = prev === null ? burst : (prev.detail.tokens ?? burstOf(prev) - prev.count);
    const refilled = before - prevTokens;
    const state = (tokens: number): string => (tokens >= burst ? 'full' : tokens < 1 ? 'empty' : 'some');
    const sBefore = state(before);
    const sAfter = state(after);
    const between = prevAfter !== sBefore ? { from: prevAfter, to: sBefore, action: 'refill' } : null;
    const since =
      prev === null
        ? 'the bucket starts full'
        : `${figure(prevTokens)} tokens were left after the previous request, and ${secondsFrom(m.t, prev.t)} at ${c.limit} per ${secondsFrom(c.windowMs, 0)} refilled ${figure(refilled)} (up to the burst of ${burst})`;
    const sentence = `${c.name} at ${c.at}: ${since}, so ${figure(before)} ${before === 1 ? 'token was' : 'tokens were'} there: ${m.allowed ? `it took one, ${figure(after)} left: allowed` : `less than one token: denied`}${retry(m)}.`;
    return {
      before: sBefore,
      after: sAfter,
      between,
      decision: { from: sBefore, to: sAfter, action: m.allowed ? (sAfter === 'empty' ? 'take the last token' : 'take a token') : 'deny' },
      figures: { tokensBefore: before, tokensAfter: after, refilled: prev === null ? null : refilled, burst },
      sentence,
      short: `${figure(before)} tokens → ${verdict(m)}`,
    };
  },
};

/** The leaky bucket as a meter: its water level is the room a token bucket would have used. */
const LEAKY_BUCKET: Model = {
  name: 'Leaky bucket',
  states: [
    { id: 'empty', label: 'Empty' },
    { id: 'some', label: 'Filling (room for a request)' },
    { id: 'full', label: 'Full (no room for a request)' },
  ],
  initial: 'empty',
  transitions: [
    { from: 'empty', to: 'some', action: 'pour a request in' },
    { from: 'some', to: 'some', action: 'pour a request in' },
    { from: 'some', to: 'full', action: 'pour the last one in' },
    { from: 'full', to: 'full', action: 'overflow: deny' },
    { from: 'full', to: 'some', action: 'drain' },
    { from: 'some', to: 'empty', action: 'drain' },
  ],
  terms: () => ({ yTitle: 'level (incl. this)', boundName: 'burst', windowed: false }),
  boundOf: burstOf,
  step(m, prev, prevAfter, c) {
    const burst = burstOf(m);
    // `count` is the level with this request poured in; `tokens` the room left after the decision.
    const levelBefore = m.count - 1;
    const levelAfter = burst - (m.detail.tokens ?? burst - m.count);
    const prevLevel = prev === null ? 0 : burstOf(prev) - (prev.detail.tokens ?? burstOf(prev) - prev.count);
    const drained = prevLevel - levelBefore;
    const state = (level: number): string => (level <= 0 ? 'empty' : level > burst - 1 ? 'full' : 'some');
    const sBefore = state(levelBefore);
    const sAfter = state(levelAfter);
    const between = prevAfter !== sBefore ? { from: prevAfter, to: sBefore, action: 'drain' } : null;
    const since =
      prev === null
        ? 'the bucket starts empty'
        : `the level was ${figure(prevLevel)} after the previous request and ${secondsFrom(m.t, prev.t)} at ${c.limit} per ${secondsFrom(c.windowMs, 0)} drained ${figure(drained)}`;
    const sentence = `${c.name} at ${c.at}: ${since}, so the level was ${figure(levelBefore)}; this request makes ${figure(m.count)} ${m.allowed ? `≤ burst ${burst}: allowed` : `> burst ${burst}: it would overflow, denied`}${retry(m)}.`;
    return {
      before: sBefore,
      after: sAfter,
      between,
      decision: { from: sBefore, to: sAfter, action: m.allowed ? (sAfter === 'full' ? 'pour the last one in' : 'pour a request in') : 'overflow: deny' },
      figures: { levelBefore, levelAfter, drained: prev === null ? null : drained, burst },
      sentence,
      short: `level ${figure(m.count)} of ${burst} → ${verdict(m)}`,
    };
  },
};

const GCRA: Model = {
  name: 'GCRA',
  states: [
    { id: 'idle', label: 'On schedule (TAT not ahead)' },
    { id: 'some', label: 'Ahead, room for a request' },
    { id: 'full', label: 'Too far ahead' },
  ],
  initial: 'idle',
  transitions: [
    { from: 'idle', to: 'some', action: 'move TAT on' },
    { from: 'some', to: 'some', action: 'move TAT on' },
    { from: 'some', to: 'full', action: 'move TAT on, no room left' },
    { from: 'full', to: 'full', action: 'deny' },
    { from: 'full', to: 'some', action: 'time catches up' },
    { from: 'some', to: 'idle', action: 'time catches up' },
  ],
  terms: () => ({ yTitle: 'TAT ahead (intervals)', boundName: 'burst', windowed: false }),
  boundOf: burstOf,
  step(m, _prev, prevAfter, c) {
    const burst = burstOf(m);
    const interval = c.windowMs / c.limit;
    // count = (max(TAT, now) + T − now) / T: how far the request would put TAT ahead of now.
    const aheadBefore = m.count - 1;
    const tat = m.detail.tatMs ?? null;
    const aheadAfter = m.allowed ? m.count : aheadBefore;
    const state = (ahead: number): string => (ahead <= 0 ? 'idle' : ahead > burst - 1 ? 'full' : 'some');
    const sBefore = state(aheadBefore);
    const sAfter = state(aheadAfter);
    const between = prevAfter !== sBefore ? { from: prevAfter, to: sBefore, action: 'time catches up' } : null;
    const sentence = `${c.name} at ${c.at}: one request per ${secondsFrom(interval, 0)}; the theoretical arrival time was ${figure(aheadBefore)} intervals ahead of now, so this request would put it ${figure(m.count)} ahead: ${m.allowed ? `≤ burst ${burst}: allowed, TAT moves on to ${tat === null ? '?' : secondsFrom(tat, c.originMs)}` : `> burst ${burst}: denied, TAT stays`}${retry(m)}.`;
    return {
      before: sBefore,
      after: sAfter,
      between,
      decision: { from: sBefore, to: sAfter, action: m.allowed ? (sAfter === 'full' ? 'move TAT on, no room left' : 'move TAT on') : 'deny' },
      figures: { aheadBefore, ahead: m.count, tatMs: tat, intervalMs: interval, burst },
      sentence,
      short: `TAT ${figure(m.count)} ahead of ${burst} → ${verdict(m)}`,
    };
  },
};

const LEAKY_QUEUE: Model = {
  name: 'Leaky bucket as a queue',
  states: [
    { id: 'idle', label: 'Nobody waiting' },
    { id: 'some', label: 'Requests waiting' },
    { id: 'full', label: 'Queue full' },
  ],
  initial: 'idle',
  transitions: [
    { from: 'idle', to: 'idle', action: 'pass straight through' },
    { from: 'idle', to: 'some', action: 'wait in line' },
    { from: 'some', to: 'some', action: 'wait in line' },
    { from: 'some', to: 'full', action: 'take the last place' },
    { from: 'full', to: 'full', action: 'deny' },
    { from: 'full', to: 'some', action: 'drain' },
    { from: 'some', to: 'idle', action: 'drain' },
  ],
  terms: () => ({ yTitle: 'place in queue', boundName: 'queue max', windowed: false }),
  boundOf: (m) => m.detail.queueMax ?? m.limit,
  step(m, _prev, prevAfter, c) {
    const queueMax = m.detail.queueMax ?? m.limit;
    const place = m.count;
    const ahead = Math.max(0, place - 1);
    const delayMs = m.detail.delayMs ?? 0;
    const sBefore = !m.allowed ? 'full' : ahead === 0 ? 'idle' : 'some';
    const sAfter = !m.allowed ? 'full' : place === 0 ? 'idle' : place >= queueMax ? 'full' : 'some';
    const between = prevAfter !== sBefore ? { from: prevAfter, to: sBefore, action: 'drain' } : null;
    const sentence = `${c.name} at ${c.at}: requests leave one every ${secondsFrom(c.windowMs / c.limit, 0)}; ${
      !m.allowed
        ? `it would be number ${place} in line, more than the ${queueMax} that may wait: denied${retry(m)}`
        : place === 0
          ? 'nobody was waiting and the previous one had left: allowed, straight through'
          : `${plural(ahead, 'request')} waited ahead of it, so it took place ${place} of ${queueMax} and waits ${secondsFrom(delayMs, 0)}: allowed, delayed`
    }.`;
    return {
      before: sBefore,
      after: sAfter,
      between,
      decision: { from: sBefore, to: sAfter, action: !m.allowed ? 'deny' : place === 0 ? 'pass straight through' : sAfter === 'full' ? 'take the last place' : 'wait in line' },
      figures: { place, ahead, delayMs, queueMax },
      sentence,
      short: m.allowed ? (place === 0 ? 'straight through → allowed' : `place ${place} of ${queueMax}, wait ${secondsFrom(delayMs, 0)} → allowed`) : `place ${place} of ${queueMax} → denied`,
    };
  },
};

const MODELS: Readonly<Record<string, Model>> = {
  'fixed-window': FIXED_WINDOW,
  'sliding-log': SLIDING_LOG,
  'sliding-counter': SLIDING_COUNTER,
  'token-bucket': TOKEN_BUCKET,
  'leaky-bucket': LEAKY_BUCKET,
  'leaky-queue': LEAKY_QUEUE,
  gcra: GCRA,
};

/** The algorithms this module explains (the simulator's seven). */
export const EXPLAINED_ALGORITHMS: readonly string[] = Object.keys(MODELS);

function modelOf(algorithm: string | null): Model | null {
  return algorithm === null ? null : (MODELS[algorithm] ?? null);
}

/**
 * What the chart should call its axis and its bound for the timeline's algorithm: a count in the
 * window for the window algorithms, the tokens used against the burst for a token bucket, the
 * place in the queue against its maximum for a leaky queue.
 *
 * @example
 * rateLimitTerms(tl); // { yTitle: 'tokens used (incl. this)', boundName: 'burst', bound: 5, windowed: false, name: 'Token bucket' }
 */
export function rateLimitTerms(timeline: RateLimitTimeline): RateLimitTerms {
  const model = modelOf(timeline.algorithm);
  const last = timeline.marks[timeline.marks.length - 1];
  const limit = timeline.limit ?? 0;
  if (model === null) return { yTitle: 'count', boundName: 'limit', bound: limit, windowed: true, name: timeline.algorithm ?? 'rate limiter' };
  const bound = last === undefined ? limit : model.boundOf(last);
  return { ...model.terms(bound), bound, name: model.name };
}

/**
 * Every request of the timeline's key up to its playhead, explained in the terms of the algorithm
 * that decided it, with the state before and after it and what time did in between.
 *
 * @example
 * const ex = explainRateLimit(rateLimitTimeline(trace.events, { key: 'user:u1' }));
 * ex.last?.sentence; // 'R7 at 12.5 s: 0.4 tokens were left after the previous request, …: denied; retry after 4.3 s.'
 * ex.last?.figures.tokensBefore; // 0.4
 */
export function explainRateLimit(timeline: RateLimitTimeline, options: RateLimitExplainOptions = {}): RateLimitExplanation {
  const model = modelOf(timeline.algorithm);
  const terms = rateLimitTerms(timeline);
  if (model === null || timeline.limit === null || timeline.windowMs === null) return { algorithm: timeline.algorithm, terms, steps: [], last: null, summary: null };
  const originMs = options.originMs ?? 0;
  const steps: RateLimitStep[] = [];
  let prev: RateLimitMark | null = null;
  let prevAfter = model.initial;
  timeline.marks.forEach((m, index) => {
    const name = `R${index + 1}`;
    const at = secondsFrom(m.t, originMs);
    const { short, ...step } = model.step(m, prev, prevAfter, { name, at, limit: m.limit, windowMs: timeline.windowMs as number, originMs });
    steps.push({ ...step, index, name, t: m.t, allowed: m.allowed, seq: m.seq, label: `${name} at ${at} – ${short}` });
    prev = m;
    prevAfter = step.after;
  });
  const last = steps[steps.length - 1] ?? null;
  const stateLabel = (id: string): string => model.states.find((s) => s.id === id)?.label ?? id;
  const summary = last === null ? null : `${model.name} after ${last.name} (${secondsFrom(last.t, originMs)}): ${stateLabel(last.after).toLowerCase()}.`;
  return { algorithm: timeline.algorithm, terms, steps, last, summary };
}

/** The state diagram of {@link rateLimitStateDiagram}. */
export interface RateLimitStateDiagram {
  /** Mermaid `stateDiagram-v2` source; every text from the run escaped. */
  readonly text: string;
  readonly states: readonly RateLimitState[];
  /** Every transition drawn, with the label it carries. */
  readonly transitions: readonly (RateLimitTransition & { readonly label: string; readonly taken: boolean })[];
  /** The state at the playhead (after the last request), or the starting state before any. */
  readonly current: string | null;
  /** The last request's step, or null before any. */
  readonly last: RateLimitStep | null;
  /** The state the last request came from (class `came`), or null. */
  readonly from: string | null;
}

/** Mermaid ids of the states; `[*]` is the start. */
const sid = (id: string): string => `s_${id}`;

/** Text from the run for a label: escaped, with colons as entity codes too (a label follows `: `). */
function label(text: string): string {
  return escapeMermaidText(text, 120).replaceAll(':', '#58;');
}

/**
 * The algorithm's state flow as Mermaid `stateDiagram-v2` source that follows the run: every state
 * and transition of the chosen algorithm, the state at the playhead in class `now`, the state the
 * last request left in class `came`, and the transition the last request took labelled with its
 * number and figures (`▶ R7 at 12.5 s – 0.4 tokens → denied`), as is the refill, drain or new window
 * before it when that changed the state. Null when the timeline has no algorithm this module knows.
 *
 * @example
 * const d = rateLimitStateDiagram(tl, { originMs: tl.marks[0]?.t ?? 0 });
 * d?.current; // 'empty'
 * <MermaidView text={d.text} … />
 */
export function rateLimitStateDiagram(timeline: RateLimitTimeline, options: RateLimitExplainOptions = {}): RateLimitStateDiagram | null {
  const model = modelOf(timeline.algorithm);
  if (model === null) return null;
  const ex = explainRateLimit(timeline, options);
  const last = ex.last;
  const terms = ex.terms;
  const taken = last === null ? [] : [...(last.between === null ? [] : [{ t: last.between, text: `before ${last.name} – ${last.between.action}` }]), { t: last.decision, text: last.label }];
  const same = (a: RateLimitTransition, b: RateLimitTransition): boolean => a.from === b.from && a.to === b.to && a.action === b.action;
  // The fixed transitions, plus any the run took that they do not list (the run is the truth).
  const all: RateLimitTransition[] = [...model.transitions];
  for (const s of ex.steps) for (const t of [s.between, s.decision]) if (t !== null && !all.some((x) => same(x, t))) all.push(t);
  const transitions = all.map((t) => {
    const hit = taken.find((x) => same(x.t, t));
    return { ...t, label: hit === undefined ? t.action : `▶ ${hit.text}`, taken: hit !== undefined };
  });
  const current = last === null ? model.initial : last.after;
  const from = last === null ? null : last.before;

  const lines = ['stateDiagram-v2', '    direction LR'];
  const boundText = `${terms.boundName} ${figure(terms.bound)}`;
  for (const s of model.states) lines.push(`    state "${label(s.id === current && last !== null ? `${s.label} – now` : s.label)}" as ${sid(s.id)}`);
  const key = timeline.key === null ? '' : ` of ${timeline.key}`;
  lines.push(`    [*] --> ${sid(model.initial)} : ${label(`first request${key} (${boundText})`)}`);
  for (const t of transitions) lines.push(`    ${sid(t.from)} --> ${sid(t.to)} : ${label(t.label)}`);
  lines.push('    classDef now fill:#fde68a,stroke:#b45309,stroke-width:3px,color:#1f2937');
  lines.push('    classDef came stroke:#b45309,stroke-width:2px,stroke-dasharray:5 3');
  if (from !== null && from !== current) lines.push(`    class ${sid(from)} came`);
  lines.push(`    class ${sid(current)} now`);
  return { text: `${lines.join('\n')}\n`, states: model.states, transitions, current, last, from };
}
