import { describe, expect, test } from 'vitest';
import type { TraceEvent } from '../sim/index.ts';
import { rateLimitTimeline, rateLimitTimelineFromDecisions, type RateLimitMark } from './rateLimit.ts';

/** The lab's worked example: limit 5 per 60 s; requests at 0, 15, 20, 35, 55, 60, 65 s; 60 denied, 65 allowed. */
const LAB_TIMES = [0, 15_000, 20_000, 35_000, 55_000, 60_000, 65_000];
const LAB_DECISIONS = [true, true, true, true, true, false, true];
const LAB_SPEC = { limit: 5, windowMs: 60_000 };

/** `limiter/*` events carrying the given marks, as the simulator records them. */
function limiterEvents(key: string, marks: readonly RateLimitMark[], algorithm: string, startSeq = 0): TraceEvent[] {
  return marks.map((m, i) => ({
    seq: startSeq + i,
    at: m.t,
    node: 'gw',
    causeSeq: null,
    type: m.allowed ? 'limiter/allowed' : 'limiter/rejected',
    data: { key, placement: 'gateway', algorithm, count: m.count, limit: m.limit, windowMs: 60_000, retryAfterMs: m.retryAfterMs, detail: m.detail },
  }));
}

describe('rateLimitTimelineFromDecisions', () => {
  // Proves the lab's example draws exactly the lab's marks: five allowed, the one at 60 s denied
  // (six in the window counting itself), the one at 65 s allowed once the request at 0 s has left.
  test('the lab example has exactly the lab marks', () => {
    const tl = rateLimitTimelineFromDecisions(LAB_TIMES, LAB_DECISIONS, LAB_SPEC);
    expect(tl.marks.map((m) => [m.t, m.allowed, m.count, m.retryAfterMs])).toEqual([
      [0, true, 1, null],
      [15_000, true, 2, null],
      [20_000, true, 3, null],
      [35_000, true, 4, null],
      [55_000, true, 5, null],
      [60_000, false, 6, 1],
      [65_000, true, 5, null],
    ]);
    // The lab's decisions are the ones a sliding log (window start included) makes.
    expect(tl.marks.map((m) => m.logAllows)).toEqual(LAB_DECISIONS);
    expect(tl).toMatchObject({ key: 'example', algorithm: 'sliding-log', limit: 5, windowMs: 60_000, atMs: 65_000 });
  });

  // Proves the window bracket matches the lab's two snapshots: at 60 s it holds R1–R5 (R1 at 0 s
  // still inside, the boundary is inclusive) and the denied R6; at 65 s R1 has slid out and four
  // remain before R7 arrives.
  test('the window bracket at 60 s and 65 s', () => {
    const at60 = rateLimitTimelineFromDecisions(LAB_TIMES, LAB_DECISIONS, { ...LAB_SPEC, atMs: 60_000 });
    expect(at60.bracket).toMatchObject({ startMs: 0, endMs: 60_000, count: 5, countBefore: 5, denied: 1, limit: 5, markIndexes: [0, 1, 2, 3, 4, 5] });
    expect(at60.marks).toHaveLength(6);
    const at65 = rateLimitTimelineFromDecisions(LAB_TIMES, LAB_DECISIONS, { ...LAB_SPEC, atMs: 65_000 });
    expect(at65.bracket).toMatchObject({ startMs: 5_000, endMs: 65_000, count: 5, countBefore: 4, denied: 1, markIndexes: [1, 2, 3, 4, 5, 6] });
    expect(at65.domainMs).toEqual([0, 65_000]);
    expect(at65.maxCount).toBe(6);
  });

  // Proves a hand-made example that contradicts the sliding log is flagged, and bad input is refused.
  test('flags decisions a sliding log would not make', () => {
    const tl = rateLimitTimelineFromDecisions([0, 1, 2], ['allow', 'allow', 'allow'], { limit: 2, windowMs: 10 });
    expect(tl.marks.map((m) => m.logAllows)).toEqual([true, true, false]);
    expect(() => rateLimitTimelineFromDecisions([0], [], LAB_SPEC)).toThrow(/differ in length/);
  });
});

describe('rateLimitTimeline from the trace', () => {
  // Proves the trace path and the worked-example path agree: the same decisions recorded as
  // limiter events give the same marks and bracket, and keys are listed busiest first.
  test('limiter events give the same timeline as the decisions', () => {
    const example = rateLimitTimelineFromDecisions(LAB_TIMES, LAB_DECISIONS, LAB_SPEC);
    const other = rateLimitTimelineFromDecisions([1_000], [true], LAB_SPEC);
    const events = [...limiterEvents('user:u3', example.marks, 'sliding-log'), ...limiterEvents('user:u1', other.marks, 'sliding-log', 100)];
    const tl = rateLimitTimeline(events, { atMs: 65_000 });
    expect(tl.keys).toEqual([
      { key: 'user:u3', decisions: 7, rejected: 1 },
      { key: 'user:u1', decisions: 1, rejected: 0 },
    ]);
    expect(tl.key).toBe('user:u3');
    expect(tl.marks.map((m) => [m.t, m.allowed, m.count])).toEqual(example.marks.map((m) => [m.t, m.allowed, m.count]));
    expect(tl.bracket).toEqual(example.bracket);
    expect(tl.placement).toBe('gateway');
    expect(rateLimitTimeline(events, { key: 'user:u1' }).marks).toHaveLength(1);
    expect(rateLimitTimeline(events, { key: 'user:nobody' })).toMatchObject({ key: 'user:nobody', marks: [], bracket: null });
    expect(rateLimitTimeline([])).toMatchObject({ key: null, keys: [], bracket: null });
  });

  // Proves the sliding counter's two parts are reported and moved on with time: the previous
  // window's weight falls as the sliding window leaves it, and a window later the current count
  // becomes the previous one.
  test('sliding counter: previous share and current count', () => {
    const mark: RateLimitMark = {
      t: 90_000,
      allowed: true,
      count: 4,
      limit: 5,
      retryAfterMs: null,
      seq: null,
      detail: { previousCount: 4, currentCount: 2, previousWeight: 0.5, windowStartMs: 60_000 },
    };
    const events = limiterEvents('user:u1', [mark], 'sliding-counter');
    expect(rateLimitTimeline(events, { atMs: 90_000 }).slidingCounter).toEqual({
      windowStartMs: 60_000,
      previousCount: 4,
      previousWeight: 0.5,
      previousShare: 2,
      currentCount: 2,
      estimate: 4,
      decisionAt: 90_000,
    });
    expect(rateLimitTimeline(events, { atMs: 105_000 }).slidingCounter).toMatchObject({ previousWeight: 0.25, previousShare: 1, estimate: 3 });
    const later = rateLimitTimeline(events, { atMs: 135_000 });
    expect(later.slidingCounter).toMatchObject({ windowStartMs: 120_000, previousCount: 2, currentCount: 0, previousWeight: 0.75, estimate: 1.5 });
    expect(later.fixedWindow).toEqual({ startMs: 120_000, endMs: 180_000 });
  });
});
