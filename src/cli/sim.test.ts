/**
 * Tests of the `sim` command line: the pure argument parser, `main()` in-process with a fake file
 * system and captured output, and two real child processes (the only slow tests here) to prove
 * the npm entry point behaves the same way.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test, vi } from 'vitest';
import { PRESETS, parseScenario, scenarioSchema } from '../sim/index.ts';
import { MAX_SEED, parseArgs } from './args.ts';
import { fakeIo, runSim } from './fakeIo.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const PRESET_IDS = [
  'private-chat',
  'group-chat',
  'reordering-without-sequence',
  'reordering-with-sequence',
  'crash-at-most-once',
  'crash-at-least-once',
  'rate-limit-burst',
  'million-users',
  'no-broker',
  'join-and-leave',
];

const REPORT_KEYS = ['seed', 'scenario', 'simTimeMs', 'events', 'traceHash', 'truncated', 'counts', 'latencyMs', 'nodes', 'violations', 'wallMs'];
const COUNT_KEYS = ['sent', 'persisted', 'delivered', 'duplicatesShown', 'outOfOrderShown', 'senderOrderBroken', 'causalBroken', 'lost', 'acked', 'failedShown', 'pending', 'lostSends', 'rateLimited', 'forbidden'];

const sim = runSim;

/** Runs `main` with --json and returns the parsed report. */
async function runJson(scenario: string, seed: number, files: Record<string, string> = {}, extra: string[] = []) {
  const r = await sim(['run', '--scenario', scenario, '--seed', String(seed), '--json', ...extra], files);
  expect(r.code, r.stderr).toBe(0);
  return { ...r, report: JSON.parse(r.stdout) as Record<string, unknown> & { traceHash: string; events: number; truncated: boolean; seed: number } };
}

describe('parseArgs', () => {
  // Proves every spelling of help, including an empty command line, asks for the usage text.
  test.each([[[]], [['help']], [['--help']], [['-h']], [['run', '--help']], [['list', '-h']]])('%j is help', (argv) => {
    expect(parseArgs(argv)).toEqual({ ok: true, command: { kind: 'help' } });
  });

  // Proves `list` parses to the list command.
  test('list', () => {
    expect(parseArgs(['list'])).toEqual({ ok: true, command: { kind: 'list' } });
  });

  // Proves a full run command line yields every field with the right types.
  test('run with every option', () => {
    expect(parseArgs(['run', '--scenario', 'group-chat', '--seed', '42', '--until-ms', '5000', '--json', '--trace', 'out.jsonl', '--allow-long'])).toEqual({
      ok: true,
      command: { kind: 'run', scenario: 'group-chat', seed: 42, untilMs: 5000, json: true, tracePath: 'out.jsonl', allowLong: true },
    });
  });

  // Proves the optional fields are absent (not undefined-valued) when not given, and `=` forms work.
  test('run with only the required options', () => {
    expect(parseArgs(['run', '--scenario=./s.json', '--seed=0'])).toEqual({ ok: true, command: { kind: 'run', scenario: './s.json', seed: 0, json: false, allowLong: false } });
  });

  // Proves `show` takes a scenario and nothing else.
  test('show', () => {
    expect(parseArgs(['show', '--scenario', 'group-chat'])).toEqual({ ok: true, command: { kind: 'show', scenario: 'group-chat' } });
    expect(parseArgs(['show', '--help'])).toEqual({ ok: true, command: { kind: 'help' } });
  });

  // Proves the seed range is exactly the PRNG's: 0 and 2^32 − 1 pass.
  test('seed bounds are accepted', () => {
    expect(parseArgs(['run', '--scenario', 'x', '--seed', String(MAX_SEED)])).toMatchObject({ ok: true, command: { seed: MAX_SEED } });
    expect(parseArgs(['run', '--scenario', 'x', '--seed', '0'])).toMatchObject({ ok: true, command: { seed: 0 } });
  });

  // Proves each malformed command line is refused with a sentence naming the culprit.
  test.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--seed', '1'], /expected a command/],
    [['run', '--scenario', 'x', '--seed', '1', '--bogus'], /unknown flag '--bogus'/],
    [['list', '--json'], /unknown flag '--json'/],
    [['run', '--scenario', 'x'], /--seed is required/],
    [['run', '--seed', '1'], /--scenario is required/],
    [['run', '--scenario', 'x', '--seed'], /--seed needs a value/],
    [['run', '--scenario', 'x', '--seed', 'abc'], /--seed must be an integer from 0 to 4294967295, got 'abc'/],
    [['run', '--scenario', 'x', '--seed', '1.5'], /--seed must be an integer/],
    [['run', '--scenario', 'x', '--seed', '1e3'], /--seed must be an integer/],
    [['run', '--scenario', 'x', '--seed', '-1'], /--seed must be an integer from 0 to 4294967295, got '-1'/],
    [['run', '--scenario', 'x', '--seed', '4294967296'], /--seed must be an integer/],
    [['run', '--scenario', 'x', '--seed', '1', '--until-ms', '-5'], /--until-ms must be a non-negative integer/],
    [['run', '--scenario', 'x', '--seed', '1', '--until-ms', '2.5'], /--until-ms must be a non-negative integer/],
    [['run', '--scenario', 'x', '--seed', '1', '--seed', '2'], /--seed is given more than once/],
    [['run', '--scenario', 'x', '--seed', '1', '--json=yes'], /--json is a switch/],
    [['run', '--scenario', 'x', '--seed', '1', 'extra'], /unexpected argument 'extra'/],
    [['show'], /sim show: --scenario is required/],
    [['show', '--scenario', 'x', '--seed', '1'], /sim show: unknown flag '--seed'/],
    [['show', 'group-chat'], /sim show: unexpected argument 'group-chat'/],
  ])('%j is refused', (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe('main: list and help', () => {
  // Proves `list` prints one line per preset and names all seven presets.
  test('list names every preset', async () => {
    const r = await sim(['list']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(PRESET_IDS.length);
    for (const id of PRESET_IDS) expect(lines.some((l) => l.startsWith(`${id} `))).toBe(true);
  });

  // Proves help prints the usage on stdout and succeeds.
  test('help prints usage', async () => {
    const r = await sim(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage:');
    expect(r.stdout).toContain('--seed');
    expect(r.stdout).toContain('sim -- show --scenario <preset id | file.json>');
  });
});

describe('main: run', () => {
  // Proves --json prints exactly one parseable JSON object (the RunReport, all keys) and nothing else.
  test('run --json prints one RunReport', async () => {
    const { stdout, stderr, report } = await runJson('private-chat', 42);
    expect(stderr).toBe('');
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    for (const key of REPORT_KEYS) expect(report).toHaveProperty(key);
    for (const key of COUNT_KEYS) expect(report['counts']).toHaveProperty(key);
    for (const key of ['p50', 'p90', 'p99', 'max']) expect(report['latencyMs']).toHaveProperty(key);
    expect(report.seed).toBe(42);
    expect(report['scenario']).toBe('private-chat');
    expect(report.traceHash).toMatch(/^[0-9a-f]{16}$/);
  });

  // Proves determinism end to end: the same seed gives the same report (bar wall time), another seed another trace.
  test('same seed, same trace; different seed, different trace', async () => {
    const a = await runJson('private-chat', 7);
    const b = await runJson('private-chat', 7);
    const c = await runJson('private-chat', 8);
    expect(b.report.traceHash).toBe(a.report.traceHash);
    expect({ ...b.report, wallMs: 0 }).toEqual({ ...a.report, wallMs: 0 });
    expect(c.report.traceHash).not.toBe(a.report.traceHash);
  });

  // Proves the readable summary leads with the seed and scenario and shows the hash, counts and violations.
  test('the readable summary starts with the seed', async () => {
    const r = await sim(['run', '--scenario', 'private-chat', '--seed', '42']);
    expect(r.code, r.stderr).toBe(0);
    const { report } = await runJson('private-chat', 42);
    const [first] = r.stdout.split('\n');
    expect(first).toContain('seed 42');
    expect(first).toContain('private-chat');
    expect(r.stdout).toContain(report.traceHash);
    expect(r.stdout).toMatch(/sent \d+/);
    expect(r.stdout).toMatch(/p99 /);
    expect(r.stdout).toMatch(/violations {4}/);
  });

  // Proves --trace writes one JSON line per event, as many as report.events when nothing was truncated.
  test('--trace writes the trace as JSON lines', async () => {
    const r = await runJson('private-chat', 3, {}, ['--trace', 'out/trace.jsonl']);
    expect(r.report.truncated).toBe(false);
    const text = r.written.get('out/trace.jsonl') ?? '';
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(r.report.events);
    const first = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(['seq', 'at', 'node', 'causeSeq', 'type', 'data']);
    expect(lines.every((l) => typeof JSON.parse(l) === 'object')).toBe(true);
  });

  // Proves a scenario file runs, and that a truncated trace is written as far as it was kept and reported on stderr.
  test('a scenario file with a tiny trace cap warns about truncation', async () => {
    const files = { 'small.json': JSON.stringify({ id: 'small', durationMs: 3000, workload: { users: 4, privateChats: 2 }, trace: { maxEvents: 10 } }) };
    const r = await runJson('small.json', 5, files, ['--trace', 't.jsonl']);
    expect(r.report.truncated).toBe(true);
    expect(r.report['scenario']).toBe('small');
    expect((r.written.get('t.jsonl') ?? '').trimEnd().split('\n')).toHaveLength(10);
    expect(r.stderr).toMatch(/truncated/);
  });
});

describe('main: show', () => {
  /** The presets light enough to run twice in a unit test (million-users takes about a minute). */
  const LIGHT = PRESETS.filter((p) => p.heavy !== true).map((p) => p.id);

  // Proves, for each light preset, that the file `show` prints runs to exactly the preset's report (trace hash included), bar wall time.
  test.each(LIGHT)('show %s, saved and run, gives the preset\'s run', async (id) => {
    const shown = await sim(['show', '--scenario', id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stderr).toBe('');
    const preset = await runJson(id, 42);
    const saved = await runJson('saved.json', 42, { 'saved.json': shown.stdout });
    expect(saved.report.traceHash).toBe(preset.report.traceHash);
    expect({ ...saved.report, wallMs: 0 }).toEqual({ ...preset.report, wallMs: 0 });
  });

  // Proves the heavy preset's printed file parses to the very scenario the preset does (running it here would take a minute).
  test('show million-users parses back to the preset', async () => {
    const shown = await sim(['show', '--scenario', 'million-users']);
    expect(shown.code, shown.stderr).toBe(0);
    const preset = PRESETS.find((p) => p.id === 'million-users');
    expect(parseScenario(JSON.parse(shown.stdout))).toEqual(parseScenario(preset?.scenario));
  });

  // Proves the output is a complete, pretty-printed file: every top-level field of the schema, and defaults such as settleMs filled in.
  test('show prints every field, pretty-printed', async () => {
    const shown = await sim(['show', '--scenario', 'private-chat']);
    const json = JSON.parse(shown.stdout) as Record<string, unknown>;
    expect(shown.stdout).toBe(`${JSON.stringify(json, null, 2)}\n`);
    expect(Object.keys(json).sort()).toEqual(Object.keys(scenarioSchema.shape).sort());
    expect(json['delivery']).toBe('at-least-once');
    expect((json['gateway'] as Record<string, unknown>)['healthCheckIntervalMs']).toBe(1000);
  });

  // Proves a scenario file is shown with its defaults filled in, keeping what the file set.
  test('show a file', async () => {
    const shown = await sim(['show', '--scenario', 'mine.json'], { 'mine.json': JSON.stringify({ id: 'mine', durationMs: 1234 }) });
    expect(shown.code, shown.stderr).toBe(0);
    const json = JSON.parse(shown.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ id: 'mine', durationMs: 1234, settleMs: 30_000, faults: [] });
  });

  // Proves bad input to show exits 2, names what is wrong (and the presets when the name is unknown), and prints nothing on stdout.
  test.each([
    ['unknown preset', ['show', '--scenario', 'group-chatt'], [/^sim show: unknown preset 'group-chatt' \(and no such file\); the presets are: /, ...PRESET_IDS.map((id) => new RegExp(id))]],
    ['missing file', ['show', '--scenario', 'nope.json'], [/^sim show: cannot read the scenario file nope\.json: ENOENT/, /the presets, which need no file, are: private-chat, /]],
    ['invalid scenario', ['show', '--scenario', 'bad.json'], [/^sim show: bad\.json: scenario\.durationMs: 0 is too small \(allowed: a number ≥ 1\)\n$/]],
  ])('%s', async (_name, argv, messages) => {
    const r = await sim(argv, { 'bad.json': JSON.stringify({ durationMs: 0 }) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    for (const m of messages) expect(r.stderr).toMatch(m);
  });
});

describe('examples/group-chat.json', () => {
  const file = 'examples/group-chat.json';
  const text = readFileSync(path.join(REPO, file), 'utf8');

  // Proves the shipped example is `show --scenario group-chat` with only its id and description changed, so it stays complete as defaults evolve.
  test('is the group-chat preset written out in full', async () => {
    const example = JSON.parse(text) as Record<string, unknown>;
    expect(example['id']).toBe('group-chat-example');
    expect(String(example['description'])).toContain(`run --scenario ${file} --seed 42`);
    const shown = JSON.parse((await sim(['show', '--scenario', 'group-chat'])).stdout) as Record<string, unknown>;
    // When this fails after a schema change, regenerate the file from `show --scenario group-chat`
    // and put back its id and description.
    expect({ ...example, id: shown['id'], description: shown['description'] }).toEqual(shown);
    expect(text).toBe(`${JSON.stringify(example, null, 2)}\n`);
  });

  // Proves `run --scenario examples/group-chat.json --seed 42` runs it, giving the group-chat preset's trace hash.
  test('runs with the preset\'s trace hash', async () => {
    const example = await runJson(file, 42, { [file]: text });
    const preset = await runJson('group-chat', 42);
    expect(example.report['scenario']).toBe('group-chat-example');
    expect(example.report.traceHash).toBe(preset.report.traceHash);
  });
});

describe('main: errors exit 2 with nothing on stdout', () => {
  const files = {
    'bad.json': '{ "durationMs": ',
    'bad-scenario.json': JSON.stringify({ durationMs: 1000, topology: { wsServers: 0 } }),
  };

  // Proves each error is reported on stderr, names the problem, prints nothing on stdout and exits 2.
  test.each([
    ['unknown command', ['frobnicate'], [/unknown command 'frobnicate'/]],
    ['unknown flag', ['run', '--scenario', 'private-chat', '--seed', '1', '--bogus'], [/unknown flag '--bogus'/]],
    ['missing seed', ['run', '--scenario', 'private-chat'], [/--seed is required/]],
    ['non-integer seed', ['run', '--scenario', 'private-chat', '--seed', 'x1'], [/--seed must be an integer/]],
    ['negative until-ms', ['run', '--scenario', 'private-chat', '--seed', '1', '--until-ms', '-1'], [/--until-ms/]],
    ['non-integer until-ms', ['run', '--scenario', 'private-chat', '--seed', '1', '--until-ms', '1.5'], [/--until-ms/]],
    ['unknown preset', ['run', '--scenario', 'no-such-preset', '--seed', '1'], [/unknown preset 'no-such-preset'/, ...PRESET_IDS.map((id) => new RegExp(id))]],
    ['unreadable file', ['run', '--scenario', 'missing.json', '--seed', '1'], [/cannot read the scenario file missing\.json/, /ENOENT/]],
    ['invalid JSON', ['run', '--scenario', 'bad.json', '--seed', '1'], [/bad\.json is not valid JSON/, new RegExp(jsonParseMessage(files['bad.json']))]],
    ['invalid scenario', ['run', '--scenario', 'bad-scenario.json', '--seed', '1'], [/^sim run: bad-scenario\.json: scenario\.topology\.wsServers: 0 is too small \(allowed: a number ≥ 1\)\n$/]],
    ['unwritable trace', ['run', '--scenario', 'private-chat', '--seed', '1', '--json', '--trace', '/read-only/t.jsonl'], [/cannot write the trace to \/read-only\/t\.jsonl/]],
  ])('%s', async (_name, argv, messages) => {
    const r = await sim(argv, files);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    for (const m of messages) expect(r.stderr).toMatch(m);
  });

  // Proves an exception inside the run is a crash (exit 1), not a usage error, and is reported on stderr with the seed.
  test('a crash inside the run exits 1', async () => {
    // A fresh copy of the CLI whose runScenario throws, so the test does not depend on some real
    // scenario happening to crash the simulator.
    vi.resetModules();
    vi.doMock('../sim/cluster/run.ts', () => ({
      runScenario: () => {
        throw new Error('boom from the simulator');
      },
    }));
    try {
      const { main: crashingMain } = await import('./sim.ts');
      const { io, out } = fakeIo();
      const code = await crashingMain(['run', '--scenario', 'private-chat', '--seed', '9', '--json'], io);
      expect(code).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/the run crashed \(preset private-chat, seed 9\)/);
      expect(out.stderr).toContain('boom from the simulator');
    } finally {
      vi.doUnmock('../sim/cluster/run.ts');
      vi.resetModules();
    }
  });
});

/** The exact message JSON.parse gives for `text`, escaped for a RegExp. */
function jsonParseMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return '';
}

/** Runs the CLI as the npm script does, in a child process. */
function spawnSim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'src/cli/sim.ts', ...args], { cwd: REPO, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the real process', () => {
  // Proves the entry point runs main for real: exactly one JSON line on stdout and exit code 0.
  test('run --json in a child process', async () => {
    const r = await spawnSim(['run', '--scenario', 'private-chat', '--seed', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect((JSON.parse(lines[0] ?? '') as { seed: number }).seed).toBe(1);
  }, 60_000);

  // Proves the documented command line runs the shipped example file from the repository root, for real.
  test('run --scenario examples/group-chat.json in a child process', async () => {
    const r = await spawnSim(['run', '--scenario', 'examples/group-chat.json', '--seed', '42', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { scenario: string; seed: number; counts: { sent: number } };
    expect(report).toMatchObject({ scenario: 'group-chat-example', seed: 42 });
    expect(report.counts.sent).toBeGreaterThan(0);
  }, 60_000);

  // Proves the real process sets exit code 2 and keeps stdout empty on a bad flag.
  test('a bad flag in a child process', async () => {
    const r = await spawnSim(['run', '--scenario', 'private-chat', '--seed', '1', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown flag '--bogus'/);
  }, 60_000);
});
