/**
 * Tests of `sim limiter`: flag parsing and validation through `parseArgs`, and whole runs through
 * `main()` with captured output, including the lab's worked example.
 */
import { describe, expect, test } from 'vitest';
import { parseArgs } from './args.ts';
import { runSim } from './fakeIo.ts';

const sim = (argv: string[]) => runSim(argv);

interface JsonDecision {
  t: number;
  allowed: boolean;
  count: number;
  retryAfterMs: number | null;
  delayMs?: number;
}

/** Runs `sim limiter … --json` and returns the parsed decisions. */
async function decisions(flags: string[]): Promise<JsonDecision[]> {
  const r = await sim(['limiter', ...flags, '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  return (JSON.parse(r.stdout) as { decisions: JsonDecision[] }).decisions;
}

const LAB = ['--algorithm', 'sliding-log', '--limit', '5', '--window-ms', '60000', '--times', '0,15000,20000,35000,55000,60000,65000'];

describe('sim limiter', () => {
  // Proves the lab example through main(): the request at 60 000 ms is refused (retry after 1 ms) and the one at 65 000 ms allowed, in exactly one JSON object.
  test('the lab example, --json', async () => {
    const r = await sim(['limiter', ...LAB, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { decisions: JsonDecision[]; spec: unknown };
    expect(json.decisions).toEqual([
      { t: 0, allowed: true, count: 1, retryAfterMs: null },
      { t: 15_000, allowed: true, count: 2, retryAfterMs: null },
      { t: 20_000, allowed: true, count: 3, retryAfterMs: null },
      { t: 35_000, allowed: true, count: 4, retryAfterMs: null },
      { t: 55_000, allowed: true, count: 5, retryAfterMs: null },
      { t: 60_000, allowed: false, count: 6, retryAfterMs: 1 },
      { t: 65_000, allowed: true, count: 5, retryAfterMs: null },
    ]);
    expect(json.spec).toEqual({ algorithm: 'sliding-log', limit: 5, windowMs: 60_000, boundary: 'inclusive', countRejected: false });
  });

  // Proves --boundary exclusive flips the lab's two interesting decisions.
  test('the lab example, --boundary exclusive', async () => {
    const ds = await decisions([...LAB, '--boundary', 'exclusive']);
    expect(ds.map((d) => d.allowed)).toEqual([true, true, true, true, true, true, false]);
  });

  // Proves the readable form prints the conventions and one row per time, with the refusal visible.
  test('the readable table', async () => {
    const r = await sim(['limiter', ...LAB]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('sliding-log: limit 5 per 60000 ms  (--boundary inclusive  --count-rejected false)');
    expect(lines.find((l) => l.trimStart().startsWith('60000'))).toMatch(/^60000 {2}REFUSED +6 +1 {2}log \[0, 15000, 20000, 35000, 55000\]$/);
    expect(lines.at(-1)).toBe('6 of 7 allowed');
  });

  // Proves each algorithm option reaches the limiter: Cloudflare's 49.5 under the four sliding-counter conventions, and the other options' visible effects.
  test('algorithm options as flags', async () => {
    const cf = ['--algorithm', 'sliding-counter', '--limit', '50', '--window-ms', '60000', '--times', [...Array(42).fill(0), ...Array(19).fill(75_000)].join(',')];
    expect((await decisions(cf)).at(-1)).toMatchObject({ allowed: false, count: 50.5, retryAfterMs: 715 });
    expect((await decisions([...cf, '--comparison', 'before-new'])).at(-1)).toMatchObject({ allowed: true, count: 49.5 });
    expect((await decisions([...cf, '--weighting', 'floor'])).at(-1)).toMatchObject({ allowed: true, count: 50 });

    const fixed = ['--algorithm', 'fixed-window', '--limit', '2', '--window-ms', '1000', '--times', '500,600,1499,1500'];
    expect((await decisions(fixed)).map((d) => d.allowed)).toEqual([true, true, true, true]);
    expect((await decisions([...fixed, '--alignment', 'anchored'])).map((d) => d.allowed)).toEqual([true, true, false, true]);
    expect((await decisions([...fixed, '--count-rejected', '--alignment', 'anchored'])).map((d) => d.count)).toEqual([1, 2, 3, 1]);

    const bucket = ['--algorithm', 'token-bucket', '--limit', '3', '--window-ms', '60000', '--times', '0,0,0,20000'];
    expect((await decisions(bucket)).map((d) => d.allowed)).toEqual([true, true, true, true]);
    expect((await decisions([...bucket, '--refill', 'discrete'])).at(-1)).toMatchObject({ allowed: false, retryAfterMs: 40_000 });
    expect((await decisions([...bucket, '--burst', '1'])).map((d) => d.allowed)).toEqual([true, false, false, true]);

    const queue = await decisions(['--algorithm', 'leaky-queue', '--limit', '50', '--window-ms', '1000', '--queue-max', '1', '--times', '0,0,0']);
    expect(queue).toEqual([
      { t: 0, allowed: true, count: 0, retryAfterMs: null, delayMs: 0 },
      { t: 0, allowed: true, count: 1, retryAfterMs: null, delayMs: 20 },
      { t: 0, allowed: false, count: 2, retryAfterMs: 20, delayMs: 0 },
    ]);
    expect((await decisions(['--algorithm', 'gcra', '--limit', '1', '--window-ms', '1000', '--burst', '1', '--times', '0,999,1000'])).map((d) => d.retryAfterMs)).toEqual([null, 1, null]);
    expect((await decisions(['--algorithm', 'leaky-bucket', '--limit', '50', '--window-ms', '1000', '--burst', '1', '--times', '0,19,20'])).map((d) => d.allowed)).toEqual([true, false, true]);
  });

  // Proves parseArgs yields a complete, validated spec with the defaults filled in.
  test('parseArgs builds the command', () => {
    expect(parseArgs(['limiter', '--algorithm', 'gcra', '--limit', '10', '--window-ms', '1000', '--times', '0,0,50'])).toEqual({
      ok: true,
      command: { kind: 'limiter', spec: { algorithm: 'gcra', limit: 10, windowMs: 1000, burst: 10 }, times: [0, 0, 50], json: false },
    });
    expect(parseArgs(['limiter', '--help'])).toEqual({ ok: true, command: { kind: 'help' } });
  });

  // Proves help documents the limiter command and its flags.
  test('help mentions the limiter', async () => {
    const r = await sim(['help']);
    expect(r.stdout).toContain('sim -- limiter --algorithm');
    expect(r.stdout).toContain('--count-rejected');
  });
});

describe('sim limiter: errors exit 2 with a message naming the flag and nothing on stdout', () => {
  const base = ['limiter', '--algorithm', 'sliding-log', '--limit', '5', '--window-ms', '60000'];
  // Proves each malformed command line is refused on stderr, names the flag (and for times, the index), and leaves stdout empty.
  test.each([
    ['missing algorithm', ['limiter', '--limit', '5', '--window-ms', '1000', '--times', '0'], /--algorithm is required/],
    ['unknown algorithm', ['limiter', '--algorithm', 'leaky', '--limit', '5', '--window-ms', '1000', '--times', '0'], /--algorithm must be one of fixed-window, .*got 'leaky'/],
    ['missing limit', ['limiter', '--algorithm', 'gcra', '--window-ms', '1000', '--times', '0'], /--limit is required/],
    ['missing window', ['limiter', '--algorithm', 'gcra', '--limit', '5', '--times', '0'], /--window-ms is required/],
    ['missing times', base, /--times is required/],
    ['zero limit', ['limiter', '--algorithm', 'gcra', '--limit', '0', '--window-ms', '1000', '--times', '0'], /^sim limiter: --limit must be at least 1$/m],
    ['negative limit', ['limiter', '--algorithm', 'gcra', '--limit', '-3', '--window-ms', '1000', '--times', '0'], /--limit must be a whole number, got '-3'/],
    ['fractional window', ['limiter', '--algorithm', 'gcra', '--limit', '3', '--window-ms', '1.5', '--times', '0'], /--window-ms must be a whole number, got '1.5'/],
    ['huge window', ['limiter', '--algorithm', 'gcra', '--limit', '3', '--window-ms', '99999999999999', '--times', '0'], /--window-ms must be at most/],
    ['bad boundary', [...base, '--boundary', 'closed', '--times', '0'], /--boundary must be 'inclusive' or 'exclusive'/],
    ['option of another algorithm', [...base, '--burst', '3', '--times', '0'], /--burst does not apply to sliding-log \(its options: --boundary, --count-rejected\)/],
    ['bad refill', ['limiter', '--algorithm', 'token-bucket', '--limit', '3', '--window-ms', '10', '--refill', 'smooth', '--times', '0'], /--refill must be 'continuous' or 'discrete'/],
    ['time not a number', [...base, '--times', '0,15000,abc'], /--times: t\[2\] = 'abc' is not a whole number of ms/],
    ['negative time', [...base, '--times', '-5,3'], /--times: t\[0\] = '-5' is not a whole number of ms/],
    ['times going backwards', [...base, '--times', '0,200,100'], /--times must be nondecreasing, but t\[2\] = 100 is earlier than t\[1\] = 200/],
    ['empty time', [...base, '--times', '0,,5'], /--times: t\[1\] = '' is not a whole number/],
    ['unknown flag', [...base, '--times', '0', '--seed', '1'], /unknown flag '--seed'/],
    ['repeated flag', [...base, '--times', '0', '--times', '1'], /--times is given more than once/],
    ['switch with a value', [...base, '--times', '0', '--json=yes'], /--json is a switch/],
    ['time beyond exact arithmetic', ['limiter', '--algorithm', 'gcra', '--limit', '1000000', '--window-ms', '1000', '--times', '9007199254740'], /--times: limiter time 9007199254740 ms is past/],
  ])('%s', async (_name, argv, message) => {
    const r = await sim(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
