/**
 * `sim limiter`: runs one key's request times through a rate limiter and prints each decision,
 * so that every convention in the lab can be tried from a shell:
 *
 *   npm run --silent sim -- limiter --algorithm sliding-log --limit 5 --window-ms 60000 \
 *     --times 0,15000,20000,35000,55000,60000,65000 --json
 *
 * The flags are parsed by `parseArgs` in ./args.ts (with the option table below) and turned into a
 * command here; this module imports nothing from args.ts or sim.ts, so there is no import cycle.
 */
import {
  LIMITER_ALGORITHMS,
  LIMITER_OPTIONS,
  decideAll,
  parseLimiterSpec,
  type LimiterAlgorithm,
  type LimiterSpec,
  type TimedDecision,
} from '../sim/index.ts';

/** `sim limiter`: one limiter, one key, a list of request times. */
export interface LimiterCommand {
  readonly kind: 'limiter';
  readonly spec: LimiterSpec;
  /** Integer ms, nondecreasing. */
  readonly times: readonly number[];
  readonly json: boolean;
}

/** The most request times one command line may carry (everything has a limit). */
export const MAX_TIMES = 100_000;

/** Node `parseArgs` options of `sim limiter`. */
export const LIMITER_CLI_OPTIONS = {
  algorithm: { type: 'string' },
  limit: { type: 'string' },
  'window-ms': { type: 'string' },
  times: { type: 'string' },
  boundary: { type: 'string' },
  'count-rejected': { type: 'boolean' },
  comparison: { type: 'string' },
  weighting: { type: 'string' },
  alignment: { type: 'string' },
  burst: { type: 'string' },
  refill: { type: 'string' },
  'queue-max': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Flags whose value is a number, so `--limit -1` reaches the number check instead of looking like a flag. */
export const LIMITER_NUMERIC_FLAGS: ReadonlySet<string> = new Set(['--limit', '--window-ms', '--burst', '--queue-max', '--times']);

/** Spec field → flag, for messages and for the option table. */
const FLAG_OF: Readonly<Record<string, string>> = {
  algorithm: '--algorithm',
  limit: '--limit',
  windowMs: '--window-ms',
  boundary: '--boundary',
  countRejected: '--count-rejected',
  comparison: '--comparison',
  weighting: '--weighting',
  alignment: '--alignment',
  burst: '--burst',
  refill: '--refill',
  queueMax: '--queue-max',
};

/** Lines for the `sim help` text. */
export const LIMITER_USAGE = `Options for limiter (one key; prints one decision per time):
  --algorithm <name>    ${LIMITER_ALGORITHMS.join(', ')}.
  --limit <n>           Requests per window (the rate, for the buckets).
  --window-ms <n>       The window (ms).
  --times <t1,t2,...>   Request times in integer ms, nondecreasing (at most ${MAX_TIMES}).
  --boundary <b>        sliding-log: inclusive (default; a request exactly window-ms old
                        still counts) or exclusive.
  --count-rejected      fixed-window, sliding-log, sliding-counter: refused requests count.
  --comparison <c>      sliding-counter: new-included (est + 1 <= limit, default) or before-new
                        (est < limit).
  --weighting <w>       sliding-counter: fractional (default) or floor.
  --alignment <a>       fixed-window: epoch (default) or anchored (at the first request).
  --burst <n>           token-bucket, leaky-bucket, gcra: requests at once (default: limit).
  --refill <r>          token-bucket: continuous (default) or discrete.
  --queue-max <n>       leaky-queue: requests that may wait (default: limit).
  --json                Print exactly one JSON object: { "decisions": [...], "spec": {...} }.
`;

type Values = Readonly<Record<string, string | boolean | undefined>>;
type Built = { readonly ok: true; readonly command: LimiterCommand } | { readonly ok: false; readonly error: string };

/**
 * Builds the command from parsed flag values, or says which flag is wrong.
 *
 * @example
 * limiterCommandFrom({ algorithm: 'gcra', limit: '10', 'window-ms': '1000', times: '0,0,50' });
 * // { ok: true, command: { kind: 'limiter', spec: { algorithm: 'gcra', limit: 10, windowMs: 1000, burst: 10 }, times: [0, 0, 50], json: false } }
 */
export function limiterCommandFrom(values: Values): Built {
  const algorithm = values['algorithm'];
  if (typeof algorithm !== 'string') return fail(`--algorithm is required: one of ${LIMITER_ALGORITHMS.join(', ')}`);
  if (!(LIMITER_ALGORITHMS as readonly string[]).includes(algorithm)) return fail(`--algorithm must be one of ${LIMITER_ALGORITHMS.join(', ')}, got '${algorithm}'`);
  const alg = algorithm as LimiterAlgorithm;

  const raw: Record<string, unknown> = { algorithm: alg };
  for (const [field, flag] of Object.entries(FLAG_OF)) {
    if (field === 'algorithm') continue;
    const value = values[flag.slice(2)];
    if (value === undefined) continue;
    const common = field === 'limit' || field === 'windowMs';
    if (!common && !LIMITER_OPTIONS[alg].includes(field)) {
      const options = LIMITER_OPTIONS[alg].map((f) => FLAG_OF[f]).join(', ');
      return fail(`${flag} does not apply to ${alg} (its options: ${options})`);
    }
    if (typeof value === 'boolean') {
      raw[field] = value;
    } else if (field === 'limit' || field === 'windowMs' || field === 'burst' || field === 'queueMax') {
      const n = wholeNumber(value);
      if (n === null) return fail(`${flag} must be a whole number, got '${value}'`);
      raw[field] = n;
    } else {
      raw[field] = value;
    }
  }
  if (raw['limit'] === undefined) return fail('--limit is required (requests per window)');
  if (raw['windowMs'] === undefined) return fail('--window-ms is required (the window in ms)');

  const parsed = parseLimiterSpec(raw);
  if (!parsed.ok) {
    // The schema's messages start with the field name; the command line speaks in flags.
    return fail(parsed.errors.map((e) => e.replace(/^(\w+): \1\b/, (_m, field: string) => FLAG_OF[field] ?? field)).join('; '));
  }

  const timesText = values['times'];
  if (typeof timesText !== 'string' || timesText === '') return fail('--times is required: request times in integer ms, comma-separated (0,1000,1500)');
  const items = timesText.split(',');
  if (items.length > MAX_TIMES) return fail(`--times has ${items.length} times; at most ${MAX_TIMES} are accepted`);
  const times: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    const t = wholeNumber(item);
    if (t === null) return fail(`--times: t[${i}] = '${item}' is not a whole number of ms`);
    if (i > 0 && t < (times[i - 1] as number)) return fail(`--times must be nondecreasing, but t[${i}] = ${t} is earlier than t[${i - 1}] = ${String(times[i - 1])}`);
    times.push(t);
  }
  return { ok: true, command: { kind: 'limiter', spec: parsed.spec, times, json: values['json'] === true } };
}

/** The outputs `runLimiter` writes to (a subset of the CLI's io). */
export interface LimiterIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Runs the command and prints the result; returns the exit code (0, or 2 when a time is beyond
 * what the limiter's exact arithmetic supports, with nothing on stdout).
 *
 * @example
 * runLimiter({ kind: 'limiter', spec, times: [0, 60_000], json: true }, io);
 */
export function runLimiter(command: LimiterCommand, io: LimiterIo): number {
  let decisions: TimedDecision[];
  try {
    decisions = decideAll(command.spec, command.times);
  } catch (error) {
    io.stderr(`sim limiter: --times: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  io.stdout(command.json ? `${JSON.stringify(toJson(command.spec, decisions))}\n` : formatDecisions(command.spec, decisions));
  return 0;
}

/** The JSON form: one entry per time; `delayMs` only for the leaky queue, where it means something. */
function toJson(spec: LimiterSpec, decisions: readonly TimedDecision[]) {
  return {
    decisions: decisions.map((d) => ({
      t: d.t,
      allowed: d.allowed,
      count: d.count,
      retryAfterMs: d.retryAfterMs,
      ...(spec.algorithm === 'leaky-queue' ? { delayMs: d.delayMs } : {}),
    })),
    spec,
  };
}

/** The readable table: the spec with every convention, then one row per request. */
export function formatDecisions(spec: LimiterSpec, decisions: readonly TimedDecision[]): string {
  const { algorithm, limit, windowMs, ...options } = spec;
  const conventions = Object.entries(options)
    .map(([k, v]) => `${FLAG_OF[k] ?? k} ${String(v)}`)
    .join('  ');
  const lines = [`${algorithm}: limit ${limit} per ${windowMs} ms${conventions === '' ? '' : `  (${conventions})`}`, ''];
  const header = ['t ms', 'decision', 'count', 'retry after ms', 'detail'];
  const rows = decisions.map((d) => [
    String(d.t),
    d.allowed ? (d.delayMs > 0 ? `delayed ${d.delayMs} ms` : 'allowed') : 'REFUSED',
    num(d.count),
    d.retryAfterMs === null ? '-' : String(d.retryAfterMs),
    detailText(d),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Numbers right-aligned, words left-aligned; the last column is not padded.
  const cell = (text: string, i: number): string => (i === 1 ? text.padEnd(widths[i] ?? 0) : i === 4 ? text : text.padStart(widths[i] ?? 0));
  lines.push(header.map(cell).join('  ').trimEnd());
  for (const r of rows) lines.push(r.map(cell).join('  ').trimEnd());
  const allowed = decisions.filter((d) => d.allowed).length;
  lines.push('', `${allowed} of ${decisions.length} allowed`);
  return `${lines.join('\n')}\n`;
}

/** The state behind one decision in a few words. */
function detailText(d: TimedDecision): string {
  const x = d.detail;
  const parts: string[] = [];
  if (x.log !== undefined) parts.push(`log [${x.log.length > 8 ? `…, ${x.log.slice(-8).join(', ')}` : x.log.join(', ')}]`);
  if (x.previousCount !== undefined) parts.push(`previous ${x.previousCount} × ${num(x.previousWeight ?? 0)}`);
  if (x.currentCount !== undefined) parts.push(`current ${x.currentCount}`);
  if (x.windowStartMs !== undefined) parts.push(`window from ${x.windowStartMs}`);
  if (x.tokens !== undefined) parts.push(`tokens ${num(x.tokens)}`);
  if (x.tatMs !== undefined) parts.push(`tat ${num(x.tatMs)}`);
  return parts.join(', ');
}

/** Integers as they are; fractions with up to 3 decimals. */
function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(3)));
}

/** A string of decimal digits as a safe integer, or null. */
function wholeNumber(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error: `sim limiter: ${error}` };
}
