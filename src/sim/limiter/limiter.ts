/**
 * Rate limiters for the simulated cluster: seven algorithms over dense integer keys
 * (0..maxKeys-1), each a pure function of (state, key, now) with its state in typed arrays.
 *
 * Why typed arrays: a check over 1M keys costs tens of ns with a struct of arrays and 800–1600 ns
 * with a `Map<string, object>` (docs/reference-figures.md P4, re-measured by
 * `npm run bench`), and typed arrays are structured-cloneable, so a simulation snapshot copies the
 * limiter's state as a handful of buffers.
 *
 * Why every edge is an option: libraries disagree on each of them (docs/reference-figures.md P7), and a
 * student can only see the disagreement if the convention is a visible, named choice:
 *
 * | option | values (default first) | what it decides |
 * |---|---|---|
 * | `boundary` (sliding-log) | `inclusive` \| `exclusive` | does a request exactly `windowMs` old still count? |
 * | `countRejected` (fixed-window, sliding-log, sliding-counter) | `false` \| `true` | do refused requests count? |
 * | `comparison` (sliding-counter) | `new-included` \| `before-new` | `est + 1 <= limit` or `est < limit` |
 * | `weighting` (sliding-counter) | `fractional` \| `floor` | Cloudflare's exact weight or Upstash's floored one |
 * | `alignment` (fixed-window) | `epoch` \| `anchored` | windows `[kW,(k+1)W)` or starting at a key's first request |
 * | `refill` (token-bucket) | `continuous` \| `discrete` | tokens drip every ms or arrive `limit` at a time each window |
 * | `burst` (token-bucket, leaky-bucket, gcra) | `limit` | how many requests may pass at once |
 * | `queueMax` (leaky-queue) | `limit` | how many requests may wait |
 *
 * Arithmetic is exact. Window algorithms use integers only. The bucket algorithms (token bucket,
 * leaky bucket, GCRA, leaky queue) measure time in "ticks" of 1/limit ms, so that the emission
 * interval windowMs/limit is the integer `windowMs` ticks and one request is `windowMs` units of
 * bucket content; every quantity is then an integer below 2^53 (the schema bounds the inputs so
 * that this holds), and no decision depends on floating-point rounding. That is also why the token
 * bucket, the leaky bucket and GCRA make identical decisions, as the property tests check.
 */
import { z } from 'zod';
import type { LimiterDecisionData, LimiterDetail } from '../contract/index.ts';

// ---- the spec ------------------------------------------------------------------------------------

/** The algorithms, in the order the lab introduces them. */
export const LIMITER_ALGORITHMS = ['fixed-window', 'sliding-log', 'sliding-counter', 'token-bucket', 'leaky-bucket', 'leaky-queue', 'gcra'] as const;
export type LimiterAlgorithm = (typeof LIMITER_ALGORITHMS)[number];

/** The largest `limit`, `burst` and `queueMax`: far beyond any lab, small enough for exact arithmetic. */
export const MAX_LIMIT = 1_000_000;
/** The longest window: 366 days (express-rate-limit #546 shows people do ask for a year). */
export const MAX_WINDOW_MS = 366 * 24 * 60 * 60 * 1000;
/** Capacity × windowMs stays below this, so bucket content in ticks is an exact integer. */
const MAX_BUCKET_UNITS = 2 ** 52;
/** Sliding log timestamps held in one limiter (8 bytes each): 2^27 slots is 1 GiB. */
export const MAX_LOG_SLOTS = 2 ** 27;
/** The most keys one limiter holds. */
export const MAX_KEYS = 2 ** 26;
/** The sliding log's `detail.log` lists at most this many (the newest) timestamps, to keep traces small. */
export const MAX_DETAIL_LOG = 100;

const integer = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number` })
    .int({ error: `${field} must be an integer` })
    .min(min, { error: `${field} must be at least ${min}` })
    .max(max, { error: `${field} must be at most ${max}` });

const choice = <const T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.enum(values, { error: `${field} must be ${values.map((v) => `'${v}'`).join(' or ')}` });

const common = {
  limit: integer('limit', 1, MAX_LIMIT),
  windowMs: integer('windowMs', 1, MAX_WINDOW_MS),
};

/** The options each algorithm accepts (besides algorithm, limit and windowMs). */
export const LIMITER_OPTIONS: Readonly<Record<LimiterAlgorithm, readonly string[]>> = {
  'fixed-window': ['alignment', 'countRejected'],
  'sliding-log': ['boundary', 'countRejected'],
  'sliding-counter': ['comparison', 'weighting', 'countRejected'],
  'token-bucket': ['burst', 'refill'],
  'leaky-bucket': ['burst'],
  'leaky-queue': ['queueMax'],
  gcra: ['burst'],
};

/** A strict object per algorithm: an option that does not apply is refused, by name. */
const variant = <A extends LimiterAlgorithm, S extends z.ZodRawShape>(algorithm: A, shape: S) =>
  z.strictObject(
    { algorithm: z.literal(algorithm), ...common, ...shape },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `${issue.keys.join(', ')} ${issue.keys.length === 1 ? 'does' : 'do'} not apply to ${algorithm} (its options: ${LIMITER_OPTIONS[algorithm].join(', ')})`
          : undefined,
    },
  );

const countRejected = z.boolean({ error: 'countRejected must be true or false' }).default(false);
const burst = integer('burst', 1, MAX_LIMIT).optional();

/**
 * The zod schema of a limiter spec. It fills every default (so a parsed spec names every
 * convention it runs under), and its messages name the field: `limit must be at least 1`,
 * `boundary must be 'inclusive' or 'exclusive'`, `burst does not apply to sliding-log (…)`.
 *
 * @example
 * limiterSpecSchema.parse({ algorithm: 'sliding-log', limit: 5, windowMs: 60_000 });
 * // { algorithm: 'sliding-log', limit: 5, windowMs: 60000, boundary: 'inclusive', countRejected: false }
 */
export const limiterSpecSchema = z
  .discriminatedUnion(
    'algorithm',
    [
      variant('fixed-window', { alignment: choice('alignment', ['epoch', 'anchored']).default('epoch'), countRejected }),
      variant('sliding-log', { boundary: choice('boundary', ['inclusive', 'exclusive']).default('inclusive'), countRejected }),
      variant('sliding-counter', {
        comparison: choice('comparison', ['new-included', 'before-new']).default('new-included'),
        weighting: choice('weighting', ['fractional', 'floor']).default('fractional'),
        countRejected,
      }),
      variant('token-bucket', { burst, refill: choice('refill', ['continuous', 'discrete']).default('continuous') }),
      variant('leaky-bucket', { burst }),
      variant('leaky-queue', { queueMax: integer('queueMax', 0, MAX_LIMIT).optional() }),
      variant('gcra', { burst }),
    ],
    { error: (issue) => (issue.code === 'invalid_union' ? `algorithm must be one of ${LIMITER_ALGORITHMS.join(', ')}` : undefined) },
  )
  .superRefine((spec, ctx) => {
    // Bucket content is counted in ticks (see the file comment); capacity × windowMs must stay
    // an exact integer, with room for one more request and for the clock.
    // An absent burst or queueMax defaults to the limit (the transform below), so the bound is
    // checked on the value the limiter will really use, and the issue names the field that sets it.
    const bucket = spec.algorithm === 'token-bucket' || spec.algorithm === 'leaky-bucket' || spec.algorithm === 'gcra';
    if (!bucket && spec.algorithm !== 'leaky-queue') return;
    const own = spec.algorithm === 'leaky-queue' ? spec.queueMax : bucket ? spec.burst : undefined;
    const capacity = own ?? spec.limit;
    if ((capacity + 1) * spec.windowMs > MAX_BUCKET_UNITS) {
      const field = own !== undefined ? (spec.algorithm === 'leaky-queue' ? 'queueMax' : 'burst') : 'limit';
      const most = Math.floor(MAX_BUCKET_UNITS / spec.windowMs) - 1;
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `(${field} + 1) × windowMs must be at most 2^52 so that the bucket arithmetic stays exact (allowed with windowMs ${spec.windowMs}: ${field} ≤ ${most})`,
      });
    }
  })
  .transform((spec): LimiterSpec => {
    switch (spec.algorithm) {
      case 'token-bucket':
      case 'leaky-bucket':
      case 'gcra':
        return { ...spec, burst: spec.burst ?? spec.limit };
      case 'leaky-queue':
        return { ...spec, queueMax: spec.queueMax ?? spec.limit };
      default:
        return spec;
    }
  });

interface SpecBase {
  /** Requests allowed per window (or the rate, limit per windowMs, for the buckets). */
  readonly limit: number;
  readonly windowMs: number;
}
export type FixedWindowSpec = SpecBase & { readonly algorithm: 'fixed-window'; readonly alignment: 'epoch' | 'anchored'; readonly countRejected: boolean };
export type SlidingLogSpec = SpecBase & { readonly algorithm: 'sliding-log'; readonly boundary: SlidingLogBoundary; readonly countRejected: boolean };
export type SlidingCounterSpec = SpecBase & {
  readonly algorithm: 'sliding-counter';
  readonly comparison: 'new-included' | 'before-new';
  readonly weighting: 'fractional' | 'floor';
  readonly countRejected: boolean;
};
export type TokenBucketSpec = SpecBase & { readonly algorithm: 'token-bucket'; readonly burst: number; readonly refill: 'continuous' | 'discrete' };
export type LeakyBucketSpec = SpecBase & { readonly algorithm: 'leaky-bucket'; readonly burst: number };
export type LeakyQueueSpec = SpecBase & { readonly algorithm: 'leaky-queue'; readonly queueMax: number };
export type GcraSpec = SpecBase & { readonly algorithm: 'gcra'; readonly burst: number };

/** `inclusive`: a request exactly windowMs old still counts (`[t-W, t]`); `exclusive`: `(t-W, t]`. */
export type SlidingLogBoundary = 'inclusive' | 'exclusive';

/** A validated spec with every default filled in (the output of {@link limiterSpecSchema}). */
export type LimiterSpec = FixedWindowSpec | SlidingLogSpec | SlidingCounterSpec | TokenBucketSpec | LeakyBucketSpec | LeakyQueueSpec | GcraSpec;
/** A spec as written by hand or in a scenario: the options may be left out. */
export type LimiterSpecInput = z.input<typeof limiterSpecSchema>;

/** The result of {@link parseLimiterSpec}. */
export type LimiterSpecParse = { readonly ok: true; readonly spec: LimiterSpec } | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Validates a spec and fills its defaults; errors are sentences that start with the field.
 *
 * @example
 * parseLimiterSpec({ algorithm: 'gcra', limit: 0, windowMs: 1000 });
 * // { ok: false, errors: ['limit: limit must be at least 1'] }
 */
export function parseLimiterSpec(input: unknown): LimiterSpecParse {
  const result = limiterSpecSchema.safeParse(input);
  if (result.success) return { ok: true, spec: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    }),
  };
}

// ---- decisions -----------------------------------------------------------------------------------

/**
 * One rate-limit decision.
 *
 * `count` is the quantity the algorithm compared with its bound, counting this request:
 * - fixed window, sliding log: requests in the window including this one (allowed iff ≤ limit;
 *   a refused sliding-log request reports limit + 1, which with `countRejected` is a lower bound);
 * - sliding counter: the estimate it compared: `est + 1` under `new-included`, `est` under
 *   `before-new` (fractional under `fractional` weighting);
 * - token bucket, leaky bucket, GCRA: the bucket level in requests including this one, compared
 *   with `burst` (may be fractional with a continuous refill);
 * - leaky queue: this request's place in the queue (0 = it went straight through), compared with
 *   `queueMax`.
 */
export interface Decision {
  readonly allowed: boolean;
  readonly count: number;
  /**
   * For a refused request: the least number of ms after `now` at which a request on this key
   * would be allowed if nothing else arrived in between (exact, not an estimate; a request 1 ms
   * earlier would be refused). null when allowed.
   */
  readonly retryAfterMs: number | null;
  /** Leaky queue: how long the request waits before it leaves the queue (whole ms, rounded up). 0 otherwise. */
  readonly delayMs: number;
  readonly detail: LimiterDetail;
}

/**
 * Turns a decision into the data of a `limiter/allowed` or `limiter/rejected` trace event.
 *
 * @example
 * const d = limiter.check(keys.intern('user:u3'), now);
 * ctx.record(d.allowed ? 'limiter/allowed' : 'limiter/rejected', toDecisionData(limiter.spec, 'user:u3', 'gateway', d));
 */
export function toDecisionData(spec: LimiterSpec, key: string, placement: string, decision: Decision): LimiterDecisionData {
  return {
    key,
    placement,
    algorithm: spec.algorithm,
    count: decision.count,
    limit: spec.limit,
    windowMs: spec.windowMs,
    retryAfterMs: decision.retryAfterMs,
    detail: decision.detail,
  };
}

// ---- state ---------------------------------------------------------------------------------------

/**
 * A limiter's whole state as plain data: safe for structuredClone and postMessage (the arrays may
 * be transferred). Arrays an algorithm does not use are empty. What each array holds, per key:
 *
 * | array | fixed-window | sliding-log | sliding-counter | token-bucket | leaky-bucket | gcra | leaky-queue |
 * |---|---|---|---|---|---|---|---|
 * | `win` (f64) | window start ms | | current window start ms | | | | |
 * | `cur` (u32) | count in window | | current window count | | | | |
 * | `prev` (u32) | | | previous window count | | | | |
 * | `cursor` (u32) | | ring fill, or limit + head | | | | | |
 * | `ring` (f64, limit per key) | | logged timestamps ms | | | | | |
 * | `level` (f64, ticks) | | | | deficit (empty room) | water level | TAT | next free departure |
 * | `last` (f64, ms) | | | | last refill (continuous) or refill anchor, -1 = none (discrete) | last conforming time | | |
 */
export interface LimiterState {
  readonly version: 1;
  readonly spec: LimiterSpec;
  readonly maxKeys: number;
  /** The latest `now` seen; checks must not go back before it. */
  readonly clockMs: number;
  readonly arrays: LimiterArrays;
}

export interface LimiterArrays {
  readonly win: Float64Array;
  readonly cur: Uint32Array;
  readonly prev: Uint32Array;
  readonly cursor: Uint32Array;
  readonly ring: Float64Array;
  readonly level: Float64Array;
  readonly last: Float64Array;
}

const U32_MAX = 0xffff_ffff;

/** Algorithm codes for the hot path's switch (a small-integer switch is cheaper than string compares). */
const FIXED = 0;
const LOG = 1;
const COUNTER = 2;
const TOKEN = 3;
const LEAKY = 4;
const QUEUE = 5;
const GCRA = 6;

/** ⌊a / b⌋ for integers a ≥ 0, b > 0, exact below 2^53 (the remainder makes the division exact). */
function floorDiv(a: number, b: number): number {
  return (a - (a % b)) / b;
}

/** ⌈a / b⌉ for integers a ≥ 0, b > 0, exact below 2^53. */
function ceilDiv(a: number, b: number): number {
  const r = a % b;
  return r === 0 ? a / b : (a - r) / b + 1;
}

/**
 * A rate limiter over dense integer keys 0..maxKeys-1.
 *
 * `checkFast` decides and updates the state and returns only allowed/refused; `lastDecision()`
 * then describes that decision (count, retry-after, delay, detail) on demand, so the hot path
 * allocates nothing. `check` does both. Time is the simulation's integer ms clock and must not
 * go backwards between checks (any key).
 *
 * @example
 * const limiter = new Limiter({ algorithm: 'sliding-log', limit: 5, windowMs: 60_000 }, 1000);
 * const keys = new KeyTable(1000);
 * const d = limiter.check(keys.intern('user:u3'), 61_000);
 * if (!d.allowed) reply(429, { retryAfterMs: d.retryAfterMs });
 */
export class Limiter {
  /** The validated spec, every default filled in. */
  readonly spec: LimiterSpec;
  readonly maxKeys: number;

  private readonly alg: number;
  private readonly limit: number;
  private readonly windowMs: number;
  /** Bucket capacity in ticks: burst × windowMs (token/leaky/gcra) or queueMax × windowMs (queue). */
  private readonly capacity: number;
  /** Sliding counter: allowed iff prev·(W−e) + cur·W ≤ counterBound (see slidingCounter). */
  private readonly counterBound: number;
  /** The latest clock value for which ticks (now × limit) stay exact integers. */
  private readonly maxNowMs: number;
  private readonly inclusive: boolean;
  private readonly countRejected: boolean;
  private readonly anchored: boolean;
  private readonly discrete: boolean;

  private win: Float64Array;
  private cur: Uint32Array;
  private prev: Uint32Array;
  private cursor: Uint32Array;
  private ring: Float64Array;
  private level: Float64Array;
  private last: Float64Array;

  private clockMs = 0;
  // What lastDecision() needs about the latest check: the rest is read back from the state.
  private lastKey = -1;
  private lastNowMs = 0;
  private lastAllowed = false;
  /** Algorithm-specific: the value the decision compared, before the state was updated. */
  private lastValue = 0;

  /**
   * @param spec a spec (validated here; an invalid one throws a RangeError listing every problem)
   * @param maxKeys how many keys (0..maxKeys-1) the limiter holds; memory is allocated up front
   */
  constructor(spec: LimiterSpecInput | LimiterSpec, maxKeys: number) {
    const parsed = parseLimiterSpec(spec);
    if (!parsed.ok) throw new RangeError(`invalid limiter spec: ${parsed.errors.join('; ')}`);
    if (!Number.isInteger(maxKeys) || maxKeys < 1 || maxKeys > MAX_KEYS) throw new RangeError(`maxKeys must be an integer from 1 to ${MAX_KEYS}, got ${maxKeys}`);
    const s = parsed.spec;
    this.spec = s;
    this.maxKeys = maxKeys;
    this.limit = s.limit;
    this.windowMs = s.windowMs;
    this.alg = LIMITER_ALGORITHMS.indexOf(s.algorithm);
    this.inclusive = s.algorithm === 'sliding-log' && s.boundary === 'inclusive';
    this.countRejected = 'countRejected' in s && s.countRejected;
    this.anchored = s.algorithm === 'fixed-window' && s.alignment === 'anchored';
    this.discrete = s.algorithm === 'token-bucket' && s.refill === 'discrete';
    this.capacity = ('burst' in s ? s.burst : 'queueMax' in s ? s.queueMax : 0) * s.windowMs;
    // Fractional weighting with `est + 1 <= L` is the only convention that needs the whole
    // request of room: every other one (floor weighting either way, fractional `est < L`) comes
    // down to "the weighted sum is below L" for an integer current count, i.e. ≤ L·W − 1 in
    // integer units. So the comparison only matters with fractional weighting (see the tests).
    this.counterBound = s.algorithm === 'sliding-counter' && s.weighting === 'fractional' && s.comparison === 'new-included' ? (s.limit - 1) * s.windowMs : s.limit * s.windowMs - 1;
    // Ticks are now × limit; the largest tick value used is about now·L + capacity + W.
    this.maxNowMs = Math.floor((Number.MAX_SAFE_INTEGER - this.capacity - 2 * s.windowMs) / s.limit);

    const none = new Float64Array(0);
    const noneU = new Uint32Array(0);
    const uses = (...algs: number[]) => algs.includes(this.alg);
    if (this.alg === LOG && maxKeys * s.limit > MAX_LOG_SLOTS) {
      throw new RangeError(`a sliding log keeps limit timestamps per key: ${maxKeys} keys × limit ${s.limit} is more than ${MAX_LOG_SLOTS} slots`);
    }
    this.win = uses(FIXED, COUNTER) ? new Float64Array(maxKeys) : none;
    this.cur = uses(FIXED, COUNTER) ? new Uint32Array(maxKeys) : noneU;
    this.prev = uses(COUNTER) ? new Uint32Array(maxKeys) : noneU;
    this.cursor = uses(LOG) ? new Uint32Array(maxKeys) : noneU;
    this.ring = uses(LOG) ? new Float64Array(maxKeys * s.limit) : none;
    this.level = uses(TOKEN, LEAKY, QUEUE, GCRA) ? new Float64Array(maxKeys) : none;
    this.last = uses(TOKEN, LEAKY) ? new Float64Array(maxKeys) : none;
    // A discrete bucket's refills are anchored at its key's first request; -1 marks "no request yet".
    if (this.discrete) this.last.fill(-1);
  }

  /**
   * Decides one request and returns the full decision.
   *
   * @example
   * const d = limiter.check(0, 60_000);
   * // { allowed: false, count: 6, retryAfterMs: 1, delayMs: 0, detail: { log: [0, 15000, 20000, 35000, 55000] } }
   */
  check(key: number, nowMs: number): Decision {
    this.checkFast(key, nowMs);
    return this.lastDecision();
  }

  /**
   * Decides one request and updates the state; returns whether it is allowed (for the leaky
   * queue: admitted, possibly with a delay). Allocates nothing.
   *
   * @example
   * if (!limiter.checkFast(userIndex, nowMs)) rejected++;
   */
  checkFast(key: number, nowMs: number): boolean {
    if (key >>> 0 !== key || key >= this.maxKeys) throw new RangeError(`limiter key must be an integer from 0 to ${this.maxKeys - 1}, got ${key}`);
    if (!(nowMs >= this.clockMs && nowMs <= this.maxNowMs) || nowMs !== Math.floor(nowMs)) this.badClock(nowMs);
    this.clockMs = nowMs;
    let allowed: boolean;
    switch (this.alg) {
      case FIXED:
        allowed = this.fixedWindow(key, nowMs);
        break;
      case LOG:
        allowed = this.slidingLog(key, nowMs);
        break;
      case COUNTER:
        allowed = this.slidingCounter(key, nowMs);
        break;
      case TOKEN:
        allowed = this.discrete ? this.discreteBucket(key, nowMs) : this.tokenBucket(key, nowMs);
        break;
      case LEAKY:
        allowed = this.leakyBucket(key, nowMs);
        break;
      case QUEUE:
        allowed = this.leakyQueue(key, nowMs);
        break;
      default:
        allowed = this.gcra(key, nowMs);
    }
    this.lastKey = key;
    this.lastNowMs = nowMs;
    this.lastAllowed = allowed;
    return allowed;
  }

  private badClock(nowMs: number): never {
    if (nowMs < this.clockMs) throw new RangeError(`limiter time went backwards: ${nowMs} ms after ${this.clockMs} ms`);
    if (nowMs > this.maxNowMs) throw new RangeError(`limiter time ${nowMs} ms is past ${this.maxNowMs} ms, beyond which the arithmetic would not be exact`);
    throw new RangeError(`limiter time must be a whole number of ms, got ${nowMs}`);
  }

  // ---- the algorithms (hot paths) ---------------------------------------------------------------
  // Every key reaching an algorithm was checked against maxKeys by `check`, and every array here
  // holds maxKeys entries (a sliding log maxKeys × limit), so the typed-array reads below are in
  // bounds: they are asserted (`!`) rather than tested again on each request.

  /** Fixed window: `[kW, (k+1)W)` (epoch) or `[t0, t0+W)` from the first request (anchored). */
  private fixedWindow(key: number, now: number): boolean {
    if (this.anchored) {
      // A count of 0 means "no window yet": the first request of a window is always allowed,
      // so a live window never has count 0. `now - start >= W` is express-rate-limit's reset rule.
      if (this.cur[key]! === 0 || now - this.win[key]! >= this.windowMs) {
        this.win[key] = now;
        this.cur[key] = 0;
      }
    } else {
      const start = now - (now % this.windowMs);
      if (this.win[key]! !== start) {
        this.win[key] = start;
        this.cur[key] = 0;
      }
    }
    const c = this.cur[key]!;
    const allowed = c < this.limit;
    if ((allowed || this.countRejected) && c !== U32_MAX) this.cur[key] = c + 1;
    this.lastValue = c + 1;
    return allowed;
  }

  /**
   * Sliding log as a ring of the key's newest `limit` logged timestamps: there are `limit`
   * requests in the window exactly when the oldest of them is still in it, so one comparison
   * decides (O(1), docs/reference-figures.md P4).
   */
  private slidingLog(key: number, now: number): boolean {
    const L = this.limit;
    const base = key * L;
    const c = this.cursor[key]!;
    if (c < L) {
      // Fewer than `limit` requests were ever logged, so fewer are in any window.
      this.ring[base + c] = now;
      this.cursor[key] = c + 1;
      return true;
    }
    const head = c - L;
    const age = now - this.ring[base + head]!;
    const inWindow = this.inclusive ? age <= this.windowMs : age < this.windowMs;
    if (!inWindow || this.countRejected) {
      this.ring[base + head] = now;
      this.cursor[key] = head + 1 === L ? L : L + head + 1;
    }
    return !inWindow;
  }

  /**
   * Sliding counter over epoch windows: est = prev·(W−e)/W + cur, e = now − windowStart. Compared
   * in integer units of 1/W request: prev·(W−e) + cur·W against `counterBound`.
   */
  private slidingCounter(key: number, now: number): boolean {
    const W = this.windowMs;
    const start = now - (now % W);
    const stored = this.win[key]!;
    if (start !== stored) {
      this.prev[key] = start - stored === W ? this.cur[key]! : 0;
      this.cur[key] = 0;
      this.win[key] = start;
    }
    const weighted = this.prev[key]! * (W - (now - start));
    const c = this.cur[key]!;
    const allowed = weighted + c * W <= this.counterBound;
    if ((allowed || this.countRejected) && c !== U32_MAX) this.cur[key] = c + 1;
    this.lastValue = weighted;
    return allowed;
  }

  /** Token bucket, continuous refill, in ticks: `level` is the empty room (deficit); a request needs W of room. */
  private tokenBucket(key: number, now: number): boolean {
    let deficit = this.level[key]! - (now - this.last[key]!) * this.limit;
    if (deficit < 0) deficit = 0;
    this.last[key] = now;
    const allowed = deficit + this.windowMs <= this.capacity;
    this.level[key] = allowed ? deficit + this.windowMs : deficit;
    this.lastValue = deficit;
    return allowed;
  }

  /** Token bucket, discrete refill (Upstash): `limit` whole tokens every windowMs after the key's first request. */
  private discreteBucket(key: number, now: number): boolean {
    const W = this.windowMs;
    let anchor = this.last[key]!;
    let deficit = this.level[key]!;
    if (anchor < 0) {
      anchor = now;
    } else if (now - anchor >= W) {
      const refills = floorDiv(now - anchor, W);
      deficit -= refills * this.limit * W;
      if (deficit < 0) deficit = 0;
      anchor += refills * W;
    }
    this.last[key] = anchor;
    const allowed = deficit + W <= this.capacity;
    this.level[key] = allowed ? deficit + W : deficit;
    this.lastValue = deficit;
    return allowed;
  }

  /**
   * Leaky bucket as a meter, in its continuous-state form (ITU-T I.371): the water level drains
   * one tick per tick; a request adds W if that does not overflow `burst` requests. Refused
   * requests change nothing. Equivalent to GCRA, which is the same meter in virtual-scheduling form.
   */
  private leakyBucket(key: number, now: number): boolean {
    let level = this.level[key]! - (now - this.last[key]!) * this.limit;
    if (level < 0) level = 0;
    const allowed = level + this.windowMs <= this.capacity;
    if (allowed) {
      this.level[key] = level + this.windowMs;
      this.last[key] = now;
    }
    this.lastValue = level;
    return allowed;
  }

  /**
   * Leaky bucket as a queue (nginx `limit_req` without `nodelay`): requests leave one per
   * emission interval; one arriving while `queueMax` already wait is refused.
   */
  private leakyQueue(key: number, now: number): boolean {
    const t = now * this.limit;
    const free = this.level[key]!;
    const start = free > t ? free : t;
    const wait = start - t;
    // `wait` ticks until this request may leave means ⌈wait/W⌉ − 1 requests wait ahead of it, so
    // "at most queueMax waiting, counting this one" is wait ≤ queueMax·W.
    const allowed = wait <= this.capacity;
    if (allowed) this.level[key] = start + this.windowMs;
    this.lastValue = wait;
    return allowed;
  }

  /** GCRA (redis-cell): new_tat = max(tat, now) + T; refused iff now < new_tat − burst·T (allowed at diff == 0). */
  private gcra(key: number, now: number): boolean {
    const t = now * this.limit;
    const tat = this.level[key]!;
    const newTat = (tat > t ? tat : t) + this.windowMs;
    const allowed = newTat - t <= this.capacity;
    if (allowed) this.level[key] = newTat;
    this.lastValue = newTat - t;
    return allowed;
  }

  // ---- describing a decision (cold path) --------------------------------------------------------

  /**
   * The full decision of the latest `checkFast` (or `check`). Call it before the next check: it
   * reads the state that decision left behind.
   *
   * @example
   * if (!limiter.checkFast(k, now)) log(limiter.lastDecision().retryAfterMs);
   */
  lastDecision(): Decision {
    if (this.lastKey < 0) throw new Error('lastDecision() was called before any check');
    const key = this.lastKey;
    const now = this.lastNowMs;
    const allowed = this.lastAllowed;
    const W = this.windowMs;
    const L = this.limit;
    const refused = (retryAt: number): number | null => (allowed ? null : retryAt - now);
    switch (this.alg) {
      case FIXED: {
        const start = this.win[key]!;
        return { allowed, count: this.lastValue, retryAfterMs: refused(start + W), delayMs: 0, detail: { windowStartMs: start, currentCount: this.cur[key]! } };
      }
      case LOG: {
        const log = this.logInWindow(key, now);
        const base = key * L;
        const c = this.cursor[key]!;
        // Refused means the ring is full and its oldest entry is still in the window; a request
        // passes once that entry has left it.
        const oldest = c >= L ? this.ring[base + c - L]! : 0;
        const retryAt = this.inclusive ? oldest + W + 1 : oldest + W;
        const count = allowed ? log.length : L + 1;
        return { allowed, count, retryAfterMs: refused(retryAt), delayMs: 0, detail: { log: log.slice(-MAX_DETAIL_LOG) } };
      }
      case COUNTER: {
        const s = this.spec as SlidingCounterSpec;
        const start = this.win[key]!;
        const prev = this.prev[key]!;
        const cur = this.cur[key]!;
        // The count before this request: cur after, minus this one if it was counted.
        const before = allowed || this.countRejected ? cur - 1 : cur;
        const weighted = this.lastValue;
        const previous = s.weighting === 'floor' ? floorDiv(weighted, W) : weighted / W;
        const estimate = previous + before;
        const count = s.comparison === 'new-included' ? estimate + 1 : estimate;
        return {
          allowed,
          count,
          retryAfterMs: allowed ? null : this.counterRetryAt(start, now, prev, cur) - now,
          delayMs: 0,
          detail: { previousCount: prev, currentCount: cur, previousWeight: (W - (now - start)) / W, windowStartMs: start },
        };
      }
      case TOKEN: {
        const deficit = this.level[key]!;
        const count = (this.lastValue + W) / W;
        const detail = { tokens: (this.capacity - deficit) / W, burst: this.capacity / W };
        if (this.discrete) return { allowed, count, retryAfterMs: refused(this.last[key]! + W), delayMs: 0, detail };
        // Room for one request (W ticks) comes back at `limit` ticks per ms.
        return { allowed, count, retryAfterMs: refused(now + ceilDiv(deficit - (this.capacity - W), L)), delayMs: 0, detail };
      }
      case LEAKY: {
        // The level stored is as of `last`; the level now is lastValue (+ W if this one was added).
        // LimiterDetail has no water-level field, so the room left in the bucket is reported as
        // `tokens`: the token bucket's view of the same meter (they are equivalent, see the tests).
        const levelNow = allowed ? this.lastValue + W : this.lastValue;
        const retryAt = this.last[key]! + ceilDiv(this.level[key]! - (this.capacity - W), L);
        return { allowed, count: (this.lastValue + W) / W, retryAfterMs: refused(retryAt), delayMs: 0, detail: { tokens: (this.capacity - levelNow) / W, burst: this.capacity / W } };
      }
      case QUEUE: {
        const wait = this.lastValue;
        const retryAt = ceilDiv(this.level[key]! - this.capacity, L);
        return { allowed, count: ceilDiv(wait, W), retryAfterMs: refused(retryAt), delayMs: allowed ? ceilDiv(wait, L) : 0, detail: { delayMs: allowed ? ceilDiv(wait, L) : 0, queueMax: this.capacity / W } };
      }
      default: {
        const tat = this.level[key]!;
        // Refused until max(tat, t) + T − t ≤ burst·T, i.e. t ≥ tat + T − burst·T.
        const retryAt = ceilDiv(tat + W - this.capacity, L);
        return { allowed, count: this.lastValue / W, retryAfterMs: refused(retryAt), delayMs: 0, detail: { tatMs: tat / L, burst: this.capacity / W } };
      }
    }
  }

  /** The key's logged timestamps still in the window at `now`, oldest first. */
  private logInWindow(key: number, now: number): number[] {
    const L = this.limit;
    const base = key * L;
    const c = this.cursor[key]!;
    const n = c < L ? c : L;
    const head = c < L ? 0 : c - L;
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = this.ring[base + ((head + i) % L)]!;
      const age = now - t;
      if (this.inclusive ? age <= this.windowMs : age < this.windowMs) out.push(t);
    }
    return out;
  }

  /**
   * The earliest time after `now` at which a sliding-counter request on a key with this state
   * passes, if nothing else arrives: within the current window the previous window's weight only
   * shrinks; in the next window today's count becomes the previous one; the window after that
   * starts from zero, which always passes.
   */
  private counterRetryAt(start: number, now: number, prev: number, cur: number): number {
    const W = this.windowMs;
    const bound = this.counterBound;
    // Allowed at offset e (in some window) iff p·(W − e) + c·W ≤ bound, i.e. W − e ≤ ⌊(bound − c·W)/p⌋.
    const earliestOffset = (p: number, c: number): number => {
      const room = bound - c * W;
      if (room < 0) return W; // never within this window
      if (p === 0) return 0;
      return Math.max(0, W - floorDiv(room, p));
    };
    const inThisWindow = Math.max(now - start + 1, earliestOffset(prev, cur));
    if (inThisWindow < W) return start + inThisWindow;
    const inNextWindow = earliestOffset(cur, 0);
    if (inNextWindow < W) return start + W + inNextWindow;
    return start + 2 * W;
  }

  // ---- snapshots -------------------------------------------------------------------------------

  /**
   * A copy of the whole state as plain data (structured-cloneable; the arrays may be transferred).
   *
   * @example
   * const saved = limiter.exportState();
   * const replica = Limiter.fromState(structuredClone(saved));
   */
  exportState(): LimiterState {
    return {
      version: 1,
      spec: this.spec,
      maxKeys: this.maxKeys,
      clockMs: this.clockMs,
      arrays: {
        win: this.win.slice(),
        cur: this.cur.slice(),
        prev: this.prev.slice(),
        cursor: this.cursor.slice(),
        ring: this.ring.slice(),
        level: this.level.slice(),
        last: this.last.slice(),
      },
    };
  }

  /**
   * Replaces this limiter's state with a copy of `state`, which must come from a limiter with the
   * same spec and maxKeys (checked: a mismatch throws rather than silently mixing conventions).
   *
   * @example
   * limiter.importState(saved); // back to where exportState() was called
   */
  importState(state: LimiterState): void {
    if (state.version !== 1) throw new RangeError(`unknown limiter state version ${String(state.version)}`);
    if (!sameSpec(state.spec, this.spec)) throw new RangeError(`the state is of a different limiter: ${JSON.stringify(state.spec)} vs ${JSON.stringify(this.spec)}`);
    if (state.maxKeys !== this.maxKeys) throw new RangeError(`the state holds ${state.maxKeys} keys, this limiter ${this.maxKeys}`);
    const pairs: [Float64Array | Uint32Array, Float64Array | Uint32Array, string][] = [
      [this.win, state.arrays.win, 'win'],
      [this.cur, state.arrays.cur, 'cur'],
      [this.prev, state.arrays.prev, 'prev'],
      [this.cursor, state.arrays.cursor, 'cursor'],
      [this.ring, state.arrays.ring, 'ring'],
      [this.level, state.arrays.level, 'level'],
      [this.last, state.arrays.last, 'last'],
    ];
    for (const [mine, theirs, name] of pairs) {
      if (mine.length !== theirs.length || mine.constructor !== theirs.constructor) throw new RangeError(`the state's ${name} array does not fit this limiter`);
    }
    for (const [mine, theirs] of pairs) mine.set(theirs);
    this.clockMs = state.clockMs;
    this.lastKey = -1;
  }

  /**
   * A new limiter holding a copy of `state`.
   *
   * @example
   * const copy = Limiter.fromState(limiter.exportState());
   */
  static fromState(state: LimiterState): Limiter {
    const limiter = new Limiter(state.spec, state.maxKeys);
    limiter.importState(state);
    return limiter;
  }

  /**
   * A limiter that works directly on `arrays` (no copy), for a simulation node that keeps the
   * arrays in its plain-data state so that snapshots capture them. The clock is passed in and
   * read back with {@link Limiter.clock}.
   *
   * @example
   * const lim = Limiter.attach(spec, maxKeys, node.arrays, node.clockMs);
   * const d = lim.check(key, now);
   * node.clockMs = lim.clock;
   */
  static attach(spec: LimiterSpec, maxKeys: number, arrays: LimiterArrays, clockMs: number): Limiter {
    const limiter = new Limiter(spec, 1);
    (limiter as { maxKeys: number }).maxKeys = maxKeys;
    limiter.win = arrays.win;
    limiter.cur = arrays.cur;
    limiter.prev = arrays.prev;
    limiter.cursor = arrays.cursor;
    limiter.ring = arrays.ring;
    limiter.level = arrays.level;
    limiter.last = arrays.last;
    limiter.clockMs = clockMs;
    return limiter;
  }

  /** The latest clock value seen (see {@link Limiter.attach}). */
  get clock(): number {
    return this.clockMs;
  }
}

/** Field-by-field equality, so that a spec that went through JSON (keys in another order) still matches. */
function sameSpec(a: LimiterSpec, b: LimiterSpec): boolean {
  const x = new Map<string, unknown>(Object.entries(a));
  const y = new Map<string, unknown>(Object.entries(b));
  return x.size === y.size && [...x].every(([k, v]) => y.get(k) === v);
}

// ---- replaying a list of times ---------------------------------------------------------------------

/** One decision of {@link decideAll}, with its time. */
export interface TimedDecision extends Decision {
  readonly t: number;
}

/**
 * Runs one key's request times (integer ms, nondecreasing) through a fresh limiter.
 *
 * @example
 * decideAll({ algorithm: 'sliding-log', limit: 5, windowMs: 60_000 }, [0, 15e3, 20e3, 35e3, 55e3, 60e3, 65e3])
 *   .map((d) => d.allowed);
 * // [true, true, true, true, true, false, true]
 */
export function decideAll(spec: LimiterSpecInput | LimiterSpec, times: readonly number[]): TimedDecision[] {
  const limiter = new Limiter(spec, 1);
  return times.map((t) => ({ t, ...limiter.check(0, t) }));
}

// ---- string keys -----------------------------------------------------------------------------------

/** Serializable state of a {@link KeyTable}. */
export interface KeyTableState {
  readonly capacity: number;
  /** Names in id order: names[i] has id i. */
  readonly names: readonly string[];
}

/**
 * Maps string keys (`user:u3`, `ip:10.0.0.7`) to dense ids 0..capacity-1 in order of first use,
 * so that a {@link Limiter} can index typed arrays. It has a cap, like everything in the
 * simulation: when full, `intern` returns -1 and the caller decides (refuse, or share a key).
 *
 * @example
 * const keys = new KeyTable(2);
 * keys.intern('user:u1'); // 0
 * keys.intern('user:u2'); // 1
 * keys.intern('user:u1'); // 0
 * keys.intern('user:u3'); // -1 (full)
 */
export class KeyTable {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_KEYS) throw new RangeError(`KeyTable capacity must be an integer from 1 to ${MAX_KEYS}, got ${capacity}`);
  }

  /** The id of `name`, giving it the next free id on first use; -1 when the table is full. */
  intern(name: string): number {
    const id = this.ids.get(name);
    if (id !== undefined) return id;
    if (this.names.length >= this.capacity) return -1;
    const next = this.names.length;
    this.ids.set(name, next);
    this.names.push(name);
    return next;
  }

  /** The id of `name` without assigning one; undefined if it has none. */
  idOf(name: string): number | undefined {
    return this.ids.get(name);
  }

  /** The name with this id; undefined if none. */
  nameOf(id: number): string | undefined {
    return this.names[id];
  }

  /** How many names have ids. */
  get size(): number {
    return this.names.length;
  }

  /** Plain data for a snapshot. */
  exportState(): KeyTableState {
    return { capacity: this.capacity, names: [...this.names] };
  }

  /** A table holding the same names with the same ids. */
  static fromState(state: KeyTableState): KeyTable {
    const table = new KeyTable(state.capacity);
    for (const name of state.names) {
      if (table.intern(name) < 0) throw new RangeError('KeyTable state has more names than its capacity');
    }
    if (table.size !== state.names.length) throw new RangeError('KeyTable state repeats a name');
    return table;
  }
}
