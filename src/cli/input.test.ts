/**
 * Issue 9, items 8 and 9, at the command line: bad input exits 2 with a clear message on stderr
 * and nothing on stdout; a run over the work budget is refused unless `--allow-long` is given.
 * Each named test failed on 622d528 (help took any topic, errors were unbounded, paths were
 * echoed raw, a BOM made a valid file invalid, a schema error took several lines, and the long
 * runs started and never finished).
 */
import { describe, expect, test } from 'vitest';
import { parseArgs } from './args.ts';
import { runSim } from './fakeIo.ts';

/** Every bad input: exit 2, an empty stdout, and the stderr lines to check. */
async function refused(argv: string[], files: Record<string, string> = {}): Promise<string[]> {
  const r = await runSim(argv, files);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  return r.stderr.slice(0, -1).split('\n');
}

describe('help', () => {
  // Proves `help <topic>` answers for the commands and refuses anything else, naming the topics.
  test('help with an unknown topic exits 2 and names the topics', async () => {
    expect(await refused(['help', 'nonsense'])).toEqual(["sim help: unknown topic 'nonsense'; the topics are the commands: list, run, show, limiter, sweep, help"]);
    expect(await refused(['help', 'run', 'extra'])).toEqual(["sim help: unexpected argument 'extra' (help takes one topic)"]);
  });

  test.each(['list', 'run', 'show', 'limiter', 'help'])('help %s prints the usage and exits 0', async (topic) => {
    const r = await runSim(['help', topic]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Switchboard simulator/);
    expect(r.stdout).toContain('--allow-long');
    expect(r.stderr).toBe('');
  });
});

describe('scenario files', () => {
  // Proves a schema error is one line per issue, `path: message (allowed: …)`, with no header.
  test('a schema error is one line per issue: path, message and the allowed range', async () => {
    const lines = await refused(['run', '--scenario', 'bad.json', '--seed', '1'], {
      'bad.json': JSON.stringify({ durationMs: 0, transport: 'quic', workload: { groups: { count: 1, size: { kind: 'zipf', max: 4, exponent: 0.7 } } } }),
    });
    expect(lines).toEqual([
      'sim run: bad.json: scenario.durationMs: 0 is too small (allowed: a number ≥ 1)',
      'sim run: bad.json: scenario.transport: "quic" is not allowed (allowed: "websocket", "sse", "long-polling", "tcp")',
      'sim run: bad.json: scenario.workload.groups.size.exponent: 0.7 is not a multiple of 0.5 (allowed: 0.5, 1, 1.5, … 8)',
    ]);
  });

  // Proves a 10 MB file with 350,000 bad entries prints 20 problems and a count of the rest, not 350,000 lines.
  test('the errors of a 10 MB bad file are capped with a count of the rest', async () => {
    const channels = Array.from({ length: 350_000 }, (_, i) => ({ id: `c${i}`, members: ['nobody-at-all'] }));
    const text = JSON.stringify({ durationMs: 1000, workload: { users: 2, channels } });
    expect(text.length).toBeGreaterThan(10_000_000);
    const lines = await refused(['show', '--scenario', 'big.json'], { 'big.json': text });
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe('sim show: big.json: scenario.workload.channels[0].members[0]: unknown user "nobody-at-all"; users are u1..u2');
    expect(lines[20]).toBe('sim show: big.json: … and 349,980 more problems');
  });

  // Proves a newline or an escape sequence in a path is echoed escaped, so it cannot forge a line or colour the terminal.
  test('a newline or an escape in a path is escaped, not echoed raw', async () => {
    const missing = await refused(['run', '--scenario', 'evil\nsim run: ok.json', '--seed', '1']);
    expect(missing[0]).toBe("sim run: cannot read the scenario file evil\\nsim run: ok.json: ENOENT: no such file or directory, open 'evil\\nsim run: ok.json'");
    expect(missing).toHaveLength(2);
    const preset = await refused(['run', '--scenario', 'x\u001b[31mred', '--seed', '1']);
    expect(preset[0]).toMatch(/^sim run: unknown preset 'x\\u001b\[31mred' \(and no such file\)/);
    expect(preset.join('\n')).not.toContain('\u001b');
    const bad = await refused(['show', '--scenario', 'a\tb.json'], { 'a\tb.json': '{' });
    expect(bad[0]).toMatch(/^sim show: a\\tb\.json is not valid JSON: /);
  });

  // Proves a file saved with a UTF-8 byte order mark (as Windows editors do) runs like the same file without one.
  test('a UTF-8 BOM at the start of a valid file is accepted', async () => {
    const json = JSON.stringify({ durationMs: 1000, settleMs: 0 });
    const plain = await runSim(['run', '--scenario', 'plain.json', '--seed', '3', '--json'], { 'plain.json': json });
    const withBom = await runSim(['run', '--scenario', 'bom.json', '--seed', '3', '--json'], { 'bom.json': `\uFEFF${json}` });
    expect(withBom.stderr).toBe('');
    expect(withBom.code).toBe(0);
    const hash = (out: string): unknown => (JSON.parse(out) as { traceHash: unknown }).traceHash;
    expect(hash(withBom.stdout)).toBe(hash(plain.stdout));
  });
});

describe('the work budget', () => {
  // Proves `--until-ms` of 10^15 ms is refused before the run starts, naming the biggest term and the way out.
  test('--until-ms 1e15 is refused, naming the biggest term and --allow-long', async () => {
    const lines = await refused(['run', '--scenario', 'group-chat', '--seed', '1', '--until-ms', '1000000000000000']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sim run: preset group-chat: this run would do about [\d,]+ events of work, above the budget of 60,000,000 \(biggest term: /);
    expect(lines[0]).toMatch(/; shorten or shrink it, or run it anyway with --allow-long$/);
  });

  // Proves a billion groups are refused before the build (which alone never returned).
  test('groups.count 1e9 is refused before the build', async () => {
    const lines = await refused(['run', '--scenario', 'huge.json', '--seed', '1'], { 'huge.json': JSON.stringify({ durationMs: 60_000, workload: { groups: { count: 1e9 } } }) });
    expect(lines[0]).toMatch(/^sim run: file huge\.json: .*biggest term: nodes and channels, about [\d,]+ events: 1,000,000,000 channels/);
  });

  // Proves the other runs that never finished on 622d528 are refused before they start, each
  // naming its biggest term (the estimator's own tests are in src/sim/scenario/budget.test.ts).
  test.each<[string, object, RegExp]>([
    ['a burst size of 1e9', { durationMs: 60_000, workload: { users: 8, burstProbability: 0.1, burstSize: 1e9, groups: { count: 1 } } }, /biggest term: sends, .*for bursts/],
    ['100,000 fleets of 10 users', { durationMs: 600_000, workload: { users: 1_000_000, clients: 'fleets', usersPerFleet: 10, sendRatePerUserPerSec: 0 } }, /biggest term: fleet ticks, .*100,000 fleets/],
    ['100,000 users sending 1,000 a second', { durationMs: 60_000, workload: { users: 100_000, sendRatePerUserPerSec: 1000, groups: { count: 10_000, membership: 'partition', size: { kind: 'fixed', size: 10 } } } }, /biggest term: sends, .*100,000 users × 1000\/s/],
  ])('%s is refused before the run starts', async (_name, scenario, term) => {
    const lines = await refused(['run', '--scenario', 'long.json', '--seed', '1', '--json'], { 'long.json': JSON.stringify(scenario) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sim run: file long\.json: this run would do about [\d,]+ events of work, above the budget of 60,000,000/);
    expect(lines[0]).toMatch(term);
  });

  // Proves the flag is parsed, and that a run within the budget needs no flag (the showcase included: see budget.test.ts).
  test('--allow-long is a switch of run', () => {
    const parsed = parseArgs(['run', '--scenario', 'group-chat', '--seed', '1', '--allow-long']);
    expect(parsed.ok && parsed.command.kind === 'run' && parsed.command.allowLong).toBe(true);
    expect(parseArgs(['run', '--scenario', 'group-chat', '--seed', '1', '--allow-long=yes'])).toEqual({ ok: false, error: 'sim run: --allow-long is a switch and takes no value' });
  });
});
