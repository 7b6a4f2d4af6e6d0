/**
 * Tests of the rate limiters: the lab's worked example, a table of vectors taken from the
 * libraries and write-ups summarised in docs/reference-figures.md (P7), and properties
 * that hold for any traffic (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  KeyTable,
  LIMITER_ALGORITHMS,
  Limiter,
  decideAll,
  limiterSpecSchema,
  parseLimiterSpec,
  toDecisionData,
  type LimiterSpec,
  type LimiterSpecInput,
} from './limiter.ts';

const LAB_TIMES = [0, 15_000, 20_000, 35_000, 55_000, 60_000, 65_000];
const LAB: LimiterSpecInput = { algorithm: 'sliding-log', limit: 5, windowMs: 60_000 };

/** 'A' for allowed, 'D' for refused, one letter per decision. */
function letters(spec: LimiterSpecInput, times: readonly number[]): string {
  return decideAll(spec, times)
    .map((d) => (d.allowed ? 'A' : 'D'))
    .join('');
}

function repeat(t: number, n: number): number[] {
  return Array.from({ length: n }, () => t);
}

describe('the lab example', () => {
  // Proves the lab's worked example comes out exactly: at 60 s the request at 0 is exactly 60 s old and still counts; refused requests are not logged, so 65 s passes.
  test('inclusive (the default): 60 s refused, 65 s allowed', () => {
    const ds = decideAll(LAB, LAB_TIMES);
    expect(ds.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, true]);
    expect(ds.map((d) => d.count)).toEqual([1, 2, 3, 4, 5, 6, 5]);
    expect(ds[5]).toMatchObject({ retryAfterMs: 1, detail: { log: [0, 15_000, 20_000, 35_000, 55_000] } });
    expect(ds[6]?.detail.log).toEqual([15_000, 20_000, 35_000, 55_000, 65_000]);
  });

  // Proves the exclusive convention (rolling-rate-limiter's (t−W, t]) drops the request at 0 at 60 s, so 60 s passes and 65 s is refused instead.
  test("exclusive: 60 s allowed, 65 s refused until 75 s", () => {
    const ds = decideAll({ ...LAB, boundary: 'exclusive' }, LAB_TIMES);
    expect(ds.map((d) => d.allowed)).toEqual([true, true, true, true, true, true, false]);
    expect(ds[6]).toMatchObject({ count: 6, retryAfterMs: 10_000 });
  });
});

/** One test vector: a spec, request times, and the decisions they must give. */
interface Vector {
  readonly name: string;
  /** Where the convention comes from (docs/reference-figures.md P7 and the sources behind it). */
  readonly source: string;
  readonly spec: LimiterSpecInput;
  readonly times: readonly number[];
  /** 'A' allowed, 'D' refused. */
  readonly expect: string;
  readonly counts?: readonly number[];
  /** Retry-after per decision (null when allowed); checked when given. */
  readonly retry?: readonly (number | null)[];
  readonly delays?: readonly number[];
}

const CF_TIMES = [...repeat(0, 42), ...repeat(75_000, 19)];
const cloudflare = (comparison: 'new-included' | 'before-new', weighting: 'fractional' | 'floor', last: 'A' | 'D', count: number): Vector => ({
  name: `sliding counter, Cloudflare's 42·(45/60) + 18 = 49.5, ${comparison} ${weighting}`,
  source: 'Cloudflare 2017 (A1): limit 50/min, 42 last minute, 18 in the first 15 s; the operator is not standardised',
  spec: { algorithm: 'sliding-counter', limit: 50, windowMs: 60_000, comparison, weighting },
  times: CF_TIMES,
  expect: `${'A'.repeat(60)}${last}`,
  counts: [...Array.from({ length: 42 }, (_, i) => (comparison === 'new-included' ? i + 1 : i)), ...Array.from({ length: 18 }, () => Number.NaN), count],
});

const VECTORS: readonly Vector[] = [
  // ---- sliding log ----
  {
    name: 'sliding log, the lab example, inclusive',
    source: 'the lab; [t−W, t] is this project’s default',
    spec: LAB,
    times: LAB_TIMES,
    expect: 'AAAAADA',
    counts: [1, 2, 3, 4, 5, 6, 5],
    retry: [null, null, null, null, null, 1, null],
  },
  {
    name: 'sliding log, the lab example, exclusive',
    source: 'rolling-rate-limiter keeps t > now − interval (A1)',
    spec: { ...LAB, boundary: 'exclusive' },
    times: LAB_TIMES,
    expect: 'AAAAAAD',
    retry: [null, null, null, null, null, null, 10_000],
  },
  {
    name: 'sliding log, a request exactly W old counts (inclusive)',
    source: 'the boundary option',
    spec: { algorithm: 'sliding-log', limit: 1, windowMs: 1000 },
    times: [0, 1000, 1001],
    expect: 'ADA',
    retry: [null, 1, null],
  },
  {
    name: 'sliding log, a request exactly W old does not count (exclusive)',
    source: 'ZREMRANGEBYSCORE key 0 now−interval (A1)',
    spec: { algorithm: 'sliding-log', limit: 1, windowMs: 1000, boundary: 'exclusive' },
    times: [0, 1000],
    expect: 'AA',
  },
  {
    name: 'sliding log, a client hammering faster than W stays blocked when refused requests are logged',
    source: 'rolling-rate-limiter issue #36 (old versions logged blocked attempts)',
    spec: { algorithm: 'sliding-log', limit: 1, windowMs: 1000, boundary: 'exclusive', countRejected: true },
    times: [0, 500, 1000, 1500, 2000, 2500],
    expect: 'ADDDDD',
    // Each refused attempt is logged, so the retry-after moves on with every attempt.
    retry: [null, 1000, 1000, 1000, 1000, 1000],
  },
  {
    name: 'sliding log, the same client recovers when refused requests are not logged',
    source: 'rolling-rate-limiter after the #36 fix',
    spec: { algorithm: 'sliding-log', limit: 1, windowMs: 1000, boundary: 'exclusive' },
    times: [0, 500, 1000, 1500, 2000, 2500],
    expect: 'ADADAD',
  },
  {
    name: 'sliding log, retry-after is when the oldest counted request leaves the window',
    source: 'honest Retry-After (A3)',
    spec: { algorithm: 'sliding-log', limit: 2, windowMs: 1000 },
    times: [0, 300, 500, 1000, 1001],
    expect: 'AADDA',
    retry: [null, null, 501, 1, null],
  },

  // ---- fixed window ----
  {
    name: 'fixed window (epoch), a window is [kW, (k+1)W)',
    source: 'Upstash fixedWindow: floor(now / window) (A1)',
    spec: { algorithm: 'fixed-window', limit: 3, windowMs: 1000 },
    times: [0, 1, 2, 3, 999, 1000],
    expect: 'AAADDA',
    counts: [1, 2, 3, 4, 4, 1],
    retry: [null, null, null, 997, 1, null],
  },
  {
    name: 'fixed window (epoch), 2 × limit pass within 1 ms across a boundary',
    source: 'A1 "up to 2×L"; Bottleneck README: 10 jobs "in just over 1ms" across a refresh',
    spec: { algorithm: 'fixed-window', limit: 5, windowMs: 1000 },
    times: [...repeat(999, 5), ...repeat(1000, 5), 1000],
    expect: 'AAAAAAAAAAD',
  },
  {
    name: 'fixed window (anchored), the window starts at the first request and resets at t − start ≥ W',
    source: 'express-rate-limit MemoryStore: resetTime <= now → reset (A2)',
    spec: { algorithm: 'fixed-window', limit: 2, windowMs: 1000, alignment: 'anchored' },
    times: [500, 600, 1499, 1500, 1501, 1502],
    expect: 'AADAAD',
    retry: [null, null, 1, null, null, 998],
  },
  {
    name: 'fixed window (epoch), the same times pass because 1499 is in a new epoch window',
    source: 'the alignment option',
    spec: { algorithm: 'fixed-window', limit: 2, windowMs: 1000 },
    times: [500, 600, 1499, 1500, 1501],
    expect: 'AAAAD',
  },
  {
    name: 'fixed window counting refused requests: same decisions, the count keeps rising',
    source: 'rate-limiter-flexible #286/#69 (consumed points above the limit are kept); Upstash INCRBY before the check',
    spec: { algorithm: 'fixed-window', limit: 2, windowMs: 1000, countRejected: true },
    times: [0, 1, 2, 3, 1000],
    expect: 'AADDA',
    counts: [1, 2, 3, 4, 1],
  },
  {
    name: 'fixed window not counting refused requests',
    source: 'the countRejected option',
    spec: { algorithm: 'fixed-window', limit: 2, windowMs: 1000 },
    times: [0, 1, 2, 3, 1000],
    expect: 'AADDA',
    counts: [1, 2, 3, 3, 1],
  },

  // ---- sliding counter ----
  cloudflare('new-included', 'fractional', 'D', 50.5),
  cloudflare('before-new', 'fractional', 'A', 49.5),
  cloudflare('new-included', 'floor', 'A', 50),
  cloudflare('before-new', 'floor', 'A', 49),
  {
    name: 'sliding counter, limit 1 with Upstash’s floor and est < L passes as soon as the weight drops below 1',
    source: 'Upstash slidingWindow Lua: floor((1 − (now%W)/W)·prev), reject if prev + cur >= limit (A2; #39)',
    spec: { algorithm: 'sliding-counter', limit: 1, windowMs: 10_000, comparison: 'before-new', weighting: 'floor' },
    times: [0, 5000, 10_000, 10_001],
    expect: 'ADDA',
    counts: [0, 1, 1, 0],
    retry: [null, 5001, 1, null],
  },
  {
    name: 'sliding counter, limit 1 with est + 1 ≤ L (fractional) waits until the previous window is forgotten',
    source: 'the comparison option',
    spec: { algorithm: 'sliding-counter', limit: 1, windowMs: 10_000 },
    times: [0, 5000, 10_000, 15_000, 20_000],
    expect: 'ADDDA',
    counts: [1, 2, 2, 1.5, 1],
    retry: [null, 15_000, 10_000, 5000, null],
  },
  {
    name: 'sliding counter, the previous window weighs (W − elapsed)/W',
    source: 'Cloudflare: est = prev·(W − elapsed)/W + cur (A1)',
    spec: { algorithm: 'sliding-counter', limit: 2, windowMs: 1000 },
    times: [0, 0, 1000, 1499, 1500, 1500],
    expect: 'AADDAD',
    counts: [1, 2, 3, 2.002, 2, 3],
  },
  {
    name: 'sliding counter counting refused requests: they weigh on the next window',
    source: 'rate-limiter-flexible counts rejected points (A2); Kong "API blocked forever" (A4)',
    spec: { algorithm: 'sliding-counter', limit: 2, windowMs: 1000, countRejected: true },
    times: [0, 0, 0, 0, 0, 1500],
    expect: 'AADDDD',
    counts: [1, 2, 3, 4, 5, 3.5],
  },
  {
    name: 'sliding counter not counting refused requests',
    source: 'the countRejected option',
    spec: { algorithm: 'sliding-counter', limit: 2, windowMs: 1000 },
    times: [0, 0, 0, 0, 0, 1500],
    expect: 'AADDDA',
    counts: [1, 2, 3, 3, 3, 2],
  },

  // ---- token bucket ----
  {
    name: 'token bucket (continuous), starts full, one token back every W/L',
    source: 'limiter TokenBucket.drip() (continuous); Envoy buckets start full (A2)',
    spec: { algorithm: 'token-bucket', limit: 10, windowMs: 1000 },
    times: [...repeat(0, 11), 100, 150],
    expect: `${'A'.repeat(10)}DAD`,
    retry: [...repeat(Number.NaN, 10), 100, null, 50],
  },
  {
    name: 'token bucket (continuous), 3 per minute lets a 4th through within one minute',
    source: 'limiter issue #25',
    spec: { algorithm: 'token-bucket', limit: 3, windowMs: 60_000 },
    times: [0, 0, 0, 20_000],
    expect: 'AAAA',
  },
  {
    name: 'sliding log with the same times refuses that 4th request',
    source: 'limiter issue #25, the behaviour users expected',
    spec: { algorithm: 'sliding-log', limit: 3, windowMs: 60_000 },
    times: [0, 0, 0, 20_000],
    expect: 'AAAD',
  },
  {
    name: 'token bucket (discrete), limit tokens per whole interval, anchored at the first request',
    source: 'Upstash tokenBucket: numRefills = floor((now − refilledAt)/interval); reject at tokens == 0 (A2)',
    spec: { algorithm: 'token-bucket', limit: 3, windowMs: 60_000, refill: 'discrete' },
    times: [0, 0, 0, 20_000, 59_999, 60_000, 60_000, 60_000, 60_000, 130_000],
    expect: 'AAADDAAADA',
    retry: [null, null, null, 40_000, 1, null, null, null, 60_000, null],
  },
  {
    name: 'token bucket, burst above the rate',
    source: 'redis-cell max_burst, limiter PR #95 (independent bucket size)',
    spec: { algorithm: 'token-bucket', limit: 1, windowMs: 1000, burst: 5 },
    times: [...repeat(0, 6), 1000],
    expect: 'AAAAADA',
    retry: [null, null, null, null, null, 1000, null],
  },

  // ---- GCRA ----
  {
    name: 'GCRA, redis-cell’s own test table (max_burst 4, 1 per second; volume-1 cases 1–11)',
    source: 'redis-cell src/cell/mod.rs it_rate_limits: limit 5, remaining 4,3,2,1,0,0,2,1,1,4,4',
    spec: { algorithm: 'gcra', limit: 1, windowMs: 1000, burst: 5 },
    times: [0, 0, 0, 0, 0, 0, 3000, 3100, 4000, 8000, 9500],
    expect: 'AAAAADAAAAA',
    // remaining = burst − count: 4,3,2,1,0,(refused),2,1.1→1,1,4,4; reset_after = count × 1 s.
    counts: [1, 2, 3, 4, 5, 6, 3, 3.9, 4, 1, 1],
    retry: [null, null, null, null, null, 1000, null, null, null, null, null],
  },
  {
    name: 'GCRA, CL.THROTTLE user123 15 30 60: 16 at once, then one per 2 s',
    source: 'redis-cell README (limit = max_burst + 1 = 16; 30 per 60 s)',
    spec: { algorithm: 'gcra', limit: 30, windowMs: 60_000, burst: 16 },
    times: [...repeat(0, 17), 2000],
    expect: `${'A'.repeat(16)}DA`,
    retry: [...repeat(Number.NaN, 16), 2000, null],
  },
  {
    name: 'GCRA, allowed at diff == 0',
    source: 'redis-cell: blocked only if diff < 0 (A1)',
    spec: { algorithm: 'gcra', limit: 1, windowMs: 1000, burst: 1 },
    times: [0, 999, 1000],
    expect: 'ADA',
    retry: [null, 1, null],
  },
  {
    name: 'GCRA with a fractional emission interval (1000/3 ms) stays exact',
    source: 'redis-cell #11/#50/#80 (fast rates break on integer intervals)',
    spec: { algorithm: 'gcra', limit: 3, windowMs: 1000, burst: 1 },
    times: [0, 333, 334, 667, 668, 1001, 1002],
    expect: 'ADADADA',
    retry: [null, 1, null, 1, null, 1, null],
  },

  // ---- leaky bucket (meter) ----
  {
    name: 'leaky bucket (meter), burst 6 at 50 r/s = nginx burst=5 nodelay: 6 at once, then one per 20 ms',
    source: 'nginx limit_req: burst = B accepts B + 1 simultaneous requests (A2)',
    spec: { algorithm: 'leaky-bucket', limit: 50, windowMs: 1000, burst: 6 },
    times: [...repeat(0, 7), 20],
    expect: 'AAAAAADA',
    retry: [...repeat(Number.NaN, 6), 20, null],
  },
  {
    name: 'leaky bucket (meter), burst 1: a second request within 20 ms at 50 r/s is refused',
    source: 'nginx: at 50r/s, 2 requests < 20 ms apart → the second gets 503 (A2)',
    spec: { algorithm: 'leaky-bucket', limit: 50, windowMs: 1000, burst: 1 },
    times: [0, 0, 19, 20],
    expect: 'ADDA',
    retry: [null, 20, 1, null],
  },

  // ---- leaky bucket (queue) ----
  {
    name: 'leaky queue, nginx burst=5 without nodelay: 6 admitted at once, delayed 0–100 ms',
    source: 'nginx limit_req without nodelay: delay = excess / rate (A2)',
    spec: { algorithm: 'leaky-queue', limit: 50, windowMs: 1000, queueMax: 5 },
    times: [...repeat(0, 7), 19, 20],
    expect: 'AAAAAADDA',
    counts: [0, 1, 2, 3, 4, 5, 6, 6, 5],
    delays: [0, 20, 40, 60, 80, 100, 0, 0, 100],
    retry: [null, null, null, null, null, null, 20, 1, null],
  },
  {
    name: 'leaky queue, queueMax 0 (nginx burst=0): all but the first request in an interval are refused',
    source: 'Maxim Dounin, nginx-devel 2011 (A2)',
    spec: { algorithm: 'leaky-queue', limit: 50, windowMs: 1000, queueMax: 0 },
    times: [0, 0, 19, 20],
    expect: 'ADDA',
    delays: [0, 0, 0, 0],
    retry: [null, 20, 1, null],
  },
];

describe('test vectors (the conventions of docs/reference-figures.md P7)', () => {
  // Proves each library convention gives exactly the decisions, counts, retry-afters and delays in the table.
  test.each(VECTORS.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const ds = decideAll(v.spec, v.times);
    expect(ds.map((d) => (d.allowed ? 'A' : 'D')).join(''), v.source).toBe(v.expect);
    const pick = <T>(want: readonly T[] | undefined, got: (d: (typeof ds)[number]) => T) => {
      if (want === undefined) return;
      // NaN in a table means "not checked here".
      const keep = want.map((w, i) => [w, got(ds[i] as (typeof ds)[number])] as const).filter(([w]) => !(typeof w === 'number' && Number.isNaN(w)));
      expect(keep.map(([, g]) => g), v.source).toEqual(keep.map(([w]) => w));
    };
    pick(v.counts, (d) => d.count);
    pick(v.retry, (d) => d.retryAfterMs);
    pick(v.delays, (d) => d.delayMs);
  });

  // Proves the table exercises all seven algorithms (built from the libraries' rules summarised in docs/reference-figures.md P7).
  test('the table covers every algorithm', () => {
    const covered = new Set(VECTORS.map((v) => v.spec.algorithm));
    expect([...covered].sort()).toEqual([...LIMITER_ALGORITHMS].sort());
    expect(VECTORS.length).toBeGreaterThanOrEqual(30);
  });

  // Proves the sliding counter's floor weighting and its `est < L` comparison agree whatever the traffic, as the limiter's comment claims, so only fractional `est + 1 ≤ L` differs.
  test('floor weighting and est < L agree with each other', () => {
    fc.assert(
      fc.property(trafficArb(1), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 40 }), (traffic, limit, windowMs) => {
        const times = traffic.map(([t]) => t);
        const base = { algorithm: 'sliding-counter', limit, windowMs } as const;
        const reference = letters({ ...base, comparison: 'before-new', weighting: 'fractional' }, times);
        expect(letters({ ...base, comparison: 'before-new', weighting: 'floor' }, times)).toBe(reference);
        expect(letters({ ...base, comparison: 'new-included', weighting: 'floor' }, times)).toBe(reference);
      }),
    );
  });
});

describe('the spec', () => {
  // Proves the schema fills every default, so a parsed spec names each convention it runs under.
  test('defaults are filled in', () => {
    expect(limiterSpecSchema.parse(LAB)).toEqual({ ...LAB, boundary: 'inclusive', countRejected: false });
    expect(limiterSpecSchema.parse({ algorithm: 'token-bucket', limit: 7, windowMs: 1000 })).toEqual({
      algorithm: 'token-bucket',
      limit: 7,
      windowMs: 1000,
      burst: 7,
      refill: 'continuous',
    });
    expect(limiterSpecSchema.parse({ algorithm: 'leaky-queue', limit: 7, windowMs: 1000 })).toMatchObject({ queueMax: 7 });
    expect(limiterSpecSchema.parse({ algorithm: 'sliding-counter', limit: 7, windowMs: 1000 })).toMatchObject({
      comparison: 'new-included',
      weighting: 'fractional',
      countRejected: false,
    });
    expect(limiterSpecSchema.parse({ algorithm: 'fixed-window', limit: 7, windowMs: 1000 })).toMatchObject({ alignment: 'epoch', countRejected: false });
  });

  // Proves each invalid spec is refused with a message that names the field.
  test.each([
    [{ algorithm: 'sliding-log', limit: 0, windowMs: 1000 }, /^limit: limit must be at least 1$/],
    [{ algorithm: 'sliding-log', limit: 1.5, windowMs: 1000 }, /limit must be an integer/],
    [{ algorithm: 'sliding-log', limit: 5 }, /^windowMs: windowMs must be a number$/],
    [{ algorithm: 'leaky', limit: 5, windowMs: 1000 }, /^algorithm: algorithm must be one of fixed-window, sliding-log/],
    [{ algorithm: 'sliding-log', limit: 5, windowMs: 1000, boundary: 'closed' }, /^boundary: boundary must be 'inclusive' or 'exclusive'$/],
    [{ algorithm: 'sliding-log', limit: 5, windowMs: 1000, burst: 3 }, /^burst does not apply to sliding-log \(its options: boundary, countRejected\)$/],
    [{ algorithm: 'gcra', limit: 5, windowMs: 1000, burst: 0 }, /^burst: burst must be at least 1$/],
    [{ algorithm: 'token-bucket', limit: 5, windowMs: 1000, refill: 'smooth' }, /refill must be 'continuous' or 'discrete'/],
    [{ algorithm: 'sliding-counter', limit: 5, windowMs: 1000, comparison: '<' }, /comparison must be 'new-included' or 'before-new'/],
    [{ algorithm: 'token-bucket', limit: 5, windowMs: 20_000_000_000, burst: 1_000_000 }, /^burst: \(burst \+ 1\) × windowMs must be at most 2\^52/],
  ])('%j is refused', (input, message) => {
    const r = parseLimiterSpec(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(message);
    expect(() => new Limiter(input as LimiterSpecInput, 1)).toThrow(RangeError);
  });

  // Proves the limiter refuses a key outside 0..maxKeys−1 and a clock that goes backwards or is not whole ms.
  test('bad keys and clocks throw', () => {
    const l = new Limiter(LAB, 2);
    expect(() => l.check(2, 0)).toThrow(/key must be an integer from 0 to 1, got 2/);
    expect(() => l.check(-1, 0)).toThrow(/key/);
    expect(() => l.check(0.5, 0)).toThrow(/key/);
    l.check(0, 100);
    expect(() => l.check(1, 99)).toThrow(/time went backwards: 99 ms after 100 ms/);
    expect(() => l.check(1, 100.5)).toThrow(/whole number of ms/);
    expect(() => l.check(1, Number.NaN)).toThrow(RangeError);
    expect(() => new Limiter(LAB, 0)).toThrow(/maxKeys/);
    expect(() => new Limiter({ algorithm: 'sliding-log', limit: 1000, windowMs: 1000 }, 1_000_000)).toThrow(/slots/);
    expect(() => new Limiter(LAB, 1).lastDecision()).toThrow(/before any check/);
  });
});

describe('decisions as trace data', () => {
  // Proves a decision turns into LimiterDecisionData with the spec's limit and window and the decision's count, retry and detail.
  test('toDecisionData', () => {
    const l = new Limiter(LAB, 4);
    const keys = new KeyTable(4);
    const k = keys.intern('user:u3');
    let d = l.check(k, 0);
    for (const t of LAB_TIMES.slice(1, 6)) d = l.check(k, t);
    expect(toDecisionData(l.spec, 'user:u3', 'gateway', d)).toEqual({
      key: 'user:u3',
      placement: 'gateway',
      algorithm: 'sliding-log',
      count: 6,
      limit: 5,
      windowMs: 60_000,
      retryAfterMs: 1,
      detail: { log: [0, 15_000, 20_000, 35_000, 55_000] },
    });
  });

  // Proves the bucket algorithms record their capacity (what `count` is compared with) in the
  // detail, the defaulted one and a chosen one alike, so a reader can explain a decision from it.
  test('bucket decisions carry their burst or queueMax', () => {
    const spec = (algorithm: string, extra: Record<string, number> = {}) => ({ algorithm, limit: 5, windowMs: 60_000, ...extra }) as LimiterSpecInput;
    expect(new Limiter(spec('token-bucket'), 1).check(0, 0).detail).toEqual({ tokens: 4, burst: 5 });
    expect(new Limiter(spec('token-bucket', { burst: 2 }), 1).check(0, 0).detail).toEqual({ tokens: 1, burst: 2 });
    expect(new Limiter(spec('leaky-bucket', { burst: 3 }), 1).check(0, 0).detail).toEqual({ tokens: 2, burst: 3 });
    expect(new Limiter(spec('gcra'), 1).check(0, 0).detail).toEqual({ tatMs: 12_000, burst: 5 });
    expect(new Limiter(spec('leaky-queue', { queueMax: 1 }), 1).check(0, 0).detail).toEqual({ delayMs: 0, queueMax: 1 });
  });

  // Proves checkFast and check agree, and lastDecision describes the latest checkFast.
  test('checkFast + lastDecision equals check', () => {
    const spec: LimiterSpecInput = { algorithm: 'sliding-counter', limit: 3, windowMs: 100 };
    const a = new Limiter(spec, 1);
    const b = new Limiter(spec, 1);
    for (const t of [0, 1, 2, 3, 50, 120, 150, 199, 260]) {
      const fast = a.checkFast(0, t);
      const full = b.check(0, t);
      expect(fast).toBe(full.allowed);
      expect(a.lastDecision()).toEqual(full);
    }
  });

  // Proves the key table gives dense ids in first-use order, refuses past its cap, and survives a snapshot.
  test('KeyTable', () => {
    const keys = new KeyTable(2);
    expect(keys.intern('user:u1')).toBe(0);
    expect(keys.intern('user:u2')).toBe(1);
    expect(keys.intern('user:u1')).toBe(0);
    expect(keys.intern('user:u3')).toBe(-1);
    expect(keys.idOf('user:u3')).toBeUndefined();
    expect(keys.nameOf(1)).toBe('user:u2');
    expect(keys.size).toBe(2);
    const copy = KeyTable.fromState(structuredClone(keys.exportState()));
    expect(copy.idOf('user:u2')).toBe(1);
    expect(copy.intern('user:u9')).toBe(-1);
    expect(() => new KeyTable(0)).toThrow(RangeError);
  });
});

// ---- properties -----------------------------------------------------------------------------------

/** Requests as [time, key]: nondecreasing times (gaps 0..gapMax, often 0 for bursts) over `keys` keys. */
function trafficArb(keys: number, gapMax = 30): fc.Arbitrary<[number, number][]> {
  return fc
    .array(fc.tuple(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: gapMax })), fc.integer({ min: 0, max: keys - 1 })), { maxLength: 80 })
    .map((steps) => {
      let t = 0;
      return steps.map(([gap, key]) => {
        t += gap;
        return [t, key] as [number, number];
      });
    });
}

const limitArb = fc.integer({ min: 1, max: 6 });
const windowArb = fc.integer({ min: 1, max: 40 });
const boolArb = fc.boolean();

/** Any spec, with small numbers so that windows, bursts and queues fill up often. */
const specArb: fc.Arbitrary<LimiterSpecInput> = fc.oneof(
  fc.record({ algorithm: fc.constant('fixed-window' as const), limit: limitArb, windowMs: windowArb, alignment: fc.constantFrom('epoch' as const, 'anchored' as const), countRejected: boolArb }),
  fc.record({ algorithm: fc.constant('sliding-log' as const), limit: limitArb, windowMs: windowArb, boundary: fc.constantFrom('inclusive' as const, 'exclusive' as const), countRejected: boolArb }),
  fc.record({
    algorithm: fc.constant('sliding-counter' as const),
    limit: limitArb,
    windowMs: windowArb,
    comparison: fc.constantFrom('new-included' as const, 'before-new' as const),
    weighting: fc.constantFrom('fractional' as const, 'floor' as const),
    countRejected: boolArb,
  }),
  fc.record({ algorithm: fc.constant('token-bucket' as const), limit: limitArb, windowMs: windowArb, burst: fc.integer({ min: 1, max: 8 }), refill: fc.constantFrom('continuous' as const, 'discrete' as const) }),
  fc.record({ algorithm: fc.constant('leaky-bucket' as const), limit: limitArb, windowMs: windowArb, burst: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ algorithm: fc.constant('leaky-queue' as const), limit: limitArb, windowMs: windowArb, queueMax: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ algorithm: fc.constant('gcra' as const), limit: limitArb, windowMs: windowArb, burst: fc.integer({ min: 1, max: 8 }) }),
);

const KEYS = 3;

describe('properties', () => {
  // Proves (a): a sliding log never allows more than `limit` in any window of its convention (closed [t−W, t] when inclusive, (t−W, t] when exclusive), and, when refused requests are not logged, refuses only when exactly `limit` are already in the window (it is exact, not merely safe).
  test('sliding log: never more than limit in a window, and exact', () => {
    fc.assert(
      fc.property(trafficArb(KEYS), limitArb, windowArb, fc.constantFrom('inclusive' as const, 'exclusive' as const), boolArb, (traffic, limit, windowMs, boundary, countRejected) => {
        const l = new Limiter({ algorithm: 'sliding-log', limit, windowMs, boundary, countRejected }, KEYS);
        const allowed: number[][] = Array.from({ length: KEYS }, () => []);
        const inWindow = (now: number, t: number) => (boundary === 'inclusive' ? now - t <= windowMs : now - t < windowMs);
        for (const [t, key] of traffic) {
          const before = (allowed[key] as number[]).filter((x) => inWindow(t, x)).length;
          const ok = l.checkFast(key, t);
          if (ok) (allowed[key] as number[]).push(t);
          expect(before + (ok ? 1 : 0)).toBeLessThanOrEqual(limit);
          if (!countRejected) expect(ok).toBe(before < limit);
        }
      }),
    );
  });

  // Proves (b): the token bucket (continuous refill), the leaky bucket as a meter and GCRA with the same rate and burst make identical decisions on any traffic, and the leaky queue with queueMax q admits exactly what GCRA with burst q + 1 admits (the notes measured TB ≡ GCRA at 1M keys).
  test('token bucket ≡ leaky bucket ≡ GCRA; leaky queue ≡ GCRA(queueMax + 1)', () => {
    fc.assert(
      fc.property(trafficArb(KEYS), limitArb, windowArb, fc.integer({ min: 1, max: 8 }), (traffic, limit, windowMs, burst) => {
        const base = { limit, windowMs, burst };
        const tb = new Limiter({ algorithm: 'token-bucket', ...base }, KEYS);
        const lb = new Limiter({ algorithm: 'leaky-bucket', ...base }, KEYS);
        const gcra = new Limiter({ algorithm: 'gcra', ...base }, KEYS);
        const queue = new Limiter({ algorithm: 'leaky-queue', limit, windowMs, queueMax: burst - 1 }, KEYS);
        for (const [t, key] of traffic) {
          const g = gcra.check(key, t);
          const expected = { allowed: g.allowed, retryAfterMs: g.retryAfterMs, count: g.count };
          expect(pickCore(tb.check(key, t))).toEqual(expected);
          expect(pickCore(lb.check(key, t))).toEqual(expected);
          expect(queue.check(key, t)).toMatchObject({ allowed: g.allowed, retryAfterMs: g.retryAfterMs });
        }
      }),
    );
  });

  // Proves (c): retryAfterMs is honest for every algorithm and convention: on a copy of the state just after a refusal, a request at now + retryAfterMs is allowed and one at now + retryAfterMs − 1 is refused. This holds for all seven algorithms here because all arithmetic is exact integers; it also holds with countRejected, where it means "if the client stops trying".
  test('retryAfterMs is the earliest time a request passes', () => {
    fc.assert(
      fc.property(specArb, trafficArb(KEYS), (spec, traffic) => {
        const l = new Limiter(spec, KEYS);
        for (const [t, key] of traffic) {
          const d = l.check(key, t);
          if (d.allowed) {
            expect(d.retryAfterMs).toBeNull();
            continue;
          }
          const retry = d.retryAfterMs as number;
          expect(retry).toBeGreaterThanOrEqual(1);
          const state = l.exportState();
          expect(Limiter.fromState(state).checkFast(key, t + retry), `${JSON.stringify(spec)} at ${t} + ${retry}`).toBe(true);
          expect(Limiter.fromState(state).checkFast(key, t + retry - 1), `${JSON.stringify(spec)} at ${t} + ${retry} − 1`).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  // Proves (d): exporting the state (through structuredClone, as a snapshot would), importing it into a fresh limiter and continuing gives the same decisions as never stopping.
  test('export → import → continue gives the same decisions', () => {
    fc.assert(
      fc.property(specArb, trafficArb(KEYS), fc.nat(), (spec, traffic, cut) => {
        const split = traffic.length === 0 ? 0 : cut % (traffic.length + 1);
        const original = new Limiter(spec, KEYS);
        for (const [t, key] of traffic.slice(0, split)) original.checkFast(key, t);
        const restored = new Limiter(spec, KEYS);
        restored.importState(structuredClone(original.exportState()));
        for (const [t, key] of traffic.slice(split)) expect(restored.check(key, t)).toEqual(original.check(key, t));
      }),
    );
  });

  // Proves a state cannot be imported into a limiter with another spec or size.
  test('importState refuses a foreign state', () => {
    const a = new Limiter(LAB, 2);
    expect(() => new Limiter({ ...LAB, boundary: 'exclusive' }, 2).importState(a.exportState())).toThrow(/different limiter/);
    expect(() => new Limiter(LAB, 3).importState(a.exportState())).toThrow(/keys/);
    const spec: LimiterSpec = JSON.parse(JSON.stringify({ countRejected: false, boundary: 'inclusive', windowMs: 60_000, limit: 5, algorithm: 'sliding-log' }));
    expect(() => new Limiter(spec, 2).importState(a.exportState())).not.toThrow();
  });
});

function pickCore(d: { allowed: boolean; retryAfterMs: number | null; count: number }) {
  return { allowed: d.allowed, retryAfterMs: d.retryAfterMs, count: d.count };
}
