import { describe, expect, test } from 'vitest';
import { planSweep, presetById, runSweep, sweepCsv, type SweepPlan, type SweepSpec } from '../sim/index.ts';
import { parseArgs } from './args.ts';
import { runSim } from './fakeIo.ts';
import { axisValue, parseSeeds } from './sweepArgs.ts';
import { runSweepInWorkers } from './sweepPool.ts';

/** Short runs of group-chat: 4 s of sends and 2 s to settle. */
const PATCH = '{"durationMs":4000,"settleMs":2000}';
const SPEC: SweepSpec = {
  scenario: 'group-chat',
  patch: JSON.parse(PATCH) as unknown,
  axes: [
    { path: 'topology.wsServers', values: [1, 3] },
    { path: 'chat.ordering', values: ['none', 'per-channel'] },
  ],
  seeds: [1, 2],
};
const ARGS = ['sweep', '--scenario', 'group-chat', '--vary', 'topology.wsServers=1,3', '--vary', 'chat.ordering=none,per-channel', '--seeds', '1..2', '--patch', PATCH];

function plan(spec: SweepSpec): SweepPlan {
  const planned = planSweep(spec);
  if (!planned.ok) throw new Error(planned.errors.join('\n'));
  return planned.plan;
}

describe('sim sweep prints real runs', () => {
  test('--json: every result equals the serial run of the same plan, for 1 and 3 worker threads', async () => {
    // The pool hands jobs to whichever thread is free; the printed results are in the plan's order and identical.
    const serial = runSweep(plan(SPEC));
    const one = await runSim([...ARGS, '--json', '--workers', '1']);
    const three = await runSim([...ARGS, '--json', '--workers', '3']);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(three.stdout).toBe(one.stdout);
    const out = JSON.parse(one.stdout) as { scenario: string; results: unknown[]; axes: unknown; seeds: number[]; figures: Record<string, { unit: string }>; points: { patch: unknown }[] };
    expect(out.results).toEqual(serial);
    expect(out.scenario).toBe('group-chat');
    expect(out.seeds).toEqual([1, 2]);
    expect(out.axes).toEqual(SPEC.axes);
    expect(out.figures['latency.p99Ms']?.unit).toBe('ms');
    expect(out.points[3]?.patch).toEqual({ durationMs: 4000, settleMs: 2000, topology: { wsServers: 3 }, chat: { ordering: 'per-channel' } });
  });

  test('--csv: the serial CSV, byte for byte, with two threads', async () => {
    // Same plan, CSV form; a header row and one row per run.
    const p = plan(SPEC);
    const { code, stdout, stderr } = await runSim([...ARGS, '--csv', '--workers', '2']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(sweepCsv(p, runSweep(p)));
    expect(stdout.trimEnd().split('\n')).toHaveLength(1 + 8);
    expect(stdout.split('\n')[0]).toMatch(/^topology\.wsServers,chat\.ordering,seed,scenarioHash,traceHash,events,/);
  });

  test('the pool gives the serial results whatever order it hands jobs out in, threads alone or with the caller', async () => {
    // Reversed order on two threads alone (every run in a thread), interleaved on four threads with
    // the calling thread taking jobs too; results come back in the plan's order either way.
    const p = plan({ ...SPEC, axes: [{ path: 'topology.wsServers', values: [1, 2, 3] }] });
    const serial = runSweep(p);
    const n = p.jobs.length;
    const reversed = Array.from({ length: n }, (_, i) => n - 1 - i);
    const interleaved = [...reversed.filter((i) => i % 2 === 0), ...reversed.filter((i) => i % 2 === 1)];
    const progress: number[] = [];
    expect(await runSweepInWorkers(p, { workers: 2, order: reversed, callerRuns: false, onProgress: (done) => progress.push(done) })).toEqual(serial);
    expect(await runSweepInWorkers(p, { workers: 4, order: interleaved })).toEqual(serial);
    expect(progress).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  test('a scenario file is swept like a preset', async () => {
    // The preset's source as a file: the same scenario, so the same scenario hashes and runs.
    const file = JSON.stringify(presetById('group-chat')?.scenario);
    const fromFile = await runSim(['sweep', '--scenario', 'my.json', '--vary', 'topology.wsServers=1', '--seeds', '3', '--patch', PATCH, '--csv', '--workers', '1'], { 'my.json': file });
    const fromPreset = await runSim(['sweep', '--scenario', 'group-chat', '--vary', 'topology.wsServers=1', '--seeds', '3', '--patch', PATCH, '--csv', '--workers', '1']);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toBe(fromPreset.stdout);
  });
});

describe('sim sweep refuses bad input: exit 2, one clear line on stderr, nothing on stdout', () => {
  const base = ['sweep', '--scenario', 'group-chat', '--seeds', '1'];
  const cases: [string, string[], RegExp, Record<string, string>?][] = [
    ['no --vary', [...base, '--json'], /^sim sweep: --vary is required/],
    ['no --seeds', ['sweep', '--scenario', 'group-chat', '--vary', 'chat.ordering=none', '--json'], /^sim sweep: --seeds is required/],
    ['no --scenario', ['sweep', '--vary', 'chat.ordering=none', '--seeds', '1', '--json'], /^sim sweep: --scenario is required/],
    ['no output format', [...base, '--vary', 'chat.ordering=none'], /^sim sweep: choose the output: --json or --csv/],
    ['both formats', [...base, '--vary', 'chat.ordering=none', '--json', '--csv'], /^sim sweep: --json and --csv are both given/],
    ['an unknown path', [...base, '--vary', 'chat.orderng=none', '--json'], /^sim sweep: axis chat\.orderng: unknown path: chat has no field 'orderng' \(its fields: .*ordering/],
    ['a refused value', [...base, '--vary', 'chat.ordering=none,sideways', '--json'], /^sim sweep: axis chat\.ordering, value "sideways": scenario\.chat\.ordering: "sideways" is not allowed/],
    ['a point over the budget', [...base, '--vary', 'durationMs=1000000000000', '--csv'], /^sim sweep: point durationMs=1000000000000: this run would do about .* above the budget/],
    ['vary without =', [...base, '--vary', 'chat.ordering', '--json'], /^sim sweep: --vary needs path=v1,v2,…/],
    ['an empty value', [...base, '--vary', 'chat.ordering=none,,x', '--json'], /^sim sweep: --vary chat\.ordering: value 2 is empty/],
    ['three axes', [...base, '--vary', 'a=1', '--vary', 'b=1', '--vary', 'c=1', '--json'], /^sim sweep: --vary is given 3 times/],
    ['bad seeds', ['sweep', '--scenario', 'group-chat', '--vary', 'chat.ordering=none', '--seeds', '3..1', '--json'], /^sim sweep: --seeds: the range 3\.\.1 runs backwards/],
    ['a seed that is not one', ['sweep', '--scenario', 'group-chat', '--vary', 'chat.ordering=none', '--seeds', '1,x', '--json'], /^sim sweep: --seeds: 'x' is not a seed/],
    ['a repeated seed', ['sweep', '--scenario', 'group-chat', '--vary', 'chat.ordering=none', '--seeds', '1..3,2', '--json'], /^sim sweep: seeds: 2 is given twice/],
    ['--seeds twice', [...base, '--seeds', '2', '--vary', 'chat.ordering=none', '--json'], /^sim sweep: --seeds is given more than once/],
    ['zero workers', [...base, '--vary', 'chat.ordering=none', '--json', '--workers', '0'], /^sim sweep: --workers must be a whole number from 1 to 64, got '0'/],
    ['a patch that is not JSON', [...base, '--vary', 'chat.ordering=none', '--json', '--patch', '{durationMs'], /^sim sweep: --patch is not valid JSON/],
    ['a patch the schema refuses', [...base, '--vary', 'chat.ordering=none', '--json', '--patch', '{"durationMs":0}'], /^sim sweep: preset group-chat with its patch: scenario\.durationMs: 0 is too small/],
    ['an unknown preset', ['sweep', '--scenario', 'group-chatt', '--vary', 'chat.ordering=none', '--seeds', '1', '--json'], /^sim sweep: scenario: unknown preset "group-chatt"; the presets are: /],
    ['a missing file', ['sweep', '--scenario', 'nope.json', '--vary', 'chat.ordering=none', '--seeds', '1', '--json'], /^sim sweep: cannot read the scenario file nope\.json: ENOENT/],
    ['a file that is not JSON', ['sweep', '--scenario', 'bad.json', '--vary', 'chat.ordering=none', '--seeds', '1', '--json'], /^sim sweep: bad\.json is not valid JSON/, { 'bad.json': '{' }],
    ['an unknown flag', [...base, '--vary', 'chat.ordering=none', '--json', '--fast'], /^sim sweep: unknown flag '--fast'/],
    ['--progress with --quiet', [...base, '--vary', 'chat.ordering=none', '--json', '--progress', '--quiet'], /^sim sweep: --progress and --quiet are both given; choose one/],
  ];
  test.each(cases)('%s', async (_name, argv, message, files) => {
    // Each refusal happens before any run, with the culprit named on the first line.
    const { code, stdout, stderr } = await runSim(argv, files ?? {});
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.endsWith('\n')).toBe(true);
  });

  test.each(cases)('%s, on a terminal with --progress: the same refusal and no progress line', async (_name, argv, message, files) => {
    // Progress never starts before the plan is accepted, so a refusal reads exactly as without it.
    const withProgress = argv.includes('--progress') ? argv : [...argv, '--progress'];
    const { code, stdout, stderr } = await runSim(withProgress, files ?? {}, { stderrIsTTY: true, now: ticking() });
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/^sweep: \d+\/\d+ runs$/m);
  });
});

/** A fake clock that moves a second each time it is read: every run is worth a progress line. */
function ticking(stepMs = 1_000): () => number {
  let t = 0;
  return () => (t += stepMs);
}

describe('sim sweep progress on stderr', () => {
  const SMALL = ['sweep', '--scenario', 'group-chat', '--vary', 'topology.wsServers=1,3', '--seeds', '1..2', '--patch', PATCH, '--csv', '--workers', '1'];
  const LINE = /^sweep: (\d+)\/4 runs$/;

  test('stdout is byte-identical with progress forced, on a terminal, quiet, and off a terminal', async () => {
    // Four runs each way: progress only ever writes to stderr, and each form prints what the
    // serial CSV is.
    const p = plan({ ...SPEC, axes: [{ path: 'topology.wsServers', values: [1, 3] }] });
    const forced = await runSim([...SMALL, '--progress'], {}, { now: ticking() });
    const tty = await runSim(SMALL, {}, { stderrIsTTY: true, now: ticking() });
    const quietTty = await runSim([...SMALL, '--quiet'], {}, { stderrIsTTY: true, now: ticking() });
    const piped = await runSim(SMALL, {}, { stderrIsTTY: false, now: ticking() });
    for (const r of [forced, tty, quietTty, piped]) expect(r.code).toBe(0);
    expect(forced.stdout).toBe(sweepCsv(p, runSweep(p)));
    expect(tty.stdout).toBe(forced.stdout);
    expect(quietTty.stdout).toBe(forced.stdout);
    expect(piped.stdout).toBe(forced.stdout);
    // A clock a second apart per run: a line per run, counting up to the total.
    const lines = forced.stderr.trimEnd().split('\n');
    expect(lines.map((l) => Number(LINE.exec(l)?.[1]))).toEqual([1, 2, 3, 4]);
    expect(tty.stderr).toBe(forced.stderr);
    expect(quietTty.stderr).toBe('');
    expect(piped.stderr).toBe('');
  });

  test('lines are spaced in time: a clock that does not move gets the first and the last line only', async () => {
    // The reporter prints the first line it may, then none until 250 ms have passed, and always
    // the final count; a frozen clock therefore shows the first and the last.
    const frozen = await runSim([...SMALL, '--progress'], {}, { now: () => 0 });
    expect(frozen.code).toBe(0);
    expect(frozen.stderr).toBe('sweep: 1/4 runs\nsweep: 4/4 runs\n');
  });
});

describe('sweep arguments', () => {
  test('values are JSON when they parse, else strings; commas inside JSON do not split', () => {
    // 3 is a number, true a boolean, none a string, an object and a list stay whole.
    expect(['3', 'true', 'none', '"3"', '{"a":1}'].map(axisValue)).toEqual([3, true, 'none', '3', { a: 1 }]);
    const parsed = parseArgs(['sweep', '--scenario', 's', '--vary', 'x.y=[1,2],{"a":1,"b":"c,d"},plain', '--seeds', '1..3,9', '--csv']);
    expect(parsed).toEqual({
      ok: true,
      command: { kind: 'sweep', scenario: 's', axes: [{ path: 'x.y', values: [[1, 2], { a: 1, b: 'c,d' }, 'plain'] }], seeds: [1, 2, 3, 9], format: 'csv', progress: 'auto' },
    });
    expect(parseSeeds('0..2,7')).toEqual({ ok: true, seeds: [0, 1, 2, 7] });
  });

  test('help names the sweep command and its flags', async () => {
    // The usage text is the instructor's reference.
    const { code, stdout } = await runSim(['help', 'sweep']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/sim -- sweep --scenario/);
    expect(stdout).toMatch(/--vary <path=v1,v2>/);
  });
});
